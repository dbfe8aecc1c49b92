import fc from 'fast-check';

/** Plain uniform integers: fast-check's bias towards the ends would make every `chance(0.03)` a coin toss. */
const uniform = (min: number, max: number) => fc.noBias(fc.integer({ min, max }));

/**
 * Random choices drawn through fast-check's `gen()`, so a generated case is reproducible from the
 * run's seed and path, and fast-check can still shrink the numbers behind it. Arbitraries passed to
 * `draw` must be module-level factories: `gen()` caches them by identity and arguments.
 */
export class Picker {
  constructor(private readonly g: fc.GeneratorValue) {}

  /** An integer in [min, max], uniformly (boundary values are chosen on purpose, in values.ts). */
  int(min: number, max: number): number {
    return max <= min ? min : this.g(uniform, min, max);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return p > 0 && this.g(uniform, 0, 9999) < p * 10_000;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }

  /** One of the options, with the given relative weights. */
  weighted<T>(options: readonly (readonly [number, T])[]): T {
    const total = options.reduce((sum, [weight]) => sum + weight, 0);
    let at = this.int(0, total - 1);
    for (const [weight, value] of options) {
      if (at < weight) return value;
      at -= weight;
    }
    return options[options.length - 1][1];
  }

  /** Up to `count` distinct items, in a random order. */
  some<T>(items: readonly T[], count: number): T[] {
    const left = [...items];
    const chosen: T[] = [];
    while (chosen.length < count && left.length > 0) chosen.push(left.splice(this.int(0, left.length - 1), 1)[0]);
    return chosen;
  }

  draw<T>(factory: () => fc.Arbitrary<T>): T {
    return this.g(factory);
  }
}
