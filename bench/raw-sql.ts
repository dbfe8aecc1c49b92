import pg from 'pg';
import { tercToId } from '../src/platform/auth/principal.js';
import { sessionVariables } from '../src/platform/auth/principal.js';
import type { DevTokenRequest } from '../src/platform/auth/tokens.js';
import { suppressComplementary, type Figure, type Table } from '../src/modules/report/report-suppression.js';
import { MAGNITUDE_MEASURES } from '../src/modules/report/report.protection.js';
import { ENUM_SPACES } from '../src/modules/report/report-space.js';
import { addMonths } from '../src/modules/common/dates.js';
import type { Picks, ReadKey } from './scenarios.js';

/**
 * The raw-SQL baseline (issue 7): node-postgres sending the least SQL that returns the data of each
 * read scenario, as the practical limit of any server. One round trip per operation: the transaction,
 * the principal's transaction-local settings and the query go as one multi-statement simple query,
 * `begin read only; select set_config(...); <query>; commit` (values are inlined as escaped literals,
 * since the simple protocol takes no parameters). The data comes back as rows (nested lists as JSON
 * built by PostgreSQL), and its canonical form must equal our API's.
 *
 * Two variants of every query:
 * - RLS: as the application role (cus_app), under the row-level-security policies, which filter.
 * - bypass: as a role that bypasses RLS (the owner: a superuser, or DATABASE_URL's role with
 *   BYPASSRLS), with the tenant filter written out in each WHERE; the same settings are sent, so the
 *   two differ only in how rows are filtered. The ratio of the two is what isolation costs.
 */

export type Variant = 'rls' | 'bypass';

const WEEKDAY_MATCHES = `(array['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'])[extract(isodow from d.day)::int] = any (i.weekdays)`;

/** The statement timeout our server sends with the principal's settings (STATEMENT_TIMEOUT_MS's default). */
const STATEMENT_TIMEOUT_MS = 15_000;

