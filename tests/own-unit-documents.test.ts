import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role, startTestApp, type TestApp, type Who } from './support/app.js';
import { createUnit, errorsOf, tryMutate } from './support/fixtures.js';

/**
 * Staff make a unit's documents for their own unit (the token's cus_unit). Gmina A is served by its own
 * unit U1 and by an inter-municipal unit U2 seated in B: U1's staff see U2, and could make a diagnosis
 * or survey under it, written into B's tenant and shown to B's staff (found in the review of issue 17).
 */
const A = '0202041';
const B = '0202011';
let app: TestApp;
let u1: { id: string };
let u2: { id: string };
let directorOfU1: Who;
const uuid = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

beforeAll(async () => {
  app = await startTestApp();
  ({ unit: u1 } = await createUnit(app, A));
  ({ unit: u2 } = await createUnit(app, B, {
    servedGminy: [B, A],
    creationMode: 'INTERMUNICIPAL_AGREEMENT',
    agreement: { number: 'P/7/2023', date: '2023-11-30' },
  }));
  directorOfU1 = { role: Role.DIRECTOR, gminy: [A], unit: uuid(u1.id) };
});
afterAll(() => app?.close());

const diagnosis = (cusUnitId: string) => ({ cusUnitId, title: 'Diagnoza potrzeb', periodStart: '2026-01-01', periodEnd: '2026-06-30' });
const survey = (cusUnitId: string) => ({
  cusUnitId,
  title: 'Ankieta',
  opensOn: '2026-01-01',
  closesOn: '2026-02-01',
  questions: [{ kind: 'FREE_TEXT', text: 'Czego potrzebujesz?' }],
});

describe("a unit's documents are made by its own staff", () => {
  it("another unit serving the same gmina is NOT_ALLOWED, and nothing reaches B's staff", async () => {
    const made = await tryMutate(app, directorOfU1, 'diagnosisCreate', 'DiagnosisCreateInput', 'diagnosis { id }', diagnosis(u2.id));
    expect(errorsOf(made, 'diagnosisCreate')).toEqual([['input.cusUnitId', 'NOT_ALLOWED']]);
    const asked = await tryMutate(app, directorOfU1, 'surveyCreate', 'SurveyCreateInput', 'survey { id }', survey(u2.id));
    expect(errorsOf(asked, 'surveyCreate')).toEqual([['input.cusUnitId', 'NOT_ALLOWED']]);
    const directorOfU2: Who = { role: Role.DIRECTOR, gminy: [B], unit: uuid(u2.id) };
    const seen = await app.gql(
      directorOfU2,
      'query($u: ID!) { diagnoses(filter: { cusUnitId: $u }) { totalCount } surveys(filter: { cusUnitId: $u }) { totalCount } }',
      { u: u2.id },
    );
    expect(seen.body.errors).toBeUndefined();
    expect(seen.body.data).toEqual({ diagnoses: { totalCount: 0 }, surveys: { totalCount: 0 } });
  });

  it('their own unit is fine', async () => {
    const made = await tryMutate(app, directorOfU1, 'diagnosisCreate', 'DiagnosisCreateInput', 'diagnosis { id }', diagnosis(u1.id));
    expect(errorsOf(made, 'diagnosisCreate')).toEqual([]);
    const asked = await tryMutate(app, directorOfU1, 'surveyCreate', 'SurveyCreateInput', 'survey { id }', survey(u1.id));
    expect(errorsOf(asked, 'surveyCreate')).toEqual([]);
  });
});
