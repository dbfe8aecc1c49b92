import { Sex } from './resident.entity.js';

/** What a valid PESEL says about its holder. */
export interface PeselFacts {
  birthDate: string;
  sex: Sex;
}

const WEIGHTS = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];

/** The month field carries the century: +80 for the 1800s, +0 1900s, +20 2000s, +40 2100s, +60 2200s. */
const CENTURIES: [offset: number, century: number][] = [
  [80, 1800],
  [0, 1900],
  [20, 2000],
  [40, 2100],
  [60, 2200],
];

export function peselCheckDigit(first10: string): number {
  const sum = WEIGHTS.reduce((total, weight, i) => total + weight * Number(first10[i]), 0);
  return (10 - (sum % 10)) % 10;
}

/** The date encoded in the first six digits, as written ("1941-02-30" may not exist), or null for a month out of every range. */
function encodedDate(pesel: string): string | null {
  const yy = Number(pesel.slice(0, 2));
  const mm = Number(pesel.slice(2, 4));
  const dd = pesel.slice(4, 6);
  for (const [offset, century] of CENTURIES) {
    const month = mm - offset;
    if (month >= 1 && month <= 12) return `${century + yy}-${String(month).padStart(2, '0')}-${dd}`;
  }
  return null;
}

function isRealDate(iso: string): boolean {
  const [y, m, d] = iso.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * Checks a PESEL: 11 digits, the check digit, and a birth date that exists and is not after `today`.
 * Returns the birth date and sex it encodes, or the messages that say what is wrong.
 */
export function checkPesel(pesel: string, today: string): { facts: PeselFacts } | { problems: string[] } {
  if (!/^\d{11}$/.test(pesel)) return { problems: ['PESEL must be 11 digits'] };
  const problems: string[] = [];
  if (peselCheckDigit(pesel) !== Number(pesel[10])) problems.push('PESEL check digit does not match');
  const birthDate = encodedDate(pesel);
  if (birthDate === null) problems.push(`PESEL encodes month ${pesel.slice(2, 4)}, which no century uses`);
  else if (!isRealDate(birthDate)) problems.push(`PESEL encodes ${birthDate}, which is not a date`);
  else if (birthDate > today) problems.push(`PESEL encodes ${birthDate}, which is in the future`);
  if (problems.length > 0 || birthDate === null) return { problems };
  return { facts: { birthDate, sex: Number(pesel[9]) % 2 === 1 ? Sex.MALE : Sex.FEMALE } };
}
