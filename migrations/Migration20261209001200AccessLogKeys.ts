import { Migration } from '@mikro-orm/migrations';

/**
 * The access log's keys (issue 23, its point 6), decided by measurement. Each logged row checked two
 * foreign keys: (resident_id, gmina_id) against `resident`, and gmina_id against `gmina`. The second
 * says nothing the first does not (a resident's gmina is a gmina: resident's own key), and cost
 * 0.19 ms of the partner week's 4.1 ms statement (25 residents logged; a prepared statement with a
 * generic plan, median of six runs against the national dataset at scale 0.1, PostgreSQL 15): it goes.
 *
 * The key to `resident` stays. It cost another 0.05 ms there, and it is what makes a log row name a
 * real resident of that gmina whatever writes it. Residents are never deleted (a merge keeps both
 * records), so it never stands in the way of erasure.
 */
export class Migration20261209001200AccessLogKeys extends Migration {
  override up(): void {
    this.addSql(`alter table resident_access_log drop constraint resident_access_log_gmina_id_fkey`);
  }

  override down(): void {
    this.addSql(`alter table resident_access_log add constraint resident_access_log_gmina_id_fkey foreign key (gmina_id) references gmina (id)`);
  }
}
