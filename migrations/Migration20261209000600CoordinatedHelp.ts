import { Migration } from '@mikro-orm/migrations';
import { RECORD_READERS, Role } from '../src/platform/auth/roles.js';
import { COORDINATED_HELP_SYSTEM_CODES } from '../src/modules/ipus/coordinated-help-system.js';
import { sqlList } from './Migration20261123000200Catalogue.js';
import { enableRls, managedBy, policy } from './rls.js';

/**
 * Coordinated help outside the catalogue (issue 20): a plan names help the person gets from other
 * systems (health fund rehabilitation, the social-assistance team's benefits, a school's support),
 * with the system, the provider, what is given, a schedule (free text or weekdays and hours) and dates.
 * It is part of the plan like its supporting actions: read by those who read plans, written by the
 * plan's coordinators, kept in the plan's revisions. It is outside commissioning: no commission, no
 * deliveries, no capacity, so nothing refers to it.
 */
export class Migration20261209000600CoordinatedHelp extends Migration {
  override up(): void {
    const table = 'ipus_coordinated_help';
    this.addSql(`create table ${table} (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      ipus_id uuid not null,
      position integer not null check (position >= 1),
      system text not null check (system in (${sqlList(COORDINATED_HELP_SYSTEM_CODES)})),
      provider_name text not null check (btrim(provider_name) <> '' and char_length(provider_name) <= 300),
      description text not null check (btrim(description) <> '' and char_length(description) <= 2000),
      schedule text check (char_length(schedule) <= 500),
      weekdays text[] check (cardinality(weekdays) >= 1 and weekdays <@ array['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']),
      starts_at time,
      ends_at time,
      start_on date,
      end_on date,
      foreign key (ipus_id, gmina_id) references ipus (id, gmina_id),
      check ((weekdays is null) = (starts_at is null) and (starts_at is null) = (ends_at is null)),
      check (ends_at > starts_at),
      check (end_on >= start_on)
    )`);
    this.addSql(`create index ${table}_plan_idx on ${table} (ipus_id, position)`);
    this.addSql(`create index ${table}_gmina_idx on ${table} (gmina_id)`);
    for (const sql of enableRls(table)) this.addSql(sql);
    const readers = managedBy([...RECORD_READERS]);
    const editors = managedBy([Role.COORDINATOR]);
    this.addSql(policy({ table, name: `${table}_read`, command: 'select', using: readers }));
    this.addSql(policy({ table, name: `${table}_write`, command: 'all', using: editors, check: editors }));
    this.addSql(`grant select, insert, update, delete on ${table} to cus_app`);
  }
}
