import pg from 'pg';
import { SERVICE_AREAS, TARGET_GROUPS } from '../migrations/Migration20261123000200Catalogue.js';

/**
 * The national-scale dataset (issue 6): CUS units for a realistic share of Poland's 2,477 gminy
 * (every city with powiat rights, about a fifth of the rest, some units serving two gminy), their
 * partners, catalogues and commissions, and, at scale 1, about 1,000,000 residents, 360,000
 * applications, 300,000 plans with 900,000 items and 10,000,000 deliveries, skewed the way Poland
 * is: Warsaw far above the other cities, cities far above towns, towns above villages.
 *
 * Everything is generated inside PostgreSQL by set-based INSERT ... SELECT (no row passes through
 * Node), from a deterministic hash of (seed, stream, row number): the same seed and scale give the
 * same rows, ids included. Triggers are switched off for the load (session_replication_role), so
 * the migrating role must be a superuser; commissions' use and the report rollup are computed once
 * at the end, in bulk.
 */

export interface NationalOptions {
  scale: number;
  seed: number;
  /** "today" of the generated world: nothing happens after it. */
  today: string;
  log?: (message: string) => void;
}

export interface NationalCounts {
  units: number;
  residents: number;
  applications: number;
  plans: number;
  items: number;
  deliveries: number;
  ms: number;
}

/** Prefix of every generated id, so the rows of the generator are recognisable (and never clash with the demo's). */
const ID = (table: number) => `'${table.toString(16).padStart(8, '0')}-0000-4000-8000-'`;
/** A condition on `column`: the row is one the generator made for `table`. */
const ours = (table: number, column = 'id') => `${column}::text like ${ID(table).slice(0, -1)}%'`;
/** The row number a generated id carries (its last 12 hex digits). */
const numberOf = (id: string) => `('x' || substr(replace(${id}::text, '-', ''), 21, 12))::bit(48)::bigint`;
const uuidOf = (table: number, n: string) => `(${ID(table)} || lpad(to_hex((${n})::bigint), 12, '0'))::uuid`;
const T = { unit: 0xa1, partner: 0xa2, service: 0xa3, commission: 0xa4, resident: 0xa5, application: 0xa6, plan: 0xa7, item: 0xa8, delivery: 0xa9 };

const FIRST_NAMES = [
  'Anna',
  'Maria',
  'Katarzyna',
  'Małgorzata',
  'Agnieszka',
  'Barbara',
  'Ewa',
  'Krystyna',
  'Elżbieta',
  'Zofia',
  'Jan',
  'Piotr',
  'Krzysztof',
  'Andrzej',
  'Stanisław',
  'Tomasz',
  'Józef',
  'Marek',
  'Paweł',
  'Jerzy',
];
const LAST_NAMES = [
  'Nowak',
  'Kowalski',
  'Wiśniewski',
  'Wójcik',
  'Kowalczyk',
  'Kamiński',
  'Lewandowski',
  'Zieliński',
  'Szymański',
  'Woźniak',
  'Dąbrowski',
  'Kozłowski',
  'Jankowski',
  'Mazur',
  'Kwiatkowski',
  'Krawczyk',
  'Piotrowski',
  'Grabowski',
  'Nowakowski',
  'Pawłowski',
];
const PARTNER_KINDS = ['NGO', 'NGO', 'NGO', 'SOCIAL_ECONOMY', 'SOCIAL_ECONOMY', 'CHURCH_BODY', 'PUBLIC_INSTITUTION', 'BUSINESS', 'INFORMAL_GROUP'];
const sqlArray = (values: readonly string[]) => `array[${values.map((v) => `'${v}'`).join(', ')}]`;
/** Element `index` (0-based, any integer expression) of a literal array, cycling. */
const pick = (values: readonly string[], index: string) => `(${sqlArray(values)})[1 + ((${index}) % ${values.length})]`;

