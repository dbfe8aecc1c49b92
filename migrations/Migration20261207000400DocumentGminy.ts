import { Migration } from '@mikro-orm/migrations';
import { CUS_STAFF, parentVisible, policy, roleIn } from './rls.js';
import { DIAGNOSIS_MANAGERS } from './Migration20261123000300Programmes.js';

/** Tables under a document: each row is visible, and writable by the managers, exactly when its document is. */
const CHILDREN: { table: string; parent: string; key: string; delete: boolean }[] = [
  { table: 'diagnosis_stage', parent: 'diagnosis', key: 'diagnosis_id', delete: true },
  { table: 'research_activity', parent: 'diagnosis', key: 'diagnosis_id', delete: true },
  { table: 'diagnosis_need', parent: 'diagnosis', key: 'diagnosis_id', delete: true },
  { table: 'diagnosis_resource', parent: 'diagnosis', key: 'diagnosis_id', delete: true },
  { table: 'survey_question', parent: 'survey', key: 'survey_id', delete: true },
];

/**
 * Documents of an inter-municipal centre concern the gminy they name (issue 17, item 7).
 *
 * A diagnosis, a survey and a consultation were tied to the unit's seat gmina (gmina_id), so the
 * second gmina of a unit serving two could not see the diagnosis made for it. Each now lists the
 * gminy it concerns in `gmina_ids` (by default all the unit serves; a consultation, those of the
 * draft it consults, or some of them), matched with `&&` against the principal's gminy as
 * cus_unit.served_gmina_ids and service.gmina_ids are, from a GIN index. The staff and officials of
 * each named gmina read the document, and the managers among them change it. `gmina_id` stays the
 * seat (the tenant column the foreign keys use). Rows under a document (stages, research, findings,
 * questions, submissions) follow their document: the policy asks the document's table, under its own
 * policies. Existing documents concern all the gminy their unit serves (a consultation, its draft's).
 */
