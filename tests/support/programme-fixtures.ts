import { expect } from 'vitest';
import { unique, type TestApp, type Who } from './app.js';
import { addDays, mutate, today } from './fixtures.js';

/** Fixtures for the diagnosis, programme and consultation tests: everything through the API. */

/** The generic helpers lived here once; files not yet importing them from fixtures.ts still find them here. */
export { addDays, errorsOf, mutate, pageThrough, staff, today, tryMutate, USER_ERRORS } from './fixtures.js';

export async function createDiagnosis(app: TestApp, who: Who, cusUnitId: string, extra: Record<string, unknown> = {}) {
  const payload = await mutate(app, who, 'diagnosisCreate', 'DiagnosisCreateInput', 'diagnosis { id version status periodStart periodEnd }', {
    cusUnitId,
    title: unique('Diagnoza'),
    periodStart: '2024-01-01',
    periodEnd: '2024-12-31',
    ...extra,
  });
  return payload.diagnosis;
}

/** Records every stage of the diagnosis as completed (DOMAIN.md: plan, methods, data, analysis, conclusions, report): completion needs them. */
export async function completeStages(app: TestApp, who: Who, diagnosisId: string) {
  for (const stage of ['PLAN', 'METHODS', 'DATA_COLLECTION', 'ANALYSIS', 'CONCLUSIONS', 'REPORT']) {
    await mutate(app, who, 'diagnosisStageSet', 'DiagnosisStageSetInput', 'diagnosisStage { stage }', { diagnosisId, stage, completed: true });
  }
}

/** A service in the unit's catalogue through the catalogue's own mutation (online, so it needs no place). */
export async function createService(app: TestApp, who: Who, cusUnitId: string, extra: Record<string, unknown> = {}) {
  const payload = await mutate(app, who, 'serviceCreate', 'ServiceCreateInput', 'service { id name version status }', {
    cusUnitId,
    name: unique('Usługa'),
    area: 'SOCIAL_ASSISTANCE',
    targetGroups: ['SENIORS'],
    provider: { kind: 'CUS' },
    online: true,
    onlineUrl: 'https://cus.example.pl/usluga',
    ...extra,
  });
  return payload.service;
}

export async function createProgramme(app: TestApp, who: Who, cusUnitId: string, gmina: string, extra: Record<string, unknown> = {}) {
  const payload = await mutate(app, who, 'programmeCreate', 'ProgrammeCreateInput', 'programme { id version status }', {
    cusUnitId,
    gmina,
    title: unique('Program usług społecznych'),
    ...extra,
  });
  return payload.programme;
}

export async function addProgrammeService(app: TestApp, who: Who, programmeId: string, serviceId: string, extra: Record<string, unknown> = {}) {
  const payload = await mutate(app, who, 'programmeServiceSet', 'ProgrammeServiceSetInput', 'programmeService { id }', { programmeId, serviceId, ...extra });
  return payload.programmeService;
}

/** A consultation of the programme that ended yesterday: adoption needs one (DOMAIN.md). */
export const consultProgramme = (app: TestApp, who: Who, programmeId: string) =>
  openConsultation(app, who, { programmeId }, addDays(today(), -30), addDays(today(), -1));

/** Adopts the programme, consulting it first (an ended consultation) unless `consulted`. */
export async function adoptProgramme(
  app: TestApp,
  who: Who,
  id: string,
  periodStart: string,
  periodEnd: string,
  resolutionDate = '2024-01-15',
  consulted = false,
) {
  if (!consulted) await consultProgramme(app, who, id);
  const payload = await mutate(app, who, 'programmeAdopt', 'ProgrammeAdoptInput', 'programme { id status }', {
    id,
    periodStart,
    periodEnd,
    resolution: { number: unique('XX/1'), date: resolutionDate },
  });
  expect(payload.programme.status).toBe('ADOPTED');
  return payload.programme;
}

export async function openConsultation(
  app: TestApp,
  who: Who,
  subject: { diagnosisId?: string; programmeId?: string },
  startsOn: string,
  endsOn: string,
  channels = ['EMAIL', 'PAPER', 'ONLINE'],
) {
  const payload = await mutate(app, who, 'consultationOpen', 'ConsultationOpenInput', 'consultation { id version status startsOn endsOn }', {
    ...subject,
    title: unique('Konsultacje'),
    startsOn,
    endsOn,
    channels,
  });
  return payload.consultation;
}
