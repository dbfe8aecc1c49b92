import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, test, vi } from 'vitest';
import pg from 'pg';
import { codes, rawAsApp, rawAsOwner, Role, startTestApp, type TestApp, type Who } from './support/app.js';
import { addDays, createUnit, errorsOf, mutate, staff, today, tryMutate } from './support/fixtures.js';
import { easterSunday, isPublicHoliday, publicHolidays } from '../src/modules/calendar/public-holidays.js';
import { toGlobalId } from '../src/platform/graphql/node.js';
import { appealDeadline } from '../src/modules/application/application-decision.js';
import { visitGoesAhead } from '../src/modules/delivery/partner-work.queries.js';
import { sessionVariables } from '../src/platform/auth/principal.js';

/**
 * Working days (issue 20): the Polish public holidays, computed once in TypeScript and once in SQL
 * (app.public_holidays, which schedules skip), checked against each other and against a reference
 * computus; and the days a gmina declares closed, through the API as each role. Przytoczna (0803032)
 * and Pszczew (0803042), used by no other suite.
 */
const GMINA = '0803032';
const OTHER = '0803042';

let app: TestApp;
const director = staff(Role.DIRECTOR, GMINA);
const coordinator = staff(Role.COORDINATOR, GMINA);
const official = staff(Role.GMINA_OFFICIAL, GMINA);
const otherDirector = staff(Role.DIRECTOR, OTHER);
const otherCoordinator = staff(Role.COORDINATOR, OTHER);

beforeAll(async () => {
  app = await startTestApp();
  await createUnit(app, GMINA);
  await createUnit(app, OTHER);
}, 60_000);
afterAll(async () => {
  await app.close();
});

