import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../platform/graphql/context.js';
import { rowsByKey } from '../../platform/graphql/row-loaders.js';
import { UserErrorCode, type UserErrors } from '../../platform/graphql/user-error.js';
import { textOrNull } from '../common/result.js';
import { checkWeeklyHours } from '../common/weekly-hours.js';
import { IpusCoordinatedHelp } from './coordinated-help.entity.js';
import { Ipus } from './ipus.entity.js';
import type { IpusCoordinatedHelpInput } from './ipus.inputs.js';
import { IpusRevisionPlan } from './ipus-revision-plan.js';

/** What is written for one entry, checked. */
export type CoordinatedHelpRow = Omit<IpusCoordinatedHelp, 'id' | 'gminaId' | 'ipusId'>;

const LIMITS = { providerName: 300, description: 2000, schedule: 500 } as const;

/** The entries in order, each checked; errors name `coordinatedHelp.<i>.<field>`. */
export function checkCoordinatedHelp(list: IpusCoordinatedHelpInput[], errors: UserErrors): CoordinatedHelpRow[] {
  return list.map((help, i) => {
    const at = (field: string) => ['coordinatedHelp', String(i), field];
    const providerName = textOrNull(help.providerName);
    const description = textOrNull(help.description);
    const schedule = textOrNull(help.schedule);
    if (providerName === null) errors.add(at('providerName'), 'Name who gives the help', UserErrorCode.REQUIRED);
    if (description === null) errors.add(at('description'), 'Say what is given', UserErrorCode.REQUIRED);
    for (const [field, text] of [
      ['providerName', providerName],
      ['description', description],
      ['schedule', schedule],
    ] as const) {
      if (text !== null && text.length > LIMITS[field]) errors.add(at(field), `At most ${LIMITS[field]} characters`, UserErrorCode.OUT_OF_RANGE);
    }
    if (help.weekly) checkWeeklyHours(help.weekly, errors, `coordinatedHelp.${i}.weekly`);
    if (help.startOn && help.endOn && help.endOn < help.startOn) errors.add(at('endOn'), 'Must not be earlier than startOn', UserErrorCode.OUT_OF_RANGE);
    return {
      position: i + 1,
      system: help.system,
      providerName: providerName ?? '',
      description: description ?? '',
      schedule,
      weekdays: help.weekly?.weekdays ?? null,
      startsAt: help.weekly?.startsAt ?? null,
      endsAt: help.weekly?.endsAt ?? null,
      startOn: help.startOn ?? null,
      endOn: help.endOn ?? null,
    };
  });
}

/** Replaces the plan's coordinated help with the checked list (as its supporting actions are replaced). */
export async function writeCoordinatedHelp(ctx: RequestContext, plan: Ipus, rows: CoordinatedHelpRow[]): Promise<void> {
  await ctx.em.nativeDelete(IpusCoordinatedHelp, { ipusId: plan.id });
  for (const row of rows) ctx.em.create(IpusCoordinatedHelp, { gminaId: plan.gminaId, ipusId: plan.id, ...row });
  await ctx.em.flush();
}

export function coordinatedHelpOfPlan(ctx: RequestContext) {
  return rowsByKey(ctx, 'ipus.coordinatedHelp', IpusCoordinatedHelp, 'ipusId', { position: 'asc' });
}

@Resolver(() => Ipus)
export class IpusCoordinatedHelpResolver {
  @FieldResolver(() => [IpusCoordinatedHelp], {
    description: 'Help from outside the catalogue the plan coordinates (health fund, social assistance, school...), in order; no commission or deliveries',
  })
  coordinatedHelp(@Root() plan: Ipus, @Ctx() ctx: RequestContext): Promise<IpusCoordinatedHelp[]> {
    return coordinatedHelpOfPlan(ctx).load(plan.id);
  }
}

@Resolver(() => IpusRevisionPlan)
export class IpusRevisionCoordinatedHelpResolver {
  @FieldResolver(() => [IpusCoordinatedHelp], { description: 'The coordinated help as it stood at this revision (none before it was kept)' })
  coordinatedHelp(@Root() plan: IpusRevisionPlan): IpusCoordinatedHelp[] {
    // planFromSnapshot copies the snapshot's keys onto the plan: this part is there as plain rows.
    const rows = (plan as unknown as { coordinatedHelp?: object[] }).coordinatedHelp ?? [];
    return rows.map((row) => Object.assign(new IpusCoordinatedHelp(), row));
  }
}
