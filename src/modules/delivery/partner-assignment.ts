import { Field, Float, Int, ObjectType } from 'type-graphql';
import { byKeys, loader, type RequestContext } from '../../platform/graphql/context.js';
import { Node, registerNodeType, isUuid } from '../../platform/graphql/node.js';
import { LocalDateScalar, TerytCodeScalar } from '../../platform/graphql/scalars.js';
import { idToTerc } from '../../platform/auth/principal.js';
import { Weekday } from '../common/domain.enums.js';
import { Address } from '../common/address.js';
import { LocalTimeScalar } from '../common/weekly-hours.js';
import { IpusStatus, PlaceKind, QuantityUnit } from '../ipus/ipus.enums.js';
import type { CommissionStatus } from '../commission/commission.enums.js';

@ObjectType({ description: 'What a partner needs about the person it serves, and no more' })
export class AssignedPerson {
  @Field(() => String) firstName!: string;
  @Field(() => String) lastName!: string;
  @Field(() => String, { nullable: true, description: 'While the plan is approved or active and the commission ACTIVE' }) phone!: string | null;
  @Field(() => String, { nullable: true, description: 'While the plan is approved or active and the commission ACTIVE' }) email!: string | null;
  @Field(() => Address, { nullable: true, description: "For services at the resident's home, while the plan is approved or active and the commission ACTIVE" })
  address!: Address | null;
}

/**
 * A plan item as the partner it is assigned to sees it (the database view `partner_assignment`):
 * the service, schedule and place, and the person's name and contact; never the rest of the plan.
 * Only while the ground for it holds, or shortly after it ended (see ./partner-ground.ts).
 */
@ObjectType({ implements: Node, description: 'A plan item assigned to your organisation (partners only)' })
export class PartnerAssignment extends Node {
  id!: string;
  gminaId!: number;
  commissionId!: string;
  serviceId!: string;
  locationId!: string | null;
  /** The commission's status: deliveries are recorded under an ACTIVE one only. */
  commissionStatus!: CommissionStatus;
  @Field(() => IpusStatus, { description: 'The status of the plan the item belongs to' }) planStatus!: IpusStatus;
  @Field(() => LocalDateScalar, { nullable: true, description: 'Since when the plan is active' }) planActivatedOn!: string | null;
  @Field(() => LocalDateScalar, { nullable: true, description: 'When the plan was completed or terminated' }) planClosedOn!: string | null;
  @Field(() => String, { description: 'The CUS coordinator to contact' }) coordinatorName!: string;
  @Field(() => AssignedPerson) person!: AssignedPerson;
  @Field(() => PlaceKind) placeKind!: PlaceKind;
  @Field(() => [Weekday], { nullable: true }) weekdays!: Weekday[] | null;
  @Field(() => LocalTimeScalar, { nullable: true }) startsAt!: string | null;
  @Field(() => LocalTimeScalar, { nullable: true }) endsAt!: string | null;
  @Field(() => Int, { nullable: true }) sessionCount!: number | null;
  @Field(() => LocalDateScalar) startOn!: string;
  @Field(() => LocalDateScalar) endOn!: string;
  @Field(() => Float) quantity!: number;
  @Field(() => QuantityUnit) quantityUnit!: QuantityUnit;

  @Field(() => TerytCodeScalar, { description: "The resident's gmina" })
  get gmina(): string {
    return idToTerc(this.gminaId);
  }
}

export interface AssignmentRow {
  id: string;
  gmina_id: number;
  commission_id: string;
  service_id: string;
  place_kind: PlaceKind;
  location_id: string | null;
  weekdays: Weekday[] | null;
  starts_at: string | null;
  ends_at: string | null;
  session_count: number | null;
  start_on: string;
  end_on: string;
  quantity: string;
  quantity_unit: QuantityUnit;
  plan_status: IpusStatus;
  plan_activated_on: string | null;
  plan_closed_on: string | null;
  coordinator_name: string;
  first_name: string;
  last_name: string;
  phone: string | null;
  email: string | null;
  street: string | null;
  postal_code: string | null;
  city: string | null;
  commission_status: CommissionStatus;
}

/** The view's columns, with dates and times as text (as the API gives them). */
export const ASSIGNMENT_COLUMNS = `a.id, a.gmina_id, a.commission_id, a.service_id, a.place_kind, a.location_id, a.weekdays,
  to_char(a.starts_at, 'HH24:MI') as starts_at, to_char(a.ends_at, 'HH24:MI') as ends_at, a.session_count,
  a.start_on::text as start_on, a.end_on::text as end_on, a.quantity::text as quantity, a.quantity_unit, a.plan_status,
  a.plan_activated_on::text as plan_activated_on, a.plan_closed_on::text as plan_closed_on, a.coordinator_name, a.first_name, a.last_name, a.phone, a.email, a.street, a.postal_code, a.city, a.commission_status`;

export function toAssignment(row: AssignmentRow): PartnerAssignment {
  const address = row.street && row.postal_code && row.city ? { street: row.street, postalCode: row.postal_code, city: row.city } : null;
  return Object.assign(new PartnerAssignment(), {
    id: row.id,
    gminaId: row.gmina_id,
    commissionId: row.commission_id,
    commissionStatus: row.commission_status,
    serviceId: row.service_id,
    locationId: row.location_id,
    planStatus: row.plan_status,
    planActivatedOn: row.plan_activated_on,
    planClosedOn: row.plan_closed_on,
    coordinatorName: row.coordinator_name,
    person: { firstName: row.first_name, lastName: row.last_name, phone: row.phone, email: row.email, address },
    placeKind: row.place_kind,
    weekdays: row.weekdays,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    sessionCount: row.session_count,
    startOn: row.start_on,
    endOn: row.end_on,
    quantity: Number(row.quantity),
    quantityUnit: row.quantity_unit,
  });
}

/** Assignments by item id; the view returns only the principal's own, so anything else is null. */
export function assignmentById(ctx: RequestContext) {
  return loader<string, PartnerAssignment | null>(ctx, 'assignment.byId', async (ids) => {
    const rows = await ctx.em.execute<AssignmentRow[]>(`select ${ASSIGNMENT_COLUMNS} from partner_assignment a where a.id = any (?::uuid[])`, [
      `{${ids.join(',')}}`,
    ]);
    return byKeys(ids, rows.map(toAssignment), (a) => a.id);
  });
}

registerNodeType('PartnerAssignment', async (ctx, key) => (isUuid(key) ? assignmentById(ctx).load(key) : null));