/** Easter Sunday by Oudin's algorithm (1940): another road to the Gregorian computus than the module's. */
function referenceEaster(year: number): string {
  const g = year % 19;
  const c = Math.floor(year / 100);
  const h = (c - Math.floor(c / 4) - Math.floor((8 * c + 13) / 25) + 19 * g + 15) % 30;
  const i = h - Math.floor(h / 28) * (1 - Math.floor(29 / (h + 1)) * Math.floor((21 - g) / 11));
  const j = (year + Math.floor(year / 4) + i + 2 - c + Math.floor(c / 4)) % 7;
  const l = i - j;
  const month = 3 + Math.floor((l + 40) / 44);
  const day = l + 28 - 31 * Math.floor(month / 4);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const year = fc.integer({ min: 1900, max: 2200 });
const sqlHolidays = async (y: number) => (await rawAsOwner<{ day: string }>('select d::text as day from app.public_holidays($1) d', [y])).map((r) => r.day);

describe('public holidays', () => {
  test('known dates: Easter 2024-2027, Wigilia a holiday from 2025 only, Corpus Christi and Pentecost from Easter', async () => {
    expect([2024, 2025, 2026, 2027].map(easterSunday)).toEqual(['2024-03-31', '2025-04-20', '2026-04-05', '2027-03-28']);
    expect(isPublicHoliday('2024-12-24')).toBe(false);
    expect(isPublicHoliday('2025-12-24')).toBe(true);
    expect(isPublicHoliday('2026-06-04')).toBe(true); // Boże Ciało 2026
    expect(isPublicHoliday('2026-05-24')).toBe(true); // Zielone Świątki 2026
    expect(isPublicHoliday('2026-04-06')).toBe(true); // Poniedziałek Wielkanocny
    expect(isPublicHoliday('2026-12-07')).toBe(false);
    expect(await sqlHolidays(2024)).not.toContain('2024-12-24');
    expect(await sqlHolidays(2025)).toContain('2025-12-24');
    expect(await sqlHolidays(2026)).toEqual(publicHolidays(2026).map((h) => h.date));
    const checked = await rawAsOwner<{ a: boolean; b: boolean }>("select app.is_public_holiday('2024-12-24') as a, app.is_public_holiday('2025-12-24') as b");
    expect(checked).toEqual([{ a: false, b: true }]);
  });

  test('property: Easter matches a reference computus, falls on a Sunday from 22 March to 25 April; the list is sorted and whole', () => {
    fc.assert(
      fc.property(year, (y) => {
        const easter = easterSunday(y);
        expect(easter).toBe(referenceEaster(y));
        expect(new Date(`${easter}T12:00:00Z`).getUTCDay()).toBe(0);
        expect(easter >= `${y}-03-22` && easter <= `${y}-04-25`).toBe(true);
        const dates = publicHolidays(y).map((h) => h.date);
        expect(dates).toEqual([...new Set(dates)].sort());
        expect(dates).toHaveLength(12 + (y >= 2011 ? 1 : 0) + (y >= 2025 ? 1 : 0));
        expect(dates).toContain(addDays(easter, 60));
        for (const fixed of ['01-01', '05-01', '05-03', '08-15', '11-01', '11-11', '12-25', '12-26']) expect(dates).toContain(`${y}-${fixed}`);
      }),
      { numRuns: 500 },
    );
  });

  test('property: the database computes the same days as TypeScript, every year from 1900 to 2200', async () => {
    await fc.assert(
      fc.asyncProperty(year, async (y) => {
        expect(await sqlHolidays(y)).toEqual(publicHolidays(y).map((h) => h.date));
      }),
      { numRuns: 60 },
    );
    // And all of them at once, so no year is left to chance.
    const rows = await rawAsOwner<{ day: string }>('select d::text as day from generate_series(1900, 2200) y, app.public_holidays(y) d order by d');
    const all: string[] = [];
    for (let y = 1900; y <= 2200; y += 1) all.push(...publicHolidays(y).map((h) => h.date));
    expect(rows.map((r) => r.day)).toEqual(all);
  });

  test('the holiday table the schedules read holds exactly the computed holidays, for every year a date can name', async () => {
    const [table] = await rawAsApp<{ n: number; first: string; last: string }>(
      `select count(*)::int as n, min(day)::text as first, max(day)::text as last from app.public_holiday`,
    );
    const [computed] = await rawAsOwner<{ n: number; different: number }>(
      `select (select count(*) from generate_series(1, 9999) y, app.public_holidays(y))::int as n,
         (select count(*) from ((select d from generate_series(1, 9999) y, app.public_holidays(y) d except select day from app.public_holiday)
           union all (select day from app.public_holiday except select d from generate_series(1, 9999) y, app.public_holidays(y) d)) x)::int as different`,
    );
    expect(computed.different).toBe(0);
    expect(table).toEqual({ n: computed.n, first: '0001-01-01', last: '9999-12-26' });
  });

  test("property: an appeal deadline is the first working day 14 days or more after delivery, as the database's calendar counts it", async () => {
    // Delivery days from 1990 to 2100; the oracle is SQL over app.is_public_holiday, written apart from appealDeadline.
    const deliveredOn = fc
      .integer({ min: Date.UTC(1990, 0, 1) / 86_400_000, max: Date.UTC(2100, 11, 31) / 86_400_000 })
      .map((n) => new Date(n * 86_400_000).toISOString().slice(0, 10));
    await fc.assert(
      fc.asyncProperty(fc.array(deliveredOn, { minLength: 1, maxLength: 200 }), async (days) => {
        const rows = await rawAsOwner<{ delivered: string; deadline: string }>(
          `select delivered::text, (select min(d)::date::text from generate_series(delivered + 14, delivered + 30, interval '1 day') d
             where extract(isodow from d) < 6 and not app.is_public_holiday(d::date)) as deadline
           from unnest($1::date[]) delivered`,
          [days],
        );
        expect(days.map((day) => ({ delivered: day, deadline: appealDeadline(day) }))).toEqual(rows);
      }),
      { numRuns: 20 },
    );
    // The known cases around holidays: 2026-10-24 + 14 is Saturday 7 November; 11 November moves 2026-10-28's deadline on.
    expect([appealDeadline('2026-10-24'), appealDeadline('2026-10-28')]).toEqual(['2026-11-09', '2026-11-12']);
  });

  test('publicHolidays(year) answers every role; a year outside 1..9999 is refused', async () => {
    const roles: Who[] = [coordinator, official, { role: Role.PARTNER, partner: '0193a000-0000-7000-8000-0000000000aa' }, { role: Role.MINISTRY }];
    for (const who of roles) {
      const res = await app.gql(who, '{ publicHolidays(year: 2025) { date name } }');
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.publicHolidays).toHaveLength(14);
      expect(res.body.data.publicHolidays).toContainEqual({ date: '2025-12-24', name: 'Wigilia Bożego Narodzenia' });
    }
    for (const y of [0, 10000]) {
      const res = await app.gql(coordinator, `{ publicHolidays(year: ${y}) { date } }`);
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    }
  });
});

