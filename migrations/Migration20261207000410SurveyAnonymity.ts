import { Migration } from '@mikro-orm/migrations';
import { SURVEY_MIN_RESPONSES_FLOOR } from '../src/platform/config.js';
import { CUS_STAFF, enableRls, parentVisible, policy, roleIn } from './rls.js';

const TODAY = `(now() at time zone 'Europe/Warsaw')::date`;
/** Tables the responses are kept in: every one of a survey's rows is rewritten by each response. */
const KEPT_IN = ['survey_tally', 'survey_text', 'survey_day'];

/**
 * What a survey keeps of its responses (issue 17, item 6).
 *
 * Each response inserted one survey_response row (with its day) and one survey_answer row per answer,
 * in one transaction: the rows of one response shared the transaction id PostgreSQL stores on each
 * row (xmin) and lay side by side in the table (ctid), in the order they came, so whoever reads the
 * tables as their owner could put each person's answers together again and order them in time.
 *
 * Now nothing is kept per response:
 * - `survey_tally`: per question, how many answered and how often each option (or scale value) was
 *   given: counts only;
 * - `survey_text`: the free texts, per question, with nothing else;
 * - `survey_day`: how many responses came each day.
 * A response adds to the counts of every question of its survey (zero where unanswered) and writes the
 * survey's texts again, sorted, with its own among them, so every row of the survey carries the
 * latest response's transaction id and none stands apart, and no text lies where its arrival put it.
 * Responses to one survey take turns (an advisory lock), so two never leave rows of their own.
 * Superseded row versions stay in the table until vacuumed: autovacuum visits these tables as soon
 * as they have any (thresholds 0). The public principal writes only through app.survey_respond(),
 * which takes the survey from the link's token and checks every count.
 *
 * Staff read the counts of a question only once its survey is closed and at least 5 answered it, and
 * its texts only then: the database holds that floor whatever the resolvers do (SURVEY_MIN_RESPONSES
 * may raise it in the server, never lower it). The flood guard (survey_rate) keeps one row per link:
 * the current clock hour's count; app.survey_rate_expire() erases past hours (every server runs it).
 * Existing answers and responses are folded into the new tables, and the old tables dropped.
 */
