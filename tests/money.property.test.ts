import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromHundredths, toGrosze, toHundredths } from '../src/platform/money.js';

/** Money in hundredths, exact, for every sign: "-0.50" was read as +50 grosze once (BigInt("-0") has no sign). */
describe('money in hundredths', () => {
  it('reads back what it writes, negative amounts and amounts under one złoty included', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }), (hundredths) => {
        expect(toGrosze(fromHundredths(hundredths))).toBe(hundredths);
      }),
    );
  });

  it('reads a decimal text with two places as its exact value', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000_00, max: 1_000_000_00 }), (hundredths) => {
        const text = (hundredths < 0 ? '-' : '') + `${Math.floor(Math.abs(hundredths) / 100)}.${String(Math.abs(hundredths) % 100).padStart(2, '0')}`;
        expect(toGrosze(text)).toBe(BigInt(hundredths));
        expect(toHundredths(hundredths / 100)).toBe(BigInt(hundredths));
      }),
    );
    expect(toGrosze('-0.50')).toBe(-50n);
    expect(toGrosze('-1.05')).toBe(-105n);
  });
});
