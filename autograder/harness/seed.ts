/**
 * Seeds for randomized tests. The grader sets `DIST_SEED` (from `--seed`, the
 * environment, or the Gradescope submission id); without it a random seed is
 * chosen. Every randomized test derives its generator from the seed and its own
 * name, so tests replay one by one, and a failure names the seed that replays it
 * (`npm run grade mN -- --seed N`, as the grader's summary says).
 *
 * @example
 * test("a shuffled list keeps its elements", withSeed((random) => {
 *   const list = [1, 2, 3];
 *   assert.deepEqual(random.shuffle([...list]).sort(), list);
 * }));
 */
import { Random } from "./random.ts";

/** The environment variable that carries the seed. */
export const seedVariable = "DIST_SEED";

/**
 * Reads a seed given by a user: a non-negative integer, or any other text,
 * which is hashed (a Gradescope submission id, say).
 */
export function parseSeed(text: string): number {
  return /^\d{1,9}$/.test(text) ? Number(text) : Random.from(text).uint32() % 1_000_000_000;
}

/** This run's seed. */
export const runSeed: number = process.env[seedVariable]
  ? parseSeed(process.env[seedVariable])
  : Math.floor(Math.random() * 1_000_000_000);

/** What a randomized test body receives. */
export type SeededBody<Context> = (random: Random, context: Context) => unknown;

/**
 * Wraps a test body so that it gets a generator seeded from the run's seed and
 * the test's name, and so that a failure states the seed that replays it.
 */
export function withSeed<Context extends { name: string }>(
  body: SeededBody<Context>,
): (context: Context) => Promise<void> {
  return async (context) => {
    try {
      await body(Random.from(runSeed, context.name), context);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${message}\n[seed ${runSeed}]`, {
        cause: error,
      });
    }
  };
}
