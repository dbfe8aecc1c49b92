import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codes, rawAsApp, rawAsOwner, Role, startTestApp, unique, type TestApp, type Who } from './support/app.js';
import { createUnit, addDays, errorsOf, mutate, pageThrough, staff, today, tryMutate } from './support/fixtures.js';
import { completeStages, createDiagnosis, createProgramme, openConsultation } from './support/programme-fixtures.js';
import { fromGlobalId } from '../src/platform/graphql/node.js';
import { sessionVariables } from '../src/platform/auth/principal.js';

/**
 * Public consultations of a draft diagnosis or programme: opening, submissions from anyone
 * authenticated for the gmina (never outside the dates), staff answers, and the tenant boundary.
 * Gmina A: Augustów (2001011). Gmina B: Czarna (1801032).
 */
const A = '2001011';
const B = '1801032';
const directorA = staff(Role.DIRECTOR, A);
const officialA = staff(Role.GMINA_OFFICIAL, A);
const officialB = staff(Role.GMINA_OFFICIAL, B);
const directorB = staff(Role.DIRECTOR, B);
const MANAGERS = [Role.DIRECTOR, Role.SERVICES_ORGANISER, Role.COMMUNITY_ORGANISER];

let app: TestApp;
let unitA: any;
let diagnosis: any;
let partnerA: Who;
let partnerElsewhere: Who;

async function insertPartner(gmina: string): Promise<string> {
  const [row] = await rawAsOwner<{ id: string }>(`insert into partner (gmina_id, gmina_ids, name, kind) values ($1, $2, $3, 'NGO') returning id`, [
    Number(gmina),
    [Number(gmina)],
    unique('Fundacja'),
  ]);
  return row.id;
}

const SUBMISSIONS =
  'submissionCount submissions(first: 100) { totalCount nodes { id text channel receivedOn authorName response respondedOn submittedByPartner { id } } }';
const readAs = async (who: Who, id: string) =>
  (await app.gql(who, `query($id: ID!) { consultation(id: $id) { id title version status startsOn endsOn channels cancelledAt ${SUBMISSIONS} } }`, { id })).body
    .data.consultation;
const read = (id: string) => readAs(directorA, id);

const submit = (who: Who, consultationId: string, extra: Record<string, unknown> = {}) =>
  tryMutate(
    app,
    who,
    'consultationSubmit',
    'ConsultationSubmitInput',
    'consultationSubmission { id receivedOn channel text submittedByPartner { id } consultation { id } }',
    { consultationId, text: 'Proszę o więcej godzin opieki wytchnieniowej', channel: 'ONLINE', ...extra },
  );

beforeAll(async () => {
  app = await startTestApp();
  ({ unit: unitA } = await createUnit(app, A));
  await createUnit(app, B);
  diagnosis = await createDiagnosis(app, directorA, unitA.id, { periodStart: '2024-01-01', periodEnd: '2030-12-31' });
  partnerA = { role: Role.PARTNER, partner: await insertPartner(A) };
  partnerElsewhere = { role: Role.PARTNER, partner: await insertPartner(B) };
});
afterAll(async () => {
  await app.close();
});

