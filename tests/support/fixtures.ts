import { expect } from 'vitest';
import { Role, unique, type GraphQLResponse, type TestApp, type Who } from './app.js';
import { todayInPoland } from '../../src/modules/common/dates.js';

export const ADMIN = { role: Role.PLATFORM_ADMIN };

export const UNIT_FIELDS =
  'id name version statutory creationMode startDate seatAddress { street postalCode city } gminy { terc } fundingProjects { id title totalValue }';

/**
 * Creates a CUS unit through the API as the platform administrator, with a funding project. Not a
 * statutory CUS unless `extra` says so: a gmina has one statutory centre (the demo's gminy have theirs),
 * and a file's tests may create units for the same gminy.
 */
export async function createUnit(app: TestApp, seatGmina: string, extra: Record<string, unknown> = {}) {
  const created = await app.gql(
    ADMIN,
    `mutation($input: CusUnitCreateInput!) {
    cusUnitCreate(input: $input) { cusUnit { ${UNIT_FIELDS} } userErrors { field message code } } }`,
    {
      input: {
        name: unique(`CUS ${seatGmina}`),
        seatGmina,
        seatAddress: { street: 'ul. Testowa 1', postalCode: '00-001', city: 'Testowo' },
        creationMode: 'OPS_TRANSFORMED',
        startDate: '2024-01-01',
        statutory: false,
        ...extra,
      },
    },
  );
  expect(created.body.errors).toBeUndefined();
  expect(created.body.data.cusUnitCreate.userErrors).toEqual([]);
  const unit = created.body.data.cusUnitCreate.cusUnit;
  const project = await app.gql(
    ADMIN,
    `mutation($input: FundingProjectAddInput!) {
    fundingProjectAdd(input: $input) { fundingProject { id title } userErrors { code } } }`,
    {
      input: {
        cusUnitId: unit.id,
        programme: 'FERS',
        action: '6.1',
        title: unique('Projekt'),
        periodStart: '2024-01-01',
        periodEnd: '2025-12-31',
        totalValue: '1000000.00',
      },
    },
  );
  expect(project.body.data.fundingProjectAdd.userErrors).toEqual([]);
  return { unit, project: project.body.data.fundingProjectAdd.fundingProject };
}

/* Generic helpers for any suite: mutations with their userErrors, dates, staff principals, paging. */

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
export function tryMutate(
  app: TestApp,
  who: Who,
  field: string,
  inputType: string,
  selection: string,
  input: Record<string, unknown>,
): Promise<GraphQLResponse> {
  return app.gql(who, `mutation($input: ${inputType}!) { ${field}(input: $input) { ${selection} ${USER_ERRORS} } }`, { input });
}

/** The userErrors of a payload as [field path, code] pairs, for compact assertions. */
export const errorsOf = (res: GraphQLResponse, field: string) =>
  (res.body.data?.[field]?.userErrors ?? []).map((e: { field: string[]; code: string }) => [e.field.join('.'), e.code]);

/** Walks a connection two items at a time and returns the ids, to compare with one big page. */
export async function pageThrough(app: TestApp, who: Who, field: string, filter: string): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 50; guard++) {
    const res: GraphQLResponse = await app.gql(
      who,
      `query($after: String) { ${field}(first: 2, after: $after, filter: ${filter}) { nodes { id } pageInfo { hasNextPage endCursor } } }`,
      { after },
    );
    expect(res.body.errors).toBeUndefined();
    const page = res.body.data[field];
    ids.push(...page.nodes.map((n: { id: string }) => n.id));
    if (!page.pageInfo.hasNextPage) return ids;
    after = page.pageInfo.endCursor;
  }
  throw new Error('pagination did not end');
}
