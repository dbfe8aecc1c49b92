import type { RequestContext } from '../../platform/graphql/context.js';
import { CusUnit } from '../cus-unit/cus-unit.entity.js';
import { Resident } from './resident.entity.js';

/*
 * One person, one record per centre (issue 17, item 8): the gminy a centre keeps one register for,
 * and the records a new one may duplicate.
 */

/** How many records with the birth date are compared by name at most (a birth date is shared by few people of one centre). */
const MAX_CANDIDATES = 200;

/** `gminaId` and every gmina a unit serving it also serves: one register of persons. */
export async function centreGminy(ctx: RequestContext, gminaId: number): Promise<number[]> {
  const units = await ctx.em.find(CusUnit, { servedGminaIds: { $overlap: [gminaId] } });
  return [...new Set([gminaId, ...units.flatMap((unit) => unit.servedGminaIds)])];
}

/** A name as compared: lower case, without diacritics (ł as l), letters only. */
function folded(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ł/g, 'l')
    .replace(/[^a-z]/g, '');
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** Two spellings of one name: a typo (one letter; two in a long name), or one part of a double-barrelled name. */
function closeName(a: string, b: string): boolean {
  const [x, y] = [folded(a), folded(b)];
  if (x === y) return true;
  if (editDistance(x, y) <= (Math.min(x.length, y.length) >= 8 ? 2 : 1)) return true;
  const parts = (name: string) =>
    name
      .split(/[\s-]+/)
      .map(folded)
      .filter((part) => part.length >= 3);
  return parts(a).some((part) => parts(b).includes(part)) && (a.includes('-') || b.includes('-'));
}

/** The same person, as far as name and birth date tell: close first and last names, or the two swapped. */
export function closeNames(a: Pick<Resident, 'firstName' | 'lastName'>, b: Pick<Resident, 'firstName' | 'lastName'>): boolean {
  return (
    (closeName(a.firstName, b.firstName) && closeName(a.lastName, b.lastName)) || (closeName(a.firstName, b.lastName) && closeName(a.lastName, b.firstName))
  );
}

/**
 * Live records of the centre that may be `resident` under another record: the same birth date, close
 * names, no sex and no PESEL telling them apart (a PESEL on both would: it is unique in the centre).
 * Only records the principal may read are compared.
 */
export async function possibleDuplicates(ctx: RequestContext, resident: Resident): Promise<Resident[]> {
  if (resident.birthDate === null) return [];
  const candidates = await ctx.em.find(
    Resident,
    {
      birthDate: resident.birthDate,
      gminaId: { $in: await centreGminy(ctx, resident.gminaId) },
      mergedInto: null,
      id: { $ne: resident.id },
    },
    { orderBy: { createdAt: 'asc', id: 'asc' }, limit: MAX_CANDIDATES },
  );
  return candidates.filter(
    (other) =>
      (other.pesel === null || resident.pesel === null) &&
      !(other.sex !== null && resident.sex !== null && other.sex !== resident.sex) &&
      closeNames(resident, other),
  );
}