export class Migration20261207000400DocumentGminy extends Migration {
  override up(): void {
    // The gminy whose documents the principal reads: a CUS's staff and a gmina's officials, their own; nobody else any.
    this.addSql(`create function app.staff_gminy() returns integer[] language sql stable parallel safe as $$
      select case when app.role() in (${[...CUS_STAFF, 'GMINA_OFFICIAL'].map((r) => `'${r}'`).join(', ')}) then app.gminy() else '{}'::integer[] end $$`);

    // A document names only gminy its unit serves (a consultation: gminy of the draft it consults); one that
    // names none (a row written without the column) concerns all of them.
    this.addSql(`create function app.check_document_gminy() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      declare allowed integer[];
      begin
        if tg_table_name = 'consultation' then
          allowed := coalesce((select d.gmina_ids from diagnosis d where d.id = new.diagnosis_id),
                              (select array[p.gmina_id] from programme p where p.id = new.programme_id));
        else
          allowed := (select u.served_gmina_ids from cus_unit u where u.id = new.cus_unit_id);
        end if;
        new.gmina_ids := coalesce(new.gmina_ids, allowed);
        if not (new.gmina_ids <@ coalesce(allowed, '{}')) then
          raise exception 'a document names only gminy its unit serves' using errcode = '23514';
        end if;
        return new;
      end $$`);

    this.addSql(`alter table diagnosis add column gmina_ids integer[]`);
    this.addSql(`update diagnosis d set gmina_ids = u.served_gmina_ids from cus_unit u where u.id = d.cus_unit_id`);
    this.addSql(`alter table survey add column gmina_ids integer[]`);
    this.addSql(`update survey s set gmina_ids = u.served_gmina_ids from cus_unit u where u.id = s.cus_unit_id`);
    this.addSql(`alter table consultation add column gmina_ids integer[]`);
    this.addSql(`update consultation c set gmina_ids = coalesce((select d.gmina_ids from diagnosis d where d.id = c.diagnosis_id), array[c.gmina_id])`);

    const managers = roleIn(...DIAGNOSIS_MANAGERS);
    const scopeSees = 'gmina_ids && (select app.staff_gminy())';
    const manages = `(${managers}) and gmina_ids && (select app.gminy())`;
    const reads: Record<string, string> = {
      diagnosis: scopeSees,
      survey: `(${scopeSees}) or (${roleIn('PUBLIC')} and status = 'PUBLISHED' and public_token = (select app.survey_token()))`,
      consultation: `(${scopeSees}) or (${roleIn('PARTNER')} and gmina_ids && (select app.partner_gminy()))`,
    };
    for (const [table, read] of Object.entries(reads)) {
      this.addSql(`alter table ${table} alter column gmina_ids set not null`);
      this.addSql(`alter table ${table} add constraint ${table}_gmina_ids_check check (cardinality(gmina_ids) >= 1)`);
      this.addSql(`create index ${table}_gminy_idx on ${table} using gin (gmina_ids)`);
      this.addSql(`create trigger ${table}_gminy_exist before insert or update of gmina_ids on ${table} for each row execute function app.check_gmina_ids()`);
      this.addSql(`create trigger ${table}_gminy_served before insert or update on ${table} for each row execute function app.check_document_gminy()`);
      for (const command of ['read', 'insert', 'update']) this.addSql(`drop policy ${table}_${command} on ${table}`);
      this.addSql(policy({ table, name: `${table}_read`, command: 'select', using: read }));
      this.addSql(policy({ table, name: `${table}_insert`, command: 'insert', check: manages }));
      this.addSql(policy({ table, name: `${table}_update`, command: 'update', using: manages, check: manages }));
    }

    const readers = roleIn(...CUS_STAFF, 'GMINA_OFFICIAL');
    for (const child of CHILDREN) {
      const visible = parentVisible(child.parent, child.key);
      const write = `(${managers}) and ${visible}`;
      for (const command of ['read', 'insert', 'update', ...(child.delete ? ['delete'] : [])])
        this.addSql(`drop policy ${child.table}_${command} on ${child.table}`);
      // survey_question keeps the public link's read: the survey's own policy shows the PUBLIC principal its one survey.
      const read = child.table === 'survey_question' ? visible : `(${readers}) and ${visible}`;
      this.addSql(policy({ table: child.table, name: `${child.table}_read`, command: 'select', using: read }));
      this.addSql(policy({ table: child.table, name: `${child.table}_insert`, command: 'insert', check: write }));
      this.addSql(policy({ table: child.table, name: `${child.table}_update`, command: 'update', using: write, check: write }));
      if (child.delete) this.addSql(policy({ table: child.table, name: `${child.table}_delete`, command: 'delete', using: write }));
    }

    // Submissions follow their consultation; a partner still reads and sends only its own.
    const submissionVisible = parentVisible('consultation', 'consultation_id');
    for (const command of ['read', 'insert', 'update']) this.addSql(`drop policy consultation_submission_${command} on consultation_submission`);
    this.addSql(
      policy({
        table: 'consultation_submission',
        name: 'consultation_submission_read',
        command: 'select',
        using: `((${readers}) and ${submissionVisible}) or (${roleIn('PARTNER')} and submitted_by_partner_id = (select app.partner_id()))`,
      }),
    );
    this.addSql(
      policy({
        table: 'consultation_submission',
        name: 'consultation_submission_insert',
        command: 'insert',
        check: `((${readers}) or (${roleIn('PARTNER')} and submitted_by_partner_id = (select app.partner_id())))
        and ${submissionVisible} and submitted_by = (select app.user_id())`,
      }),
    );
    this.addSql(
      policy({
        table: 'consultation_submission',
        name: 'consultation_submission_update',
        command: 'update',
        using: `(${managers}) and ${submissionVisible}`,
        check: `(${managers}) and ${submissionVisible}`,
      }),
    );
  }
}
