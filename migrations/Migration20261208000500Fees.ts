import { Migration } from '@mikro-orm/migrations';
import { enableRls, managedBy, policy, staffReads } from './rls.js';

/**
 * Fees by income (issue 19, "Fees"; DOMAIN.md, "Decisions, fees and working days").
 *
 * - income_criterion: the statutory income criterion (kryterium dochodowe) of the social assistance act,
 *   for a person living alone and per person in a family, from the date a regulation sets it. Reference
 *   data of the whole country, read by every principal like the gmina register; a new regulation is a
 *   new row, never a change of code.
 * - programme_service_fee_threshold: the table a council resolution sets for an income-dependent fee:
 *   income per person up to X% of the criterion -> the person pays Y% of the unit cost; above the last
 *   row 100%. Rows belong to the programme's service and follow its policies (staff read, the programme's
 *   managers write). programme_service.fee_unit_cost: the cost of one hour or session the percentages
 *   apply to, where the resolution sets one (otherwise the commission's unit price).
 * - resident_income: what a resident declared of their household's monthly income and size, and when.
 *   Financial data of a person, walled like resident_sensitive: the coordinators and the director of the
 *   gmina only (not the services organiser, not officials, never a partner). Declarations are history:
 *   no update or delete privilege, a new declaration supersedes the last.
 */
export class Migration20261208000500Fees extends Migration {
  override up(): void {
    const managers = ['DIRECTOR', 'SERVICES_ORGANISER'];
    const keepers = managedBy(['DIRECTOR', 'COORDINATOR']);

    this.addSql(`create table income_criterion (
      valid_from date primary key,
      single_person numeric(12, 2) not null check (single_person > 0),
      per_person_in_family numeric(12, 2) not null check (per_person_in_family > 0)
    )`);
    // Regulations of the Council of Ministers of 11 July 2018, 14 July 2021 and 22 July 2024.
    this.addSql(`insert into income_criterion (valid_from, single_person, per_person_in_family) values
      ('2018-10-01', 701, 528), ('2022-01-01', 776, 600), ('2025-01-01', 1010, 823)`);
    this.addSql(`grant select on income_criterion to cus_app`);
    // Forced like every table (tests/isolation.test.ts): read by any principal, as the gmina register is; written by migrations only.
    for (const sql of enableRls('income_criterion')) this.addSql(sql);
    this.addSql(policy({ table: 'income_criterion', name: 'income_criterion_read', command: 'select', using: '(select app.role()) is not null' }));

    this.addSql(`alter table programme_service add column fee_unit_cost numeric(12, 2) check (fee_unit_cost > 0)`);

    this.addSql(`create table programme_service_fee_threshold (
      programme_service_id uuid not null references programme_service (id) on delete cascade,
      position integer not null check (position >= 1),
      gmina_id integer not null references gmina (id),
      up_to_percent numeric(7, 2) not null check (up_to_percent > 0),
      fee_percent numeric(5, 2) not null check (fee_percent between 0 and 100),
      primary key (programme_service_id, position)
    )`);
    this.addSql(`create index programme_service_fee_threshold_gmina_idx on programme_service_fee_threshold (gmina_id)`);
    const manage = managedBy(managers);
    for (const sql of enableRls('programme_service_fee_threshold')) this.addSql(sql);
    this.addSql(policy({ table: 'programme_service_fee_threshold', name: 'programme_service_fee_threshold_read', command: 'select', using: staffReads() }));
    this.addSql(policy({ table: 'programme_service_fee_threshold', name: 'programme_service_fee_threshold_insert', command: 'insert', check: manage }));
    this.addSql(policy({ table: 'programme_service_fee_threshold', name: 'programme_service_fee_threshold_delete', command: 'delete', using: manage }));
    this.addSql(`grant select, insert, delete on programme_service_fee_threshold to cus_app`);

    this.addSql(`create table resident_income (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      resident_id uuid not null,
      household_income numeric(12, 2) not null check (household_income >= 0),
      household_size integer not null check (household_size between 1 and 30),
      declared_on date not null,
      declared_by text not null,
      created_at timestamptz not null default now(),
      foreign key (resident_id, gmina_id) references resident (id, gmina_id)
    )`);
    this.addSql(`create index resident_income_resident_idx on resident_income (resident_id, declared_on desc, created_at desc)`);
    this.addSql(`create index resident_income_gmina_idx on resident_income (gmina_id)`);
    for (const sql of enableRls('resident_income')) this.addSql(sql);
    this.addSql(policy({ table: 'resident_income', name: 'resident_income_read', command: 'select', using: keepers }));
    this.addSql(
      policy({ table: 'resident_income', name: 'resident_income_insert', command: 'insert', check: `${keepers} and declared_by = (select app.user_id())` }),
    );
    this.addSql(`grant select, insert on resident_income to cus_app`);
  }
}
