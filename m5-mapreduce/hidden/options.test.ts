/**
 * handouts/m5.md#exec, the options table and what exec refuses: `keys`,
 * `out` (default `${id}-out`, views set on the members and the
 * coordinator, a non-empty out refused), `timeoutMs` (default 60,000 ms,
 * per step), and the RangeErrors thrown before any work starts. "Before any
 * work" is checked on the simulated network: no message carries the job's
 * map (its source holds a marker), and no rigged function runs.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { JobError } from "../../autograder/kit/errors.ts";
import type { Random } from "../../autograder/harness/random.ts";
import { withSimulation } from "../../autograder/harness/sim/with-simulation.ts";
import type { Simulation } from "../../autograder/harness/sim/simulation.ts";
import type * as Api from "../api.ts";
import {
  byString, type Cluster, countWords, describe, fill, holdings, key, leftovers, misplacedOutput, outcome, ownerOf, Probe, randomTexts, type Report, simCluster, total, traceFrom, wordCount,
} from "./_mr.ts";

/** Word count whose map reports each call, and whose source holds the marker "m5-hidden-marker". */
const markedJob: Api.Job = {
  map: (name: string, text: unknown) => {
    (globalThis as unknown as Record<symbol, Report>)[Symbol.for("m5.test.log")]?.("map", name, text);
    if (name === "m5-hidden-marker") return [];
    return (text as string).split(" ").map((word): [string, unknown] => [word, 1]);
  },
  reduce: (word: string, counts: unknown[]) => {
    (globalThis as unknown as Record<symbol, Report>)[Symbol.for("m5.test.log")]?.("reduce", word);
    return (counts as number[]).reduce((sum, count) => sum + count, 0);
  },
};

/** Checks that `exec(job)` throws RangeError and that no work started: no function ran, and no message carried the job. */
async function refusedBeforeWork(sim: Simulation, cluster: Cluster, probe: Probe, coordinator: Api.MapReduceNode, gid: string, job: Api.Job, what: string): Promise<void> {
  const messages = traceFrom(sim);
  probe.clear();
  const ended = await outcome(cluster.settle(coordinator.mr(gid).exec(job)));
  assert.ok(!ended.ok && ended.error instanceof RangeError, `${what}: expected a RangeError, got ${ended.ok ? "a result" : describe(ended.error)}`);
  assert.deepEqual(probe.calls, [], `${what}: no function runs`);
  const carriers = messages.filter((message) => message.body.includes("m5-hidden-marker"));
  assert.equal(carriers.length, 0, `${what}: ${carriers.length} messages carried the job, e.g. ${carriers[0]?.path}`);
}

test("keys limits the first round's input to those keys, and skips keys the store does not hold; an empty list maps no key", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 4, "docs");
  const texts = randomTexts(random, 100, 80);
  await fill(cluster, "docs", texts);
  const chosen = random.shuffle([...texts.keys()]).slice(0, 30);
  const absent = ["missing-1", "missing-2", "", "__proto__"];
  const probe = new Probe(t, cluster.now);
  const result = await cluster.settle(cluster.outsider.mr("docs").exec({
    ...markedJob,
    keys: [...chosen, ...absent],
    rounds: 2,
    // Round 2 maps round 1's output: every word of the chosen texts, whatever keys said.
    map: (name: string, value: unknown) => {
      (globalThis as unknown as Record<symbol, Report>)[Symbol.for("m5.test.log")]?.("map", name, value);
      return typeof value === "number" ? [[name, value]] : (value as string).split(" ").map((word): [string, unknown] => [word, 1]);
    },
  }));
  const words = countWords(chosen.map((name) => texts.get(name) as string));
  const mapped = probe.of("map").map((call) => call.key);
  assert.deepEqual(mapped.slice(0, chosen.length).sort(byString), [...chosen].sort(byString), "round 1 maps exactly the chosen keys the store holds");
  assert.deepEqual(mapped.slice(chosen.length).sort(byString), [...words.keys()].sort(byString), "round 2 maps every key of round 1's output");
  assert.equal(total(result.counts, "maps"), chosen.length + words.size);
  assert.equal(await misplacedOutput(cluster, result.out, words), "");
  const none = await cluster.settle(cluster.outsider.mr("docs").exec({ ...wordCount, keys: [] }));
  assert.equal(total(none.counts, "maps"), 0, "keys: [] maps no key");
  assert.deepEqual([...(await holdings(cluster, none.out)).keys()], [], "keys: [] writes no output");
}));

