import { Migration } from '@mikro-orm/migrations';

/**
 * A material change of an ACTIVE plan (issue 20) waits as a pending revision on the plan itself,
 * ipus.pending_revision: the proposed change with its reason and where it stands (approved,
 * returned). The plan in force is untouched until the resident agrees to the approved change.
 */
export class Migration20261209000210IpusPendingRevision extends Migration {
  override up(): void {
    this.addSql(`alter table ipus add column pending_revision jsonb check (jsonb_typeof(pending_revision) = 'object')`);
    this.addSql(`alter table ipus add constraint ipus_pending_revision_active check (pending_revision is null or status = 'ACTIVE')`);
  }
}
