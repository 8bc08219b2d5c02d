/**
 * A seeded bijection of [0, n): rank ↦ (a · rank + b) mod n, with a coprime
 * to n. It scatters popularity ranks over page ids without storing anything,
 * so the most linked pages of a million-page web are not simply ids 0, 1, 2.
 *
 * @example
 * const idOf = permutation(Random.from(1), 10);
 * new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(idOf)).size; // 10
 */
import type { Random } from "../harness/random.ts";

/**
 * A bijection of [0, n) drawn from `random`.
 *
 * @throws RangeError when `n` is not a positive integer.
 */
export function permutation(random: Random, n: number): (rank: number) => number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`Cannot permute ${n} items: expected a positive integer`);
  let a = random.int(1, Math.max(1, n - 1));
  while (gcd(a, n) !== 1) a++;
  const b = random.int(0, n - 1);
  return (rank) => (a * rank + b) % n;
}

function gcd(x: number, y: number): number {
  return y === 0 ? x : gcd(y, x % y);
}
