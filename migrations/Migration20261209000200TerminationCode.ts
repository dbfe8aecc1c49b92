import { Migration } from '@mikro-orm/migrations';
import { TERMINATION_CODES } from '../src/modules/ipus/termination-reason.js';
import { sqlList } from './Migration20261123000200Catalogue.js';

/**
 * A terminated plan carries a coded reason (issue 20), for statistics: ipus.termination_code, one of
 * the TerminationReason values. Plans terminated before it get OTHER (their free text says why). The
 * free text becomes optional except for OTHER.
 */
export class Migration20261209000200TerminationCode extends Migration {
  override up(): void {
    this.addSql(`alter table ipus add column termination_code text check (termination_code in (${sqlList(TERMINATION_CODES)}))`);
    this.addSql(`update ipus set termination_code = 'OTHER' where status = 'TERMINATED'`);
    // The old rule "a terminated plan states its reason" (an unnamed check) gives way to the two below.
    this.addSql(`do $$
      declare c record;
      begin
        for c in select conname from pg_constraint
                 where conrelid = 'ipus'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%termination_reason%'
        loop
          execute format('alter table ipus drop constraint %I', c.conname);
        end loop;
      end $$`);
    this.addSql(`alter table ipus add constraint ipus_terminated_coded check ((status = 'TERMINATED') = (termination_code is not null))`);
    this.addSql(
      `alter table ipus add constraint ipus_other_termination_explained check (termination_code is distinct from 'OTHER' or btrim(coalesce(termination_reason, '')) <> '')`,
    );
  }
}
