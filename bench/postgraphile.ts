/**
 * PostGraphile v5 over the bench database (issue 7): the reference server our API is compared with.
 *
 * PostGraphile runs with its `amber` preset over the same database as our server, connected as the
 * same non-owner role (`cus_app`), and every operation's transaction first applies the same
 * transaction-local settings (`set_config(..., true)`, PostGraphile's `pgSettings`) that our server
 * derives from the same bearer token, so row-level security decides what each side reads.
 * Where amber has no way to ask a question (prefix full-text search, a partner's week laid out by
 * day, a report laid out over its table space, with complementary suppression), it gets a SQL function in the bench-only schema
 * `postgraphile_bench`, which PostGraphile exposes as a field: how a PostGraphile user would do it.
 * Those functions run with the caller's rights (security invoker), so they see what RLS lets them.
 *
 * PostGraphile runs in a child process of its own, as the harness runs our server: neither shares
 * an event loop with the load generator. The child is production-like: GRAPHILE_ENV and NODE_ENV
 * `production`, no GraphiQL (Ruru), no explain, no watch, no subscriptions, a pool of DB_POOL_SIZE
 * (10) connections configured as our server's. Every request's bearer token is verified, as our
 * server verifies it: in the child by our own verifier (createTokenVerifier) when the caller passes
 * `verifierConfig`, the same per-request work; otherwise by the caller's `verifier`, asked over IPC.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { TokenVerifier } from '../src/platform/auth/tokens.js';
import type { Config } from '../src/platform/config.js';
import { sessionVariables } from '../src/platform/auth/principal.js';
import { ENUM_SPACES } from '../src/modules/report/report-space.js';
import { MAGNITUDE_MEASURES, PROTECTED_ROLES } from '../src/modules/report/report.protection.js';

/** The bench-only schema PostGraphile exposes besides `public`. */
const BENCH_SCHEMA = 'postgraphile_bench';

/** The enumerated dimensions' values, as our API lays a protected table out over them (src/modules/report/report.space.ts). */
const enumSpaces = Object.entries(ENUM_SPACES)
  .map(([dimension, values]) => `when '${dimension}' then array[${values.map((v) => `'${v}'`).join(', ')}]`)
  .join('\n      ');

/**
 * What PostGraphile needs in the database, recreated whole on every call (the schema is the bench's
 * own, so dropping it loses nothing). Smart comments (`@name`, `@behavior`) shape the GraphQL names.
 */
