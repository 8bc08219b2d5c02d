import assert from "node:assert/strict";
import { test } from "node:test";
import { withSeed } from "../../autograder/harness/seed.ts";
import { Simulation } from "../../autograder/harness/sim/simulation.ts";
import { group } from "./_nodes.ts";

test("a rumor reaches every member of a group once", withSeed(async (random, t) => {
  const sim = new Simulation({ seed: random.uint32() });
  const nodes = await group(t, 20, "g", sim);
  const heard = new Map<string, number>();
  for (const node of nodes) node.gossip.on("news", (value) => heard.set(node.id, (heard.get(node.id) ?? 0) + (value === "hello" ? 1 : 100)));
  await sim.settle(nodes[3]!.gossip.spread("g", "news", "hello"));
  await sim.run(5000);
  assert.equal(heard.size, 20);
  assert.ok([...heard.values()].every((count) => count === 1), "a member heard the rumor twice");
}));

test("gossip.at runs a function every interval until cancelled", withSeed(async (random, t) => {
  const sim = new Simulation({ seed: random.uint32() });
  const [node] = await group(t, 1, "g", sim);
  let runs = 0;
  const cancel = node!.gossip.at(100, () => runs++);
  await sim.run(1050);
  assert.equal(runs, 10);
  cancel();
  await sim.run(1000);
  assert.equal(runs, 10);
}));
