import { Migration } from '@mikro-orm/migrations';

/**
 * A refusal is an administrative decision (KPA art. 107, issue 20): besides its number, date and reason it
 * states its legal basis, its factual and legal reasoning, the appeal body, who signed it, and later the day
 * it was delivered (from which the 14 days for an appeal run). Refusals recorded before it keep nulls.
 */
export class Migration20261209000700RefusalDecision extends Migration {
  override up(): void {
    this.addSql(`alter table application
      add column decision_legal_basis text,
      add column decision_factual_reasoning text,
      add column decision_legal_reasoning text,
      add column decision_appeal_body text,
      add column decision_signatory_name text,
      add column decision_signatory_position text,
      add column decision_delivered_on date`);
    this.addSql(`alter table application add constraint application_delivered_after_decision
      check (decision_delivered_on is null or (status = 'REFUSED' and decision_delivered_on >= decision_date))`);
  }
}
