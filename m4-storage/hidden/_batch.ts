/**
 * Batches for the tests of appendBatch (handouts/m4.md#group-stores), in
 * the group-store tests and the black-box tests alike: nothing here loads
 * code under test.
 */
import type { Random } from "../../autograder/harness/random.ts";

/**
 * A batch of `[key, value]` pairs for `keys`: each key gets one to four
 * values (`"<tag> <j>"`), and the keys' pairs are shuffled together, each
 * key's own values staying in order.
 *
 * @returns the pairs, and each key's values in order
 */
export function batchOf(random: Random, keys: readonly string[], tag: string): { pairs: Array<[string, unknown]>; values: Map<string, string[]> } {
  const values = new Map(keys.map((key) => [key, Array.from({ length: random.int(1, 4) }, (_, j) => `${tag} ${j}`)]));
  const queue = random.shuffle(keys.flatMap((key) => (values.get(key) as string[]).map(() => key)));
  const taken = new Map<string, number>();
  const pairs = queue.map((key): [string, unknown] => {
    const j = taken.get(key) ?? 0;
    taken.set(key, j + 1);
    return [key, (values.get(key) as string[])[j]];
  });
  return { pairs, values };
}
