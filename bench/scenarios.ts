import 'reflect-metadata';
import pg from 'pg';
import { Role } from '../src/platform/auth/roles.js';
import type { DevTokenRequest } from '../src/platform/auth/tokens.js';
import { idToTerc } from '../src/platform/auth/principal.js';
import { toGlobalId, uuidFromGlobalId } from '../src/platform/graphql/node.js';
import { CATALOGUE_SEARCH, COORDINATOR_DASHBOARD, MINISTRY_REPORT, PARTNER_WEEK, PLAN_UPDATE } from './operations.js';
import type { PlanSlot } from './measure.js';

/**
 * The scenarios of issue 7 as each role sends them, the principals and variables they run with
 * (picked from the national dataset), and the canonical form of each read scenario's answer: the same
 * data from our API, PostGraphile and raw SQL reduces to the same canonical form, which the bench
 * compares before it measures anything (same data, or the comparison means nothing).
 *
 * Canonical forms (times as "HH:MM", dates as "YYYY-MM-DD", strings sorted by code point):
 * - dashboard: by plan uuid, { plan, status, resident: "<lastName> <firstName>", items: by position,
 *   { position, service: <name>, partner: <name or null>, nextVisits: [dates] } }
 * - catalogue: by service uuid, { service, name, area, targetGroups: sorted, gminy: sorted TERC codes }
 * - partner-week: by (date, startsAt, person, service), { date, startsAt, endsAt, person: "<lastName> <firstName>",
 *   service: <name>, delivered: <outcome or null> }
 * - ministry-report: { plans: { total, cells: by "woj|area", { woj, area, value (null when suppressed) } }, deliveries: the same },
 *   where `area` is the second key of the report's cells: the area for deliveries, the month for plans
 *   (bench/operations.ts)
 */

export type ReadKey = 'dashboard' | 'catalogue' | 'partner-week' | 'ministry-report';
export const READ_KEYS: ReadKey[] = ['dashboard', 'catalogue', 'partner-week', 'ministry-report'];

export interface Picks {
  today: string;
  coordinator: DevTokenRequest & { gminy: string[] };
  /** The CUS whose coordinator it is, and how many plans it has. */
  unit: { name: string; plans: number };
  partner: DevTokenRequest & { partner_id: string };
  partnerName: string;
  ministry: DevTokenRequest;
  catalogue: { search: string; filter: { areas: string[]; targetGroups: string[] } };
  week: { from: string; to: string; visits: number };
  year: { from: string; to: string };
  /** Plans the coordinator may update (DRAFT or ACTIVE; the update changes no term of the plan), for the update scenario. */
  plans: PlanSlot[];
}

