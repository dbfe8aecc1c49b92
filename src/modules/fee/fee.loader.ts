import { loader, type RequestContext } from '../../platform/graphql/context.js';
import { rowsByKey } from '../../platform/graphql/row-loaders.js';
import { findRows } from '../../platform/database/orm-extension/read-rows.js';
import { FeeThreshold, ResidentIncomeDeclaration } from './fee.entity.js';

/** A uuid[] parameter as PostgreSQL's array text (the driver sends JavaScript arrays as lists). */
const uuidArray = (ids: readonly string[]) => `{${ids.join(',')}}`;

/** The thresholds of each programme service's income-dependent fee, in order; empty when it has none. */
export function feeThresholdsOf(ctx: RequestContext) {
  return rowsByKey(ctx, 'fee.thresholdsOf', FeeThreshold, 'programmeServiceId', { position: 'asc' });
}

/**
 * Each resident's last declaration of income (by the date declared, then the time recorded), also when
 * it was made under a record since merged into theirs; null when none, or when RLS hides it (every
 * role but the coordinators and the director).
 */
export function incomeDeclarationOf(ctx: RequestContext) {
  return loader<string, ResidentIncomeDeclaration | null>(ctx, 'fee.incomeDeclarationOf', async (residentIds) => {
    const rows = await ctx.em.execute<{ person: string; id: string }[]>(
      `select distinct on (coalesce(r.merged_into, r.id)) coalesce(r.merged_into, r.id) as person, ri.id
         from resident_income ri join resident r on r.id = ri.resident_id
        where coalesce(r.merged_into, r.id) = any (?::uuid[])
        order by coalesce(r.merged_into, r.id), ri.declared_on desc, ri.created_at desc`,
      [uuidArray(residentIds)],
    );
    const declarations = rows.length === 0 ? [] : await findRows(ctx, ResidentIncomeDeclaration, { id: { $in: rows.map((r) => r.id) } });
    const byId = new Map(declarations.map((d) => [d.id, d]));
    const byPerson = new Map(rows.map((r) => [r.person, byId.get(r.id) ?? null]));
    return residentIds.map((id) => byPerson.get(id) ?? null);
  });
}

/** What decides the fee of a plan item, read in one statement for a batch of items. */
export interface ItemFeeFacts {
  itemId: string;
  programmeServiceId: string | null;
  feeKind: string | null;
  feeAmount: string | null;
  feeUnitCost: string | null;
  commissionPrice: string | null;
  householdIncome: string | null;
  householdSize: number | null;
  declaredOn: string | null;
  singlePerson: string | null;
  perPersonInFamily: string | null;
}

/**
 * For each item: the programme service that sets its fee (the service under an adopted programme of the
 * plan's gmina in force on the item's first day, the earliest starting as programmesInForce orders
 * them), the commission's unit price, the person's income declaration in force on `asOf` and the
 * criterion in force on the day it was declared. The whole plan's person counts: declarations under
 * merged records too.
 *
 * The declaration in force on a day is the last declared on or before it (a later one, the same day,
 * supersedes); when the person declared only after that day, the first they declared, since the fee
 * cannot be computed without one. Without `asOf`: the last declared (never after today).
 */
export function itemFeeFacts(ctx: RequestContext, asOf: string | null = null) {
  return loader<string, ItemFeeFacts | null>(ctx, `fee.itemFeeFacts:${asOf ?? 'last'}`, async (itemIds) => {
    const rows = await ctx.em.execute<ItemFeeFacts[]>(
      `select i.id as "itemId", ps.id as "programmeServiceId", ps.fee_kind as "feeKind", ps.fee_amount::text as "feeAmount",
              ps.fee_unit_cost::text as "feeUnitCost", c.unit_price::text as "commissionPrice",
              d.household_income::text as "householdIncome", d.household_size as "householdSize", d.declared_on::text as "declaredOn",
              k.single_person::text as "singlePerson", k.per_person_in_family::text as "perPersonInFamily"
         from ipus_item i
         join ipus p on p.id = i.ipus_id
         join resident r0 on r0.id = p.resident_id
         left join commission c on c.id = i.commission_id
         left join lateral (
           select ps.* from programme_service ps join programme g on g.id = ps.programme_id
            where ps.service_id = i.service_id and g.gmina_id = p.gmina_id and g.period_start <= i.start_on and g.period_end >= i.start_on
              and (g.status = 'ADOPTED' or (g.status = 'EXPIRED' and g.expired_on > i.start_on))
            order by g.period_start, g.title, g.id limit 1) ps on true
         left join lateral (
           select ri.* from resident_income ri join resident r on r.id = ri.resident_id
            where coalesce(r.merged_into, r.id) = coalesce(r0.merged_into, r0.id)
            order by ri.declared_on <= ?::date desc, (case when ri.declared_on <= ?::date then ri.declared_on end) desc nulls last,
                     ri.declared_on, ri.created_at desc limit 1) d on true
         left join lateral (
           select * from income_criterion k where k.valid_from <= d.declared_on order by k.valid_from desc limit 1) k on true
        where i.id = any (?::uuid[])`,
      [asOf ?? 'infinity', asOf ?? 'infinity', uuidArray(itemIds)],
    );
    const byId = new Map(rows.map((row) => [row.itemId, row]));
    return itemIds.map((id) => byId.get(id) ?? null);
  });
}