describe('opening consultations', () => {
  test('each managing role opens one; the status follows the dates', async () => {
    const [upcoming, open, closed] = await Promise.all([
      openConsultation(app, staff(Role.DIRECTOR, A), { diagnosisId: diagnosis.id }, addDays(today(), 1), addDays(today(), 14)),
      openConsultation(app, staff(Role.SERVICES_ORGANISER, A), { diagnosisId: diagnosis.id }, today(), today()),
      openConsultation(app, staff(Role.COMMUNITY_ORGANISER, A), { diagnosisId: diagnosis.id }, addDays(today(), -14), addDays(today(), -1)),
    ]);
    expect([upcoming.status, open.status, closed.status]).toEqual(['UPCOMING', 'OPEN', 'CLOSED']);
    const res = await app.gql(
      officialA,
      `query($id: ID!, $d: ID!) {
      consultation(id: $id) { diagnosis { id } programme { id } gmina { terc } channels submissionCount }
      diagnosis(id: $d) { consultations { id } } }`,
      { id: open.id, d: diagnosis.id },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.consultation).toEqual({
      diagnosis: { id: diagnosis.id },
      programme: null,
      gmina: { terc: A },
      channels: ['EMAIL', 'PAPER', 'ONLINE'],
      submissionCount: 0,
    });
    expect(res.body.data.diagnosis.consultations.map((c: any) => c.id)).toEqual(expect.arrayContaining([upcoming.id, open.id, closed.id]));

    const programme = await createProgramme(app, directorA, unitA.id, A);
    const ofProgramme = await openConsultation(app, directorA, { programmeId: programme.id }, today(), addDays(today(), 21), ['PAPER']);
    const viaProgramme = await app.gql(directorA, `query($id: ID!) { consultation(id: $id) { diagnosis { id } programme { id consultations { id } } } }`, {
      id: ofProgramme.id,
    });
    expect(viaProgramme.body.data.consultation).toEqual({ diagnosis: null, programme: { id: programme.id, consultations: [{ id: ofProgramme.id }] } });

    const listed = async (open: boolean) =>
      (await app.gql(officialA, `{ consultations(first: 100, filter: { gmina: "${A}", open: ${open} }) { nodes { id } } }`)).body.data.consultations.nodes.map(
        (n: any) => n.id,
      );
    expect(await listed(true)).toEqual(expect.arrayContaining([open.id, ofProgramme.id]));
    expect(await listed(true)).not.toContain(upcoming.id);
    expect(await listed(false)).toEqual(expect.arrayContaining([upcoming.id, closed.id]));
    expect(await listed(false)).not.toContain(open.id);
  });

  test('invalid openings are refused and write nothing', async () => {
    const count = async () => (await app.gql(directorA, `{ consultations(filter: { gmina: "${A}" }) { totalCount } }`)).body.data.consultations.totalCount;
    const before = await count();
    const programme = await createProgramme(app, directorA, unitA.id, A);
    const base = { title: 'Konsultacje', startsOn: today(), endsOn: today(), channels: ['EMAIL'] };
    const cases: [Record<string, unknown>, string[][]][] = [
      [{ ...base }, [['input.diagnosisId', 'REQUIRED']]],
      [{ ...base, diagnosisId: diagnosis.id, programmeId: programme.id }, [['input.programmeId', 'INVALID']]],
      [{ ...base, diagnosisId: diagnosis.id, startsOn: '2025-05-12', endsOn: '2025-05-11' }, [['input.endsOn', 'OUT_OF_RANGE']]],
      [{ ...base, diagnosisId: diagnosis.id, channels: [] }, [['input.channels', 'REQUIRED']]],
      [
        { ...base, diagnosisId: diagnosis.id, channels: ['EMAIL', 'EMAIL'], title: ' ' },
        [
          ['input.title', 'REQUIRED'],
          ['input.channels', 'DUPLICATE'],
        ],
      ],
    ];
    for (const [input, expected] of cases) {
      const res = await tryMutate(app, directorA, 'consultationOpen', 'ConsultationOpenInput', 'consultation { id }', input);
      expect(res.body.data.consultationOpen.consultation).toBeNull();
      expect(errorsOf(res, 'consultationOpen')).toEqual(expected);
    }
    const completed = await createDiagnosis(app, directorA, unitA.id);
    await mutate(app, directorA, 'researchActivityAdd', 'ResearchActivityAddInput', 'researchActivity { id }', {
      diagnosisId: completed.id,
      kind: 'SURVEY',
      title: 'Ankieta',
      startDate: '2024-02-01',
      endDate: '2024-02-10',
    });
    await mutate(app, directorA, 'diagnosisNeedAdd', 'DiagnosisNeedAddInput', 'diagnosisNeed { id }', {
      diagnosisId: completed.id,
      area: 'CULTURE',
      targetGroup: 'ALL_RESIDENTS',
      description: 'Dom kultury',
      priority: 'LOW',
    });
    await completeStages(app, directorA, completed.id);
    await mutate(app, directorA, 'diagnosisComplete', 'DiagnosisIdInput', 'diagnosis { status }', { id: completed.id });
    const ofCompleted = await tryMutate(app, directorA, 'consultationOpen', 'ConsultationOpenInput', 'consultation { id }', {
      ...base,
      diagnosisId: completed.id,
    });
    expect(errorsOf(ofCompleted, 'consultationOpen')).toEqual([['input.diagnosisId', 'NOT_ALLOWED']]);
    const badChannel = await app.gql(directorA, `mutation($input: ConsultationOpenInput!) { consultationOpen(input: $input) { consultation { id } } }`, {
      input: { ...base, diagnosisId: diagnosis.id, channels: ['PIGEON'] },
    });
    expect(codes(badChannel)).toEqual(['BAD_USER_INPUT']);
    expect(await count()).toBe(before);
  });
});