const BENCH_SQL = `
drop schema if exists ${BENCH_SCHEMA} cascade;
create schema ${BENCH_SCHEMA};
grant usage on schema ${BENCH_SCHEMA} to cus_app;

-- 2. The catalogue search as our API answers it (src/modules/catalogue/service-list.ts): areas (any of),
-- target groups (overlapping), and words through the same generated search_vector and app.search_query
-- (case and Polish diacritics folded, every word a prefix); control characters read as spaces, a blank
-- search is no search. By name, then id.
create type ${BENCH_SCHEMA}.service_filter as (areas text[], target_groups text[]);
comment on type ${BENCH_SCHEMA}.service_filter is '@name service_filter';
create function ${BENCH_SCHEMA}.search_services(search text default null, filter ${BENCH_SCHEMA}.service_filter default null)
returns setof public.service language sql stable security invoker as $$
  select s.* from public.service s
  where (coalesce(cardinality(($2).areas), 0) = 0 or s.area = any (($2).areas))
    and (coalesce(cardinality(($2).target_groups), 0) = 0 or s.target_groups && ($2).target_groups)
    and (nullif(btrim(regexp_replace($1, '[[:cntrl:]]', ' ', 'g')), '') is null
      or s.search_vector @@ app.search_query(btrim(regexp_replace($1, '[[:cntrl:]]', ' ', 'g'))))
  order by s.name, s.id
$$;
comment on function ${BENCH_SCHEMA}.search_services(text, ${BENCH_SCHEMA}.service_filter) is '@name search_services';

-- The gminy a service is available in (Service.gminy): a computed column.
create function ${BENCH_SCHEMA}.service_gminy(service public.service) returns setof public.gmina
language sql stable security invoker as $$
  select g.* from public.gmina g where g.id = any (service.gmina_ids) order by g.id
$$;
comment on function ${BENCH_SCHEMA}.service_gminy(public.service) is E'@behavior -connection +list';

-- 3. A partner's schedule as our API lays it out (src/modules/delivery/partner-work.queries.ts): every
-- day from..to of each weekly item of approved and active plans in the view partner_assignment (the
-- partner's only door to plan items) whose weekday is one of the item's, by day, time and item; with
-- the service, planned against delivered (hours for HOURS, else sessions) and the delivery recorded
-- for that session. Everything else the partner reads (service, deliveries) goes through RLS. A period
-- longer than 31 days or ending before it starts gives no visits (our API refuses it with an error).
create type ${BENCH_SCHEMA}.scheduled_visit as (
  date date, starts_at text, ends_at text,
  first_name text, last_name text, phone text, street text, city text,
  service_name text, planned numeric, delivered numeric,
  delivery_outcome text, delivery_minutes integer
);
create function ${BENCH_SCHEMA}.partner_schedule(from_day date, to_day date) returns setof ${BENCH_SCHEMA}.scheduled_visit
language sql stable security invoker as $$
  select d.day::date, to_char(a.starts_at, 'HH24:MI'), to_char(a.ends_at, 'HH24:MI'),
    a.first_name, a.last_name, a.phone, a.street, a.city,
    s.name, a.quantity,
    case a.quantity_unit when 'HOURS' then round(coalesce(p.minutes, 0) / 60.0, 2) else coalesce(p.sessions, 0) end,
    v.outcome, v.duration_minutes
  from public.partner_assignment a
    left join lateral (
      select count(*) filter (where x.outcome = 'DELIVERED') as sessions, sum(x.duration_minutes) filter (where x.outcome = 'DELIVERED') as minutes
      from public.delivery x where x.ipus_item_id = a.id
    ) p on true
    cross join lateral generate_series(greatest(a.start_on, from_day), least(a.end_on, to_day), interval '1 day') as d(day)
    left join public.service s on s.id = a.service_id
    left join lateral (
      select x.outcome, x.duration_minutes from public.delivery x
      where x.ipus_item_id = a.id and x.delivered_on = d.day::date and to_char(x.starts_at, 'HH24:MI') = to_char(a.starts_at, 'HH24:MI')
      order by x.starts_at limit 1
    ) v on true
  where a.weekdays is not null and a.plan_status in ('APPROVED', 'ACTIVE')
    and (array['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'])[extract(isodow from d.day)::int] = any (a.weekdays)
    and to_day >= from_day and to_day < from_day + 31
  order by d.day, a.starts_at, a.id
$$;
comment on function ${BENCH_SCHEMA}.partner_schedule(date, date) is '@name partner_schedule';

-- 4. A report as our API answers it (src/modules/report/report.service.ts): app.report (the one door;
-- SECURITY DEFINER; for a MINISTRY or GMINA_OFFICIAL principal it perturbs counts of persons by the
-- cell key method and hides magnitudes with too few persons behind them), laid out for such a
-- principal over the whole table space (every value of each dimension: the regions of its scope, the
-- months of the period, an enumeration's values; a cell with nothing in it is 0), and for a magnitude
-- the complementary suppression of report.suppression.ts: every line of the table (the cells of a row
-- or column with its total, the row or column totals with the grand total) with exactly one hidden
-- figure hides a second one, the smallest cell still shown (a total only when no cell is left), in
-- the same order, until no line has exactly one. Returns the cells and the grand total (keys null),
-- with labels as our API gives them.
create function ${BENCH_SCHEMA}.report_space(dim text, from_day date, to_day date) returns text[] language sql stable security invoker as $$
  select case dim
      ${enumSpaces}
      when 'MONTH' then array(select to_char(m, 'YYYY-MM') from generate_series(date_trunc('month', from_day), to_day, interval '1 month') m order by 1)
      else array(select distinct case dim when 'WOJEWODZTWO' then wojewodztwo_code::text when 'POWIAT' then powiat_code::text when 'GMINA' then terc::text else kind end
        from public.gmina where app.role() = 'MINISTRY' or id = any (app.gminy()) order by 1) end
  where dim in ('COUNTRY', 'AREA', 'TARGET_GROUP', 'PARTNER_KIND', 'CREATION_MODE', 'MONTH', 'WOJEWODZTWO', 'POWIAT', 'GMINA', 'GMINA_KIND')
$$;
create type ${BENCH_SCHEMA}.report_figure as (keys text[], labels text[], value numeric, suppressed boolean);
create function ${BENCH_SCHEMA}.ministry_report(measure text, group_by text[], from_day date, to_day date)
returns setof ${BENCH_SCHEMA}.report_figure language plpgsql stable security invoker as $$
declare
  dims constant integer := coalesce(array_length(group_by, 1), 0);
  k0 text[]; k1 text[]; v numeric[]; s boolean[]; lvl integer[];
  members integer[]; starts integer[];
  best integer; hidden integer; m integer; ln integer; pos integer;
  changed boolean := true;
begin
  if dims > 2 then
    raise exception 'A report groups by at most two dimensions' using errcode = '22023';
  end if;
  -- lvl: 0 a cell, 1 a row total (first key only), 2 a column total (second key only), 3 the grand total.
  select coalesce(array_agg(q.a order by q.o), '{}'), coalesce(array_agg(q.b order by q.o), '{}'),
    coalesce(array_agg(q.value order by q.o), '{}'), coalesce(array_agg(q.suppressed order by q.o), '{}'),
    coalesce(array_agg(q.l order by q.o), '{}')
  into k0, k1, v, s, lvl
  from (
    with given as materialized (select g.keys, g.value, g.suppressed from app.report(measure, group_by, from_day, to_day) g),
    space as (select ${BENCH_SCHEMA}.report_space(group_by[1], from_day, to_day) as s1, ${BENCH_SCHEMA}.report_space(group_by[2], from_day, to_day) as s2),
    -- Every cell, row and column of the table space (a protected principal's), 0 where app.report had nothing.
    wanted as (
      select array[a] as keys from space, unnest(s1) a where dims = 1
      union all select array[a, b] from space, unnest(s1) a, unnest(s2) b where dims = 2
      union all select array[a, null] from space, unnest(s1) a where dims = 2
      union all select array[null, b] from space, unnest(s2) b where dims = 2
    ),
    filled as (
      select * from given
      union all select w.keys, 0::numeric, false from wanted w
      where app.role() = any (array[${PROTECTED_ROLES.map((r) => `'${r}'`).join(', ')}])
        and not exists (select 1 from given g where g.keys is not distinct from w.keys)
    )
    select r.keys[1] as a, r.keys[2] as b, r.value, r.suppressed, x.l,
      row_number() over (order by x.l, r.keys[1] collate "C", r.keys[2] collate "C") as o
    from filled r
      cross join lateral (select case
        when dims = 0 then 3
        when dims = 1 then case when r.keys[1] is null then 3 else 0 end
        when r.keys[1] is not null and r.keys[2] is not null then 0
        when r.keys[1] is not null then 1
        when r.keys[2] is not null then 2
        else 3 end as l) x
  ) q;

  if app.role() = any (array[${PROTECTED_ROLES.map((r) => `'${r}'`).join(', ')}]) and measure = any (array[${MAGNITUDE_MEASURES.map((m) => `'${m}'`).join(', ')}]) and dims > 0 then
    with f as (select * from unnest(k0, k1, lvl) with ordinality as f(a, b, l, i)),
    lines as (
      select 0 as kind, 0::bigint as anchor, f.i as member, (f.l = 3)::int as last from f where dims = 1
      union all select 1, r.i, c.i, 0 from f r join f c on c.l = 0 and c.a = r.a where dims = 2 and r.l = 1
      union all select 1, r.i, r.i, 1 from f r where dims = 2 and r.l = 1
      union all select 2, t.i, c.i, 0 from f t join f c on c.l = 0 and c.b = t.b where dims = 2 and t.l = 2
      union all select 2, t.i, t.i, 1 from f t where dims = 2 and t.l = 2
      union all select 3, 0, f.i, (f.l = 3)::int from f where dims = 2 and f.l in (1, 3)
      union all select 4, 0, f.i, (f.l = 3)::int from f where dims = 2 and f.l in (2, 3)
    ),
    placed as (
      select x.member, dense_rank() over (order by x.kind, x.anchor) as line_no,
        row_number() over (order by x.kind, x.anchor, x.last, x.member) as place
      from lines x
    )
    select coalesce(array_agg(placed.member order by placed.place), '{}'),
      coalesce((select array_agg(b.first_place order by b.line_no) from (select y.line_no, min(y.place)::int as first_place from placed y group by y.line_no) b), '{}')
    into members, starts from placed;
    starts := starts || (coalesce(array_length(members, 1), 0) + 1);

    while changed loop
      changed := false;
      for ln in 1 .. coalesce(array_length(starts, 1), 1) - 1 loop
        hidden := 0;
        for pos in starts[ln] .. starts[ln + 1] - 1 loop
          if s[members[pos]] then hidden := hidden + 1; end if;
        end loop;
        continue when hidden <> 1;
        best := null;
        for pos in starts[ln] .. starts[ln + 1] - 1 loop
          m := members[pos];
          if not s[m] and lvl[m] = 0 and (best is null or coalesce(v[m], 0) < coalesce(v[best], 0)) then best := m; end if;
        end loop;
        if best is null then
          for pos in starts[ln] .. starts[ln + 1] - 1 loop
            m := members[pos];
            if not s[m] and (best is null or coalesce(v[m], 0) < coalesce(v[best], 0)) then best := m; end if;
          end loop;
        end if;
        continue when best is null;
        s[best] := true;
        v[best] := null;
        changed := true;
      end loop;
    end loop;
  end if;

  return query
    with f as (select * from unnest(k0, k1, v, s, lvl) with ordinality as f(a, b, value, suppressed, l, i)),
    geo as (
      select 'WOJEWODZTWO' as dimension, code, label from (select distinct wojewodztwo_code::text as code, wojewodztwo_name as label from public.gmina) w
        where 'WOJEWODZTWO' = any (group_by)
      union all select 'POWIAT', code, label from (select distinct powiat_code::text as code, powiat_name as label from public.gmina) pw
        where 'POWIAT' = any (group_by)
      union all select 'GMINA', terc::text, name || ' (' || lower(replace(kind, '_', '-')) || ')' from public.gmina where 'GMINA' = any (group_by)
      union all select 'COUNTRY', 'PL', 'Polska'
    )
    select
      case when f.l = 3 then array_fill(null::text, array[dims]) when dims = 1 then array[f.a] else array[f.a, f.b] end,
      case when f.l = 3 then array_fill(null::text, array[dims]) when dims = 1 then array[coalesce(la.label, f.a)]
        else array[coalesce(la.label, f.a), coalesce(lb.label, f.b)] end,
      f.value, f.suppressed
    from f
      left join geo la on la.dimension = group_by[1] and la.code = f.a
      left join geo lb on lb.dimension = group_by[2] and lb.code = f.b
    where f.l in (0, 3)
    order by f.i;
end
$$;
comment on function ${BENCH_SCHEMA}.ministry_report(text, text[], date, date) is '@name ministry_report';
`;

