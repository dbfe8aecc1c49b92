import { Migration } from '@mikro-orm/migrations';
import { DEFAULT_MONITORING_INTERVAL_DAYS, MAX_MONITORING_INTERVAL_DAYS } from '../src/modules/worklist/worklist.rules.js';

/**
 * The worklist (issue 20): each unit's monitoring interval, the days after which an active plan
 * without a new monitoring note is overdue for one.
 */
export class Migration20261209000300WorklistMonitoringInterval extends Migration {
  override up(): void {
    this.addSql(
      `alter table cus_unit add column monitoring_interval_days integer not null default ${DEFAULT_MONITORING_INTERVAL_DAYS}
         check (monitoring_interval_days between 1 and ${MAX_MONITORING_INTERVAL_DAYS})`,
    );
  }
}
