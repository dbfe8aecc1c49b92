import { Migration } from '@mikro-orm/migrations';
import { enableRls, parentVisible, policy, roleIn, staffReads, staffTablePolicies } from './rls.js';
import { DIAGNOSIS_MANAGERS } from './Migration20261123000300Programmes.js';
import { sqlList, WEEKDAYS } from './Migration20261123000200Catalogue.js';

/** Who runs community organising: the director and the community organiser (OSL). */
export const COMMUNITY_MANAGERS = ['DIRECTOR', 'COMMUNITY_ORGANISER'];

/**
 * Anonymous surveys and community organising.
 *
 * Surveys: a response carries no principal, no address and no resident, and its answers are not
 * linked to it or to each other (each answer row knows only its question), so no one can read back
 * what one person answered. The PUBLIC principal of a survey link (settings app.role = PUBLIC,
 * app.survey_token = the link's token) sees that one published survey and its questions, and may
 * only insert; it reads no response. Staff read aggregates.
 */
export class Migration20261123000400SurveysCommunity extends Migration {
  override up(): void {
    this.addSql(`create function app.survey_token() returns text language sql stable parallel safe as
      $$ select nullif(current_setting('app.survey_token', true), '') $$`);

    this.addSql(`create table survey (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      cus_unit_id uuid not null,
      diagnosis_id uuid references diagnosis (id),
      title text not null check (btrim(title) <> ''),
      description text,
      opens_on date not null,
      closes_on date not null,
      public_token text not null unique check (length(public_token) >= 22),
      status text not null default 'DRAFT' check (status in ('DRAFT', 'PUBLISHED', 'CLOSED')),
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (id, gmina_id),
      foreign key (cus_unit_id, gmina_id) references cus_unit (id, gmina_id),
      check (closes_on >= opens_on)
    )`);
    this.addSql(`create index survey_gmina_idx on survey (gmina_id, opens_on)`);
    const publicLink = `${roleIn('PUBLIC')} and status = 'PUBLISHED' and public_token = (select app.survey_token())`;
    for (const sql of staffTablePolicies('survey', DIAGNOSIS_MANAGERS, { read: `(${staffReads()}) or (${publicLink})` })) this.addSql(sql);

    this.addSql(`create table survey_question (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      survey_id uuid not null,
      position integer not null check (position >= 1),
      kind text not null check (kind in ('SINGLE_CHOICE', 'MULTIPLE_CHOICE', 'SCALE', 'FREE_TEXT')),
      text text not null check (btrim(text) <> ''),
      options text[] not null default '{}',
      scale_min integer,
      scale_max integer,
      required boolean not null default true,
      unique (survey_id, position) deferrable initially deferred,
      unique (id, gmina_id),
      foreign key (survey_id, gmina_id) references survey (id, gmina_id),
      check ((kind in ('SINGLE_CHOICE', 'MULTIPLE_CHOICE')) = (cardinality(options) >= 2)),
      check ((kind = 'SCALE') = (scale_min is not null and scale_max is not null)),
      check (scale_max is null or scale_max > scale_min)
    )`);
    this.addSql(`create index survey_question_gmina_idx on survey_question (gmina_id)`);
    const publicQuestions = `${roleIn('PUBLIC')} and ${parentVisible('survey', 'survey_id')}`;
    for (const sql of staffTablePolicies('survey_question', DIAGNOSIS_MANAGERS, { read: `(${staffReads()}) or (${publicQuestions})`, delete: true })) {
      this.addSql(sql);
    }

    // Only the day, never the time: with the time, a response could be matched to a web-server log.
    this.addSql(`create table survey_response (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      survey_id uuid not null,
      submitted_on date not null default (now() at time zone 'Europe/Warsaw')::date,
      foreign key (survey_id, gmina_id) references survey (id, gmina_id)
    )`);
    this.addSql(`create index survey_response_survey_idx on survey_response (survey_id)`);
    this.addSql(`create index survey_response_gmina_idx on survey_response (gmina_id)`);

    this.addSql(`create table survey_answer (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      survey_id uuid not null,
      question_id uuid not null,
      choice_indexes integer[],
      scale_value integer,
      text_value text,
      foreign key (survey_id, gmina_id) references survey (id, gmina_id),
      foreign key (question_id, gmina_id) references survey_question (id, gmina_id),
      check (num_nonnulls(choice_indexes, scale_value, text_value) = 1)
    )`);
    this.addSql(`create index survey_answer_question_idx on survey_answer (question_id)`);
    // Results aggregate one survey's answers at a time.
    this.addSql(`create index survey_answer_survey_idx on survey_answer (survey_id, question_id)`);
    this.addSql(`create index survey_answer_gmina_idx on survey_answer (gmina_id)`);

    // Responses are accepted only through an open, published survey's link; nobody updates or deletes them.
    const openSurvey = (table: string) => `exists (select 1 from survey s where s.id = ${table}.survey_id and s.gmina_id = ${table}.gmina_id
      and (now() at time zone 'Europe/Warsaw')::date between s.opens_on and s.closes_on)`;
    for (const table of ['survey_response', 'survey_answer']) {
      for (const sql of enableRls(table)) this.addSql(sql);
      this.addSql(policy({ table, name: `${table}_read`, command: 'select', using: staffReads() }));
      this.addSql(policy({ table, name: `${table}_insert`, command: 'insert', check: `${roleIn('PUBLIC')} and ${openSurvey(table)}` }));
      this.addSql(`grant select, insert on ${table} to cus_app`);
    }

    // How many responses one survey link took in each clock hour: the flood guard shared by every
    // server instance. Holds counts only.
    this.addSql(`create table survey_rate (
      survey_id uuid not null references survey (id),
      gmina_id integer not null references gmina (id),
      window_start timestamptz not null,
      responses integer not null check (responses >= 0),
      primary key (survey_id, window_start)
    )`);
    for (const sql of enableRls('survey_rate')) this.addSql(sql);
    const publicOwnSurvey = `${roleIn('PUBLIC')} and ${parentVisible('survey', 'survey_id')}`;
    this.addSql(policy({ table: 'survey_rate', name: 'survey_rate_public', command: 'all', using: publicOwnSurvey, check: publicOwnSurvey }));
    this.addSql(policy({ table: 'survey_rate', name: 'survey_rate_read', command: 'select', using: staffReads() }));
    this.addSql(`grant select, insert, update on survey_rate to cus_app`);

    // --- community organising (OSL): the plan and the activities.
    this.addSql(`create table community_plan (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      cus_unit_id uuid not null,
      title text not null check (btrim(title) <> ''),
      period_start date not null,
      period_end date not null,
      aims text[] not null check (cardinality(aims) >= 1),
      status text not null default 'ACTIVE' check (status in ('ACTIVE', 'ARCHIVED')),
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (id, gmina_id),
      foreign key (cus_unit_id, gmina_id) references cus_unit (id, gmina_id),
      check (period_end >= period_start)
    )`);
    this.addSql(`create index community_plan_gmina_idx on community_plan (gmina_id, period_start)`);
    for (const sql of staffTablePolicies('community_plan', COMMUNITY_MANAGERS)) this.addSql(sql);

    this.addSql(`create table community_activity (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      cus_unit_id uuid not null,
      plan_id uuid,
      title text not null check (btrim(title) <> ''),
      kind text not null check (kind in ('EVENT', 'GROUP', 'WORKSHOP', 'NEIGHBOURHOOD_INITIATIVE')),
      starts_on date not null,
      ends_on date,
      weekdays text[] check (weekdays is null or (cardinality(weekdays) >= 1 and weekdays <@ array[${sqlList(WEEKDAYS)}])),
      starts_at time,
      ends_at time,
      location_id uuid references location (id),
      organiser text not null check (btrim(organiser) <> ''),
      volunteers text[] not null default '{}',
      participants_count integer check (participants_count >= 0),
      outcome text,
      status text not null default 'PLANNED' check (status in ('PLANNED', 'HELD', 'CANCELLED')),
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      foreign key (cus_unit_id, gmina_id) references cus_unit (id, gmina_id),
      foreign key (plan_id, gmina_id) references community_plan (id, gmina_id),
      check (ends_on is null or ends_on >= starts_on),
      check (ends_at is null or starts_at is null or ends_at > starts_at)
    )`);
    this.addSql(`create index community_activity_gmina_idx on community_activity (gmina_id, starts_on)`);
    this.addSql(`create index community_activity_unit_idx on community_activity (cus_unit_id, starts_on, id)`);
    this.addSql(`create index community_activity_location_idx on community_activity (location_id, starts_on, id) where location_id is not null`);
    // A plan's activities (its list and its totals).
    this.addSql(`create index community_activity_plan_idx on community_activity (plan_id, starts_on, id) where plan_id is not null`);
    for (const sql of staffTablePolicies('community_activity', COMMUNITY_MANAGERS)) this.addSql(sql);
  }
}