test("out names the output store; by default it is the job's id followed by -out", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 3, "docs");
  const texts = randomTexts(random, 40, 30);
  await fill(cluster, "docs", texts);
  const named = await cluster.settle(cluster.outsider.mr("docs").exec({ ...wordCount, out: "word counts" }));
  assert.equal(named.out, "word counts");
  assert.equal(await misplacedOutput(cluster, "word counts", countWords(texts.values())), "");
  const unnamed = await cluster.settle(cluster.outsider.mr("docs").exec(wordCount));
  assert.equal(unnamed.out, `${unnamed.id}-out`);
  assert.equal(await misplacedOutput(cluster, unnamed.out, countWords(texts.values())), "");
  assert.notEqual(unnamed.id, named.id);
}));

test("every member's view of out, and the coordinator's, is set to the members", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 4, "docs");
  const texts = randomTexts(random, 40, 30);
  await fill(cluster, "docs", texts);
  // A stale view of the output group, on every node, is replaced.
  for (const node of [...cluster.members, cluster.outsider]) await cluster.settle(node.groups.put("results", [cluster.outsider.address]));
  for (const out of ["results", undefined]) {
    const result = await cluster.settle(cluster.outsider.mr("docs").exec({ ...wordCount, ...(out === undefined ? {} : { out }) }));
    const members = cluster.members.map((node) => key(node.address)).sort();
    for (const node of [...cluster.members, cluster.outsider]) {
      const view = await cluster.settle(node.groups.get(result.out));
      assert.deepEqual(view?.map(key).sort(), members, `${key(node.address)}'s view of ${result.out}`);
    }
    const word = [...countWords(texts.values()).keys()][0] as string;
    assert.deepEqual(await cluster.settle(cluster.outsider.store(result.out).get(word)), { found: true, value: countWords(texts.values()).get(word) });
  }
}));

test("an output store that is not empty is a RangeError before any work starts, and keeps its keys", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 4, "docs");
  await fill(cluster, "docs", randomTexts(random, 40, 30));
  await fill(cluster, "taken", [["earlier", "result"]]);
  const probe = new Probe(t, cluster.now);
  await refusedBeforeWork(sim, cluster, probe, cluster.outsider, "docs", { ...markedJob, out: "taken" }, "an out that holds a key");
  const holder = ownerOf(cluster, "earlier");
  assert.deepEqual(await cluster.settle(holder.local.get("taken", "earlier")), { found: true, value: "result" }, "the output store keeps its key");
  assert.equal((await holdings(cluster, "taken")).size, 1);
}));

test("rounds or timeoutMs that is not a positive integer is a RangeError before any work starts", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 3, "docs");
  await fill(cluster, "docs", randomTexts(random, 20, 30));
  const probe = new Probe(t, cluster.now);
  for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    await refusedBeforeWork(sim, cluster, probe, cluster.outsider, "docs", { ...markedJob, rounds: bad }, `rounds ${bad}`);
    await refusedBeforeWork(sim, cluster, probe, cluster.outsider, "docs", { ...markedJob, timeoutMs: bad }, `timeoutMs ${bad}`);
  }
}));

test("a tolerance without a distance is a RangeError before any work starts", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 3, "docs");
  await fill(cluster, "docs", randomTexts(random, 20, 30));
  const probe = new Probe(t, cluster.now);
  await refusedBeforeWork(sim, cluster, probe, cluster.members[0]!, "docs", { ...markedJob, rounds: 5, tolerance: 0.5 }, "tolerance without distance");
}));