describe('submissions', () => {
  test('the gmina official, staff and a partner working in the gmina submit; principals of another gmina cannot', async () => {
    const consultation = await openConsultation(app, directorA, { diagnosisId: diagnosis.id }, addDays(today(), -2), addDays(today(), 2));
    const byOfficial = await submit(officialA, consultation.id, { authorName: 'Jan Kowalski' });
    expect(byOfficial.body.data.consultationSubmit).toMatchObject({
      userErrors: [],
      consultationSubmission: { receivedOn: today(), channel: 'ONLINE', submittedByPartner: null, consultation: { id: consultation.id } },
    });
    expect(errorsOf(await submit(staff(Role.COORDINATOR, A), consultation.id), 'consultationSubmit')).toEqual([]);
    const byPartner = await submit(partnerA, consultation.id, { text: 'Możemy prowadzić grupę wsparcia' });
    expect(byPartner.body.data.consultationSubmit.consultationSubmission.submittedByPartner).toEqual({
      id: Buffer.from(`Partner:${partnerA.partner}`).toString('base64url'),
    });

    for (const outsider of [officialB, directorB, partnerElsewhere]) {
      const res = await submit(outsider, consultation.id);
      expect(res.body.data.consultationSubmit).toEqual({
        consultationSubmission: null,
        userErrors: [{ field: ['input', 'consultationId'], message: 'No such consultation', code: 'NOT_FOUND' }],
      });
    }
    const seen = await read(consultation.id);
    expect(seen.submissionCount).toBe(3);
    expect(seen.submissions.nodes.map((s: any) => s.authorName)).toContain('Jan Kowalski');

    // A partner reads the consultations of its gminy, and of the submissions only its own.
    const asPartner = await readAs(partnerA, consultation.id);
    expect(asPartner.submissionCount).toBe(1);
    expect(asPartner.submissions.nodes.map((s: any) => s.text)).toEqual(['Możemy prowadzić grupę wsparcia']);
    expect(
      (await app.gql(partnerA, 'query($id: ID!) { consultation(id: $id) { diagnosis { id } } }', { id: consultation.id })).body.data.consultation.diagnosis,
    ).toBeNull();
    expect(await readAs(partnerElsewhere, consultation.id)).toBeNull();
  });

  test('a submission after the deadline is refused with the end date for every submitting role, nothing is written, and the trigger refuses raw SQL too', async () => {
    const endsOn = addDays(today(), -2);
    const ended = await openConsultation(app, directorA, { diagnosisId: diagnosis.id }, addDays(today(), -10), endsOn);
    const tooLate = {
      consultationSubmission: null,
      userErrors: [
        {
          field: ['input', 'receivedOn'],
          message: `The consultation ended on ${endsOn}; submissions are no longer accepted`,
          code: 'OUT_OF_RANGE',
        },
      ],
    };
    const attempts: [Who, Record<string, unknown>][] = [
      [officialA, {}],
      [partnerA, {}],
      [staff(Role.COORDINATOR, A), {}],
      [directorA, { channel: 'EMAIL' }],
      // Staff recording a paper submission dated after the end, though before today.
      [directorA, { channel: 'PAPER', receivedOn: addDays(endsOn, 1) }],
    ];
    for (const [who, extra] of attempts) expect((await submit(who, ended.id, extra)).body.data.consultationSubmit, who.role).toEqual(tooLate);
    // A partner not working in the gmina does not learn that the consultation exists.
    expect((await submit(partnerElsewhere, ended.id)).body.data.consultationSubmit).toEqual({
      consultationSubmission: null,
      userErrors: [{ field: ['input', 'consultationId'], message: 'No such consultation', code: 'NOT_FOUND' }],
    });
    expect((await read(ended.id)).submissionCount).toBe(0);
    expect((await readAs(partnerA, ended.id)).submissionCount).toBe(0);

    const settings = sessionVariables({ subject: 'dev-gmina_official', role: Role.GMINA_OFFICIAL, gminy: [Number(A)], partnerId: null });
    const insert = `insert into consultation_submission (gmina_id, consultation_id, text, channel, received_on, submitted_by)
      values ($1, $2, 'Uwaga po terminie', 'ONLINE', $3, 'dev-gmina_official') returning id`;
    await expect(rawAsApp(insert, [Number(A), fromGlobalId(ended.id).key, today()], settings)).rejects.toThrow(/outside the consultation period/);
    // The same statement within the dates passes row-level security and the trigger (and is rolled back by rawAsApp).
    expect(await rawAsApp(insert, [Number(A), fromGlobalId(ended.id).key, endsOn], settings)).toHaveLength(1);
    expect((await read(ended.id)).submissionCount).toBe(0);

    // Staff may still record a paper submission that reached the office in time.
    const recorded = await submit(directorA, ended.id, { channel: 'PAPER', receivedOn: addDays(today(), -3), text: 'Pismo złożone w sekretariacie' });
    expect(errorsOf(recorded, 'consultationSubmit')).toEqual([]);
    expect((await read(ended.id)).submissions.nodes.map((s: any) => [s.channel, s.receivedOn])).toEqual([['PAPER', addDays(today(), -3)]]);
  });

  test('channels, dates and cancellation are checked', async () => {
    const consultation = await openConsultation(app, directorA, { diagnosisId: diagnosis.id }, addDays(today(), -5), addDays(today(), 5), ['PAPER', 'ONLINE']);
    const upcoming = await openConsultation(app, directorA, { diagnosisId: diagnosis.id }, addDays(today(), 3), addDays(today(), 9));
    const cases: [Who, string, Record<string, unknown>, string[][]][] = [
      [officialA, consultation.id, { channel: 'EMAIL' }, [['input.channel', 'INVALID']]],
      [officialA, consultation.id, { text: '   ' }, [['input.text', 'REQUIRED']]],
      [officialA, consultation.id, { channel: 'PAPER', receivedOn: addDays(today(), -1) }, [['input.receivedOn', 'NOT_ALLOWED']]],
      [partnerA, consultation.id, { receivedOn: addDays(today(), -1) }, [['input.receivedOn', 'NOT_ALLOWED']]],
      [directorA, consultation.id, { channel: 'ONLINE', receivedOn: addDays(today(), -1) }, [['input.receivedOn', 'NOT_ALLOWED']]],
      [directorA, consultation.id, { channel: 'PAPER', receivedOn: addDays(today(), 1) }, [['input.receivedOn', 'OUT_OF_RANGE']]],
      [directorA, consultation.id, { channel: 'PAPER', receivedOn: addDays(today(), -6) }, [['input.receivedOn', 'OUT_OF_RANGE']]],
      [officialA, upcoming.id, {}, [['input.receivedOn', 'OUT_OF_RANGE']]],
    ];
    for (const [who, id, input, expected] of cases) expect(errorsOf(await submit(who, id, input), 'consultationSubmit')).toEqual(expected);
    expect((await read(consultation.id)).submissionCount).toBe(0);
    expect((await read(upcoming.id)).submissionCount).toBe(0);

    await mutate(app, directorA, 'consultationCancel', 'ConsultationCancelInput', 'consultation { status }', { id: consultation.id });
    const cancelled = await submit(officialA, consultation.id, { channel: 'PAPER' });
    expect(errorsOf(cancelled, 'consultationSubmit')).toEqual([['input.consultationId', 'NOT_ALLOWED']]);
    expect((await read(consultation.id)).submissionCount).toBe(0);
  });

  test('submissions page by date received', async () => {
    const consultation = await openConsultation(app, directorA, { diagnosisId: diagnosis.id }, addDays(today(), -5), today());
    for (const daysAgo of [1, 3, 0, 2]) {
      expect(
        errorsOf(
          await submit(directorA, consultation.id, { channel: 'EMAIL', receivedOn: addDays(today(), -daysAgo), text: `Uwaga ${daysAgo}` }),
          'consultationSubmit',
        ),
      ).toEqual([]);
    }
    const page = async (after: string | null) =>
      (
        await app.gql(
          officialA,
          `query($id: ID!, $after: String) {
      consultation(id: $id) { submissions(first: 3, after: $after) { totalCount nodes { text } pageInfo { hasNextPage endCursor } } } }`,
          { id: consultation.id, after },
        )
      ).body.data.consultation.submissions;
    const first = await page(null);
    expect(first.nodes.map((n: any) => n.text)).toEqual(['Uwaga 3', 'Uwaga 2', 'Uwaga 1']);
    expect(first).toMatchObject({ totalCount: 4, pageInfo: { hasNextPage: true } });
    const second = await page(first.pageInfo.endCursor);
    expect(second.nodes.map((n: any) => n.text)).toEqual(['Uwaga 0']);
    expect(second.pageInfo.hasNextPage).toBe(false);
    const bad = await app.gql(officialA, `query($id: ID!) { consultation(id: $id) { submissions(after: "nonsense") { totalCount } } }`, {
      id: consultation.id,
    });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
  });
});

