import { instant } from '../graphql/scalars.js';

/**
 * One committed change, as the outbox table holds it (migrations/Migration20261123000600Ipus.ts).
 * It names what changed, never the personal data itself: subscribers read that under their own rights.
 */
export interface OutboxEvent {
  /** The outbox id as a decimal string (a bigint); ids grow in commit order. */
  id: string;
  topic: OutboxTopic;
  gminaId: number;
  /** The plan (IPUS), the plan item (ASSIGNMENT), the partner (STANDING), the settlement or the application the event is about. */
  subjectId: string;
  /** The partner an ASSIGNMENT or STANDING event is addressed to. */
  partnerId: string | null;
  revision: number;
  kind: string;
  /** Paths of the fields that changed, e.g. "items", "periodEnd". */
  changes: string[];
  occurredAt: Date;
}

/**
 * IPUS: a plan changed (for staff). ASSIGNMENT: an item assigned to a partner appeared, changed or went,
 * or its commission was suspended, resumed or ended (for that partner). STANDING: a gmina's relationship
 * with a partner became active (kind ACTIVE) or stopped being so (RETIRED); never sent to a client, it
 * tells the server to re-read that partner's standing (migrations/Migration20261207000900PartnerStanding.ts).
 * SETTLEMENT and PARTNER_SETTLEMENT: a settlement's state changed, for the centre's managers and for the
 * partner (migrations/Migration20261208000400Settlement.ts). APPLICATION: an application was filed, or its status,
 * filing day or unit changed, for the staff who read it (migrations/Migration20261209001100ApplicationEvents.ts).
 */
export type OutboxTopic = 'IPUS' | 'ASSIGNMENT' | 'STANDING' | 'SETTLEMENT' | 'PARTNER_SETTLEMENT' | 'APPLICATION';

const OUTBOX_COLUMNS = 'id::text as id, topic, gmina_id, subject_id, partner_id, revision, kind, changes, occurred_at';

/**
 * The statement that reads a page of committed events after a cursor, for every reader (the feeds'
 * replays and the listener's catch-up). The order names the table's column: a bare `order by id`
 * would sort the text alias (1, 10, 100, 2 ...), and paging by it lost and repeated events.
 */
export const outboxPageSql = (where: string, limit: number): string =>
  `select ${OUTBOX_COLUMNS} from outbox_event where ${where} order by outbox_event.id limit ${limit}`;

export interface OutboxRow {
  id: string;
  topic: OutboxTopic;
  gmina_id: number;
  subject_id: string;
  partner_id: string | null;
  revision: number;
  kind: string;
  changes: string[];
  /** A Date from node-postgres, or PostgreSQL's text form through MikroORM's raw execute. */
  occurred_at: Date | string;
}

export function fromOutboxRow(row: OutboxRow): OutboxEvent {
  return {
    id: row.id,
    topic: row.topic,
    gminaId: row.gmina_id,
    subjectId: row.subject_id,
    partnerId: row.partner_id,
    revision: row.revision,
    kind: row.kind,
    changes: row.changes,
    occurredAt: instant(row.occurred_at),
  };
}

/**
 * Event ids compared as numbers: they are bigints, and "10" < "9" as strings. Both are canonical
 * decimals (PostgreSQL's id::text, or a cursor parseAfter normalised), so the longer is the larger,
 * and of equal length the string order is the numeric one; no BigInt per comparison.
 */
export const eventIdAfter = (id: string, than: string): boolean => (id.length === than.length ? id > than : id.length > than.length);