/** The statements of the load, in order, each with what it makes (for progress). */
function statements(scale: number, today: string): [string, string][] {
  const residents = Math.max(1, Math.round(1_000_000 * scale));
  const day = (expr: string) => `(date '${today}' - (${expr}))`;
  return [
    [
      'gminy and their weights',
      `create temp table gen_gmina on commit drop as
      select g.id, g.kind, g.powiat_code, g.name,
        -- How many residents a CUS of the gmina serves, relative to a rural gmina's.
        case when g.capital then 150 when substr(g.powiat_code, 3, 2)::int >= 61 then 25
             when g.kind = 'URBAN' then 4 when g.kind = 'URBAN_RURAL' then 2 else 1 end as weight
      from gmina g
      where not exists (select 1 from cus_unit u where g.id = any (u.served_gmina_ids))`,
    ],
    [
      'CUS units',
      `create temp table gen_unit on commit drop as
      select row_number() over (order by id) as u, id as seat, kind, powiat_code, name,
        substr(powiat_code, 3, 2)::int >= 61 as city
      from gen_gmina where substr(powiat_code, 3, 2)::int >= 61 or rnd(1, id) < 0.21`,
    ],
    [
      'units serving a second gmina',
      `create temp table gen_served on commit drop as
      select u.u, u.seat as gmina_id from gen_unit u
      union all
      (select distinct on (n.id) u.u, n.id from gen_unit u
        join lateral (select g.id from gen_gmina g where g.powiat_code = u.powiat_code and g.id > u.seat
          and not exists (select 1 from gen_unit s where s.seat = g.id) order by g.id limit 1) n on true
        where not u.city and rnd(2, u.seat) < 0.12
        order by n.id, u.u)`,
    ],
    [
      'insert units',
      `insert into cus_unit (id, gmina_id, served_gmina_ids, name, seat_street, seat_postal_code, seat_city, creation_mode,
        agreement_number, agreement_date, statutory, start_date)
      select ${uuidOf(T.unit, 'u.u')}, u.seat, s.gminy,
        case when cardinality(s.gminy) > 1 then 'Międzygminne Centrum Usług Społecznych ' else 'Centrum Usług Społecznych w ' end || u.name,
        'ul. Główna ' || (1 + u.u % 90), lpad((u.u % 100)::text, 2, '0') || '-' || lpad((u.u % 1000)::text, 3, '0'), u.name,
        case when cardinality(s.gminy) > 1 then 'INTERMUNICIPAL_AGREEMENT' when u.city and rnd(3, u.seat) < 0.1 then 'ADDITIONAL_LARGE_CITY' else 'OPS_TRANSFORMED' end,
        case when cardinality(s.gminy) > 1 then 'POR.' || u.u || '.2022' end, case when cardinality(s.gminy) > 1 then date '2022-03-01' end,
        true, date '2020-01-01' + (rnd(4, u.seat) * 1800)::int
      from gen_unit u join (select u, array_agg(gmina_id order by gmina_id <> (select seat from gen_unit x where x.u = gs.u), gmina_id) as gminy
        from gen_served gs group by u) s on s.u = u.u`,
    ],
    [
      'partners',
      `insert into partner (id, gmina_id, gmina_ids, name, kind, status)
      select ${uuidOf(T.partner, 'u.u * 8 + k')}, u.seat, (select array_agg(gmina_id) from gen_served s where s.u = u.u),
        ${pick(['Stowarzyszenie', 'Fundacja', 'Spółdzielnia Socjalna', 'Parafia', 'Koło Gospodyń Wiejskich'], 'u.u + k')} || ' nr ' || (u.u * 8 + k),
        ${pick(PARTNER_KINDS, `(rnd(5, u.u * 8 + k) * 1000)::int`)}, 'ACTIVE'
      from gen_unit u cross join generate_series(0, 7) k`,
    ],
    // Each partner works with every gmina its unit serves: without that relationship (partner_gmina) it sees none of its assignments.
    [
      'partner relationships',
      `insert into partner_gmina (partner_id, gmina_id, joined_on)
      select ${uuidOf(T.partner, 'u.u * 8 + k')}, s.gmina_id, date '2024-01-01'
      from gen_unit u cross join generate_series(0, 7) k join gen_served s on s.u = u.u`,
    ],
    [
      'services',
      `insert into service (id, gmina_id, cus_unit_id, gmina_ids, name, area, target_groups, provider_kind, fee_kind, status)
      select ${uuidOf(T.service, 'u.u * 16 + k')}, u.seat, ${uuidOf(T.unit, 'u.u')}, (select array_agg(gmina_id) from gen_served s where s.u = u.u),
        'Usługa ' || (k + 1) || ' CUS ' || u.u, ${pick(SERVICE_AREAS, `(rnd(6, u.u * 16 + k) * 1000)::int`)},
        array[${pick(TARGET_GROUPS, `(rnd(7, u.u * 16 + k) * 1000)::int`)}], 'CUS', 'FREE', 'ACTIVE'
      from gen_unit u cross join generate_series(0, 15) k`,
    ],
    [
      'commissions',
      `insert into commission (id, gmina_id, gmina_ids, cus_unit_id, partner_id, title, procedure, agreement_number,
        period_start, period_end, budget, unit_price, volume, volume_unit, status)
      select ${uuidOf(T.commission, 'u.u * 4 + j')}, u.seat, (select array_agg(gmina_id) from gen_served s where s.u = u.u), ${uuidOf(T.unit, 'u.u')},
        ${uuidOf(T.partner, 'u.u * 8 + j')}, 'Zlecenie ' || (j + 1) || ' CUS ' || u.u,
        ${pick(['OPEN_CALL', 'OPEN_CALL', 'SMALL_GRANT', 'PUBLIC_PROCUREMENT'], 'j')}, 'CUS.526.' || (u.u * 4 + j),
        date '2024-01-01', date '2026-12-31', 0, 60.00, 1, 'HOURS', 'ACTIVE'
      from gen_unit u cross join generate_series(0, 3) j`,
    ],
    // Commission j covers the unit's services j, j + 4, j + 8 and j + 12.
    [
      'commission services',
      `insert into commission_service (commission_id, service_id, gmina_id)
      select ${uuidOf(T.commission, 'u.u * 4 + k % 4')}, ${uuidOf(T.service, 'u.u * 16 + k')}, u.seat
      from gen_unit u cross join generate_series(0, 15) k`,
    ],
    [
      'residents',
      `insert into resident (id, gmina_id, first_name, last_name, birth_date, sex, street, postal_code, city)
      select ${uuidOf(T.resident, 'n')}, g.gmina_id, ${pick(FIRST_NAMES, `(rnd(8, n) * 1000)::int`)}, ${pick(LAST_NAMES, `(rnd(9, n) * 1000)::int`)},
        date '1930-01-01' + (rnd(10, n) * 30000)::int, case when rnd(11, n) < 0.58 then 'FEMALE' else 'MALE' end,
        'ul. Polna ' || (1 + n % 120), '00-' || lpad((n % 1000)::text, 3, '0'), g.name
      from (select w.*, (sum(w.people) over (order by w.gmina_id))::bigint as upto
            from (select s.gmina_id, gg.name, greatest(1, round(${residents}::numeric * gg.weight / sum(gg.weight) over ()))::bigint as people
                  from gen_served s join gen_gmina gg on gg.id = s.gmina_id) w) g
        cross join lateral generate_series(g.upto - g.people + 1, g.upto) n`,
    ],
    [
      'applications',
      `insert into application (id, gmina_id, cus_unit_id, resident_id, filed_on, channel, filed_by, requested_areas, status,
        decided_on, decided_by, decision_number, decision_date, refusal_reason, forwarded_to, consent_on, consent_how)
      select ${uuidOf(T.application, 'r.n')}, r.gmina_id, ${uuidOf(T.unit, 's.u')}, r.id, a.filed_on,
        ${pick(['IN_PERSON', 'IN_PERSON', 'PHONE', 'EPUAP', 'POST', 'EMAIL'], 'r.n')}, 'PERSON',
        array[${pick(SERVICE_AREAS, `(rnd(12, r.n) * 1000)::int`)}], a.status,
        case when a.status <> 'FILED' then a.filed_on + a.decide end, case when a.status <> 'FILED' then 'gen-coordinator' end,
        case when a.status = 'REFUSED' then 'DEC.' || r.n end, case when a.status = 'REFUSED' then a.filed_on + a.decide end,
        case when a.status = 'REFUSED' then 'Brak przesłanek do objęcia usługą' end,
        case when a.status = 'FORWARDED' then 'Powiatowe Centrum Pomocy Rodzinie' end,
        case when a.status = 'FORWARDED' then a.filed_on + a.decide end, case when a.status = 'FORWARDED' then 'IN_WRITING' end
      from (select id, gmina_id, ${numberOf('id')} as n from resident
            where ${ours(T.resident)}) r
        join gen_served s on s.gmina_id = r.gmina_id
        cross join lateral (select ${day(`26 + (rnd(13, r.n) * 1035)::int`)} as filed_on, 3 + (rnd(14, r.n) * 18)::int as decide,
          case when rnd(15, r.n) < 0.833 then 'QUALIFIED' when rnd(15, r.n) < 0.917 then 'REFUSED' when rnd(15, r.n) < 0.958 then 'FORWARDED' else 'FILED' end as status) a
      where rnd(16, r.n) < 0.36`,
    ],
    [
      'plans',
      `insert into ipus (id, gmina_id, cus_unit_id, resident_id, application_id, coordinator_subject, coordinator_name, period_start, period_end,
        status, revision, prepared_on, recorded_on, submitted_on, approved_on, approved_by, agreed_on, agreement_how, activated_on, closed_on,
        closing_conversation_on, termination_reason, termination_code)
      select ${uuidOf(T.plan, 'p.n')}, p.gmina_id, p.cus_unit_id, p.resident_id, p.id, 'gen-coordinator', 'Koordynator IPUS', p.period_start, p.period_end,
        p.plan_status, 1, p.prepared_on, p.prepared_on,
        case when p.plan_status <> 'DRAFT' then p.prepared_on + 1 end,
        case when p.plan_status not in ('DRAFT', 'AWAITING_APPROVAL') then p.prepared_on + 2 end,
        case when p.plan_status not in ('DRAFT', 'AWAITING_APPROVAL') then 'gen-director' end,
        case when p.plan_status in ('ACTIVE', 'COMPLETED', 'TERMINATED') then p.prepared_on + 3 end,
        case when p.plan_status in ('ACTIVE', 'COMPLETED', 'TERMINATED') then 'IN_WRITING' end,
        case when p.plan_status in ('ACTIVE', 'COMPLETED', 'TERMINATED') then p.prepared_on + 3 end,
        case when p.plan_status = 'COMPLETED' then p.period_end when p.plan_status = 'TERMINATED' then p.terminated_on end,
        case when p.plan_status = 'COMPLETED' then p.period_end - 3 end,
        case when p.plan_status = 'TERMINATED' then ${pick(['Przeprowadzka do innej gminy', 'Rezygnacja mieszkańca', 'Pobyt w placówce całodobowej', 'Śmierć mieszkańca'], 'p.n')} end,
        case when p.plan_status = 'TERMINATED' then ${pick(['MOVED_AWAY', 'RESIDENT_RESIGNED', 'OTHER', 'DEATH'], 'p.n')} end
      from (select a.*, x.n, x.prepared_on, x.prepared_on + 4 as period_start, (x.prepared_on + 4 + interval '6 months')::date - 1 as period_end,
              x.prepared_on + 4 + (rnd(17, x.n) * 150)::int as terminated_on,
              case
                when (x.prepared_on + 4 + interval '6 months')::date - 1 < date '${today}' then case when rnd(18, x.n) < 0.87 then 'COMPLETED' else 'TERMINATED' end
                when x.prepared_on > date '${today}' - 4 then ${pick(['DRAFT', 'AWAITING_APPROVAL', 'APPROVED'], 'x.n')}
                when x.prepared_on + 4 + (rnd(17, x.n) * 150)::int < date '${today}' and rnd(19, x.n) < 0.06 then 'TERMINATED'
                else 'ACTIVE' end as plan_status
            from application a
              cross join lateral (select ${numberOf('a.id')} as n) k
              cross join lateral (select k.n, least(a.decided_on + (power(rnd(21, k.n), 2) * 45)::int, date '${today}') as prepared_on) x
            where a.status = 'QUALIFIED' and ${ours(T.application, 'a.id')}) p`,
    ],
    [
      'plan items',
      `insert into ipus_item (id, gmina_id, ipus_id, position, service_id, provider_kind, partner_id, commission_id, place_kind,
        weekdays, starts_at, ends_at, start_on, end_on, quantity, quantity_unit)
      select ${uuidOf(T.item, 'p.n * 4 + k')}, p.gmina_id, p.id, k + 1,
        ${uuidOf(T.service, 'u.u * 16 + i.j + 4 * (p.n % 4)')},
        case when i.partner then 'PARTNER' else 'CUS' end,
        case when i.partner then ${uuidOf(T.partner, 'u.u * 8 + i.j')} end,
        case when i.partner then ${uuidOf(T.commission, 'u.u * 4 + i.j')} end,
        case when rnd(22, p.n * 4 + k) < 0.7 then 'RESIDENT_HOME' else 'ONLINE' end,
        i.days, make_time(8 + i.hour, 0, 0), make_time(8 + i.hour + i.length, 0, 0), p.period_start, p.period_end,
        26 * cardinality(i.days) * i.length, 'HOURS'
      from (select id, gmina_id, cus_unit_id, period_start, period_end, ${numberOf('id')} as n
            from ipus where ${ours(T.plan)}) p
        cross join lateral (select ${numberOf('p.cus_unit_id')} as u) u
        cross join lateral generate_series(0, floor(rnd(23, p.n) * 4)::int) k
        cross join lateral (select (rnd(24, p.n * 4 + k) * 4)::int % 4 as j, rnd(25, p.n * 4 + k) < 0.4 as partner,
          (rnd(26, p.n * 4 + k) * 7)::int as hour, 1 + (rnd(27, p.n * 4 + k) * 2)::int as length,
          case when rnd(28, p.n * 4 + k) < 0.5 then array[${pick(['MO', 'TU', 'WE', 'TH', 'FR'], 'p.n + k')}]
               else array[${pick(['MO', 'TU', 'WE'], 'p.n + k')}, ${pick(['TH', 'FR'], 'p.n + k')}] end as days) i`,
    ],
    [
      'deliveries',
      `insert into delivery (id, gmina_id, ipus_item_id, commission_id, partner_id, delivered_on, starts_at, duration_minutes, outcome, recorded_by)
      select ${uuidOf(T.delivery, `(i.n * 512 + (d.day - i.start_on))`)}, i.gmina_id, i.id, i.commission_id, i.partner_id, d.day, i.starts_at,
        (extract(epoch from i.ends_at - i.starts_at) / 60)::int,
        case when o.r < 0.88 then 'DELIVERED' when o.r < 0.93 then 'RESIDENT_ABSENT' when o.r < 0.97 then 'CANCELLED_BY_PROVIDER' else 'CANCELLED_BY_RESIDENT' end,
        'gen-partner'
      from (select i.*, ${numberOf('i.id')} as n,
              greatest(i.start_on, p.activated_on) as first_day, least(i.end_on, coalesce(p.closed_on, date '${today}' - 1), date '${today}' - 1) as last_day
            from ipus_item i join ipus p on p.id = i.ipus_id
            where i.provider_kind = 'PARTNER' and p.activated_on is not null and ${ours(T.item, 'i.id')}) i
        cross join lateral generate_series(i.first_day, i.last_day, interval '1 day') as d0(ts)
        cross join lateral (select d0.ts::date as day) d
        cross join lateral (select rnd(29, i.n * 512 + (d.day - i.start_on)) as r) o
      where (array['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'])[extract(isodow from d.day)::int] = any (i.weekdays)`,
    ],
  ];
}