test('consultations page by start date, latest first, with stable cursors', async () => {
  const filter = `{ gmina: "${A}" }`;
  const all = (await app.gql(officialA, `{ consultations(first: 100, filter: ${filter}) { nodes { id startsOn } } }`)).body.data.consultations.nodes;
  expect(all.length).toBeGreaterThanOrEqual(5);
  const starts = all.map((c: any) => c.startsOn);
  expect(starts).toEqual([...starts].sort().reverse());
  expect(await pageThrough(app, officialA, 'consultations', filter)).toEqual(all.map((c: any) => c.id));
});

describe('answers, updates and cancellation', () => {
  test('staff answer submissions; others may not', async () => {
    const consultation = await openConsultation(app, directorA, { diagnosisId: diagnosis.id }, addDays(today(), -1), addDays(today(), 1));
    const submitted = await submit(officialA, consultation.id);
    const id = submitted.body.data.consultationSubmit.consultationSubmission.id;
    for (const role of MANAGERS) {
      const answered = await mutate(app, staff(role, A), 'consultationAnswer', 'ConsultationAnswerInput', 'consultationSubmission { response respondedOn }', {
        submissionId: id,
        response: `Uwzględniono (${role})`,
      });
      expect(answered.consultationSubmission).toEqual({ response: `Uwzględniono (${role})`, respondedOn: today() });
    }
    const blank = await tryMutate(app, directorA, 'consultationAnswer', 'ConsultationAnswerInput', 'consultationSubmission { id }', {
      submissionId: id,
      response: ' ',
    });
    expect(errorsOf(blank, 'consultationAnswer')).toEqual([['input.response', 'REQUIRED']]);
    for (const who of [officialA, staff(Role.COORDINATOR, A), partnerA, { role: Role.MINISTRY }, { role: Role.PLATFORM_ADMIN }]) {
      const res = await tryMutate(app, who, 'consultationAnswer', 'ConsultationAnswerInput', 'consultationSubmission { id }', {
        submissionId: id,
        response: 'Nie',
      });
      expect(codes(res)).toEqual(['FORBIDDEN']);
    }
    expect((await read(consultation.id)).submissions.nodes[0].response).toBe('Uwzględniono (COMMUNITY_ORGANISER)');
  });

  test('the dates cannot move past submissions received; stale versions and cancelled consultations are refused', async () => {
    const consultation = await openConsultation(app, directorA, { diagnosisId: diagnosis.id }, addDays(today(), -4), addDays(today(), 4));
    await submit(directorA, consultation.id, { channel: 'PAPER', receivedOn: addDays(today(), -2) });
    const before = await read(consultation.id);
    const update = (input: Record<string, unknown>) =>
      tryMutate(app, directorA, 'consultationUpdate', 'ConsultationUpdateInput', 'consultation { id version endsOn title }', { id: consultation.id, ...input });
    expect(errorsOf(await update({ version: before.version, endsOn: addDays(today(), -3) }), 'consultationUpdate')).toEqual([['input.endsOn', 'OUT_OF_RANGE']]);
    expect(errorsOf(await update({ version: before.version, startsOn: addDays(today(), -1) }), 'consultationUpdate')).toEqual([
      ['input.startsOn', 'OUT_OF_RANGE'],
    ]);
    expect(errorsOf(await update({ version: before.version - 1, title: 'X' }), 'consultationUpdate')).toEqual([['input.version', 'CONFLICT']]);
    expect(await read(consultation.id)).toEqual(before);

    const moved = await update({ version: before.version, endsOn: addDays(today(), -2), title: 'Konsultacje skrócone' });
    expect(moved.body.data.consultationUpdate).toMatchObject({
      userErrors: [],
      consultation: { endsOn: addDays(today(), -2), title: 'Konsultacje skrócone', version: before.version + 1 },
    });
    const cancelEnded = await tryMutate(app, directorA, 'consultationCancel', 'ConsultationCancelInput', 'consultation { id }', { id: consultation.id });
    expect(errorsOf(cancelEnded, 'consultationCancel')).toEqual([['input.id', 'NOT_ALLOWED']]);

    const running = await openConsultation(app, directorA, { diagnosisId: diagnosis.id }, today(), addDays(today(), 4));
    const cancelled = await mutate(app, directorA, 'consultationCancel', 'ConsultationCancelInput', 'consultation { status cancelledAt version }', {
      id: running.id,
    });
    expect(cancelled.consultation.status).toBe('CANCELLED');
    const again = await tryMutate(app, directorA, 'consultationCancel', 'ConsultationCancelInput', 'consultation { id }', { id: running.id });
    expect(errorsOf(again, 'consultationCancel')).toEqual([['input.id', 'NOT_ALLOWED']]);
    const edit = await tryMutate(app, directorA, 'consultationUpdate', 'ConsultationUpdateInput', 'consultation { id }', {
      id: running.id,
      version: cancelled.consultation.version,
      title: 'Y',
    });
    expect(errorsOf(edit, 'consultationUpdate')).toEqual([['input.id', 'NOT_ALLOWED']]);
  });
});

