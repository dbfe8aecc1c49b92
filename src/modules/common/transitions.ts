import type { RequestContext } from '../../platform/graphql/context.js';
import { UserErrorCode, type UserErrors } from '../../platform/graphql/user-error.js';
import { ok, refuse, type Result } from './result.js';

/**
 * One thing an entity may do only in some statuses: a status change (`to`), or a change of its
 * contents, which keeps the status. `what` names it in a refusal ("activation", "editing").
 */
export interface Move<S extends string> {
  from: readonly S[];
  to?: S;
  what: string;
}

/** An entity's moves by name: the one place to read what may follow what. */
export type Moves<S extends string> = Record<string, Move<S>>;

/** Whether an entity in status `current` may make `move`. */
export const canMove = <S extends string>(current: S, move: Move<S>): boolean => move.from.includes(current);

const article = (noun: string) => (/^[aeiou]/i.test(noun) ? 'an' : 'a');

/**
 * Whether an entity in status `current` may make `move`; if not, adds the refusal every entity words
 * alike, NOT_ALLOWED at `field`: "The plan is DRAFT; approval applies to a plan that is AWAITING_APPROVAL".
 */
export function checkMove<S extends string>(noun: string, current: S, move: Move<S>, errors: UserErrors, field: string | string[] = 'id'): boolean {
  if (canMove(current, move)) return true;
  errors.add(field, `The ${noun} is ${current}; ${move.what} applies to ${article(noun)} ${noun} that is ${move.from.join(' or ')}`, UserErrorCode.NOT_ALLOWED);
  return false;
}

/** A move that changes the status. */
export type StatusChange<S extends string> = Required<Move<S>>;

/**
 * The whole of a change that only moves the status (archiving, cancelling, closing): `row` as found
 * for the input (null: `errors` says why), refused unless it may make `move`.
 */
export async function changeStatus<T extends { status: string }>(
  ctx: RequestContext,
  noun: string,
  row: T | null,
  move: StatusChange<T['status']>,
  errors: UserErrors,
): Promise<Result<T>> {
  if (!row || !checkMove(noun, row.status, move, errors)) return refuse(errors);
  row.status = move.to;
  await ctx.em.flush();
  return ok(row);
}
