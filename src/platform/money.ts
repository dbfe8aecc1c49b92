/** Exact złoty arithmetic on decimal strings ("3124999.65"): grosze as BigInt, never binary floats. */
export function toGrosze(amount: string): bigint {
  const [whole, fraction = ''] = amount.split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
}