describe("the partner's schedule skips days off as app.is_day_off does", () => {
  // A gmina no other test here uses; closed days on both sides of each new year from 2030 to 2100.
  const WARSAW = 1465011;
  const years = Array.from({ length: 71 }, (_, i) => 2030 + i);
  beforeAll(async () => {
    await rawAsOwner(
      `insert into gmina_closed_day (gmina_id, day, reason, declared_by)
       select $1, d, 'Zamknięte', 'test' from unnest($2::date[]) d on conflict do nothing`,
      [WARSAW, years.flatMap((y) => [`${y}-12-27`, `${y}-01-02`])],
    );
  });
  afterAll(async () => {
    await rawAsOwner(`delete from gmina_closed_day where gmina_id = $1 and declared_by = 'test'`, [WARSAW]);
  });

  test('property: for any window of up to 31 days (many across a new year), any item, as a reader of the closed days or not', async () => {
    const sql = `select d.day::date::text as day, a.keeps_holidays as keeps,
        ${visitGoesAhead('$1', '$2')} as goes,
        (a.keeps_holidays or not app.is_day_off(a.gmina_id, d.day::date)) as reference
      from (values (false, ${WARSAW}), (true, ${WARSAW})) a(keeps_holidays, gmina_id)
      cross join generate_series($1::date, $2::date, interval '1 day') d(day)`;
    const window = fc
      .record({
        year: fc.constantFrom(...years),
        dayOfYear: fc.oneof(fc.integer({ min: 340, max: 364 }), fc.integer({ min: 0, max: 364 })),
        length: fc.integer({ min: 1, max: 31 }),
      })
      .map(({ year, dayOfYear, length }) => {
        const from = addDays(`${year}-01-01`, dayOfYear);
        return { from, to: addDays(from, length - 1) };
      });
    const readers = [
      sessionVariables({ subject: 'director', role: Role.DIRECTOR, gminy: [WARSAW], partnerId: null }),
      sessionVariables({ subject: 'elsewhere', role: Role.DIRECTOR, gminy: [Number(OTHER)], partnerId: null }),
    ];
    let closedSeen = 0;
    await fc.assert(
      fc.asyncProperty(window, fc.constantFrom(...readers), async ({ from, to }, settings) => {
        const rows = await rawAsApp<{ day: string; keeps: boolean; goes: boolean; reference: boolean }>(sql, [from, to], settings);
        expect(rows.filter((r) => r.goes !== r.reference)).toEqual([]);
        expect(rows.filter((r) => r.keeps).every((r) => r.goes)).toBe(true);
        closedSeen += rows.filter((r) => !r.keeps && !r.goes && !isPublicHoliday(r.day)).length;
      }),
      { numRuns: 150 },
    );
    // The closed days did count somewhere (they are read only by the gmina's own director).
    expect(closedSeen).toBeGreaterThan(0);
  });
});

const CLOSED = 'closedDay { id day reason gmina { terc } }';
const LIST = `query($from: LocalDate!, $to: LocalDate!) { gminaClosedDays(from: $from, to: $to) { id day reason gmina { terc } } }`;

/** The first day after `from` that is neither a public holiday nor in `taken`. */
function workingDayAfter(from: string, taken: string[] = []): string {
  let day = addDays(from, 1);
  while (isPublicHoliday(day) || taken.includes(day)) day = addDays(day, 1);
  return day;
}

