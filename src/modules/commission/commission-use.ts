import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { loader, type RequestContext } from '../../platform/graphql/context.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { fromHundredths, toGrosze, toHundredths } from '../../platform/money.js';
import { todayInPoland } from '../common/dates.js';
import { Commission, CommissionUse } from './commission.entity.js';

/** What a commission takes on a day, as the database counts it (decimal texts, exact). */
interface UseFigures {
  recipients: number;
  reserved: string;
  delivered: string;
  sessions: number;
}

/** Today's figures: kept on the commission row by the database (app.refresh_commission_use). */
const storedFigures = (c: Commission): UseFigures => ({
  recipients: c.assignedRecipients ?? 0,
  reserved: c.assignedVolume ?? '0',
  delivered: c.deliveredVolume ?? '0',
  sessions: c.deliveredCount ?? 0,
});

/** A day's figures of each commission asked for, in one statement (app.commission_use_on: plans as their revisions stood then). */
function figuresOn(ctx: RequestContext, day: string) {
  return loader<string, UseFigures | null>(ctx, `commission.useOn:${day}`, async (ids) => {
    const rows = await ctx.em.execute<
      { commission_id: string; recipients: number; volume_reserved: string; volume_delivered: string; delivered_sessions: number }[]
    >(`select commission_id, recipients, volume_reserved::text, volume_delivered::text, delivered_sessions from app.commission_use_on(?::uuid[], ?::date)`, [
      `{${ids.join(',')}}`,
      day,
    ]);
    const byId = new Map(
      rows.map((r) => [
        r.commission_id,
        {
          recipients: r.recipients,
          reserved: r.volume_reserved,
          delivered: r.volume_delivered,
          sessions: r.delivered_sessions,
        },
      ]),
    );
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** Grosze as money text ("300.00"). */
function groszeText(grosze: bigint): string {
  return `${grosze / 100n}.${String(grosze % 100n).padStart(2, '0')}`;
}

/** `quantity` hundredths at `unitPrice`, rounded to the grosz as the database's round(…, 2) does. */
const costOf = (quantity: string, unitPrice: string | null): string | null =>
  unitPrice === null ? null : groszeText((toHundredths(quantity) * toGrosze(unitPrice) + 50n) / 100n);

function useOf(c: Commission, on: string, f: UseFigures): CommissionUse {
  const reserved = Number(f.reserved);
  return {
    on,
    recipients: f.recipients,
    recipientsLeft: c.maxRecipients === null ? null : c.maxRecipients - f.recipients,
    volumeReserved: reserved,
    volumeAssigned: reserved,
    // Subtracted in hundredths, so what is left is exact rather than a float's remainder.
    volumeLeft: c.volume === null ? null : Number(fromHundredths(toHundredths(c.volume) - toHundredths(f.reserved))),
    volumeDelivered: Number(f.delivered),
    deliveredSessions: f.sessions,
    budgetCommitted: costOf(f.reserved, c.unitPrice),
    budgetUsed: costOf(f.delivered, c.unitPrice),
  };
}

@Resolver(() => Commission)
export class CommissionUseResolver {
  @FieldResolver(() => CommissionUse, {
    description: "The commission's use at the end of a day: what approved and active plans reserve, what was delivered, and what is free",
  })
  async use(
    @Root() commission: Commission,
    @Ctx() ctx: RequestContext,
    @Arg('on', () => LocalDateScalar, {
      nullable: true,
      description: "The day (today when omitted): plans count as their revisions stood at its end, deliveries up to it; a later day shows today's figures",
    })
    on?: string | null,
  ): Promise<CommissionUse> {
    const today = todayInPoland();
    if (!on || on >= today) return useOf(commission, on ?? today, storedFigures(commission));
    const figures = await figuresOn(ctx, on).load(commission.id);
    return useOf(commission, on, figures ?? { recipients: 0, reserved: '0', delivered: '0', sessions: 0 });
  }
}