/** Creates (again) the bench schema PostGraphile exposes; idempotent. `ownerUrl` is the schema owner's connection. */
export async function preparePostGraphile(ownerUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('begin');
    // Two preparations at once would drop each other's objects midway; they queue instead.
    await client.query(`select pg_advisory_xact_lock(hashtext('${BENCH_SCHEMA}'))`);
    await client.query(BENCH_SQL);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/** What builds the verifier our server uses (createTokenVerifier): the provider's JWKS, or the development key. */
export type VerifierConfig = Pick<Config, 'jwksUrl' | 'jwtIssuer' | 'jwtAudience' | 'devKeyFile'>;

/** What the child needs, passed in its environment. */
interface WorkerConfig {
  appUrl: string;
  port: number;
  poolSize: number;
  counterFile: string;
  /** Set: the child verifies tokens itself; unset: it asks the parent for each request. */
  verifier: VerifierConfig | null;
}

const WORKER_ENV = 'CUS_POSTGRAPHILE_WORKER';

type ToWorker = { type: 'verified'; id: number; settings: Record<string, string> } | { type: 'refused'; id: number } | { type: 'close' };
type FromWorker = { type: 'ready'; port: number } | { type: 'failed'; message: string } | { type: 'verify'; id: number; token: string };

export interface PostGraphileServer {
  /** The GraphQL endpoint, http://127.0.0.1:<port>/graphql. */
  url: string;
  /** SQL statements PostGraphile has sent so far (every statement on its pool's connections, begin and commit included). */
  statements(): number;
  /** Its process, whose CPU time the load generator reads. */
  pid: number;
  close(): Promise<void>;
}

/**
 * Starts PostGraphile in a child process and resolves once it serves. `appUrl` connects as cus_app;
 * requests carry `Authorization: Bearer <token>`, verified by `verifier` (over IPC, each request), or,
 * when `verifierConfig` is given (the config `verifier` was created from), by the same verifier built
 * in the child, so PostGraphile's process does the verification work our server does; 401 if invalid.
 */
export async function startPostGraphile(opts: {
  appUrl: string;
  verifier: TokenVerifier;
  port?: number;
  verifierConfig?: VerifierConfig;
}): Promise<PostGraphileServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cus-postgraphile-'));
  const counterFile = path.join(dir, 'statements');
  fs.writeFileSync(counterFile, Buffer.alloc(8));
  const counter = fs.openSync(counterFile, 'r');
  const { jwksUrl, jwtIssuer, jwtAudience, devKeyFile } = opts.verifierConfig ?? {};
  const config: WorkerConfig = {
    appUrl: opts.appUrl,
    port: opts.port ?? 0,
    poolSize: poolSize(),
    counterFile,
    verifier: opts.verifierConfig ? { jwksUrl, jwtIssuer, jwtAudience, devKeyFile: path.resolve(devKeyFile!) } : null,
  };
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, [WORKER_ENV]: JSON.stringify(config), GRAPHILE_ENV: 'production', NODE_ENV: 'production' },
    // A debugger flag of the caller would make the child fight for its port.
    execArgv: process.execArgv.filter((arg) => !arg.startsWith('--inspect')),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const send = (message: ToWorker) => {
    if (child.connected) child.send(message);
  };
  child.on('message', (message: FromWorker) => {
    if (message.type !== 'verify') return;
    opts.verifier.verify(message.token).then(
      (principal) => send({ type: 'verified', id: message.id, settings: sessionVariables(principal) }),
      () => send({ type: 'refused', id: message.id }),
    );
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const removeFiles = () => {
    try {
      fs.closeSync(counter);
    } catch {
      // already closed
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      const onMessage = (message: FromWorker) => {
        if (message.type === 'ready') resolve(message.port);
        if (message.type === 'failed') reject(new Error(`PostGraphile did not start: ${message.message}`));
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`PostGraphile exited with code ${code} before it served`)));
    });
  } catch (error) {
    child.kill();
    await exited;
    removeFiles();
    throw error;
  }

  const buffer = Buffer.alloc(8);
  let closed: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    pid: child.pid!,
    statements() {
      if (closed) return buffer.readDoubleLE(0);
      fs.readSync(counter, buffer, 0, 8, 0);
      return buffer.readDoubleLE(0);
    },
    close() {
      return (closed ??= (async () => {
        fs.readSync(counter, buffer, 0, 8, 0);
        send({ type: 'close' });
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
        removeFiles();
      })());
    },
  };
}