test("a node that knows no members of the group gets a RangeError before any work starts", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 3, "docs");
  await fill(cluster, "docs", randomTexts(random, 20, 30));
  const probe = new Probe(t, cluster.now);
  await refusedBeforeWork(sim, cluster, probe, cluster.outsider, "unknown group", markedJob, "a group this node never heard of");
  await cluster.settle(cluster.outsider.groups.put("emptied", []));
  await refusedBeforeWork(sim, cluster, probe, cluster.outsider, "emptied", markedJob, "a group of no members");
}));

/**
 * Runs word count with `timeoutMs` on 4 members, where the maps of the
 * input keys held by one member first wait as `wait` says; returns when and
 * how the job ended, in virtual time from its start.
 */
async function slowMember(sim: Simulation, t: Parameters<typeof simCluster>[0], random: Random, wait: (cluster: Cluster, call: number) => void | Promise<void>, timeoutMs?: number) {
  const cluster = await simCluster(t, sim, 4, "docs");
  const texts = randomTexts(random, 80, 60);
  await fill(cluster, "docs", texts);
  const slow = ownerOf(cluster, random.pick([...texts.keys()]));
  const held = new Set(await cluster.settle(slow.local.keys("docs")));
  const probe = new Probe(t, cluster.now);
  let calls = 0;
  probe.on("map", (call) => (held.has(call.key) ? wait(cluster, calls++) : undefined));
  const start = sim.now();
  const ended = await outcome(cluster.settle(cluster.outsider.mr("docs").exec({
    map: async (name: string, text: unknown) => {
      await (globalThis as unknown as Record<symbol, Report>)[Symbol.for("m5.test.log")]?.("map", name);
      return (text as string).split(" ").map((word): [string, unknown] => [word, 1]);
    },
    reduce: wordCount.reduce,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  })));
  return { cluster, texts, slow, ended, elapsed: sim.now() - start };
}

const never = () => new Promise<void>(() => {});

test("a member that takes longer than timeoutMs over a step fails the job with a JobError naming it, about timeoutMs after the step began", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const { cluster, slow, ended, elapsed } = await slowMember(sim, t, random, never, 3_000);
  t.diagnostic(`failed after ${elapsed.toFixed(0)} ms`);
  assert.ok(!ended.ok && ended.error instanceof JobError, `expected a JobError, got ${ended.ok ? "a result" : describe(ended.error)}`);
  assert.equal(ended.error.node, key(slow.address), "the JobError names the member that did not answer");
  assert.ok(elapsed >= 3_000 && elapsed <= 3_000 + 5_000, `the job failed ${elapsed.toFixed(0)} ms after it started, with timeoutMs 3000`);
  assert.deepEqual(await leftovers(cluster, ended.error.job, 1), []);
  assert.equal((await holdings(cluster, `${ended.error.job}-out`)).size, 0);
}));

test("a member may take up to timeoutMs over a step: 10 s of maps pass under timeoutMs 20,000, and 30 s under the default", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  for (const [waitMs, timeoutMs] of [[10_000, 20_000], [30_000, undefined]] as const) {
    const { cluster, texts, ended, elapsed } = await slowMember(sim, t, random, (c, call) => (call === 0 ? c.sleep(waitMs) : undefined), timeoutMs);
    assert.ok(ended.ok, `a member ${waitMs} ms slow with timeoutMs ${timeoutMs ?? "by default"}: ${ended.ok ? "" : describe(ended.error)}`);
    assert.ok(elapsed >= waitMs, "the job waited for the slow member");
    assert.equal(await misplacedOutput(cluster, ended.value.out, countWords(texts.values())), "");
  }
}));

test("by default a member that never answers a step fails the job about 60 s after the step began", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const { slow, ended, elapsed } = await slowMember(sim, t, random, never);
  t.diagnostic(`failed after ${elapsed.toFixed(0)} ms`);
  assert.ok(!ended.ok && ended.error instanceof JobError, `expected a JobError, got ${ended.ok ? "a result" : describe(ended.error)}`);
  assert.equal(ended.error.node, key(slow.address));
  assert.ok(elapsed >= 60_000 && elapsed <= 60_000 + 10_000, `the job failed ${elapsed.toFixed(0)} ms after it started`);
}));
