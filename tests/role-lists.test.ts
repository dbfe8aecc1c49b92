import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { Role, isRole } from '../src/platform/auth/roles.js';
import { projectRoot } from '../src/platform/config.js';

/**
 * Role lists are written twice: in TypeScript (`@Authorized(...COMMISSION_MANAGERS)`, guards) and in
 * the policies and functions the migrations made from their own copies under the same names
 * (issue 21 item 4). The database is what counts, so each TypeScript list is checked against the
 * policies and functions that apply it, as the migrated test database holds them now: one of the
 * role sets the object names, or all of them together, must be the list (plus the roles in `with`).
 *
 * Adding a role list, or a policy that applies one: add it to WHERE_APPLIED (or to TYPESCRIPT_ONLY,
 * saying why the database has no copy). A new migration imports the list from src rather than
 * writing it again (as Migration20261207000100PartnerRelationships does with PARTNER_MANAGERS).
 */

interface Applied {
  /** A policy's name (pg_policies), or `function app.name` (its source, pg_proc). */
  object: string;
  /** Roles the object allows beside the list, written into the same set. */
  with?: Role[];
}

const policies = (...names: string[]): Applied[] => names.map((object) => ({ object }));

/** Where the database applies each TypeScript role list. */
const WHERE_APPLIED: Record<string, Applied[]> = {
  CUS_STAFF: [
    ...['programme_read', 'partner_council_read', 'report_fact_read', 'statutory_cus_read', 'function app.staff_gminy', 'function app.report'].map(
      (object) => ({ object, with: [Role.GMINA_OFFICIAL] }),
    ),
  ],
  GMINA_SCOPED: policies('programme_read', 'partner_gmina_read', 'research_activity_read', 'survey_tally_read', 'function app.staff_gminy'),
  PARTNER_READERS: policies('partner_gmina_read'),
  DIAGNOSIS_READERS: policies('diagnosis_stage_read', 'diagnosis_need_read', 'diagnosis_resource_read', 'research_activity_read'),
  PROGRAMME_READERS: policies('programme_read', 'programme_service_read'),
  SURVEY_READERS: policies('survey_day_read', 'survey_rate_read', 'survey_tally_read', 'survey_text_read'),
  COMMUNITY_READERS: policies('community_plan_read', 'community_activity_read'),
  RECORD_READERS: policies(
    'resident_read',
    'application_read',
    'outbox_event_application_read',
    'needs_assessment_read',
    'ipus_read',
    'ipus_goal_read',
    'ipus_item_read',
    'ipus_revision_read',
    'ipus_monitoring_note_insert',
    'resident_access_log_insert',
    'resident_search_log_insert',
  ),
  RECORD_KEEPERS: policies(
    'resident_insert',
    'resident_update',
    'resident_sensitive_all',
    'application_insert',
    'application_update',
    'needs_assessment_insert',
    'needs_assessment_update',
    'needs_assessment_need_write',
  ),
  DELIVERY_READERS: policies('delivery_read', 'delivery_correction_read'),
  // The migration's NOTE_KEEPERS, and the partner that wrote the note.
  DELIVERY_NOTE_READERS: policies('delivery_note_read'),
  PARTNER_MANAGERS: policies(
    'partner_insert',
    'partner_update',
    'partner_gmina_insert',
    'partner_gmina_update',
    'partner_gmina_delete',
    'function app.partner_identity_guard',
    'function app.partner_join',
  ),
  COUNCIL_MANAGERS: policies(
    'partner_council_insert',
    'partner_council_update',
    'partner_council_member_insert',
    'partner_council_member_update',
    'partner_council_meeting_insert',
    'partner_council_meeting_update',
    'partner_council_meeting_delete',
  ),
  CATALOGUE_READERS: policies('location_read'),
  CATALOGUE_MANAGERS: policies(
    'service_insert',
    'service_update',
    'service_location_insert',
    'service_location_update',
    'service_location_delete',
    'service_schedule_insert',
    'service_schedule_update',
    'service_schedule_delete',
  ),
  LOCATION_MANAGERS: policies('location_insert', 'location_update'),
  PROGRAMME_MANAGERS: policies('programme_insert', 'programme_update', 'programme_service_insert', 'programme_service_update', 'programme_service_delete'),
  DIAGNOSIS_MANAGERS: policies(
    'diagnosis_insert',
    'diagnosis_update',
    'diagnosis_stage_insert',
    'diagnosis_stage_update',
    'diagnosis_stage_delete',
    'research_activity_insert',
    'research_activity_update',
    'research_activity_delete',
    'diagnosis_need_insert',
    'diagnosis_need_update',
    'diagnosis_need_delete',
    'diagnosis_resource_insert',
    'diagnosis_resource_update',
    'diagnosis_resource_delete',
  ),
  SURVEY_MANAGERS: policies('survey_insert', 'survey_update', 'survey_question_insert', 'survey_question_update', 'survey_question_delete'),
  CONSULTATION_MANAGERS: policies('consultation_insert', 'consultation_update', 'consultation_submission_update'),
  CONSULTATION_PARTICIPANTS: policies('consultation_submission_insert', 'consultation_submission_read'),
  COMMUNITY_MANAGERS: policies('community_plan_insert', 'community_plan_update', 'community_activity_insert', 'community_activity_update'),
  COMMISSION_MANAGERS: policies('commission_insert', 'commission_update', 'commission_service_write'),
  COMMISSION_READERS: policies('commission_read'),
  // The commission's managers in its gmina, and its partner (Migration20261208000400Settlement).
  SETTLEMENT_READERS: policies('settlement_read', 'settlement_insert', 'settlement_update', 'outbox_event_settlement_read', 'function app.settlement_lines'),
  // Plans are written by the coordinator (the migration's PLAN_EDITORS) and approved by these.
  PLAN_APPROVERS: [{ object: 'ipus_update', with: [Role.COORDINATOR] }],
  PROTECTED_ROLES: policies('function app.report'),
  CLOSED_DAY_READERS: policies('gmina_closed_day_read'),
  CLOSED_DAY_KEEPERS: policies('gmina_closed_day_insert', 'gmina_closed_day_delete'),
};

