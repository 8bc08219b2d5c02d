/**
 * A seeded test body with a simulation of its own, whose failure shows the
 * last messages the simulated network carried, above the seed that replays
 * it. The simulation's seed is the first draw of the test's generator, so
 * the body may go on drawing from the same generator.
 *
 * @example
 * test("a rumor reaches every member", withSimulation({ latency: [1, 20] }, async (sim, random, t) => {
 *   const nodes = await simGroup(t, sim, 10, "g");
 *   await sim.settle(random.pick(nodes).gossip.spread("g", "t", "x"));
 * }));
 */
import type { Random } from "../random.ts";
import { withSeed } from "../seed.ts";
import { Simulation, type SimulationOptions } from "./simulation.ts";

/** How many of the last messages a failure shows. */
const shownMessages = 12;

/** Wraps a test body so that it gets a seeded simulation, and so that a failure shows the simulation's last messages and the seed. */
export function withSimulation<Context extends { name: string }>(
  options: Omit<SimulationOptions, "seed">,
  body: (sim: Simulation, random: Random, context: Context) => unknown,
): (context: Context) => Promise<void> {
  return withSeed(async (random, context: Context) => {
    const sim = new Simulation({ ...options, seed: random.uint32() });
    try {
      await body(sim, random, context);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error([message, ...sim.trace.lines(shownMessages)].join("\n"), { cause: error });
    }
  });
}
