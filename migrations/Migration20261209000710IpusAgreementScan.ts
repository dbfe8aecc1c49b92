import { Migration } from '@mikro-orm/migrations';
import { RECORD_READERS, Role } from '../src/platform/auth/roles.js';
import { MAX_SCAN_BYTES, SCAN_FILE_TYPES } from '../src/modules/ipus-scan/scan-content.js';
import { sqlList } from './Migration20261123000200Catalogue.js';
import { enableRls, managedBy, parentVisible, policy } from './rls.js';

/**
 * The signed scan of a plan's agreement (issue 20): the IPUS document the resident signed, as a PDF, JPEG
 * or PNG, one per plan. Read by those who read the plan, attached by its coordinators; never changed.
 */
export class Migration20261209000710IpusAgreementScan extends Migration {
  override up(): void {
    const table = 'ipus_agreement_scan';
    this.addSql(`create table ${table} (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      ipus_id uuid not null unique,
      file_name text not null check (btrim(file_name) <> '' and char_length(file_name) <= 300),
      file_type text not null check (file_type in (${sqlList(SCAN_FILE_TYPES)})),
      size_bytes integer not null check (size_bytes between 1 and ${MAX_SCAN_BYTES}),
      content bytea not null check (octet_length(content) = size_bytes),
      uploaded_by text not null,
      created_at timestamptz not null default now(),
      foreign key (ipus_id, gmina_id) references ipus (id, gmina_id)
    )`);
    this.addSql(`create index ${table}_gmina_idx on ${table} (gmina_id)`);
    for (const sql of enableRls(table)) this.addSql(sql);
    const readers = `${managedBy([...RECORD_READERS])} and ${parentVisible('ipus', 'ipus_id')}`;
    const attachers = `${managedBy([Role.COORDINATOR])} and ${parentVisible('ipus', 'ipus_id')}`;
    this.addSql(policy({ table, name: `${table}_read`, command: 'select', using: readers }));
    this.addSql(policy({ table, name: `${table}_insert`, command: 'insert', check: attachers }));
    this.addSql(`grant select, insert on ${table} to cus_app`);
  }
}