export interface ReadScenario {
  key: ReadKey;
  label: string;
  who: DevTokenRequest;
  query: string;
  variables: Record<string, unknown>;
  canonical(data: any): unknown;
  /** Throws when the answer is not what the scenario is about (an empty page would make figures meaningless). */
  check(data: any): void;
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sortedBy = <T>(rows: T[], key: (row: T) => string): T[] => [...rows].sort((a, b) => byCodePoint(key(a), key(b)));
const hhmm = (time: string | null) => (time === null ? null : time.slice(0, 5));

/** Monday of the ISO week of `day`, and its Sunday. */
export function weekOf(day: string): { from: string; to: string } {
  const date = new Date(`${day}T00:00:00Z`);
  const monday = new Date(date);
  monday.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  const sunday = new Date(monday);
  sunday.setUTCDate(monday.getUTCDate() + 6);
  return { from: monday.toISOString().slice(0, 10), to: sunday.toISOString().slice(0, 10) };
}

/**
 * The principals and variables, from the loaded dataset (as the owner): the coordinator of the CUS
 * with the most plans; the partner with the most visits in this week that still fit on one page of the
 * schedule (so every side returns the whole week) on at least five days; the catalogue's three most
 * common areas and target groups in the coordinator's gminy with a word of the generated names.
 */
export async function pickScenarioData(ownerUrl: string, today: string): Promise<Picks> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const unit = (
      await client.query<{ name: string; gminy: number[]; plans: number }>(
        `select u.name, u.served_gmina_ids as gminy, count(*)::int as plans from cus_unit u join ipus p on p.cus_unit_id = u.id
       group by u.id order by count(*) desc, u.id limit 1`,
      )
    ).rows[0];
    if (!unit || unit.plans < 50) throw new Error(`no CUS has 50 plans (the largest: ${unit?.plans ?? 0}); load the national dataset first`);
    const week = weekOf(today);
    const partner = (
      await client.query<{ id: string; name: string; visits: number }>(
        `select pa.id, pa.name, count(*)::int as visits from ipus_item i join ipus p on p.id = i.ipus_id join partner pa on pa.id = i.partner_id
         cross join lateral generate_series(greatest(i.start_on, $1::date), least(i.end_on, $2::date), interval '1 day') d(day)
       where i.weekdays is not null and p.status in ('APPROVED', 'ACTIVE') and p.approved_on is not null
         and (array['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'])[extract(isodow from d.day)::int] = any (i.weekdays)
       group by pa.id having count(*) <= 100 and count(distinct d.day) >= 5 order by count(*) desc, pa.id limit 1`,
        [week.from, week.to],
      )
    ).rows[0];
    if (!partner) throw new Error(`no partner has visits on five days of the week ${week.from}..${week.to}`);
    const top = async (sql: string) => (await client.query<{ value: string }>(sql, [unit.gminy])).rows.map((r) => r.value);
    const areas = await top(`select area as value from service where gmina_ids && $1::int[] group by 1 order by count(*) desc, 1 limit 3`);
    const groups = await top(
      `select g as value from service, unnest(target_groups) g where gmina_ids && $1::int[] group by 1 order by count(*) desc, 1 limit 3`,
    );
    const plans = (
      await client.query<{ id: string; revision: number; period_end: string }>(
        `select id, revision, period_end::text from ipus where gmina_id = any ($1::int[]) and status in ('DRAFT', 'ACTIVE')
         order by id limit 5000`,
        [unit.gminy],
      )
    ).rows;
    const year = today.slice(0, 4);
    return {
      today,
      coordinator: { role: Role.COORDINATOR, gminy: unit.gminy.map(idToTerc), subject: 'bench-coordinator' },
      unit: { name: unit.name, plans: unit.plans },
      partner: { role: Role.PARTNER, partner_id: partner.id, subject: 'bench-partner' },
      partnerName: partner.name,
      ministry: { role: Role.MINISTRY, subject: 'bench-ministry' },
      catalogue: { search: 'usługa', filter: { areas, targetGroups: groups } },
      week: { ...week, visits: partner.visits },
      year: { from: `${year}-01-01`, to: `${year}-12-31` },
      plans: plans.map((p) => ({ id: toGlobalId('Ipus', p.id), revision: p.revision, periodEnd: p.period_end })),
    };
  } finally {
    await client.end();
  }
}

interface ReportKeyOut {
  code: string;
}
interface ReportCellOut {
  keys: ReportKeyOut[];
  value: number | null;
  suppressed: boolean;
}

/** A two-dimensional report: the first key is the województwo, the second the area (or the month, for plans). */
function canonicalReport(report: { total: { value: number | null }; cells: ReportCellOut[] }) {
  const cells = report.cells.map((c) => ({ woj: c.keys[0].code, area: c.keys[1].code, value: c.suppressed ? null : c.value }));
  return { total: report.total.value, cells: sortedBy(cells, (c) => `${c.woj}|${c.area}`) };
}

