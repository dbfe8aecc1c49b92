import { Migration } from '@mikro-orm/migrations';

/**
 * A document's gminy are checked against its unit (or draft) when they are written, not at every
 * change of the document: a unit that stops serving a gmina (cusUnitUpdate) left its earlier
 * documents naming that gmina, and then every later edit of them (a title, closing a survey,
 * archiving a diagnosis) failed the check of Migration20261207000400DocumentGminy. They keep the
 * gminy they were made for until someone changes them, and a change must name served gminy only.
 */
export class Migration20261207000420DocumentGminyCheckedOnChange extends Migration {
  override up(): void {
    const columns: Record<string, string> = {
      diagnosis: 'gmina_ids, cus_unit_id',
      survey: 'gmina_ids, cus_unit_id',
      consultation: 'gmina_ids, diagnosis_id, programme_id',
    };
    for (const [table, watched] of Object.entries(columns)) {
      this.addSql(`drop trigger ${table}_gminy_served on ${table}`);
      this.addSql(
        `create trigger ${table}_gminy_served before insert or update of ${watched} on ${table} for each row execute function app.check_document_gminy()`,
      );
    }
  }
}