interface RawQuery {
  who: DevTokenRequest;
  sql: Record<Variant, string>;
  /** The data, in the scenario's canonical form (bench/scenarios.ts). */
  canonical(rows: any[]): unknown;
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sortedBy = <T>(rows: T[], key: (row: T) => string): T[] => [...rows].sort((a, b) => byCodePoint(key(a), key(b)));

/** SQL literals of the values the queries take (simple protocol: no parameters). */
const text = (value: string) => pg.escapeLiteral(value);
const ints = (values: number[]) => `'{${values.map((v) => Math.trunc(v)).join(',')}}'::int[]`;
const texts = (values: string[]) => `array[${values.map(text).join(', ')}]::text[]`;
/**
 * A tenant value in an explicit filter, written as the policies write theirs (migrations/rls.ts): a
 * scalar subselect, which PostgreSQL evaluates once per statement. So both variants filter by a value
 * the planner sees the same way, and differ only in the policies' role checks and branches.
 */
const once = (value: string) => `(select ${value})`;

function dashboard(picks: Picks): RawQuery {
  const gminy = once(ints(picks.coordinator.gminy.map(tercToId)));
  const sql = (explicit: boolean) => {
    const scoped = (alias: string) => (explicit ? `and ${alias}.gmina_id = any (${gminy}::int[])` : '');
    const overlaps = (alias: string) => (explicit ? `and ${alias}.gmina_ids && ${gminy}` : '');
    return `select p.id, p.status, p.period_start::text as period_start, p.period_end::text as period_end, r.first_name, r.last_name,
        coalesce((select json_agg(json_build_object('position', i.position, 'service', s.name, 'partner', pa.name, 'weekdays', i.weekdays,
            'startsAt', i.starts_at, 'endsAt', i.ends_at,
            'nextVisits', (select coalesce(json_agg(v.day), '[]') from ipus_item_next_visits(i, 3) v(day))) order by i.position)
          from ipus_item i
            left join service s on s.id = i.service_id ${overlaps('s')}
            left join partner pa on pa.id = i.partner_id ${overlaps('pa')}
          where i.ipus_id = p.id ${scoped('i')}), '[]') as items
      from ipus p join resident r on r.id = p.resident_id ${scoped('r')}
      where true ${scoped('p')}
      order by p.period_start desc, p.id limit 50`;
  };
  return {
    who: picks.coordinator,
    sql: { rls: sql(false), bypass: sql(true) },
    canonical: (rows) =>
      sortedBy(
        rows.map((p) => ({
          plan: p.id,
          status: p.status,
          resident: `${p.last_name} ${p.first_name}`,
          items: p.items.map((i: any) => ({ position: i.position, service: i.service, partner: i.partner, nextVisits: i.nextVisits })),
        })),
        (p) => p.plan,
      ),
  };
}

function catalogue(picks: Picks): RawQuery {
  const gminy = once(ints(picks.coordinator.gminy.map(tercToId)));
  const { search, filter } = picks.catalogue;
  const sql = (explicit: boolean) => {
    const overlaps = (alias: string) => (explicit ? `and ${alias}.gmina_ids && ${gminy}` : '');
    return `select s.id, s.name, s.area, s.target_groups, s.online, s.provider_kind, s.provider_unit_name, pa.name as partner,
        (select json_agg(json_build_object('terc', g.terc, 'name', g.name)) from gmina g where g.id = any (s.gmina_ids)) as gminy
      from service s left join partner pa on pa.id = s.provider_partner_id ${overlaps('pa')}
      where s.area = any (${texts(filter.areas)}) and s.target_groups && ${texts(filter.targetGroups)}
        and s.search_vector @@ app.search_query(${text(search)}) ${overlaps('s')}
      order by s.name, s.id limit 20`;
  };
  return {
    who: picks.coordinator,
    sql: { rls: sql(false), bypass: sql(true) },
    canonical: (rows) =>
      sortedBy(
        rows.map((s) => ({
          service: s.id,
          name: s.name,
          area: s.area,
          targetGroups: [...s.target_groups].sort(byCodePoint),
          gminy: (s.gminy as { terc: string }[]).map((g) => g.terc).sort(byCodePoint),
        })),
        (s) => s.service,
      ),
  };
}

function partnerWeek(picks: Picks): RawQuery {
  const partner = once(`${text(picks.partner.partner_id)}::uuid`);
  const { from, to } = picks.week;
  // The week's visits of the partner's weekly items in approved and active plans, with the person as
  // the partner may see them, the service, the item's progress and the delivery recorded for the visit.
  const select = (items: string, person: string, serviceVisible: string, deliveryVisible: string) => `
    select d.day::text as date, to_char(i.starts_at, 'HH24:MI') as starts_at, to_char(i.ends_at, 'HH24:MI') as ends_at,
        ${person}, s.name as service, i.quantity::float8 as planned,
        case when i.quantity_unit = 'HOURS' then round(coalesce(pr.minutes, 0) / 60.0, 2)::float8 else coalesce(pr.sessions, 0) end as delivered,
        dl.outcome, dl.duration_minutes
      from (${items}) i
        cross join lateral (select g::date as day
          from generate_series(greatest(i.start_on, ${text(from)}::date), least(i.end_on, ${text(to)}::date), interval '1 day') g) d
        left join service s on s.id = i.service_id ${serviceVisible}
        -- The item's progress; a tenant filter goes into the aggregates' filters, where it keeps the
        -- planner on the item's index (in the WHERE it would AND in a scan of the partner's every delivery).
        left join lateral (select count(*) filter (where x.outcome = 'DELIVERED' ${deliveryVisible.replaceAll('dl.', 'x.')}) as sessions,
            sum(x.duration_minutes) filter (where x.outcome = 'DELIVERED' ${deliveryVisible.replaceAll('dl.', 'x.')}) as minutes
          from delivery x where x.ipus_item_id = i.id) pr on true
        -- The delivery of the visit: its item, day and minute (items start on the minute).
        left join delivery dl on dl.ipus_item_id = i.id and dl.delivered_on = d.day
          and dl.starts_at >= i.starts_at and dl.starts_at < i.starts_at + interval '1 minute' ${deliveryVisible}
      where ${WEEKDAY_MATCHES}
      order by d.day, i.starts_at, i.id limit 100`;
  // Under RLS: the view partner_assignment is the partner's one door to plan items (it reads the settings).
  const rls = select(
    `select a.*, a.plan_status as status from partner_assignment a
      where a.weekdays is not null and a.plan_status in ('APPROVED', 'ACTIVE') and a.start_on <= ${text(to)}::date and a.end_on >= ${text(from)}::date`,
    'i.first_name, i.last_name, i.phone, i.street, i.city',
    '',
    '',
  );
  // Bypassing RLS: the base tables, with the view's conditions and the policies' filters written out.
  const bypass = select(
    `select i.*, r.first_name, r.last_name, r.phone,
        case when i.place_kind = 'RESIDENT_HOME' then r.street end as street, case when i.place_kind = 'RESIDENT_HOME' then r.city end as city
      from ipus_item i join ipus p on p.id = i.ipus_id join resident r on r.id = p.resident_id
      where i.partner_id = ${partner} and p.status in ('APPROVED', 'ACTIVE') and p.approved_on is not null
        and i.weekdays is not null and i.start_on <= ${text(to)}::date and i.end_on >= ${text(from)}::date`,
    'i.first_name, i.last_name, i.phone, i.street, i.city',
    `and (s.provider_partner_id = ${partner} or s.gmina_ids && (select gmina_ids from partner where id = ${partner}))`,
    `and dl.partner_id = ${partner}`,
  );
  return {
    who: picks.partner,
    sql: { rls, bypass },
    canonical: (rows) =>
      sortedBy(
        rows.map((v) => ({
          date: v.date,
          startsAt: v.starts_at,
          endsAt: v.ends_at,
          person: `${v.last_name} ${v.first_name}`,
          service: v.service,
          delivered: v.outcome ?? null,
        })),
        (v) => `${v.date}|${v.startsAt}|${v.person}|${v.service}`,
      ),
  };
}

/** The reports of the ministry scenario, as bench/operations.ts asks for them; only magnitudes get complementary suppression. */
const REPORTS = [
  { name: 'plans', measure: 'PLANS_PREPARED', groupBy: ['WOJEWODZTWO', 'MONTH'] },
  { name: 'deliveries', measure: 'DELIVERIES', groupBy: ['WOJEWODZTWO', 'AREA'] },
] as const;

function ministryReport(picks: Picks): RawQuery {
  const { from, to } = picks.year;
  // app.report answers for the principal in the settings; a ministry principal is nationwide, so the
  // bypass variant has no tenant filter to add and runs the same statement as the owner. The
  // województwa come along (report 'space'): a protected table lists every one of them.
  const sql = [
    ...REPORTS.map(
      (r) => `select ${text(r.name)} as report, f.keys, f.value::float8 as value, f.suppressed
      from app.report(${text(r.measure)}, ${texts([...r.groupBy])}, ${text(from)}::date, ${text(to)}::date, null) f`,
    ),
    `select 'space', array[code], null, false from (select distinct wojewodztwo_code::text as code from gmina) w`,
  ].join('\nunion all\n');
  const months: string[] = [];
  for (let m = `${from.slice(0, 7)}-01`; m <= to; m = addMonths(m, 1)) months.push(m.slice(0, 7));
  return {
    who: picks.ministry,
    sql: { rls: sql, bypass: sql },
    canonical: (rows) => {
      const space: Record<string, string[]> = {
        WOJEWODZTWO: rows.filter((row) => row.report === 'space').map((row) => row.keys[0]),
        MONTH: months,
        AREA: ENUM_SPACES.AREA!,
      };
      return Object.fromEntries(
        REPORTS.map((r) => [
          r.name,
          canonicalReport(
            rows.filter((row) => row.report === r.name),
            r.groupBy.map((d) => space[d]),
            MAGNITUDE_MEASURES.includes(r.measure),
          ),
        ]),
      );
    },
  };
}

/** The grouping-sets rows of one report as the API lays them out for the ministry: over the whole table space, magnitudes with complementary suppression. */
function canonicalReport(
  rows: { keys: (string | null)[]; value: number | null; suppressed: boolean }[],
  spaces: [string[], string[]] | string[][],
  magnitude: boolean,
) {
  const have = new Set(rows.map((r) => r.keys.join('\u0000')));
  const wanted = [...spaces[0].flatMap((a) => spaces[1].map((b) => [a, b])), ...spaces[0].map((a) => [a, null]), ...spaces[1].map((b) => [null, b])];
  // In the order the API takes them (src/modules/report/report.service.ts): ties are suppressed in it.
  const figures = [
    ...rows.map((r) => ({ keys: r.keys, value: r.value, suppressed: r.suppressed })),
    ...wanted.filter((keys) => !have.has(keys.join('\u0000'))).map((keys) => ({ keys, value: 0, suppressed: false })),
  ].sort((a, b) => a.keys.join('\u0000').localeCompare(b.keys.join('\u0000')));
  const at = (pattern: boolean[]): Figure[] =>
    figures.filter((f) => f.keys.every((k, i) => (k !== null) === pattern[i])).map((f) => ({ ...f, keys: f.keys.filter((k): k is string => k !== null) }));
  const table: Table = {
    cells: at([true, true]),
    rowTotals: at([true, false]),
    columnTotals: at([false, true]),
    total: at([false, false])[0] ?? { keys: [], value: 0, suppressed: false },
  };
  if (magnitude) suppressComplementary(table, 2);
  const cells = table.cells.map((c) => ({ woj: c.keys[0], area: c.keys[1], value: c.suppressed ? null : c.value }));
  return { total: table.total.suppressed ? null : table.total.value, cells: sortedBy(cells, (c) => `${c.woj}|${c.area}`) };
}

export const RAW_QUERIES: Record<ReadKey, (picks: Picks) => RawQuery> = {
  dashboard,
  catalogue,
  'partner-week': partnerWeek,
  'ministry-report': ministryReport,
};

/** Statements of one raw operation: begin, set_config, the query, commit (in one round trip). */
export const RAW_STATEMENTS = 4;

/** The settings statement, as our server sends it (the same five settings, transaction-local). */
function settings(who: DevTokenRequest): string {
  const principal = { subject: who.subject ?? '', role: who.role, gminy: (who.gminy ?? []).map(tercToId), partnerId: who.partner_id ?? null };
  const values = { ...sessionVariables(principal), statement_timeout: String(STATEMENT_TIMEOUT_MS) };
  return `select ${Object.entries(values)
    .map(([name, value]) => `set_config(${text(name)}, ${text(value)}, true)`)
    .join(', ')}`;
}

/** One operation's text: a read-only transaction with the settings and the query. */
export function rawOperation(query: RawQuery, variant: Variant): string {
  return `begin read only; ${settings(query.who)}; ${query.sql[variant]}; commit`;
}

/** Sends one operation on a pooled connection and returns the query's rows. */
export async function runRaw(pool: pg.Pool, operation: string): Promise<any[]> {
  const results = (await pool.query(operation)) as unknown as pg.QueryResult[];
  return results[2].rows;
}

/** Checks that the bypass connection really bypasses RLS (superuser or BYPASSRLS); null when it does. */
export async function bypassProblem(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('select current_user as name, rolsuper or rolbypassrls as bypasses from pg_roles where rolname = current_user');
    return rows[0]?.bypasses ? null : `role ${rows[0]?.name ?? '?'} neither is a superuser nor has BYPASSRLS`;
  } finally {
    await client.end();
  }
}