/** The same pool size as our server's (DB_POOL_SIZE, default 10; src/platform/config.ts). */
function poolSize(): number {
  const value = Number(process.env.DB_POOL_SIZE ?? 10);
  return Number.isInteger(value) && value > 0 ? value : 10;
}

// ---------------------------------------------------------------- the child process

const BEARER = /^Bearer\s+(\S+)\s*$/i;
/** Where the child keeps the verified principal's settings on the request, for pgSettings. */
const SETTINGS = Symbol('pgSettings');
type AuthorisedRequest = IncomingMessage & { [SETTINGS]?: Record<string, string> };

async function runWorker(config: WorkerConfig): Promise<void> {
  // Loaded untyped, on purpose: PostGraphile's type declarations augment graphql's own (grafast's
  // ExecutionResult), which would change how the server's code type-checks in the same program.
  const require = createRequire(import.meta.url);
  const { postgraphile } = require('postgraphile');
  const { PostGraphileAmberPreset } = require('postgraphile/presets/amber');
  const { makePgService } = require('postgraphile/adaptors/pg');
  const { grafserv } = require('postgraphile/grafserv/node');
  const { jsonPgSmartTags } = require('postgraphile/utils');

  // Every statement sent on any of the pool's connections, written where the parent reads it synchronously.
  const counter = fs.openSync(config.counterFile, 'r+');
  const count = Buffer.alloc(8);
  let statements = 0;
  // The same pool as our server's (src/platform/database/orm.ts): size, connect timeout, keep-alive.
  const pool = new pg.Pool({ connectionString: config.appUrl, max: config.poolSize, connectionTimeoutMillis: 5000, keepAlive: true });
  // POSTGRAPHILE_LOG_SQL=1 prints every statement to stderr (to see what PostGraphile sends; never while measuring).
  const logSql = process.env.POSTGRAPHILE_LOG_SQL === '1';
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      statements += 1;
      count.writeDoubleLE(statements, 0);
      fs.writeSync(counter, count, 0, 8, 0);
      if (logSql) {
        const first = args[0] as string | { text: string; name?: string; values?: unknown[] };
        const text =
          typeof first === 'string' ? first : `${first.name ? `[${first.name}] ` : ''}${first.text}\n  values: ${JSON.stringify(first.values ?? [])}`;
        process.stderr.write(`postgraphile sql: ${text}\n`);
      }
      return query(...args);
    };
  });
  pool.on('error', (error) => process.stderr.write(`postgraphile pool: ${error.message}\n`));

  // Names that read like our API's, and the one relation amber hides: a plan's items. Its foreign key
  // is (ipus_id, gmina_id) and no index holds both, but ipus_item_plan_idx leads with ipus_id, which is
  // what finds a plan's items; amber would otherwise drop the relation as unindexed.
  const smartTags = jsonPgSmartTags({
    version: 1,
    config: {
      constraint: {
        ipus_resident_id_gmina_id_fkey: { tags: { fieldName: 'resident' } },
        ipus_item_ipus_id_gmina_id_fkey: { tags: { fieldName: 'plan', foreignFieldName: 'items', isIndexed: true } },
        ipus_item_service_id_fkey: { tags: { fieldName: 'service' } },
        ipus_item_partner_id_fkey: { tags: { fieldName: 'partner' } },
        service_provider_partner_id_fkey: { tags: { fieldName: 'providerPartner' } },
      },
      procedure: {
        ipus_item_next_visits: { tags: { behavior: '-connection +list' } },
      },
    },
  });

  const preset = {
    extends: [PostGraphileAmberPreset],
    plugins: [smartTags],
    pgServices: [
      makePgService({
        pool,
        schemas: ['public', BENCH_SCHEMA],
        pubsub: false,
        pgSettings: (requestContext: { node?: { req: AuthorisedRequest } }) => requestContext.node?.req[SETTINGS] ?? {},
      }),
    ],
    grafserv: { graphqlPath: '/graphql', graphiql: false, graphiqlOnGraphQLGET: false, graphqlOverGET: false, watch: false, websockets: false },
    grafast: { explain: false },
  };

  const instance = postgraphile(preset);
  await instance.getSchema();
  const serv = instance.createServ(grafserv);
  await serv.ready();
  const handle = serv.createHandler();

  // The settings a token gives (sessionVariables of its principal), or null when it is not valid.
  const pending = new Map<number, (settings: Record<string, string> | null) => void>();
  let nextId = 0;
  let settingsFor: (token: string) => Promise<Record<string, string> | null>;
  if (config.verifier) {
    const { createTokenVerifier } = await import('../src/platform/auth/tokens.js');
    const verifier = await createTokenVerifier(config.verifier as Config);
    settingsFor = (token) => verifier.verify(token).then(sessionVariables, () => null);
  } else {
    settingsFor = (token) =>
      new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        process.send!({ type: 'verify', id, token } satisfies FromWorker);
      });
  }

  const server = http.createServer((req: AuthorisedRequest, res) => {
    const token = BEARER.exec(req.headers.authorization ?? '')?.[1];
    const refuse = () => {
      const body = JSON.stringify({ errors: [{ message: 'A valid bearer token is required', extensions: { code: 'UNAUTHENTICATED' } }] });
      res.writeHead(401, { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': 'Bearer', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (!token) return refuse();
    settingsFor(token).then(
      (settings) => {
        if (!settings) return refuse();
        req[SETTINGS] = settings;
        handle(req, res);
      },
      () => refuse(),
    );
  });

  process.on('message', (message: ToWorker) => {
    if (message.type === 'verified') pending.get(message.id)?.(message.settings);
    if (message.type === 'refused') pending.get(message.id)?.(null);
    if (message.type === 'verified' || message.type === 'refused') pending.delete(message.id);
    if (message.type === 'close') void shutdown(0);
  });
  // The parent is gone: nobody will stop us otherwise.
  process.on('disconnect', () => void shutdown(0));

  let stopping = false;
  async function shutdown(code: number): Promise<void> {
    if (stopping) return;
    stopping = true;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await instance.release();
    await pool.end();
    fs.closeSync(counter);
    process.exit(code);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, '127.0.0.1', () => resolve());
  });
  process.send!({ type: 'ready', port: (server.address() as AddressInfo).port } satisfies FromWorker);
}

