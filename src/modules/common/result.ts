import type { UserError, UserErrors } from '../../platform/graphql/user-error.js';

/** What a mutation's service returns: the changed object, or the user's mistakes (and then nothing changed). */
export interface Result<T> {
  value: T | null;
  userErrors: UserError[];
}

export const refuse = <T>(errors: UserErrors): Result<T> => ({ value: null, userErrors: errors.list });
export const ok = <T>(value: T): Result<T> => ({ value, userErrors: [] });

/** True for undefined, null and whitespace-only text. */
export function blank(text: string | undefined | null): boolean {
  return text === undefined || text === null || text.trim() === '';
}

/** Trimmed text, or null when blank (optional free-text fields). */
export function textOrNull(text: string | undefined | null): string | null {
  return blank(text) ? null : (text as string).trim();
}