async function listed(who: Who, from = today(), to = addDays(today(), 365)): Promise<{ id: string; day: string; reason: string; gmina: { terc: string } }[]> {
  const res = await app.gql(who, LIST, { from, to });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.gminaClosedDays;
}
const stored = async () =>
  rawAsOwner<{ id: string; day: string }>('select id::text, day::text from gmina_closed_day where gmina_id in ($1, $2) order by day', [
    Number(GMINA),
    Number(OTHER),
  ]);

describe('days a gmina declares closed', () => {
  test('the director declares and withdraws; staff and officials of the gmina read them; another gmina sees none', async () => {
    const day = workingDayAfter(addDays(today(), 20));
    const declared = await mutate(app, director, 'gminaClosedDayDeclare', 'GminaClosedDayDeclareInput', CLOSED, {
      gmina: GMINA,
      day,
      reason: '  Dzień wolny za święto w sobotę  ',
    });
    expect(declared.closedDay).toMatchObject({ day, reason: 'Dzień wolny za święto w sobotę', gmina: { terc: GMINA } });
    for (const who of [director, coordinator, official, staff(Role.SERVICES_ORGANISER, GMINA)]) {
      expect((await listed(who)).map((d) => d.id)).toContain(declared.closedDay.id);
    }
    for (const who of [otherDirector, otherCoordinator]) expect(await listed(who)).toEqual([]);
    const node = await app.gql(otherCoordinator, 'query($id: ID!) { node(id: $id) { id } }', { id: declared.closedDay.id });
    expect(node.body.data.node).toBeNull();

    const withdrawn = await mutate(app, director, 'gminaClosedDayWithdraw', 'GminaClosedDayWithdrawInput', 'closedDay { id day }', {
      id: declared.closedDay.id,
    });
    expect(withdrawn.closedDay).toEqual({ id: declared.closedDay.id, day });
    expect((await listed(coordinator)).map((d) => d.id)).not.toContain(declared.closedDay.id);
  });

  test('refusals change nothing: a past day, a blank reason, a day declared twice, a gmina not served', async () => {
    const day = workingDayAfter(addDays(today(), 40));
    const first = await mutate(app, director, 'gminaClosedDayDeclare', 'GminaClosedDayDeclareInput', CLOSED, { gmina: GMINA, day, reason: 'Remont urzędu' });
    const before = await stored();
    const cases: [Record<string, unknown>, string[][]][] = [
      [{ gmina: GMINA, day: addDays(today(), -1), reason: 'Wczoraj' }, [['input.day', 'OUT_OF_RANGE']]],
      [{ gmina: GMINA, day: workingDayAfter(day), reason: '   ' }, [['input.reason', 'REQUIRED']]],
      [{ gmina: GMINA, day, reason: 'Drugi raz' }, [['input.day', 'DUPLICATE']]],
      [{ gmina: OTHER, day: workingDayAfter(day), reason: 'Nie moja gmina' }, [['input.gmina', 'NOT_FOUND']]],
    ];
    for (const [input, expected] of cases) {
      const res = await tryMutate(app, director, 'gminaClosedDayDeclare', 'GminaClosedDayDeclareInput', CLOSED, input);
      expect(res.body.errors).toBeUndefined();
      expect({ input, errors: errorsOf(res, 'gminaClosedDayDeclare') }).toEqual({ input, errors: expected });
      expect(res.body.data.gminaClosedDayDeclare.closedDay).toBeNull();
    }
    // Another gmina's director can neither declare in this gmina nor withdraw its day.
    const foreign = await tryMutate(app, otherDirector, 'gminaClosedDayDeclare', 'GminaClosedDayDeclareInput', CLOSED, {
      gmina: GMINA,
      day: workingDayAfter(day),
      reason: 'Obca gmina',
    });
    expect(errorsOf(foreign, 'gminaClosedDayDeclare')).toEqual([['input.gmina', 'NOT_FOUND']]);
    const withdraw = await tryMutate(app, otherDirector, 'gminaClosedDayWithdraw', 'GminaClosedDayWithdrawInput', 'closedDay { id }', {
      id: first.closedDay.id,
    });
    expect(errorsOf(withdraw, 'gminaClosedDayWithdraw')).toEqual([['input.id', 'NOT_FOUND']]);
    // Roles other than the director may not declare or withdraw at all.
    for (const who of [coordinator, official, staff(Role.SERVICES_ORGANISER, GMINA), { role: Role.MINISTRY }]) {
      const declare = await tryMutate(app, who, 'gminaClosedDayDeclare', 'GminaClosedDayDeclareInput', CLOSED, {
        gmina: GMINA,
        day: workingDayAfter(day),
        reason: 'x',
      });
      expect(codes(declare)).toEqual(['FORBIDDEN']);
      const undo = await tryMutate(app, who, 'gminaClosedDayWithdraw', 'GminaClosedDayWithdrawInput', 'closedDay { id }', { id: first.closedDay.id });
      expect(codes(undo)).toEqual(['FORBIDDEN']);
    }
    expect(await stored()).toEqual(before);
  });

  test('two directors declaring the same day at once: one is written, the other told DUPLICATE', async () => {
    const day = workingDayAfter(addDays(today(), 50));
    const before = (await stored()).length;
    // The other director's declaration, written but not yet committed: the API's check cannot see it, its insert waits on the key.
    const other = new pg.Client({ connectionString: inject('ownerUrl') });
    await other.connect();
    try {
      await other.query('begin');
      await other.query("insert into gmina_closed_day (gmina_id, day, reason, declared_by) values ($1, $2, 'Awaria ogrzewania', 'other-director')", [
        Number(GMINA),
        day,
      ]);
      const [{ pid }] = (await other.query('select pg_backend_pid() as pid')).rows;
      const pending = tryMutate(app, director, 'gminaClosedDayDeclare', 'GminaClosedDayDeclareInput', CLOSED, { gmina: GMINA, day, reason: 'Remont' });
      await vi.waitFor(
        async () => expect(await rawAsOwner('select 1 from pg_stat_activity where $1 = any (pg_blocking_pids(pid))', [pid])).not.toHaveLength(0),
        {
          timeout: 10_000,
        },
      );
      await other.query('commit');
      const res = await pending;
      expect(res.body.errors).toBeUndefined();
      expect(errorsOf(res, 'gminaClosedDayDeclare')).toEqual([['input.day', 'DUPLICATE']]);
      expect(res.body.data.gminaClosedDayDeclare.closedDay).toBeNull();
    } finally {
      await other.end();
    }
    expect((await stored()).length).toBe(before + 1);
  });

  test('a day that has passed stays in the record: withdrawing it is refused, and nothing changes', async () => {
    const [{ id }] = await rawAsOwner<{ id: string }>(
      "insert into gmina_closed_day (gmina_id, day, reason, declared_by) values ($1, $2, 'Dzień wolny urzędu', 'test') returning id::text as id",
      [Number(GMINA), addDays(today(), -3)],
    );
    const before = await stored();
    const res = await tryMutate(app, director, 'gminaClosedDayWithdraw', 'GminaClosedDayWithdrawInput', 'closedDay { id }', {
      id: toGlobalId('GminaClosedDay', id),
    });
    expect(errorsOf(res, 'gminaClosedDayWithdraw')).toEqual([['input.id', 'NOT_ALLOWED']]);
    expect(res.body.data.gminaClosedDayWithdraw.closedDay).toBeNull();
    expect(await stored()).toEqual(before);
    // Listed for a period that reaches back to it.
    expect((await listed(coordinator, addDays(today(), -7), today())).map((d) => d.day)).toContain(addDays(today(), -3));
  });

  test('a listing covers at most 366 days and runs forwards', async () => {
    for (const [from, to] of [
      [today(), addDays(today(), 366)],
      [today(), addDays(today(), -1)],
    ]) {
      const res = await app.gql(coordinator, LIST, { from, to });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    }
    const res = await app.gql({ role: Role.MINISTRY }, LIST, { from: today(), to: today() });
    expect(codes(res)).toEqual(['FORBIDDEN']);
  });
});