if (process.env[WORKER_ENV] && process.send) {
  const config = JSON.parse(process.env[WORKER_ENV]) as WorkerConfig;
  runWorker(config).catch((error: Error) => {
    process.send?.({ type: 'failed', message: error.stack ?? error.message } satisfies FromWorker);
    process.exit(1);
  });
}

// ---------------------------------------------------------------- the scenarios' documents and canonical forms

/**
 * A cell of a two-dimensional report in canonical form: `woj` the first key (the województwo), `area`
 * the second (the area for deliveries, the month for plans: PLANS_PREPARED has no area), the value
 * null when suppressed.
 */
interface CanonicalReportCell {
  woj: string;
  area: string;
  value: number | null;
}

interface CanonicalReport {
  total: number | null;
  cells: CanonicalReportCell[];
}

const byKey =
  <T>(key: (item: T) => string) =>
  (a: T, b: T) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };
const hhmm = (time: string | null) => (time === null ? null : time.slice(0, 5));
const numberOrNull = (value: string | number | null) => (value === null ? null : Number(value));

interface PgReportFigure {
  keys: (string | null)[];
  value: string | null;
  suppressed: boolean;
}

function canonicalReport(figures: PgReportFigure[]): CanonicalReport {
  const total = figures.find((f) => f.keys.every((k) => k === null));
  return {
    total: total ? numberOrNull(total.value) : 0,
    cells: figures
      .filter((f) => f.keys.every((k) => k !== null))
      .map((f) => ({ woj: f.keys[0] as string, area: f.keys[1] as string, value: numberOrNull(f.value) }))
      .sort(byKey((c) => `${c.woj}|${c.area}`)),
  };
}