/** TypeScript role lists the database has no copy of: name → why. */
const TYPESCRIPT_ONLY: Record<string, string> = {};

/** Every exported `const NAME = [...]` of src/ whose value is a non-empty list of roles, by name. */
async function typescriptRoleLists(): Promise<Map<string, { file: string; roles: string[] }>> {
  const lists = new Map<string, { file: string; roles: string[] }>();
  const files = fs.readdirSync(path.join(projectRoot, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && f !== 'main.ts');
  for (const file of files) {
    const source = fs.readFileSync(path.join(projectRoot, 'src', file), 'utf8');
    const names = [...source.matchAll(/^export const ([A-Z][A-Z_]+)\b[^=]*= \[/gm)].map((m) => m[1]);
    if (names.length === 0) continue;
    const exported = (await import(path.join(projectRoot, 'src', file))) as Record<string, unknown>;
    for (const name of names) {
      const value = exported[name];
      if (Array.isArray(value) && value.length > 0 && value.every(isRole)) lists.set(name, { file: `src/${file}`, roles: value });
    }
  }
  return lists;
}

const ROLE_NAMES = new Set<string>(Object.values(Role));

/** The role sets an SQL text names: `in ('A', 'B')`, `any (array['A', 'B'])`, `= 'A'`; only sets of roles. */
function roleSets(sql: string): string[][] {
  const sets: string[][] = [];
  const lists = [...sql.matchAll(/ARRAY\[([^\]]*)\]/g), ...sql.matchAll(/\bin \(('[^)]*')\)/gi)].map((m) => [...m[1].matchAll(/'(\w+)'/g)].map((v) => v[1]));
  for (const list of lists) if (list.length > 0 && list.every((v) => ROLE_NAMES.has(v))) sets.push(list);
  for (const single of sql.matchAll(/= '(\w+)'(?:::text)?/g)) if (ROLE_NAMES.has(single[1])) sets.push([single[1]]);
  return sets;
}

const key = (roles: Iterable<string>) => [...new Set(roles)].sort().join(', ');

let db: pg.Client;
let sqlOf: Map<string, string>;
let lists: Map<string, { file: string; roles: string[] }>;

beforeAll(async () => {
  db = new pg.Client(inject('ownerUrl'));
  await db.connect();
  const found = await db.query<{ object: string; sql: string }>(`
    select policyname as object, coalesce(qual, '') || ' ' || coalesce(with_check, '') as sql from pg_policies where schemaname = 'public'
    union all
    select 'function ' || n.nspname || '.' || p.proname, p.prosrc from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'app'`);
  sqlOf = new Map(found.rows.map((row) => [row.object, row.sql]));
  lists = await typescriptRoleLists();
});

afterAll(async () => {
  await db?.end();
});

describe('role lists written in TypeScript and in SQL', () => {
  test('the SQL reader finds role sets as PostgreSQL prints them', () => {
    expect(roleSets(`((SELECT app.role() AS role) = ANY (ARRAY['DIRECTOR'::text, 'SERVICES_ORGANISER'::text]))`)).toEqual([['DIRECTOR', 'SERVICES_ORGANISER']]);
    expect(roleSets(`if app.role() not in ('DIRECTOR', 'COORDINATOR') or x = 'PARTNER' then`)).toEqual([['DIRECTOR', 'COORDINATOR'], ['PARTNER']]);
    expect(roleSets(`status = ANY (ARRAY['ACTIVE'::text])`)).toEqual([]);
  });

  test('every TypeScript role list is checked against the database, or says why it has no copy there', () => {
    expect(lists.size).toBeGreaterThan(20);
    const unaccounted = [...lists.keys()].filter((name) => !WHERE_APPLIED[name] && !TYPESCRIPT_ONLY[name]);
    expect(unaccounted).toEqual([]);
    expect(Object.keys({ ...WHERE_APPLIED, ...TYPESCRIPT_ONLY }).filter((name) => !lists.has(name))).toEqual([]);
  });

  test('each list allows in the database exactly the roles it allows in TypeScript', () => {
    const problems: string[] = [];
    for (const [name, applied] of Object.entries(WHERE_APPLIED)) {
      const list = lists.get(name);
      if (!list) continue;
      for (const { object, with: beside = [] } of applied) {
        const sql = sqlOf.get(object);
        if (sql === undefined) {
          problems.push(`${name}: the database has no ${object.startsWith('function ') ? object : `policy ${object}`}`);
          continue;
        }
        const expected = key([...list.roles, ...beside]);
        const sets = roleSets(sql);
        const all = key(sets.flat());
        if (!sets.some((set) => key(set) === expected) && all !== expected) {
          problems.push(
            `${name} (${list.file}) is [${key(list.roles)}]${beside.length ? ` with ${beside.join(', ')}` : ''}; ${object} allows ${sets.map((s) => `[${key(s)}]`).join(' or ') || 'no named roles'}`,
          );
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
