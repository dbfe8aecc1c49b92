/**
 * Polish registry identifiers of an organisation: KRS, NIP and REGON.
 *
 * People copy them from letterheads with spaces and dashes ("526-000-12-46"); we accept those
 * separators and keep digits only. KRS has no check digit; NIP and REGON do, and a wrong one is
 * almost always a typo, so it is refused.
 */

export type IdentifierKind = 'KRS' | 'NIP' | 'REGON';

/** A checked identifier: its digits, or why it was refused. */
export type IdentifierCheck = { digits: string; error?: never } | { digits?: never; error: string };

const NIP_WEIGHTS = [6, 5, 7, 2, 3, 4, 5, 6, 7];
const REGON9_WEIGHTS = [8, 9, 2, 3, 4, 5, 6, 7];
const REGON14_WEIGHTS = [2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8];

function weightedSum(digits: string, weights: number[]): number {
  return weights.reduce((sum, weight, i) => sum + weight * Number(digits[i]), 0);
}

/** NIP: the weighted sum mod 11 is the last digit; a sum giving 10 is never issued. */
export function nipChecksumOk(digits: string): boolean {
  const check = weightedSum(digits, NIP_WEIGHTS) % 11;
  return check !== 10 && check === Number(digits[9]);
}

/** REGON of 9 or 14 digits: weighted sum mod 11 (10 counts as 0) is the last digit; a 14-digit one extends a valid 9-digit one. */
export function regonChecksumOk(digits: string): boolean {
  const checkDigit = (weights: number[]) => (weightedSum(digits, weights) % 11) % 10;
  if (digits.length === 9) return checkDigit(REGON9_WEIGHTS) === Number(digits[8]);
  if (digits.length === 14) return checkDigit(REGON14_WEIGHTS) === Number(digits[13]) && regonChecksumOk(digits.slice(0, 9));
  return false;
}

/** Checks one identifier as typed; separators (spaces, dashes) are dropped. */
export function checkIdentifier(kind: IdentifierKind, typed: string): IdentifierCheck {
  if (!/^[\d\s-]+$/.test(typed)) return { error: `${kind} may contain only digits, spaces and dashes` };
  const digits = typed.replace(/[\s-]/g, '');
  switch (kind) {
    case 'KRS':
      return digits.length === 10 ? { digits } : { error: 'KRS must have 10 digits' };
    case 'NIP':
      if (digits.length !== 10) return { error: 'NIP must have 10 digits' };
      return nipChecksumOk(digits) ? { digits } : { error: 'NIP checksum does not match' };
    case 'REGON':
      if (digits.length !== 9 && digits.length !== 14) return { error: 'REGON must have 9 or 14 digits' };
      return regonChecksumOk(digits) ? { digits } : { error: 'REGON checksum does not match' };
  }
}
