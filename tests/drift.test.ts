import 'reflect-metadata';
import fs from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { MikroORM, type EntityMetadata, type EntityProperty } from '@mikro-orm/postgresql';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { entities } from '../src/modules/entities.js';
import { ServiceArea, TargetGroup, Weekday } from '../src/modules/common/domain.enums.js';
import { ConsultationChannel } from '../src/modules/consultation/consultation.entity.js';
import { renderRoles } from '../scripts/schema.js';

/**
 * The TypeScript and SQL halves of the schema agree (issue 21 item 4). Migrations are written by
 * hand, so nothing else notices when an entity names a column the DDL lacks, reads as non-null a
 * column that may be null, or lists enum values its check constraint does not. These read the
 * migrated test database's catalogue and MikroORM's metadata of every entity (src/modules/entities.ts).
 *
 * Adding a table or a field: the tests below fail until the entity and the migration agree. A column
 * kept by the database and never read by the server is listed in UNMAPPED_COLUMNS, with why.
 */

/** Columns of entity tables no entity property maps: table.column → why none does. */
const UNMAPPED_COLUMNS: Record<string, string> = {
  'gmina.terc': 'generated from the id (the TERC code as 7 characters); read by the report SQL only',
  'service.search_vector': 'generated for full-text search; matched in SQL by the service list',
  'commission.status_changed_on': "kept by a trigger for the partner's access window after a commission ends; read in SQL only",
  'partner_gmina.created_at': 'set by the database on insert; no field shows it',
  'partner_gmina.updated_at': "set by partner.service.ts's SQL updates of a relationship; no field shows it",
};

/** Properties whose nullability differs from their column on purpose: Entity.property → why. */
const NULLABILITY_EXCEPTIONS: Record<string, string> = {};

/** Enum properties no check constraint bounds: table.column → why none does. */
const UNCONSTRAINED_ENUMS: Record<string, string> = {
  'resident_access_log.role': "the insert policy requires the principal's own role (role = app.role()), which the token door allows only from Role",
  'resident_search_log.role': "the insert policy requires the principal's own role (role = app.role()), which the token door allows only from Role",
};

/**
 * Array columns whose elements a check constraint bounds (`column <@ ARRAY[...]`): MikroORM's metadata
 * carries no enum for an array property, so the TypeScript enum of its elements is named here.
 */
const ARRAY_ENUMS: Record<string, Record<string, string>> = {
  'application.requested_areas': ServiceArea,
  'community_activity.weekdays': Weekday,
  'consultation.channels': ConsultationChannel,
  'ipus_coordinated_help.weekdays': Weekday,
  'ipus_item.weekdays': Weekday,
  'programme.target_groups': TargetGroup,
  'research_activity.target_groups': TargetGroup,
  'service.target_groups': TargetGroup,
  'service_schedule.weekdays': Weekday,
};

interface Column {
  table: string;
  column: string;
  type: string;
  notNull: boolean;
}

let orm: MikroORM;
let db: pg.Client;
let columns: Map<string, Column>;
let metas: EntityMetadata[];

/**
 * The database's spelling of a type, for the spellings MikroORM writes in columnTypes. A time property
 * with no length is `time(0)` to MikroORM (what it would create), and reads the same from `time`.
 */
