/**
 * Zipf's law with integer steps: a sampler of ranks in [0, n) where rank r
 * comes up with probability about 1 / (r + 1). Ranks fall into buckets
 * 0 | 1–2 | 3–6 | 7–14 …, each twice as wide as the one before; a draw picks
 * a bucket uniformly (from the high 12 bits of one random 32-bit number),
 * then a rank in it uniformly (from the low 20 bits). Only integer
 * arithmetic is used, so every runtime draws the same ranks from a seed.
 *
 * @example
 * const rank = zipf(20_000);
 * rank(Random.from(7)); // 0 about 7 % of the time, 19_999 very rarely
 */
import type { Random } from "../harness/random.ts";

/** A function that draws one rank from a generator. */
export type Sampler = (random: Random) => number;

/**
 * A sampler of ranks in [0, n), rank r with probability about 1 / (r + 1).
 *
 * @throws RangeError when `n` is not an integer from 1 to 2²⁰.
 */
export function zipf(n: number): Sampler {
  if (!Number.isInteger(n) || n < 1 || n > 2 ** 20) throw new RangeError(`Cannot draw ranks from ${n} items: expected an integer from 1 to 2^20`);
  let buckets = 1;
  while (2 ** buckets - 1 < n) buckets++;
  return (random) => {
    for (;;) {
      const bits = random.uint32();
      const width = 1 << ((bits >>> 20) % buckets);
      const rank = width - 1 + (bits & (width - 1));
      if (rank < n) return rank;
    }
  };
}