/**
 * PostGraphile's documents for the issue-7 scenarios (the same variables as our documents in
 * bench/operations.ts), and the canonical form of each answer, which the harness compares with ours.
 */
export const postgraphileScenarios: Record<'dashboard' | 'catalogue' | 'partner-week' | 'ministry-report', { query: string; canonical(data: any): unknown }> = {
  dashboard: {
    query: `query CoordinatorDashboard {
  plans: allIpuses(first: 50, orderBy: [PERIOD_START_DESC, ROW_ID_ASC]) {
    nodes {
      rowId status periodStart periodEnd
      resident { firstName lastName }
      items(orderBy: POSITION_ASC) { nodes { position service { name } partner { name } weekdays startsAt endsAt nextVisitsList(n: 3) } }
    }
  }
}`,
    canonical(data: any): unknown {
      return (data.plans.nodes as any[])
        .map((plan) => ({
          plan: plan.rowId as string,
          status: plan.status as string,
          resident: `${plan.resident.lastName} ${plan.resident.firstName}`,
          items: (plan.items.nodes as any[])
            .map((item) => ({
              position: item.position as number,
              service: (item.service?.name ?? null) as string | null,
              partner: (item.partner?.name ?? null) as string | null,
              nextVisits: item.nextVisitsList as string[],
            }))
            .sort((a, b) => a.position - b.position),
        }))
        .sort(byKey((p) => p.plan));
    },
  },
  catalogue: {
    query: `query CatalogueSearch($search: String, $filter: ServiceFilterInput) {
  services: searchServices(search: $search, filter: $filter, first: 20) {
    nodes { rowId name area targetGroups online providerKind providerUnitName providerPartner { name } gminyList { terc name } }
  }
}`,
    canonical(data: any): unknown {
      return (data.services.nodes as any[])
        .map((service) => ({
          service: service.rowId as string,
          name: service.name as string,
          area: service.area as string,
          targetGroups: [...(service.targetGroups as string[])].sort(),
          gminy: (service.gminyList as { terc: string }[]).map((g) => g.terc).sort(),
        }))
        .sort(byKey((s) => s.service));
    },
  },
  'partner-week': {
    query: `query PartnerWeek($from: Date!, $to: Date!) {
  schedule: partnerSchedule(fromDay: $from, toDay: $to, first: 100) {
    nodes { date startsAt endsAt firstName lastName phone street city serviceName planned delivered deliveryOutcome deliveryMinutes }
  }
}`,
    canonical(data: any): unknown {
      return (data.schedule.nodes as any[])
        .map((visit) => ({
          date: visit.date as string,
          startsAt: hhmm(visit.startsAt),
          endsAt: hhmm(visit.endsAt),
          person: `${visit.lastName} ${visit.firstName}`,
          service: (visit.serviceName ?? null) as string | null,
          delivered: (visit.deliveryOutcome ?? null) as string | null,
        }))
        .sort(byKey((v) => `${v.date}|${v.startsAt}|${v.person}|${v.service}`));
    },
  },
  'ministry-report': {
    query: `query MinistryReport($from: Date!, $to: Date!) {
  plans: ministryReport(measure: "PLANS_PREPARED", groupBy: ["WOJEWODZTWO", "MONTH"], fromDay: $from, toDay: $to) { nodes { keys labels value suppressed } }
  deliveries: ministryReport(measure: "DELIVERIES", groupBy: ["WOJEWODZTWO", "AREA"], fromDay: $from, toDay: $to) { nodes { keys labels value suppressed } }
}`,
    canonical(data: any): unknown {
      return { plans: canonicalReport(data.plans.nodes), deliveries: canonicalReport(data.deliveries.nodes) };
    },
  },
};
