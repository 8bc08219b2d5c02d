/**
 * handouts/m5.md#failures and #functions-travel-as-source: a function that
 * throws fails the job with a JobError naming the step, the key and the
 * node (as "ip:port"), the thrown error as its cause; a closure fails on
 * the members as the handout shows; a function milestone 1 cannot serialize
 * fails exec with an EncodeError before any work starts; a member that
 * dies, or is stopped, fails the job with a JobError naming it, in bounded
 * time; and after any failure nothing of the job remains on the members the
 * coordinator can reach. Rigged functions throw where the test says.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { EncodeError, JobError } from "../../autograder/kit/errors.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import { withSimulation } from "../../autograder/harness/sim/with-simulation.ts";
import type * as Api from "../api.ts";
import {
  type Cluster, countWords, describe, fill, holdings, key, leftovers, m4, outcome, ownerOf, Probe, randomTexts, realCluster, type Report, simCluster, spawnGroup, putAll, traceFrom, within, wordCount,
} from "./_mr.ts";

/** Word count whose functions report each call (a hook that throws makes the function throw), and whose sources hold a marker. */
const reporting: Api.Job = {
  map: (name: string, text: unknown) => {
    (globalThis as unknown as Record<symbol, Report>)[Symbol.for("m5.test.log")]?.("map", name, "m5-hidden-marker");
    return (text as string).split(" ").map((word): [string, unknown] => [word, 1]);
  },
  combine: (word: string, counts: unknown[]) => {
    (globalThis as unknown as Record<symbol, Report>)[Symbol.for("m5.test.log")]?.("combine", word);
    return (counts as number[]).reduce((sum, count) => sum + count, 0);
  },
  reduce: (word: string, counts: unknown[]) => {
    (globalThis as unknown as Record<symbol, Report>)[Symbol.for("m5.test.log")]?.("reduce", word, "m5-hidden-marker");
    return (counts as number[]).reduce((sum, count) => sum + count, 0);
  },
  distance: (word: string, before: unknown, after: unknown) => {
    (globalThis as unknown as Record<symbol, Report>)[Symbol.for("m5.test.log")]?.("distance", word);
    return before === undefined ? 1 : Math.abs((after as number) - (before as number));
  },
};

/** Checks that nothing of job `id` (of `rounds` rounds, writing to `out`) is left on the members. */
async function nothingLeft(cluster: Cluster, id: string, rounds: number, out: string, members = cluster.members): Promise<void> {
  const reachable: Cluster = { ...cluster, members };
  assert.deepEqual(await leftovers(reachable, id, rounds), [], "no intermediate namespace is left");
  const output = await holdings(reachable, out);
  assert.deepEqual([...output.keys()].slice(0, 5), [], `${output.size} keys of the partial output are left`);
}

/** Asserts that `error` is a JobError of `step` on `name` at `node`, caused by `cause`, and returns it. */
function assertJobError(error: unknown, step: Api.JobStep, name: string | undefined, node: Api.MapReduceNode, cause?: Error): JobError {
  assert.ok(error instanceof JobError, `expected a JobError, got ${describe(error)}`);
  assert.equal(error.step, step);
  if (name !== undefined) assert.equal(error.key, name);
  assert.equal(error.node, key(node.address), "the node where it failed, as ip:port");
  assert.ok(error.message.startsWith(`Cannot run job ${error.job}`), error.message);
  if (cause !== undefined) {
    assert.ok(error.cause instanceof Error, "the thrown error is the cause");
    assert.equal(error.cause.name, cause.name);
    assert.equal(error.cause.message, cause.message);
  }
  return error;
}

test("a map, combine, reduce or distance that throws fails the job with a JobError naming the step, the key and the member where it ran, the thrown error as cause", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 4, "docs");
  const texts = randomTexts(random, 80, 50);
  texts.set("lonely.txt", "hapax");
  await fill(cluster, "docs", texts);
  const word = [...countWords(texts.values()).keys()][random.int(0, 40)] as string;
  const cases: Array<{ step: Api.JobStep; name: string; node: Api.MapReduceNode; error: Error }> = [
    { step: "map", name: "lonely.txt", node: ownerOf(cluster, "lonely.txt"), error: new TypeError("bad page lonely.txt") },
    { step: "combine", name: "hapax", node: ownerOf(cluster, "lonely.txt"), error: new RangeError("bad word hapax") },
    { step: "reduce", name: word, node: ownerOf(cluster, word), error: new SyntaxError(`bad count of ${word}`) },
    { step: "distance", name: word, node: ownerOf(cluster, word), error: new Error(`no distance for ${word}`) },
  ];
  for (const { step, name, node, error } of cases) {
    const probe = new Probe(t, cluster.now);
    probe.on(step, (call) => {
      if (call.key === name) throw error;
    });
    const out = `out of ${step}`;
    const ended = await outcome(cluster.settle(cluster.outsider.mr("docs").exec({ ...reporting, out, rounds: step === "distance" ? 2 : 1 })));
    assert.ok(!ended.ok, `a ${step} that throws fails the job`);
    const jobError = assertJobError(ended.error, step, name, node, error);
    await nothingLeft(cluster, jobError.job, 2, out);
  }
}));

