/**
 * Zipf's law with integer steps: a sampler of ranks in [0, n) where rank r
 * comes up with probability about 1 / (r + 1). Ranks fall into buckets
 * 0 | 1–2 | 3–6 | 7–14 …, each bucket twice as wide as the one before; a draw
 * picks a bucket uniformly, then a rank in it uniformly. Only exact integer
 * arithmetic is used, so every runtime draws the same ranks from the same seed.
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
 * @throws RangeError when `n` is not a positive integer.
 */
export function zipf(n: number): Sampler {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`Cannot draw ranks from ${n} items: expected a positive integer`);
  let buckets = 1;
  while (2 ** buckets - 1 < n) buckets++;
  return (random) => {
    for (;;) {
      const width = 2 ** random.int(0, buckets - 1);
      const rank = width - 1 + random.int(0, width - 1);
      if (rank < n) return rank;
    }
  };
}
