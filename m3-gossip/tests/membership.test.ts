import assert from "node:assert/strict";
import { test } from "node:test";
import { withSeed } from "../../autograder/harness/seed.ts";
import { Simulation } from "../../autograder/harness/sim/simulation.ts";
import { group } from "./_nodes.ts";

test("membership declares a crashed member dead on every live member", withSeed(async (random, t) => {
  const sim = new Simulation({ seed: random.uint32() });
  const nodes = await group(t, 8, "m", sim);
  for (const node of nodes) await sim.settle(node.membership.watch("m"));
  await sim.run(2000);
  for (const node of nodes) assert.ok([...node.membership.view("m").values()].every((member) => member.state === "alive"));
  sim.crash(nodes[5]!.address);
  const bound = 2 * 7 * 200 + 10 * 200 + 200;
  await sim.run(bound);
  for (const node of nodes.filter((_, i) => i !== 5)) {
    assert.equal(node.membership.view("m").get(nodes[5]!.id)?.state, "dead", `${node.sid} still thinks it is alive`);
  }
}));

test("a member that only lost some messages stays alive", withSeed(async (random, t) => {
  const sim = new Simulation({ seed: random.uint32(), drop: 0.05 });
  const nodes = await group(t, 8, "m", sim);
  for (const node of nodes) await sim.settle(node.membership.watch("m"));
  await sim.run(20_000);
  for (const node of nodes) {
    assert.deepEqual([...node.membership.view("m").values()].filter((member) => member.state === "dead"), []);
  }
}));