describe('roles and the tenant boundary', () => {
  let consultation: any;
  let submissionId: string;

  beforeAll(async () => {
    consultation = await openConsultation(app, directorA, { diagnosisId: diagnosis.id }, addDays(today(), -1), addDays(today(), 3));
    submissionId = (await submit(officialA, consultation.id)).body.data.consultationSubmit.consultationSubmission.id;
  });

  test("principals of gmina B read nothing of gmina A's consultations", async () => {
    for (const who of [...MANAGERS, Role.COORDINATOR, Role.GMINA_OFFICIAL].map((role) => staff(role, B)).concat([partnerElsewhere])) {
      const res = await app.gql(
        who,
        `query($id: ID!, $s: ID!) {
        consultation(id: $id) { id } node(id: $id) { id } submission: node(id: $s) { id }
        consultations(first: 100) { nodes { id } } inA: consultations(filter: { gmina: "${A}" }) { totalCount } }`,
        { id: consultation.id, s: submissionId },
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data).toMatchObject({ consultation: null, node: null, submission: null, inA: { totalCount: 0 } });
      expect(res.body.data.consultations.nodes.map((c: any) => c.id)).not.toContain(consultation.id);
    }
  });

  test("writes by gmina B's director are NOT_FOUND and change nothing", async () => {
    const before = await read(consultation.id);
    const attempts: [string, string, string, Record<string, unknown>, string][] = [
      [
        'consultationOpen',
        'ConsultationOpenInput',
        'consultation { id }',
        { diagnosisId: diagnosis.id, title: 'X', startsOn: today(), endsOn: today(), channels: ['EMAIL'] },
        'diagnosisId',
      ],
      ['consultationUpdate', 'ConsultationUpdateInput', 'consultation { id }', { id: consultation.id, version: before.version, title: 'Przejęte' }, 'id'],
      ['consultationCancel', 'ConsultationCancelInput', 'consultation { id }', { id: consultation.id }, 'id'],
      [
        'consultationSubmit',
        'ConsultationSubmitInput',
        'consultationSubmission { id }',
        { consultationId: consultation.id, text: 'X', channel: 'ONLINE' },
        'consultationId',
      ],
      ['consultationAnswer', 'ConsultationAnswerInput', 'consultationSubmission { id }', { submissionId, response: 'X' }, 'submissionId'],
    ];
    for (const [field, type, selection, input, errorField] of attempts) {
      const res = await tryMutate(app, directorB, field, type, selection, input);
      expect(res.body.errors).toBeUndefined();
      expect(errorsOf(res, field)).toEqual([[`input.${errorField}`, 'NOT_FOUND']]);
    }
    expect(await read(consultation.id)).toEqual(before);
  });

  test('ministry and platform admin are FORBIDDEN; only managers open, change and cancel', async () => {
    const before = await read(consultation.id);
    for (const who of [{ role: Role.MINISTRY }, { role: Role.PLATFORM_ADMIN }]) {
      expect(codes(await app.gql(who, '{ consultations { nodes { id } } }'))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, 'query($id: ID!) { consultation(id: $id) { id } }', { id: consultation.id }))).toEqual(['FORBIDDEN']);
      expect(codes(await submit(who, consultation.id))).toEqual(['FORBIDDEN']);
    }
    for (const who of [officialA, staff(Role.COORDINATOR, A), partnerA, { role: Role.MINISTRY }, { role: Role.PLATFORM_ADMIN }]) {
      const results = [
        await tryMutate(app, who, 'consultationOpen', 'ConsultationOpenInput', 'consultation { id }', {
          diagnosisId: diagnosis.id,
          title: 'X',
          startsOn: today(),
          endsOn: today(),
          channels: ['EMAIL'],
        }),
        await tryMutate(app, who, 'consultationUpdate', 'ConsultationUpdateInput', 'consultation { id }', {
          id: consultation.id,
          version: before.version,
          title: 'X',
        }),
        await tryMutate(app, who, 'consultationCancel', 'ConsultationCancelInput', 'consultation { id }', { id: consultation.id }),
      ];
      for (const res of results) expect(codes(res)).toEqual(['FORBIDDEN']);
    }
    expect(await read(consultation.id)).toEqual(before);
  });
});
