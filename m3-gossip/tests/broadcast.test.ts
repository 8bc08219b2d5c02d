import assert from "node:assert/strict";
import { test } from "node:test";
import { withSeed } from "../../autograder/harness/seed.ts";
import { Simulation } from "../../autograder/harness/sim/simulation.ts";
import { group } from "./_nodes.ts";

test("every broadcast value reaches every member", withSeed(async (random, t) => {
  const sim = new Simulation({ seed: random.uint32(), latency: [20, 40] });
  const nodes = await group(t, 9, "b", sim);
  for (let i = 0; i < 30; i++) {
    await sim.settle(random.pick(nodes).broadcast.send("b", i));
    await sim.run(10);
  }
  await sim.run(3000);
  for (const node of nodes) assert.deepEqual([...node.broadcast.values("b")].sort((x, y) => Number(x) - Number(y)), Array.from({ length: 30 }, (_, i) => i));
}));

test("values sent during a partition arrive once it heals", withSeed(async (random, t) => {
  const sim = new Simulation({ seed: random.uint32() });
  const nodes = await group(t, 4, "b", sim);
  sim.network.partition([nodes[0]!.address, nodes[1]!.address], [nodes[2]!.address, nodes[3]!.address]);
  await sim.settle(nodes[0]!.broadcast.send("b", "across"));
  await sim.run(3000);
  assert.deepEqual(nodes[3]!.broadcast.values("b"), []);
  sim.network.heal();
  await sim.run(5000);
  for (const node of nodes) assert.deepEqual(node.broadcast.values("b"), ["across"]);
}));
