/**
 * handouts/m4.md#reconfiguration under rendezvous hashing: 10 joins and 10 leaves of a
 * 10-member group holding 10,000 keys, through the real reconfigure
 * (./_movement.ts). Each moves exactly the keys whose owner changed, to
 * their new owner, and says so; every key is still found; and on average a
 * step moves at most 1.1 × K/N keys.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { withSeed } from "../../autograder/harness/seed.ts";
import { keyCount, memberCount, movementRun, summary } from "./_movement.ts";

const movement = movementRun({ scheme: "rendezvous" });

test("rendezvous hashing: each of 10 joins and 10 leaves moves exactly the keys whose owner changed, and every key is still found", withSeed(async (random, t) => {
  const { steps, corrupted } = await movement(t, random);
  for (const [k, step] of steps.entries()) {
    assert.equal(step.moved, step.expected, `step ${k} (${step.kind}): reconfigure said ${step.moved} keys moved, ${step.expected} changed owner`);
    assert.equal(step.misplaced, "", `step ${k} (${step.kind})`);
    assert.equal(step.relocated, step.expected, `step ${k} (${step.kind}): keys that changed node`);
    assert.equal(step.unread, "", `step ${k} (${step.kind})`);
  }
  assert.equal(corrupted, "");
}));

test("rendezvous hashing: 10 joins and 10 leaves of 10,000 keys on 10 members move on average at most 1.1 × K/N keys", withSeed(async (random, t) => {
  const { steps } = await movement(t, random);
  const bound = (1.1 * keyCount) / memberCount;
  const reported = steps.reduce((sum, step) => sum + step.moved, 0) / steps.length;
  const relocated = steps.reduce((sum, step) => sum + step.relocated, 0) / steps.length;
  t.diagnostic(`moved per step: ${summary(steps)}; mean ${reported.toFixed(1)} (relocated ${relocated.toFixed(1)}), bound ${bound}`);
  assert.ok(reported > 0, "keys must move at all");
  assert.ok(reported <= bound, `reconfigure said ${reported.toFixed(1)} keys moved per step on average, above ${bound}`);
  assert.ok(relocated <= bound, `${relocated.toFixed(1)} keys changed node per step on average, above ${bound}`);
}));
