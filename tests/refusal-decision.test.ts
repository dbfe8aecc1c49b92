import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rawAsOwner, Role, startTestApp, unique, type TestApp, type Who } from './support/app.js';
import { createUnit, errorsOf, mutate, staff, tryMutate } from './support/fixtures.js';
import { pdfText } from './support/pdf-text.js';
import { fromGlobalId, toGlobalId } from '../src/platform/graphql/node.js';
import { REFUSAL_DECISION_PDF_SELECTION } from '../src/modules/application/application-decision-pdf.js';

/**
 * A refusal as an administrative decision (issue 20, "Documents"): its parts required, its delivery recorded
 * once (fixing the appeal deadline), and the decision as a PDF in Polish, read back as text; another gmina
 * neither records nor prints it. Gminy (Małopolskie): A Jerzmanowice-Przeginia (1206042), B Kocmyrzów-Luborzyca (1206052).
 */
const A = '1206042';
const B = '1206052';
const coordinatorA = staff(Role.COORDINATOR, A);
const directorA = staff(Role.DIRECTOR, A);
const directorB = staff(Role.DIRECTOR, B);

const DECISION = `number date refusalReason legalBasis factualReasoning legalReasoning appealBody appealInstruction
  signatoryName signatoryPosition deliveredOn appealDeadline`;
const APPLICATION = `application { id status version decision { ${DECISION} } }`;

const PARTS = {
  decisionNumber: 'CUS.4011.15.2026',
  decisionDate: '2026-10-20',
  reason: 'Gmina nie świadczy usługi, o którą wnioskowano.',
  legalBasis: 'art. 104 § 1 Kodeksu postępowania administracyjnego; art. 5 ust. 1 ustawy o centrach usług społecznych',
  factualReasoning: 'Wnioskodawczyni złożyła wniosek o lokal socjalny; w katalogu usług gminy brak takiej usługi (ustalono ze źródeł gminy).',
  legalReasoning: 'Przepisy ustawy o CUS nie pozwalają przyznać usługi spoza programu usług społecznych gminy.',
  appealBody: 'Samorządowego Kolegium Odwoławczego w Krakowie',
  signatoryName: 'Żaneta Łęcka-Śliwińska',
  signatoryPosition: 'Dyrektor Centrum Usług Społecznych',
};

let app: TestApp;

async function fileApplication(): Promise<{ id: string; version: number }> {
  const [row] = await rawAsOwner<{ id: string }>(`insert into resident (gmina_id, first_name, last_name) values ($1, 'Grażyna', $2) returning id`, [
    Number(A),
    unique('Źdźbło').replace(' ', ''),
  ]);
  const filed = await mutate(app, coordinatorA, 'applicationFile', 'ApplicationFileInput', APPLICATION, {
    residentId: toGlobalId('Resident', row.id),
    filedOn: '2026-10-01',
    channel: 'IN_PERSON',
    filedBy: 'PERSON',
    requestedAreas: ['HOUSING'],
  });
  return filed.application;
}

const rawRow = async (id: string) => (await rawAsOwner(`select to_jsonb(a) as row from application a where id = $1`, [fromGlobalId(id).key]))[0];

const refuse = (who: Who, input: Record<string, unknown>) => tryMutate(app, who, 'applicationRefuse', 'ApplicationRefuseInput', APPLICATION, input);
const deliver = (who: Who, input: Record<string, unknown>) =>
  tryMutate(app, who, 'applicationDecisionDelivered', 'ApplicationDecisionDeliveredInput', APPLICATION, input);

async function decisionPdf(who: Who, id: string, selection = REFUSAL_DECISION_PDF_SELECTION) {
  return fetch(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/pdf', authorization: `Bearer ${await app.token(who)}` },
    body: JSON.stringify({ query: `query($id: ID!) { application(id: $id) { ${selection} } }`, variables: { id } }),
  });
}

