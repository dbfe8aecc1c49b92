import { expect } from 'vitest';
import { Role, unique, type GraphQLResponse, type TestApp, type Who } from './app.js';
import { todayInPoland } from '../../src/modules/common/dates.js';

/** Fixtures for the diagnosis, programme and consultation tests: everything through the API. */

export const USER_ERRORS = 'userErrors { field message code }';

export const today = () => todayInPoland();

/** `date` moved by `days` (calendar arithmetic on YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const staff = (role: Role, ...gminy: string[]): Who => ({ role, gminy });

/** Runs a mutation whose payload is `field`, expecting no top-level errors and no userErrors; returns the payload. */
export async function mutate(app: TestApp, who: Who, field: string, inputType: string, selection: string, input: Record<string, unknown>) {
  const res = await app.gql(who, `mutation($input: ${inputType}!) { ${field}(input: $input) { ${selection} ${USER_ERRORS} } }`, { input });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data[field].userErrors).toEqual([]);
  return res.body.data[field];
}

/** Runs a mutation and returns the raw response (for refusals). */
export function tryMutate(app: TestApp, who: Who, field: string, inputType: string, selection: string, input: Record<string, unknown>): Promise<GraphQLResponse> {
  return app.gql(who, `mutation($input: ${inputType}!) { ${field}(input: $input) { ${selection} ${USER_ERRORS} } }`, { input });
}

/** The userErrors of a payload as [field path, code] pairs, for compact assertions. */
export const errorsOf = (res: GraphQLResponse, field: string) =>
  (res.body.data?.[field]?.userErrors ?? []).map((e: { field: string[]; code: string }) => [e.field.join('.'), e.code]);

export async function createDiagnosis(app: TestApp, who: Who, cusUnitId: string, extra: Record<string, unknown> = {}) {
  const payload = await mutate(app, who, 'diagnosisCreate', 'DiagnosisCreateInput', 'diagnosis { id version status periodStart periodEnd }', {
    cusUnitId, title: unique('Diagnoza'), periodStart: '2024-01-01', periodEnd: '2024-12-31', ...extra,
  });
  return payload.diagnosis;
}

/** A service in the unit's catalogue through the catalogue's own mutation (online, so it needs no place). */
export async function createService(app: TestApp, who: Who, cusUnitId: string, extra: Record<string, unknown> = {}) {
  const payload = await mutate(app, who, 'serviceCreate', 'ServiceCreateInput', 'service { id name version status }', {
    cusUnitId, name: unique('Usługa'), area: 'SOCIAL_ASSISTANCE', targetGroups: ['SENIORS'], provider: { kind: 'CUS' },
    online: true, onlineUrl: 'https://cus.example.pl/usluga', ...extra,
  });
  return payload.service;
}

export async function createProgramme(app: TestApp, who: Who, cusUnitId: string, gmina: string, extra: Record<string, unknown> = {}) {
  const payload = await mutate(app, who, 'programmeCreate', 'ProgrammeCreateInput', 'programme { id version status }', {
    cusUnitId, gmina, title: unique('Program usług społecznych'), ...extra,
  });
  return payload.programme;
}

export async function addProgrammeService(app: TestApp, who: Who, programmeId: string, serviceId: string, extra: Record<string, unknown> = {}) {
  const payload = await mutate(app, who, 'programmeServiceSet', 'ProgrammeServiceSetInput', 'programmeService { id }', { programmeId, serviceId, ...extra });
  return payload.programmeService;
}

export async function adoptProgramme(app: TestApp, who: Who, id: string, periodStart: string, periodEnd: string, resolutionDate = '2024-01-15') {
  const payload = await mutate(app, who, 'programmeAdopt', 'ProgrammeAdoptInput', 'programme { id status }', {
    id, periodStart, periodEnd, resolution: { number: unique('XX/1'), date: resolutionDate },
  });
  expect(payload.programme.status).toBe('ADOPTED');
  return payload.programme;
}

export async function openConsultation(app: TestApp, who: Who, subject: { diagnosisId?: string; programmeId?: string }, startsOn: string, endsOn: string, channels = ['EMAIL', 'PAPER', 'ONLINE']) {
  const payload = await mutate(app, who, 'consultationOpen', 'ConsultationOpenInput', 'consultation { id version status startsOn endsOn }', {
    ...subject, title: unique('Konsultacje'), startsOn, endsOn, channels,
  });
  return payload.consultation;
}

/** Walks a connection two items at a time and returns the ids, to compare with one big page. */
export async function pageThrough(app: TestApp, who: Who, field: string, filter: string): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 50; guard++) {
    const res: GraphQLResponse = await app.gql(who, `query($after: String) { ${field}(first: 2, after: $after, filter: ${filter}) { nodes { id } pageInfo { hasNextPage endCursor } } }`, { after });
    expect(res.body.errors).toBeUndefined();
    const page = res.body.data[field];
    ids.push(...page.nodes.map((n: { id: string }) => n.id));
    if (!page.pageInfo.hasNextPage) return ids;
    after = page.pageInfo.endCursor;
  }
  throw new Error('pagination did not end');
}