/** Loads the national dataset into the database at `ownerUrl` (already migrated); refuses when it is there already. */
export async function generateNational(ownerUrl: string, options: NationalOptions): Promise<NationalCounts> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const client = new pg.Client({ connectionString: ownerUrl, application_name: 'cus-platform national generator' });
  await client.connect();
  try {
    const present = await client.query(`select 1 from cus_unit where ${ours(T.unit)} limit 1`);
    if (present.rowCount) throw new Error('The national dataset is already in this database; generate into a fresh one');
    await client.query('begin');
    // Commissions are loaded with a placeholder volume of 1 and sized to their assignments at the end.
    // Triggers off for the load (checks, use counters, the outbox): the rows are consistent by construction.
    await client.query(`set local session_replication_role = replica`);
    await client.query(`set local max_parallel_workers_per_gather = 0`);
    await client.query(`create function pg_temp.rnd(stream int, n bigint) returns float8 language sql immutable parallel safe as
      $$ select (hashint8extended(n, ${Math.trunc(options.seed)}::bigint * 1000 + stream) & 2147483647)::float8 / 2147483648.0 $$`);
    // The delivery table's secondary indexes are built once after its ten million rows, not row by row.
    const { rows: deliveryIndexes } = await client.query<{ name: string; definition: string }>(
      `select i.indexname as name, i.indexdef as definition from pg_indexes i
       where i.schemaname = 'public' and i.tablename = 'delivery'
         and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
    );
    for (const [what, sql] of statements(options.scale, options.today)) {
      if (what === 'deliveries') for (const index of deliveryIndexes) await client.query(`drop index ${index.name}`);
      const t = Date.now();
      const result = await client.query(sql.replaceAll('rnd(', 'pg_temp.rnd('));
      log(`${what}: ${result.rowCount ?? 0} rows in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    const indexed = Date.now();
    for (const index of deliveryIndexes) await client.query(index.definition);
    log(`delivery indexes: ${((Date.now() - indexed) / 1000).toFixed(1)} s`);
    await client.query(`set local session_replication_role = origin`);
    let t = Date.now();
    await client.query(`update commission c set assigned_recipients = u.recipients, assigned_volume = u.assigned, delivered_volume = u.delivered,
        delivered_count = u.sessions, volume = ceil(greatest(u.assigned, 1) * 1.1), budget = round(ceil(greatest(u.assigned, 1) * 1.1) * c.unit_price, 2)
      from (select i.commission_id, count(distinct p.resident_id) as recipients, sum(i.quantity) as assigned,
              coalesce(sum(d.minutes) / 60.0, 0) as delivered, coalesce(sum(d.sessions), 0) as sessions
            from ipus_item i join ipus p on p.id = i.ipus_id
              left join (select ipus_item_id, count(*) as sessions, sum(duration_minutes) as minutes from delivery
                         where outcome = 'DELIVERED' group by 1) d on d.ipus_item_id = i.id
            where i.commission_id is not null and ${ours(T.item, 'i.id')} group by 1) u
      where u.commission_id = c.id and ${ours(T.commission, 'c.id')}`);
    log(`commission use: ${((Date.now() - t) / 1000).toFixed(1)} s`);
    await client.query('commit');
    t = Date.now();
    await client.query('begin');
    await client.query(`select set_config('app.role', 'REPORT_REFRESHER', true)`);
    await client.query('select app.refresh_reports()');
    await client.query('commit');
    log(`report rollup: ${((Date.now() - t) / 1000).toFixed(1)} s`);
    await client.query('analyze');
    const counts = await client.query<Record<string, string>>(`select
      (select count(*) from cus_unit where ${ours(T.unit)}) as units,
      (select count(*) from resident where ${ours(T.resident)}) as residents,
      (select count(*) from application where ${ours(T.application)}) as applications,
      (select count(*) from ipus where ${ours(T.plan)}) as plans,
      (select count(*) from ipus_item where ${ours(T.item)}) as items,
      (select count(*) from delivery where ${ours(T.delivery)}) as deliveries`);
    const row = counts.rows[0];
    return {
      units: Number(row.units),
      residents: Number(row.residents),
      applications: Number(row.applications),
      plans: Number(row.plans),
      items: Number(row.items),
      deliveries: Number(row.deliveries),
      ms: Date.now() - started,
    };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