beforeAll(async () => {
  app = await startTestApp();
  await createUnit(app, A);
  await createUnit(app, B);
});
afterAll(() => app?.close());

describe('a refusal decision', () => {
  test('lacking its legal basis, reasoning, appeal body or signatory it is REQUIRED for each, and nothing is written', async () => {
    const filed = await fileApplication();
    const before = await rawRow(filed.id);
    const res = await refuse(directorA, {
      id: filed.id,
      version: filed.version,
      decisionNumber: 'D/1',
      decisionDate: '2026-10-20',
      reason: 'Powód',
      legalBasis: ' ',
    });
    expect(errorsOf(res, 'applicationRefuse')).toEqual([
      ['input.legalBasis', 'REQUIRED'],
      ['input.factualReasoning', 'REQUIRED'],
      ['input.legalReasoning', 'REQUIRED'],
      ['input.appealBody', 'REQUIRED'],
      ['input.signatoryName', 'REQUIRED'],
      ['input.signatoryPosition', 'REQUIRED'],
    ]);
    expect(await rawRow(filed.id)).toEqual(before);
  });

  test('is kept with the application; its delivery, recorded once, fixes the appeal deadline 14 days on (past a weekend)', async () => {
    const filed = await fileApplication();
    const refused = (await refuse(directorA, { id: filed.id, version: filed.version, ...PARTS })).body.data.applicationRefuse;
    expect(refused.userErrors).toEqual([]);
    expect(refused.application.decision).toMatchObject({
      legalBasis: PARTS.legalBasis,
      appealBody: PARTS.appealBody,
      signatoryName: PARTS.signatoryName,
      deliveredOn: null,
      appealDeadline: null,
    });
    expect(refused.application.decision.appealInstruction).toContain(`odwołanie do ${PARTS.appealBody} za pośrednictwem organu`);
    expect(refused.application.decision.appealInstruction).toContain('14 dni od dnia jej doręczenia');

    // Refused cases change nothing: before the decision, in the future, another gmina's director, a stale version.
    const version = refused.application.version;
    const before = await rawRow(filed.id);
    const refusals: [Who, Record<string, unknown>, string[]][] = [
      [directorA, { id: filed.id, version, deliveredOn: '2026-10-19' }, ['input.deliveredOn', 'OUT_OF_RANGE']],
      [directorA, { id: filed.id, version, deliveredOn: '2999-01-01' }, ['input.deliveredOn', 'OUT_OF_RANGE']],
      [directorA, { id: filed.id, version }, ['input.deliveredOn', 'REQUIRED']],
      [directorB, { id: filed.id, version, deliveredOn: '2026-10-22' }, ['input.id', 'NOT_FOUND']],
      [directorA, { id: filed.id, version: version - 1, deliveredOn: '2026-10-22' }, ['input.version', 'CONFLICT']],
    ];
    for (const [who, input, error] of refusals) {
      expect(errorsOf(await deliver(who, input), 'applicationDecisionDelivered')).toEqual([error]);
    }
    expect(await rawRow(filed.id)).toEqual(before);

    // Delivered on Saturday 24 October 2026: 14 days on is Saturday 7 November, so the deadline is Monday 9 November.
    const delivered = (await deliver(coordinatorA, { id: filed.id, version, deliveredOn: '2026-10-24' })).body.data.applicationDecisionDelivered;
    expect(delivered.userErrors).toEqual([]);
    expect(delivered.application.decision).toMatchObject({ deliveredOn: '2026-10-24', appealDeadline: '2026-11-09' });
    const again = await deliver(coordinatorA, { id: filed.id, version: delivered.application.version, deliveredOn: '2026-10-25' });
    expect(errorsOf(again, 'applicationDecisionDelivered')).toEqual([['input.id', 'NOT_ALLOWED']]);

    // Delivered on a Thursday: the deadline is two weeks on, a Thursday too.
    const other = await fileApplication();
    const second = (await refuse(directorA, { id: other.id, version: other.version, ...PARTS })).body.data.applicationRefuse.application;
    const onThursday = (await deliver(coordinatorA, { id: other.id, version: second.version, deliveredOn: '2026-10-22' })).body.data
      .applicationDecisionDelivered;
    expect(onThursday.application.decision.appealDeadline).toBe('2026-11-05');

    // Delivered on Wednesday 28 October 2026: 14 days on is Wednesday 11 November, Independence Day, so the deadline is Thursday 12 November.
    const third = await fileApplication();
    const refusedThird = (await refuse(directorA, { id: third.id, version: third.version, ...PARTS })).body.data.applicationRefuse.application;
    const beforeHoliday = (await deliver(coordinatorA, { id: third.id, version: refusedThird.version, deliveredOn: '2026-10-28' })).body.data
      .applicationDecisionDelivered;
    expect(beforeHoliday.application.decision.appealDeadline).toBe('2026-11-12');
  });

  test('as a PDF: in Polish with diacritics, every section, the appeal deadline; another gmina gets no PDF; only a refusal has one', async () => {
    const filed = await fileApplication();
    const refused = (await refuse(directorA, { id: filed.id, version: filed.version, ...PARTS })).body.data.applicationRefuse.application;
    await mutate(app, directorA, 'applicationDecisionDelivered', 'ApplicationDecisionDeliveredInput', 'application { id }', {
      id: filed.id,
      version: refused.version,
      deliveredOn: '2026-10-22',
    });
    const response = await decisionPdf(coordinatorA, filed.id);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toContain('decyzja-CUS.4011.15.2026.pdf');
    const text = (await pdfText(new Uint8Array(await response.arrayBuffer()))).replace(/\s+/g, ' ');
    for (const phrase of [
      'DECYZJA',
      'Znak sprawy: CUS.4011.15.2026',
      '20 października 2026 r.',
      'Grażyna',
      'art. 104 § 1 Kodeksu postępowania administracyjnego',
      'orzekam',
      'odmówić przyznania usług społecznych',
      'Uzasadnienie faktyczne',
      'lokal socjalny',
      'Uzasadnienie prawne',
      'Pouczenie',
      'Samorządowego Kolegium Odwoławczego w Krakowie',
      'Żaneta Łęcka-Śliwińska',
      'Dyrektor Centrum Usług Społecznych',
      'Data doręczenia 22 października 2026 r.',
      'do 5 listopada 2026 r.',
    ]) {
      expect(text).toContain(phrase);
    }

    // Another gmina's director finds no such application: an error as JSON, no PDF.
    const foreign = await decisionPdf(directorB, filed.id);
    expect(foreign.headers.get('content-type')).toMatch(/json/);
    expect(await foreign.text()).not.toContain('%PDF-');
    // A selection lacking what the decision prints, and an application not refused, are refused (406).
    const short = await decisionPdf(coordinatorA, filed.id, 'status decision { number }');
    expect(short.status).toBe(406);
    expect(((await short.json()) as { errors: { message: string }[] }).errors[0].message).toContain('legalBasis');
    const pending = await fileApplication();
    const notRefused = await decisionPdf(coordinatorA, pending.id);
    expect(notRefused.status).toBe(406);
    expect(((await notRefused.json()) as { errors: { message: string }[] }).errors[0].message).toContain('FILED');
  });

  test('a PDF asked of a query with no PDF answer is refused naming the fields that have one', async () => {
    const response = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/pdf', authorization: `Bearer ${await app.token(directorA)}` },
      body: JSON.stringify({ query: '{ viewer { __typename } }' }),
    });
    expect(response.status).toBe(406);
    const message = ((await response.json()) as { errors: { message: string }[] }).errors[0].message;
    expect(message).toContain('settlementStatement');
    expect(message).toContain('application');
  });
});