export class Migration20261207000410SurveyAnonymity extends Migration {
  override up(): void {
    this.addSql(`create table survey_tally (
      question_id uuid primary key,
      gmina_id integer not null references gmina (id),
      survey_id uuid not null,
      answered integer not null check (answered >= 0),
      counts integer[] not null check (0 <= all (counts)),
      foreign key (survey_id, gmina_id) references survey (id, gmina_id),
      foreign key (question_id, gmina_id) references survey_question (id, gmina_id)
    )`);
    this.addSql(`create index survey_tally_survey_idx on survey_tally (survey_id)`);
    this.addSql(`create index survey_tally_gmina_idx on survey_tally (gmina_id)`);
    this.addSql(`create table survey_text (
      gmina_id integer not null references gmina (id),
      survey_id uuid not null,
      question_id uuid not null,
      text_value text not null check (btrim(text_value) <> ''),
      foreign key (survey_id, gmina_id) references survey (id, gmina_id),
      foreign key (question_id, gmina_id) references survey_question (id, gmina_id)
    )`);
    this.addSql(`create index survey_text_survey_idx on survey_text (survey_id, question_id)`);
    this.addSql(`create index survey_text_gmina_idx on survey_text (gmina_id)`);
    this.addSql(`create table survey_day (
      survey_id uuid not null,
      gmina_id integer not null references gmina (id),
      day date not null,
      responses integer not null check (responses >= 1),
      primary key (survey_id, day),
      foreign key (survey_id, gmina_id) references survey (id, gmina_id)
    )`);
    this.addSql(`create index survey_day_gmina_idx on survey_day (gmina_id)`);

    // --- what is there: counted per question and value, texts in sorted order, responses per day.
    this.addSql(`insert into survey_tally (question_id, gmina_id, survey_id, answered, counts)
      select q.id, q.gmina_id, q.survey_id, count(*)::int,
        case
          when q.kind in ('SINGLE_CHOICE', 'MULTIPLE_CHOICE') then array(select count(*) filter (where i - 1 = any (a2.choice_indexes))::int
            from generate_series(1, cardinality(q.options)) i left join survey_answer a2 on a2.question_id = q.id group by i order by i)
          when q.kind = 'SCALE' then array(select count(a2.question_id)::int
            from generate_series(q.scale_min, q.scale_max) v left join survey_answer a2 on a2.question_id = q.id and a2.scale_value = v group by v order by v)
          else '{}'::integer[]
        end
      from survey_question q join survey_answer a on a.question_id = q.id
      group by q.id`);
    this.addSql(`insert into survey_text (gmina_id, survey_id, question_id, text_value)
      select gmina_id, survey_id, question_id, text_value from survey_answer where text_value is not null order by survey_id, question_id, text_value`);
    this.addSql(`insert into survey_day (survey_id, gmina_id, day, responses)
      select survey_id, gmina_id, submitted_on, count(*)::int from survey_response group by 1, 2, 3`);
    this.addSql(`drop table survey_answer`);
    this.addSql(`drop table survey_response`);

    // --- who reads: the counts of a question of a closed survey that enough people answered, its texts with them.
    const readers = roleIn(...CUS_STAFF, 'GMINA_OFFICIAL');
    for (const sql of enableRls('survey_tally')) this.addSql(sql);
    this.addSql(
      policy({
        table: 'survey_tally',
        name: 'survey_tally_read',
        command: 'select',
        using: `(${readers})
      and answered >= ${SURVEY_MIN_RESPONSES_FLOOR}
      and exists (select 1 from survey s where s.id = survey_tally.survey_id and s.status = 'CLOSED')`,
      }),
    );
    for (const sql of enableRls('survey_text')) this.addSql(sql);
    this.addSql(
      policy({
        table: 'survey_text',
        name: 'survey_text_read',
        command: 'select',
        using: `(${readers}) and exists (select 1 from survey_tally t where t.question_id = survey_text.question_id)`,
      }),
    );
    for (const sql of enableRls('survey_day')) this.addSql(sql);
    this.addSql(policy({ table: 'survey_day', name: 'survey_day_read', command: 'select', using: `(${readers}) and ${parentVisible('survey', 'survey_id')}` }));
    for (const table of KEPT_IN) {
      this.addSql(`grant select on ${table} to cus_app`);
      this.addSql(`alter table ${table} set (autovacuum_vacuum_threshold = 0, autovacuum_vacuum_scale_factor = 0)`);
    }

    // --- one response, through the link's token only. `answers`: one element per question of the survey,
    // { question_id, answered: 0 or 1, counts: per option or scale value 0 or 1, text: a FREE_TEXT's text or null }.
    this.addSql(`create function app.survey_respond(answers jsonb) returns void language plpgsql security definer set search_path = public, pg_temp as $$
      declare
        s survey;
      begin
        select * into s from survey where public_token = app.survey_token() and status = 'PUBLISHED' and ${TODAY} between opens_on and closes_on;
        if app.role() is distinct from 'PUBLIC' or s.id is null then
          raise exception 'responses come only through the link of an open survey' using errcode = '42501';
        end if;
        perform pg_advisory_xact_lock(hashtextextended('survey_respond:' || s.id::text, 0));
        if jsonb_array_length(answers) <> (select count(*) from survey_question where survey_id = s.id)
            or jsonb_array_length(answers) <> (select count(distinct a.question_id) from jsonb_to_recordset(answers) a(question_id uuid))
            or exists (
              select 1 from jsonb_to_recordset(answers) a(question_id uuid, answered int, counts int[], text text)
              left join survey_question q on q.id = a.question_id and q.survey_id = s.id
              where q.id is null or a.answered is null or a.answered not in (0, 1) or a.counts is null
                or cardinality(a.counts) <> case when q.kind in ('SINGLE_CHOICE', 'MULTIPLE_CHOICE') then cardinality(q.options)
                                                 when q.kind = 'SCALE' then q.scale_max - q.scale_min + 1 else 0 end
                or exists (select 1 from unnest(a.counts) c where c is null or c not in (0, 1))
                or case q.kind
                     when 'FREE_TEXT' then (a.text is not null) <> (a.answered = 1) or btrim(coalesce(a.text, 'x')) = ''
                     when 'MULTIPLE_CHOICE' then a.text is not null or (a.answered = 1) <> (1 = any (a.counts))
                     else a.text is not null or (select coalesce(sum(c), 0) from unnest(a.counts) c) <> a.answered
                   end) then
          raise exception 'a response gives every question of its survey once, with counts of 0 or 1' using errcode = '22023';
        end if;

        insert into survey_day (survey_id, gmina_id, day, responses) values (s.id, s.gmina_id, ${TODAY}, 1)
          on conflict (survey_id, day) do update set responses = survey_day.responses + 1;
        insert into survey_tally (question_id, gmina_id, survey_id, answered, counts)
          select a.question_id, s.gmina_id, s.id, a.answered, a.counts from jsonb_to_recordset(answers) a(question_id uuid, answered int, counts int[])
          on conflict (question_id) do update set answered = survey_tally.answered + excluded.answered,
            counts = array(select coalesce(o, 0) + coalesce(n, 0) from unnest(survey_tally.counts, excluded.counts) with ordinality u(o, n, i) order by i);
        with kept as (delete from survey_text where survey_id = s.id returning question_id, text_value),
          given as (select a.question_id, a.text as text_value from jsonb_to_recordset(answers) a(question_id uuid, text text) where a.text is not null)
        insert into survey_text (gmina_id, survey_id, question_id, text_value)
          select s.gmina_id, s.id, question_id, text_value from (select * from kept union all select * from given) t order by question_id, text_value;
      end $$`);
    this.addSql(`revoke all on function app.survey_respond(jsonb) from public`);
    this.addSql(`grant execute on function app.survey_respond(jsonb) to cus_app`);

    // --- the flood guard: one row per link, the current clock hour's count.
    this.addSql(`delete from survey_rate r where exists (select 1 from survey_rate n where n.survey_id = r.survey_id and n.window_start > r.window_start)`);
    this.addSql(`alter table survey_rate drop constraint survey_rate_pkey`);
    this.addSql(`alter table survey_rate add primary key (survey_id)`);
    this.addSql(`create index survey_rate_window_idx on survey_rate (window_start)`);
    this.addSql(`create function app.survey_rate_expire() returns void language sql security definer set search_path = public, pg_temp as $$
      delete from survey_rate where window_start < date_trunc('hour', now()) $$`);
    this.addSql(`revoke all on function app.survey_rate_expire() from public`);
    this.addSql(`grant execute on function app.survey_rate_expire() to cus_app`);
    this.addSql(`drop policy survey_rate_read on survey_rate`);
    this.addSql(
      policy({ table: 'survey_rate', name: 'survey_rate_read', command: 'select', using: `(${readers}) and ${parentVisible('survey', 'survey_id')}` }),
    );
  }
}
