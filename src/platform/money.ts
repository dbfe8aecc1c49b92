/** Exact złoty arithmetic on decimal strings ("3124999.65"): grosze as BigInt, never binary floats. */
export function toGrosze(amount: string): bigint {
  // The sign applies to the whole amount: "-0.50" is -50n (BigInt("-0") would drop it).
  if (amount.startsWith('-')) return -toGrosze(amount.slice(1));
  const [whole, fraction = ''] = amount.split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
}

/**
 * Hundredths of a quantity with at most two decimals, as a numeric(12,2) column holds it ("12.5" or 12.5 → 1250n).
 * A number from GraphQL is rounded to its two places first, so 0.1 + 0.2 is 30n, not a binary float.
 */
export function toHundredths(amount: string | number): bigint {
  const text = typeof amount === 'number' ? amount.toFixed(2) : amount;
  return toGrosze(text);
}

/** The decimal text of hundredths, without trailing zeros (1250n → "12.5", 400n → "4"), for messages. */
export function fromHundredths(value: bigint): string {
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  const fraction = String(abs % 100n)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return `${sign}${abs / 100n}${fraction ? `.${fraction}` : ''}`;
}

/** True when `quantity` (hundredths) at `unitPrice` złoty each costs more than `budget` złoty, exactly. */
export function costExceeds(quantity: bigint, unitPrice: string, budget: string): boolean {
  return quantity * toGrosze(unitPrice) > toGrosze(budget) * 100n;
}