export function readScenarios(picks: Picks): ReadScenario[] {
  return [
    {
      key: 'dashboard',
      label: `coordinator dashboard: first 50 plans of ${picks.unit.name} (${picks.unit.plans} plans) with resident, items, next 3 visits`,
      who: picks.coordinator,
      query: COORDINATOR_DASHBOARD,
      variables: {},
      canonical: (data) =>
        sortedBy(
          data.plans.nodes.map((p: any) => ({
            plan: uuidFromGlobalId(p.id, 'Ipus'),
            status: p.status,
            resident: `${p.resident.lastName} ${p.resident.firstName}`,
            items: [...p.items]
              .sort((a: any, b: any) => a.position - b.position)
              .map((i: any) => ({
                position: i.position,
                service: i.service?.name ?? null,
                partner: i.partner?.name ?? null,
                nextVisits: i.nextVisits,
              })),
          })),
          (p: { plan: string }) => p.plan,
        ),
      check: (data) => {
        if (data.plans.nodes.length !== 50) throw new Error(`dashboard: ${data.plans.nodes.length} plans, not 50`);
      },
    },
    {
      key: 'catalogue',
      label: `catalogue search "${picks.catalogue.search}" in ${picks.catalogue.filter.areas.join('/')} for ${picks.catalogue.filter.targetGroups.join('/')} (same coordinator)`,
      who: picks.coordinator,
      query: CATALOGUE_SEARCH,
      variables: picks.catalogue,
      canonical: (data) =>
        sortedBy(
          data.services.nodes.map((s: any) => ({
            service: uuidFromGlobalId(s.id, 'Service'),
            name: s.name,
            area: s.area,
            targetGroups: [...s.targetGroups].sort(byCodePoint),
            gminy: s.gminy.map((g: { terc: string }) => g.terc).sort(byCodePoint),
          })),
          (s: { service: string }) => s.service,
        ),
      check: (data) => {
        if (data.services.nodes.length < 1) throw new Error('catalogue: the search found nothing');
      },
    },
    {
      key: 'partner-week',
      label: `partner's week ${picks.week.from}..${picks.week.to}: ${picks.week.visits} visits of ${picks.partnerName}, with person, service, progress, delivery`,
      who: picks.partner,
      query: PARTNER_WEEK,
      variables: { from: picks.week.from, to: picks.week.to },
      canonical: (data) => {
        const visits = data.schedule.nodes.map((v: any) => ({
          date: v.date,
          startsAt: hhmm(v.startsAt),
          endsAt: hhmm(v.endsAt),
          person: `${v.assignment.person.lastName} ${v.assignment.person.firstName}`,
          service: v.assignment.service?.name ?? null,
          delivered: v.delivery?.outcome ?? null,
        }));
        return sortedBy(visits, (v: any) => `${v.date}|${v.startsAt}|${v.person}|${v.service}`);
      },
      check: (data) => {
        if (data.schedule.nodes.length !== picks.week.visits)
          throw new Error(`partner-week: ${data.schedule.nodes.length} visits, the database has ${picks.week.visits}`);
      },
    },
    {
      key: 'ministry-report',
      label: `ministry report ${picks.year.from}..${picks.year.to}: plans by województwo and month, deliveries by województwo and area`,
      who: picks.ministry,
      query: MINISTRY_REPORT,
      variables: picks.year,
      canonical: (data) => ({ plans: canonicalReport(data.plans), deliveries: canonicalReport(data.deliveries) }),
      check: (data) => {
        if (data.plans.cells.length < 1 || data.deliveries.cells.length < 1) throw new Error('ministry-report: empty');
      },
    },
  ];
}

export const PLAN_UPDATE_QUERY = PLAN_UPDATE;

/**
 * Compares two canonical forms as data: object keys in any order, and lists as collections (their
 * order is each side's sorting, which may collate differently). Returns null when they agree, else a
 * short description of the first differences.
 */
export function difference(ours: unknown, theirs: unknown, limit = 3): string | null {
  const a = normalise(ours);
  const b = normalise(theirs);
  if (JSON.stringify(a) === JSON.stringify(b)) return null;
  const lines: string[] = [];
  const walk = (x: unknown, y: unknown, at: string) => {
    if (lines.length >= limit) return;
    if (JSON.stringify(x) === JSON.stringify(y)) return;
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) lines.push(`${at}: ${x.length} entries against ${y.length}`);
      const ys = new Set(y.map((v) => JSON.stringify(v)));
      const xs = new Set(x.map((v) => JSON.stringify(v)));
      for (const v of x) if (!ys.has(JSON.stringify(v)) && lines.length < limit) lines.push(`${at}: only ours:   ${JSON.stringify(v).slice(0, 400)}`);
      for (const v of y) if (!xs.has(JSON.stringify(v)) && lines.length < limit) lines.push(`${at}: only theirs: ${JSON.stringify(v).slice(0, 400)}`);
      return;
    }
    if (x && y && typeof x === 'object' && typeof y === 'object') {
      for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) walk((x as any)[key], (y as any)[key], `${at}.${key}`);
      return;
    }
    lines.push(`${at}: ${JSON.stringify(x)?.slice(0, 200)} against ${JSON.stringify(y)?.slice(0, 200)}`);
  };
  walk(a, b, '$');
  return lines.join('\n');
}

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise).sort((x, y) => byCodePoint(JSON.stringify(x), JSON.stringify(y)));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort(byCodePoint)
        .map((k) => [k, normalise((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
