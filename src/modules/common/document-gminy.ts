import type { RequestContext } from '../../platform/graphql/context.js';
import { idToTerc, tercToId } from '../../platform/auth/principal.js';
import { UserErrorCode, type UserErrors } from '../../platform/graphql/user-error.js';

/**
 * The gminy a document of a CUS concerns (a diagnosis, a survey, a consultation): their staff and
 * officials see it. Not given: all of `allowed` (the gminy the unit serves; for a consultation, those
 * of the draft). Given: each one of `allowed`, none twice, and at least one in the caller's own scope,
 * or the caller would make a document it cannot see. Returns the ids, sorted, or null with user errors
 * under `gminy` (the database checks the same: app.check_document_gminy and the policies).
 */
export function documentGminy(
  ctx: RequestContext,
  tercs: string[] | null | undefined,
  allowed: number[],
  allowedBy: string,
  errors: UserErrors,
): number[] | null {
  if (tercs === undefined || tercs === null) return [...allowed].sort((a, b) => a - b);
  if (tercs.length === 0) {
    errors.add('gminy', 'Name at least one gmina the document concerns', UserErrorCode.REQUIRED);
    return null;
  }
  if (new Set(tercs).size !== tercs.length) {
    errors.add('gminy', 'A gmina is listed twice', UserErrorCode.DUPLICATE);
    return null;
  }
  const ids = tercs.map(tercToId);
  let usable = true;
  ids.forEach((id, i) => {
    if (!allowed.includes(id)) {
      errors.add(['gminy', String(i)], `Gmina ${tercs[i]} is not among the gminy ${allowedBy} (${allowed.map(idToTerc).join(', ')})`, UserErrorCode.INVALID);
      usable = false;
    }
  });
  if (usable && !ids.some((id) => ctx.principal.gminy.includes(id))) {
    errors.add('gminy', 'Name at least one gmina of your own: you would not see the document', UserErrorCode.NOT_ALLOWED);
    usable = false;
  }
  return usable ? ids.sort((a, b) => a - b) : null;
}

/**
 * Staff make a unit's documents for their own unit only (the token's `cus_unit`): a gmina may be
 * served by a statutory unit and an inter-municipal one beside it, and staff of the one could see the
 * other and write under it, into its seat gmina's tenant. Roles without a unit (the platform
 * administrator) are not bound.
 */
export function checkOwnUnit(ctx: RequestContext, unit: { id: string }, errors: UserErrors): boolean {
  const own = ctx.principal.cusUnitId;
  if (!own || own === unit.id) return true;
  errors.add('cusUnitId', 'You make documents for your own CUS unit only', UserErrorCode.NOT_ALLOWED);
  return false;
}

/** The descriptions of the `gminy` inputs of a unit's documents (diagnosis, survey). */
export const GMINY_INPUT =
  'The gminy the document concerns; their staff and officials see it. Default: all the unit serves. Each must be one the unit serves, and one at least of your own';
export const GMINY_UPDATE = 'Replaces the gminy the document concerns (each one the unit serves, one at least of your own)';