function normalType(type: string, prop: EntityProperty): string {
  if (type === 'time(0)' && prop.length === undefined) return 'time without time zone';
  const [base, array] = [type.replace(/\[\]$/, ''), type.endsWith('[]') ? '[]' : ''];
  const aliases: Record<string, string> = {
    int: 'integer',
    int4: 'integer',
    int8: 'bigint',
    bigserial: 'bigint',
    serial: 'integer',
    bool: 'boolean',
    timestamptz: 'timestamp with time zone',
    'timestamptz(6)': 'timestamp with time zone',
    float8: 'double precision',
    time: 'time without time zone',
    varchar: 'character varying',
  };
  return (aliases[base] ?? base.replace(/^decimal/, 'numeric').replace(/^char\(/, 'character(')) + array;
}

/** Column properties of an entity: what MikroORM reads and writes. */
function columnProperties(meta: EntityMetadata): EntityProperty[] {
  return meta.props.filter((p) => p.persist !== false && !p.formula && p.fieldNames?.length);
}

beforeAll(async () => {
  // For its metadata only: the entities as the server registers them.
  orm = await MikroORM.init({ clientUrl: inject('ownerUrl'), entities, metadataProvider: ReflectMetadataProvider });
  metas = [...orm.getMetadata()].filter((meta) => meta.tableName && !meta.embeddable && !meta.virtual && !meta.abstract);
  db = new pg.Client(inject('ownerUrl'));
  await db.connect();
  const { rows } = await db.query<Column>(`
    select c.relname as table, a.attname as column, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as "notNull"
      from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped`);
  columns = new Map(rows.map((row) => [`${row.table}.${row.column}`, row]));
});

afterAll(async () => {
  await db?.end();
  await orm?.close();
});

describe('entities against the migrated database', () => {
  test('every entity has a table', () => {
    const tables = new Set([...columns.values()].map((c) => c.table));
    expect(metas.length).toBeGreaterThan(30);
    expect(metas.filter((meta) => !tables.has(meta.tableName)).map((meta) => `${meta.className} → ${meta.tableName}`)).toEqual([]);
  });

  test('every mapped property has its column, of the type the entity declares', () => {
    const problems: string[] = [];
    for (const meta of metas) {
      for (const prop of columnProperties(meta)) {
        prop.fieldNames.forEach((field, i) => {
          const column = columns.get(`${meta.tableName}.${field}`);
          if (!column) return problems.push(`${meta.className}.${prop.name}: no column ${meta.tableName}.${field}`);
          const declared = normalType(prop.columnTypes[i], prop);
          if (declared !== column.type) problems.push(`${meta.className}.${prop.name}: declared ${declared}, ${meta.tableName}.${field} is ${column.type}`);
        });
      }
    }
    expect(problems).toEqual([]);
  });

  test('every property is nullable exactly when its column is', () => {
    const problems: string[] = [];
    for (const meta of metas) {
      for (const prop of columnProperties(meta)) {
        const column = columns.get(`${meta.tableName}.${prop.fieldNames[0]}`);
        if (!column || NULLABILITY_EXCEPTIONS[`${meta.className}.${prop.name}`]) continue;
        const nullable = prop.nullable === true;
        if (nullable === column.notNull) {
          problems.push(
            `${meta.className}.${prop.name}: ${nullable ? 'nullable' : 'not nullable'}, ${meta.tableName}.${column.column} is ${column.notNull ? 'not null' : 'nullable'}`,
          );
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('every column of an entity table is mapped, or listed with why it is not', () => {
    const mapped = new Set(metas.flatMap((meta) => columnProperties(meta).flatMap((p) => p.fieldNames.map((f) => `${meta.tableName}.${f}`))));
    const tables = new Set(metas.map((meta) => meta.tableName));
    const unmapped = [...columns.keys()].filter((key) => tables.has(key.split('.')[0]) && !mapped.has(key) && !UNMAPPED_COLUMNS[key]);
    expect(unmapped).toEqual([]);
    // The list holds only columns that exist and are still unmapped.
    expect(Object.keys(UNMAPPED_COLUMNS).filter((key) => !columns.has(key) || mapped.has(key))).toEqual([]);
  });
});

/**
 * The values a check constraint allows in one column, when the constraint is a domain: `column = any
 * (array[...])` or `column <@ array[...]`, alone or with `column is null` and `cardinality(column) >= 1`.
 * Constraints that only relate a value to other columns (`(kind = any (...)) = (cardinality(options) >= 2)`)
 * are not domains.
 */
function domainOf(definition: string): { column: string; values: string[] } | null {
  const membership = /"?(\w+)"? (?:= ANY \(|<@ )ARRAY\[([^\]]*)\]/g;
  const found = [...definition.matchAll(membership)];
  if (found.length !== 1) return null;
  const [, column, list] = found[0];
  const rest = definition
    .replace(membership, 'M')
    .replace(new RegExp(`cardinality\\(${column}\\) >= 1`, 'g'), 'C')
    .replace(new RegExp(`"?${column}"? IS NULL`, 'g'), 'N')
    .replace(/^CHECK|[()\s]|AND|OR|M|C|N/g, '');
  if (rest !== '') return null;
  return { column, values: [...list.matchAll(/'((?:[^']|'')*)'::text/g)].map((m) => m[1].replaceAll("''", "'")) };
}

/** "only in TypeScript: …; only in the database: …", or '' when the sets are equal. */
function setDiff(typescript: readonly string[], database: readonly string[]): string {
  const onlyTs = typescript.filter((v) => !database.includes(v));
  const onlyDb = database.filter((v) => !typescript.includes(v));
  return [onlyTs.length ? `only in TypeScript: ${onlyTs.join(', ')}` : '', onlyDb.length ? `only in the database: ${onlyDb.join(', ')}` : '']
    .filter(Boolean)
    .join('; ');
}

describe('enums against their constraints', () => {
  /** table.column → the values the database allows, from check constraints and PostgreSQL enum types. */
  let allowed: Map<string, { by: string; values: string[] }>;

  beforeAll(async () => {
    allowed = new Map();
    const checks = await db.query<{ table: string; name: string; definition: string }>(`
      select conrelid::regclass::text as table, conname as name, pg_get_constraintdef(oid) as definition
        from pg_constraint where contype = 'c' and connamespace = 'public'::regnamespace and conrelid <> 0`);
    for (const check of checks.rows) {
      const domain = domainOf(check.definition);
      if (domain) allowed.set(`${check.table}.${domain.column}`, { by: `constraint ${check.name}`, values: domain.values });
    }
    const enumTyped = await db.query<{ table: string; column: string; type: string; labels: string[] }>(`
      select c.relname as table, a.attname as column, t.typname as type, array_agg(e.enumlabel order by e.enumsortorder) as labels
        from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
        join pg_type t on t.oid = coalesce(nullif(t.typelem, 0), a.atttypid) or t.oid = a.atttypid
        join pg_enum e on e.enumtypid = t.oid
       where n.nspname = 'public' and a.attnum > 0 and not a.attisdropped
       group by 1, 2, 3`);
    for (const row of enumTyped.rows) allowed.set(`${row.table}.${row.column}`, { by: `enum type ${row.type}`, values: row.labels });
  });

  test('the constraint reader finds domains, and only domains', () => {
    expect(domainOf(`CHECK ((status = ANY (ARRAY['A'::text, 'B''s'::text])))`)).toEqual({ column: 'status', values: ['A', "B's"] });
    expect(domainOf(`CHECK (((weekdays IS NULL) OR ((cardinality(weekdays) >= 1) AND (weekdays <@ ARRAY['MO'::text]))))`)).toEqual({
      column: 'weekdays',
      values: ['MO'],
    });
    expect(domainOf(`CHECK (((kind = ANY (ARRAY['A'::text, 'B'::text])) = (cardinality(options) >= 2)))`)).toBeNull();
    expect(domainOf(`CHECK (((status <> ALL (ARRAY['A'::text])) OR (closed_on IS NOT NULL)))`)).toBeNull();
    expect(allowed.size).toBeGreaterThan(40);
  });

  test('every enum property has the values its column allows, both ways', () => {
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const meta of metas) {
      for (const prop of columnProperties(meta)) {
        const key = `${meta.tableName}.${prop.fieldNames[0]}`;
        const items =
          prop.enum && Array.isArray(prop.items) ? (prop.items as unknown[]).map(String) : ARRAY_ENUMS[key] ? Object.values(ARRAY_ENUMS[key]) : null;
        const domain = allowed.get(key);
        if (domain) seen.add(key);
        if (!items && !domain) continue;
        if (!domain) {
          if (!UNCONSTRAINED_ENUMS[key]) problems.push(`${meta.className}.${prop.name}: an enum property, but no constraint bounds ${key}`);
        } else if (!items) {
          problems.push(`${key} is bounded by ${domain.by}, but ${meta.className}.${prop.name} has no TypeScript enum (add it to ARRAY_ENUMS)`);
        } else {
          const diff = setDiff(items, domain.values);
          if (diff) problems.push(`${meta.className}.${prop.name} against ${domain.by}: ${diff}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(Object.keys(ARRAY_ENUMS).filter((key) => !seen.has(key))).toEqual([]);
  });
});

describe('the roles allowed on every root field', () => {
  test('schema/roles.snapshot.txt is what `npm run schema` generates (review its diff like schema.graphql)', async () => {
    const committed = fs.readFileSync(new URL('../schema/roles.snapshot.txt', import.meta.url), 'utf8');
    expect(committed).toBe(await renderRoles());
  });
});