test("a function that reads a variable of the code around it fails on the members with the JobError the handout shows", withSimulation({ latency: [1, 10] }, async (sim, _random, t) => {
  const cluster = await simCluster(t, sim, 3, "pages");
  await fill(cluster, "pages", [["a.html", "the cat"], ["b.html", "the dog"], ["c.html", "a bird"]]);
  let stopword = "the";
  stopword = stopword.toLowerCase();
  const ended = await outcome(cluster.settle(cluster.members[0]!.mr("pages").exec({
    map: (_url: string, text: unknown) => (text as string).split(" ").filter((word) => word !== stopword).map((w): [string, unknown] => [w, 1]),
    reduce: (_word: string, counts: unknown[]) => counts.length,
  })));
  assert.ok(!ended.ok && ended.error instanceof JobError, `expected a JobError, got ${ended.ok ? "a result" : describe(ended.error)}`);
  const error = ended.error;
  assert.equal(error.step, "map");
  assert.ok(["a.html", "b.html", "c.html"].includes(error.key as string));
  assert.equal(error.node, key(ownerOf(cluster, error.key as string).address));
  assert.ok(error.cause instanceof Error && error.cause.name === "ReferenceError", `the cause is a ReferenceError: ${describe(error.cause)}`);
  assert.match(error.cause.message, /stopword/);
  assert.equal(error.message, `Cannot run job ${error.job}: map threw on key ${JSON.stringify(error.key)} at ${error.node}: ${error.cause.message}`);
  await nothingLeft(cluster, error.job, 1, `${error.job}-out`);
}));

test("a function milestone 1 cannot serialize fails exec with an EncodeError before any work starts", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 3, "docs");
  await fill(cluster, "docs", randomTexts(random, 20, 30));
  const probe = new Probe(t, cluster.now);
  for (const slot of ["map", "reduce", "combine", "distance"] as const) {
    const messages = traceFrom(sim);
    const job: Api.Job = { ...reporting, rounds: 2, [slot]: (reporting[slot] as (...args: never[]) => unknown).bind(null) };
    const ended = await outcome(cluster.settle(cluster.outsider.mr("docs").exec(job)));
    assert.ok(!ended.ok && ended.error instanceof EncodeError, `a bound ${slot}: expected an EncodeError, got ${ended.ok ? "a result" : describe(ended.error)}`);
    assert.deepEqual(probe.calls, [], `a bound ${slot}: no function runs`);
    assert.equal(messages.filter((message) => message.body.includes("m5-hidden-marker")).length, 0, `a bound ${slot}: no message carries the job`);
  }
}));

test("after a failure in the last round, no member holds any of the job's namespaces, nor any of its output, with memory false or true", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 4, "docs");
  const texts = randomTexts(random, 100, 60);
  await fill(cluster, "docs", texts);
  const words = countWords(texts.values()).size;
  for (const memory of [false, true]) {
    const probe = new Probe(t, cluster.now);
    // The very last reduce of round 3 throws, once the others have written their output.
    probe.on("reduce", () => {
      if (probe.of("reduce").length === 3 * words) throw new Error("late failure");
    });
    const ended = await outcome(cluster.settle(cluster.outsider.mr("docs").exec({
      map: (name: string, value: unknown) => (typeof value === "number" ? [[name, value]] : (value as string).split(" ").map((word): [string, unknown] => [word, 1])),
      reduce: reporting.reduce,
      rounds: 3,
      memory,
    })));
    assert.ok(!ended.ok, `memory ${memory}: the job fails`);
    const error = assertJobError(ended.error, "reduce", undefined, ownerOf(cluster, (probe.of("reduce").at(-1) as { key: string }).key));
    await nothingLeft(cluster, error.job, 3, `${error.job}-out`);
  }
}));

