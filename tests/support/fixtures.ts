import { expect } from 'vitest';
import { Role, unique, type TestApp } from './app.js';

export const ADMIN = { role: Role.PLATFORM_ADMIN };

export const UNIT_FIELDS = 'id name version statutory creationMode startDate seatAddress { street postalCode city } gminy { terc } fundingProjects { id title totalValue }';

/**
 * Creates a CUS unit through the API as the platform administrator, with a funding project. Not a
 * statutory CUS unless `extra` says so: a gmina has one statutory centre (the demo's gminy have theirs),
 * and suites sharing the run's database create units for the same gminy.
 */
export async function createUnit(app: TestApp, seatGmina: string, extra: Record<string, unknown> = {}) {
  const created = await app.gql(ADMIN, `mutation($input: CusUnitCreateInput!) {
    cusUnitCreate(input: $input) { cusUnit { ${UNIT_FIELDS} } userErrors { field message code } } }`, {
    input: {
      name: unique(`CUS ${seatGmina}`),
      seatGmina,
      seatAddress: { street: 'ul. Testowa 1', postalCode: '00-001', city: 'Testowo' },
      creationMode: 'OPS_TRANSFORMED',
      startDate: '2024-01-01',
      statutory: false,
      ...extra,
    },
  });
  expect(created.body.errors).toBeUndefined();
  expect(created.body.data.cusUnitCreate.userErrors).toEqual([]);
  const unit = created.body.data.cusUnitCreate.cusUnit;
  const project = await app.gql(ADMIN, `mutation($input: FundingProjectAddInput!) {
    fundingProjectAdd(input: $input) { fundingProject { id title } userErrors { code } } }`, {
    input: { cusUnitId: unit.id, programme: 'FERS', action: '6.1', title: unique('Projekt'), periodStart: '2024-01-01', periodEnd: '2025-12-31', totalValue: '1000000.00' },
  });
  expect(project.body.data.fundingProjectAdd.userErrors).toEqual([]);
  return { unit, project: project.body.data.fundingProjectAdd.fundingProject };
}
