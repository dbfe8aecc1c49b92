import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { sessionVariables, type Principal } from '../src/platform/auth/principal.js';
import { median } from './measure.js';

/**
 * What row-level security costs, without the server in the way: the SQL of the `cusUnits` scenario
 * (first page of units, their gminy, their funding projects) run with `pg` in one transaction, once
 * as the application role under the policies, once as a role that bypasses RLS (superuser) with the
 * tenant filter written out as an explicit WHERE. Both variants send the same set_config statement
 * first, so they make the same number of round trips and differ only in how rows are filtered.
 */

export interface RlsVariant {
  label: string;
  /** Median of the whole transaction: begin, set_config, three selects, commit (ms). */
  transactionMs: number;
  /** Median of the three data statements alone (ms). */
  selectsMs: number;
  units: number;
  gminy: number;
  projects: number;
}

export interface RlsComparison {
  principal: string;
  iterations: number;
  rls: RlsVariant;
  bypass: RlsVariant;
  /** rls / bypass, on the transaction medians and on the select medians. */
  transactionRatio: number;
  selectsRatio: number;
}

const PAGE = 50;

const SET_PRINCIPAL =
  `select set_config('app.role', $1, true), set_config('app.gminy', $2, true), ` +
  `set_config('app.partner_id', $3, true), set_config('app.user_id', $4, true)`;

const UNIT_COLUMNS = `u.id, u.gmina_id, u.served_gmina_ids, u.name, u.seat_street, u.seat_postal_code, u.seat_city,
  u.creation_mode, u.resolution_number, u.resolution_date, u.agreement_number, u.agreement_date, u.start_date,
  u.statutory, u.version, u.created_at, u.updated_at`;
const GMINA_COLUMNS = `g.id, g.name, g.kind, g.capital, g.powiat_code, g.powiat_name, g.wojewodztwo_code, g.wojewodztwo_name`;
const PROJECT_COLUMNS = `p.id, p.gmina_id, p.cus_unit_id, p.programme, p.action, p.title, p.period_start, p.period_end,
  p.total_value, p.eu_share, p.national_share, p.co_financing_rate, p.created_at`;

interface Shape {
  units: string;
  unitParams: (gminy: number[]) => unknown[];
  gminy: string;
  projects: string;
  projectParams: (unitIds: string[], gminy: number[]) => unknown[];
}

/** Under RLS: the policies filter, the SQL asks for everything. */
const UNDER_RLS: Shape = {
  units: `select ${UNIT_COLUMNS} from cus_unit u order by u.name asc, u.id asc limit ${PAGE + 1}`,
  unitParams: () => [],
  gminy: `select ${GMINA_COLUMNS} from gmina g where g.id = any ($1::int[])`,
  projects: `select ${PROJECT_COLUMNS} from funding_project p where p.cus_unit_id = any ($1::uuid[]) order by p.period_start asc, p.id asc`,
  projectParams: (unitIds) => [unitIds],
};

/** Bypassing RLS: the same rows, filtered by explicit conditions (none for a platform administrator). */
function explicitFilter(scoped: boolean): Shape {
  if (!scoped) return UNDER_RLS;
  return {
    units: `select ${UNIT_COLUMNS} from cus_unit u where u.served_gmina_ids && $1::int[] order by u.name asc, u.id asc limit ${PAGE + 1}`,
    unitParams: (gminy) => [gminy],
    gminy: UNDER_RLS.gminy,
    projects: `select ${PROJECT_COLUMNS} from funding_project p where p.cus_unit_id = any ($1::uuid[]) and p.gmina_id = any ($2::int[]) order by p.period_start asc, p.id asc`,
    projectParams: (unitIds, gminy) => [unitIds, gminy],
  };
}

interface Sample {
  transactionMs: number;
  selectsMs: number;
  units: number;
  gminy: number;
  projects: number;
}

async function once(client: pg.Client, shape: Shape, principal: Principal): Promise<Sample> {
  const vars = sessionVariables(principal);
  const started = performance.now();
  await client.query('begin');
  await client.query(SET_PRINCIPAL, [vars['app.role'], vars['app.gminy'], vars['app.partner_id'], vars['app.user_id']]);
  const selectsStarted = performance.now();
  const units = (await client.query(shape.units, shape.unitParams(principal.gminy))).rows.slice(0, PAGE);
  const gminaIds = [...new Set(units.flatMap((u) => u.served_gmina_ids as number[]))];
  const gminy = (await client.query(shape.gminy, [gminaIds])).rows;
  const projects = (await client.query(shape.projects, shape.projectParams(units.map((u) => u.id as string), principal.gminy))).rows;
  const selectsMs = performance.now() - selectsStarted;
  await client.query('commit');
  return { transactionMs: performance.now() - started, selectsMs, units: units.length, gminy: gminy.length, projects: projects.length };
}

/** Checks that the bypass connection really bypasses RLS (superuser or BYPASSRLS); null when it does. */
export async function bypassProblem(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      'select current_user as name, rolsuper or rolbypassrls as bypasses from pg_roles where rolname = current_user',
    );
    return rows[0]?.bypasses ? null : `role ${rows[0]?.name ?? '?'} neither is a superuser nor has BYPASSRLS`;
  } finally {
    await client.end();
  }
}

/** Alternates the two variants on two connections, `iterations` times each after a warm-up. */
export async function compareRls(
  appUrl: string,
  bypassUrl: string,
  principal: Principal,
  iterations: number,
  warmUp = 30,
): Promise<RlsComparison> {
  const appClient = new pg.Client({ connectionString: appUrl });
  const bypassClient = new pg.Client({ connectionString: bypassUrl });
  await Promise.all([appClient.connect(), bypassClient.connect()]);
  const scoped = principal.gminy.length > 0;
  const bypassShape = explicitFilter(scoped);
  try {
    const rls: Sample[] = [];
    const bypass: Sample[] = [];
    for (let i = 0; i < warmUp + iterations; i++) {
      const a = await once(appClient, UNDER_RLS, principal);
      const b = await once(bypassClient, bypassShape, principal);
      if (a.units !== b.units || a.projects !== b.projects || a.gminy !== b.gminy) {
        throw new Error(`RLS and explicit filter disagree for ${principal.role}: ${JSON.stringify({ a, b })}`);
      }
      if (i >= warmUp) {
        rls.push(a);
        bypass.push(b);
      }
    }
    const variant = (label: string, samples: Sample[]): RlsVariant => ({
      label,
      transactionMs: median(samples.map((s) => s.transactionMs)),
      selectsMs: median(samples.map((s) => s.selectsMs)),
      units: samples[0].units,
      gminy: samples[0].gminy,
      projects: samples[0].projects,
    });
    const r = variant('cus_app under RLS', rls);
    const o = variant(scoped ? 'superuser, explicit WHERE' : 'superuser, no filter needed', bypass);
    return {
      principal: scoped ? `${principal.role} of ${principal.gminy.join(',')}` : principal.role,
      iterations,
      rls: r,
      bypass: o,
      transactionRatio: r.transactionMs / o.transactionMs,
      selectsRatio: r.selectsMs / o.selectsMs,
    };
  } finally {
    await Promise.all([appClient.end(), bypassClient.end()]);
  }
}
