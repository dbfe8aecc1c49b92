import type { RequestContext } from '../../platform/graphql/context.js';
import { ServiceArea, TargetGroup } from '../common/domain.enums.js';
import { PartnerKind } from '../partner/partner.entity.js';
import { addMonths } from '../common/dates.js';
import { TERMINATION_CODES } from '../ipus/termination-reason.js';
import { ReportDimension as D } from './report.enums.js';

/** The same expressions app.report keys regions by. */
const REGION_SQL: Partial<Record<D, string>> = {
  [D.WOJEWODZTWO]: 'wojewodztwo_code::text',
  [D.POWIAT]: 'powiat_code::text',
  [D.GMINA]: 'terc::text',
  [D.GMINA_KIND]: 'kind',
};

/** The values of the enumerated dimensions (bench/postgraphile.ts lays its tables out over the same). */
export const ENUM_SPACES: Partial<Record<D, string[]>> = {
  [D.COUNTRY]: ['PL'],
  [D.AREA]: Object.values(ServiceArea),
  [D.TARGET_GROUP]: Object.values(TargetGroup),
  [D.PARTNER_KIND]: Object.values(PartnerKind),
  [D.CREATION_MODE]: ['OPS_TRANSFORMED', 'INTERMUNICIPAL_AGREEMENT', 'ADDITIONAL_LARGE_CITY'],
  [D.TERMINATION_REASON]: TERMINATION_CODES,
};

/**
 * Every value a dimension of a protected report takes, whether or not anything is counted there:
 * the regions of the caller's scope (every gmina for the ministry), the months of the period, the
 * values of an enumeration. Null for PARTNER, whose cells stay listed where there is something.
 */
export async function tableSpace(ctx: RequestContext, dim: D, scope: number[] | null, period: { from: string; to: string }): Promise<string[] | null> {
  const fixed = ENUM_SPACES[dim];
  if (fixed) return fixed;
  if (dim === D.MONTH) {
    const months: string[] = [];
    for (let m = `${period.from.slice(0, 7)}-01`; m <= period.to; m = addMonths(m, 1)) months.push(m.slice(0, 7));
    return months;
  }
  const column = REGION_SQL[dim];
  if (!column) return null;
  const rows = await ctx.em.execute<{ code: string }[]>(
    `select distinct ${column} as code from gmina where ?::int[] is null or id = any (?::int[]) order by 1`,
    [scope ? `{${scope.join(',')}}` : null, scope ? `{${scope.join(',')}}` : null],
  );
  return rows.map((r) => r.code);
}