test("a member that crashes during the map or the reduce step fails the job with a JobError naming it, within bounded time, and the survivors keep nothing of the job", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  for (const step of ["map", "reduce"] as const) {
    const cluster = await simCluster(t, sim, 4, `docs-${step}`);
    const texts = randomTexts(random, 80, 50);
    await fill(cluster, `docs-${step}`, texts);
    const victim = random.pick(cluster.members);
    const probe = new Probe(t, cluster.now);
    let crashedAt: number | undefined;
    probe.on(step, (call) => {
      if (crashedAt === undefined && ownerOf(cluster, call.key).id === victim.id) {
        crashedAt = sim.now();
        sim.crash(victim.address);
      }
    });
    const ended = await outcome(cluster.settle(cluster.outsider.mr(`docs-${step}`).exec({ ...reporting, combine: wordCount.reduce, distance: undefined, timeoutMs: 5_000 })));
    assert.ok(crashedAt !== undefined, `a ${step} ran on the victim`);
    assert.ok(!ended.ok, `a crash during the ${step} step fails the job`);
    const error = assertJobError(ended.error, (ended.error as JobError).step, undefined, victim);
    const elapsed = sim.now() - crashedAt;
    assert.ok(elapsed <= 5_000 + 10_000, `the job failed ${elapsed.toFixed(0)} ms after the crash, with timeoutMs 5000`);
    await nothingLeft(cluster, error.job, 1, `${error.job}-out`, cluster.members.filter((node) => node !== victim));
  }
}));

test("a member that is down before the job starts fails it with a JobError naming it, and the others keep nothing of the job", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 4, "docs");
  await fill(cluster, "docs", randomTexts(random, 60, 40));
  const victim = random.pick(cluster.members);
  sim.crash(victim.address);
  const start = sim.now();
  const ended = await outcome(cluster.settle(cluster.outsider.mr("docs").exec({ ...wordCount, timeoutMs: 5_000 })));
  assert.ok(!ended.ok, "the job fails");
  const error = assertJobError(ended.error, (ended.error as JobError).step, undefined, victim);
  assert.ok(sim.now() - start <= 5_000 + 10_000, `the job failed after ${(sim.now() - start).toFixed(0)} ms`);
  await nothingLeft(cluster, error.job, 1, `${error.job}-out`, cluster.members.filter((node) => node !== victim));
}));

test("a real member stopped in the middle of a job fails it with a JobError naming it, and the others keep nothing of the job", withSeed(async (random, t) => {
  const cluster = await realCluster(t, 4, "docs");
  await fill(cluster, "docs", randomTexts(random, 100, 60));
  const victim = random.pick(cluster.members);
  const probe = new Probe(t, cluster.now);
  let stopping: Promise<void> | undefined;
  probe.on("map", (call) => {
    if (stopping === undefined && ownerOf(cluster, call.key).id === victim.id) stopping = victim.stop();
  });
  const ended = await within(outcome(cluster.outsider.mr("docs").exec({ ...reporting, combine: undefined, distance: undefined, timeoutMs: 10_000 })), 60_000, "a job with a stopped member");
  assert.ok(stopping !== undefined, "a map ran on the victim");
  await stopping;
  assert.ok(!ended.ok, "the job fails");
  const error = assertJobError(ended.error, (ended.error as JobError).step, undefined, victim);
  await nothingLeft(cluster, error.job, 1, `${error.job}-out`, cluster.members.filter((node) => node !== victim));
}));

test("a spawned member whose process dies in the middle of its maps fails the job with a JobError naming it", withSeed(async (random, t) => {
  const group = await spawnGroup(t, 3, "docs");
  const { here, children: spawned } = group;
  await putAll(group, "docs", randomTexts(random, 30, 20));
  await here.store("docs").put("fatal", "");
  const victim = spawned.find((child) => child.id === m4.owner("fatal", spawned.map((member) => member.id))) as Api.ChildNode;
  const ended = await within(outcome(here.mr("docs").exec({
    map: (name: string, text: unknown) => {
      if (name === "fatal") process.exit(1);
      return (text as string).split(" ").map((word): [string, unknown] => [word, 1]);
    },
    reduce: wordCount.reduce,
    timeoutMs: 5_000,
  })), 60_000, "a job whose member dies");
  assert.ok(!ended.ok && ended.error instanceof JobError, `expected a JobError, got ${ended.ok ? "a result" : describe(ended.error)}`);
  assert.equal(ended.error.node, key(victim.address), "the JobError names the member that died");
}));
