import type { RequestContext } from '../../platform/graphql/context.js';
import { UserErrorCode, UserErrors } from '../../platform/graphql/user-error.js';
import { ok, refuse, textOrNull, type Result } from '../common/result.js';
import { centreGminy } from './resident-duplicates.js';
import { Resident } from './resident.entity.js';
import type { ResidentMergeInput } from './resident.inputs.js';
import { checkIdentity, findResident } from './resident.service.js';

/**
 * Two records of one person become one (issue 17, item 8). Nothing is deleted or moved between
 * gminy: the merged record stays as it was, marked with the record it was merged into, who merged it,
 * when and why; its applications, assessments, plans and access-log rows keep its id and its gmina
 * (where they were filed and read), and every read of the person now goes through the survivor, which
 * lists it (Resident.mergedIds). The survivor takes the PESEL, birth date and sex it lacked from the
 * merged record, and its disability and health data when it held none.
 *
 * Why the director alone: joining two histories wrongly would show one person's applications and
 * health data as another's, and a merge is not undone; the director answers for the register. The
 * database holds the same rule (a trigger on resident), and keeps a merge within one centre.
 */
export async function mergeResidents(ctx: RequestContext, input: ResidentMergeInput): Promise<Result<Resident>> {
  const errors = new UserErrors();
  const reason = textOrNull(input.reason);
  if (reason === null) errors.add('reason', 'Say why the records are one person', UserErrorCode.REQUIRED);
  const keep = await findResident(ctx, input.keepId, 'keepId', errors);
  const merged = await findResident(ctx, input.mergeId, 'mergeId', errors);
  if (!keep || !merged || errors.any) return refuse(errors);
  if (keep.id === merged.id) {
    errors.add('mergeId', 'Both ids lead to one record already', UserErrorCode.INVALID);
    return refuse(errors);
  }
  if (keep.pesel !== null && merged.pesel !== null && keep.pesel !== merged.pesel) {
    errors.add('mergeId', 'The records hold different PESELs, so they are two persons; correct a wrong PESEL first', UserErrorCode.INVALID);
  }
  if (!(await centreGminy(ctx, keep.gminaId)).includes(merged.gminaId)) {
    errors.add('mergeId', 'The records are of gminy that no unit serves together', UserErrorCode.NOT_ALLOWED);
  }
  const disagreements = new UserErrors();
  const identity = checkIdentity(
    { pesel: keep.pesel ?? merged.pesel, birthDate: keep.birthDate ?? merged.birthDate, sex: keep.sex ?? merged.sex },
    disagreements,
  );
  for (const problem of disagreements.list) errors.add('mergeId', `The records disagree: ${problem.message}`, UserErrorCode.INVALID);
  if (errors.any) return refuse(errors);

  // The merged record first, so that the PESEL it held is free for the survivor.
  await ctx.em.execute(
    `update resident set merged_into = ?, merged_at = now(), merged_by = ?, merge_reason = ?, version = version + 1, updated_at = now() where id = ?`,
    [keep.id, ctx.principal.subject, reason, merged.id],
  );
  await ctx.em.execute(`update resident set merged_into = ? where merged_into = ?`, [keep.id, merged.id]);
  await ctx.em.execute(
    `update resident_sensitive set resident_id = ?, gmina_id = ?, updated_at = now()
     where resident_id = ? and not exists (select 1 from resident_sensitive k where k.resident_id = ?)`,
    [keep.id, keep.gminaId, merged.id, keep.id],
  );
  ctx.em.assign(keep, { ...identity, updatedAt: new Date() });
  await ctx.em.flush();
  return ok(await ctx.em.findOneOrFail(Resident, { id: keep.id }, { refresh: true }));
}
