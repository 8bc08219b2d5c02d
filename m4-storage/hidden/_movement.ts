/**
 * The workload of handouts/m4.md#reconfiguration's promise on movement: a
 * 10-member group holding 10,000 keys goes through 10 joins and 10 leaves
 * (a fresh node joins, then a random member leaves, ten times), each through
 * the real `reconfigure`. Each step records what it said (how many keys
 * moved, and which members failed: none should), how many keys changed
 * owner (computed independently), how many actually changed node, where
 * the keys are, and whether sampled reads find them.
 *
 * The keys start on their owners' own stores, as a group store would put
 * them (storing 10,000 keys over HTTP first would only make the test slow).
 * One run serves a scheme's two tests (movementTests), whichever runs first.
 */
import assert from "node:assert/strict";
import { test, type TestContext } from "node:test";
import type { Random } from "../../autograder/harness/random.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import type * as Api from "../api.ts";
import { describe, ids, locate, misplaced, setView, startNodes, storeAtOwners } from "./_group.ts";
import { changedOwners, Placer } from "./_placement.ts";

const keyCount = 10_000;
const memberCount = 10;
const steps = 10;

export interface Step {
  kind: "join" | "leave";
  /** What reconfigure said: how many keys moved, and which members failed (node ids). */
  moved: number;
  failed: string[];
  /** Keys whose owner changed, by the handout's definition. */
  expected: number;
  /** Keys that are on another node than before. */
  relocated: number;
  /** Where keys are that should not be ("" if none). */
  misplaced: string;
  /** Sampled reads that did not find the right value ("" if none). */
  unread: string;
}

export interface Run {
  steps: Step[];
  /** Keys whose value is wrong after all steps ("" if none). */
  corrupted: string;
}

/** Which node holds each key (the first holder, if more than one). */
function holders(where: Map<string, string[]>): Map<string, string> {
  return new Map([...where].map(([key, nodes]) => [key, nodes[0] as string]));
}

async function run(t: TestContext, random: Random, placement: Api.Placement): Promise<Run> {
  const gid = "movement";
  const nodes = await startNodes(t, memberCount + steps);
  for (const node of nodes) node.store(gid, placement);
  let members = nodes.slice(0, memberCount);
  await setView(members, gid, members);
  const placer = new Placer(placement);
  const keys = Array.from({ length: keyCount }, (_, i) => `doc:${i}:${random.uint32().toString(36)}`);
  const index = new Map(keys.map((key, i) => [key, i]));
  await storeAtOwners(nodes, gid, placer, members, keys.map((key, i) => [key, i] as const));
  let before = holders(await locate(nodes, gid));
  const recorded: Step[] = [];
  const fresh = nodes.slice(memberCount);
  for (let k = 0; k < 2 * steps; k++) {
    const kind = k % 2 === 0 ? "join" : "leave";
    const leaver = random.pick(members);
    const next = kind === "join" ? [...members, fresh[k / 2] as Api.StoreNode] : members.filter((node) => node !== leaver);
    const expected = changedOwners(placer, keys, ids(members), ids(next));
    const caller = random.pick(members);
    const { moved, errors } = await caller.store(gid, placement).reconfigure(next.map((node) => node.address));
    const where = await locate(nodes, gid);
    const after = holders(where);
    let relocated = 0;
    for (const [key, holder] of after) if (before.get(key) !== holder) relocated++;
    const problems: string[] = [];
    for (let i = 0; i < 100; i++) {
      const key = random.pick(keys);
      try {
        const lookup = await random.pick(next).store(gid, placement).get(key);
        if (!lookup.found || lookup.value !== index.get(key)) problems.push(`${key}: ${JSON.stringify(lookup)}`);
      } catch (error) {
        problems.push(`${key}: ${describe(error)}`);
      }
    }
    recorded.push({
      kind,
      moved,
      failed: [...errors.keys()],
      expected,
      relocated,
      misplaced: misplaced(where, placer.owners(keys, ids(next))),
      unread: problems.length === 0 ? "" : `${problems.length} of 100 sampled reads failed, e.g. ${problems.slice(0, 3).join("; ")}`,
    });
    members = next;
    before = after;
  }
  const wrong: string[] = [];
  for (const node of nodes) {
    for (const key of await node.local.keys(gid)) {
      const lookup = await node.local.get(gid, key);
      if (!lookup.found || lookup.value !== index.get(key)) wrong.push(key);
    }
  }
  return { steps: recorded, corrupted: wrong.length === 0 ? "" : `${wrong.length} keys hold a wrong value, e.g. ${wrong.slice(0, 3).join(", ")}` };
}

/** The run for a placement, started by whichever test asks first; its nodes stop when that test ends. */
function movementRun(placement: Api.Placement): (t: TestContext, random: Random) => Promise<Run> {
  let started: Promise<Run> | undefined;
  return (t, random) => (started ??= run(t, random, placement));
}

/** A one-line summary of the steps, for messages. */
function summary(steps: readonly Step[]): string {
  return steps.map((step) => `${step.kind} ${step.moved}/${step.expected}`).join(", ");
}

/** Defines a scheme's two tests on one shared run; `scheme` names it in their titles. */
export function movementTests(scheme: string, placement: Api.Placement): void {
  const movement = movementRun(placement);

  test(`${scheme}: each of 10 joins and 10 leaves moves exactly the keys whose owner changed, and every key is still found`, withSeed(async (random, t) => {
    const { steps, corrupted } = await movement(t, random);
    for (const [k, step] of steps.entries()) {
      assert.deepEqual(step.failed, [], `step ${k} (${step.kind}): reconfigure says members failed`);
      assert.equal(step.moved, step.expected, `step ${k} (${step.kind}): reconfigure said ${step.moved} keys moved, ${step.expected} changed owner`);
      assert.equal(step.misplaced, "", `step ${k} (${step.kind})`);
      assert.equal(step.relocated, step.expected, `step ${k} (${step.kind}): keys that changed node`);
      assert.equal(step.unread, "", `step ${k} (${step.kind})`);
    }
    assert.equal(corrupted, "");
  }));

  test(`${scheme}: 10 joins and 10 leaves of 10,000 keys on 10 members move on average at most 1.1 × K/N keys`, withSeed(async (random, t) => {
    const { steps } = await movement(t, random);
    const bound = (1.1 * keyCount) / memberCount;
    const reported = steps.reduce((sum, step) => sum + step.moved, 0) / steps.length;
    const relocated = steps.reduce((sum, step) => sum + step.relocated, 0) / steps.length;
    t.diagnostic(`moved per step: ${summary(steps)}; mean ${reported.toFixed(1)} (relocated ${relocated.toFixed(1)}), bound ${bound}`);
    assert.ok(reported > 0, "keys must move at all");
    assert.ok(reported <= bound, `reconfigure said ${reported.toFixed(1)} keys moved per step on average, above ${bound}`);
    assert.ok(relocated <= bound, `${relocated.toFixed(1)} keys changed node per step on average, above ${bound}`);
  }));
}
