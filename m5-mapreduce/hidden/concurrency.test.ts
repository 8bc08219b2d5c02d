/**
 * handouts/m5.md#the-model and #exec, on time: the coordinator sends "map"
 * to every member at once, then "reduce" to every member at once, and every
 * step waits for every member; two jobs at once on one group never see each
 * other's data, and job ids are unique. As in MIT 6.5840's parallelism
 * checks, rigged functions hold their calls at a gate until calls from
 * several members are in flight together (in virtual time: a job that never
 * gets there simply finishes once the test opens the gate, and fails).
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import type { Random } from "../../autograder/harness/random.ts";
import type { Simulation } from "../../autograder/harness/sim/simulation.ts";
import { withSimulation } from "../../autograder/harness/sim/with-simulation.ts";
import type * as Api from "../api.ts";
import {
  type Call, type Cluster, countWords, fill, leftovers, misplacedOutput, outcome, ownerOf, Probe, randomTexts, type Report, simCluster, tally, wordCount,
} from "./_mr.ts";

/**
 * Holds every call of `step` until calls from `needed` different members
 * (the member a call belongs to, as `memberOf` says) wait together; then
 * lets them all go, and every later call passes.
 */
class Gate {
  readonly #waiting: Array<() => void> = [];
  readonly #members = new Set<string>();
  #open = false;
  /** Whether calls of `needed` members were in flight together. */
  met = false;

  constructor(probe: Probe, step: string, needed: number, memberOf: (call: Call) => string) {
    probe.on(step, (call) => {
      if (this.#open) return undefined;
      this.#members.add(memberOf(call));
      if (this.#members.size >= needed) {
        this.met = true;
        this.open();
        return undefined;
      }
      return new Promise<void>((resolve) => this.#waiting.push(resolve));
    });
  }

  /** Lets every held call go, and every later one pass. */
  open(): void {
    this.#open = true;
    for (const resolve of this.#waiting.splice(0)) resolve();
  }
}

/** Runs `job` from the outsider with `gate` held; if the gate is still shut after 30 virtual seconds, opens it so the job can end. */
async function runGated(cluster: Cluster, gid: string, job: Api.Job, gate: Gate) {
  const sim = cluster.sim as NonNullable<Cluster["sim"]>;
  const running = outcome(cluster.outsider.mr(gid).exec(job));
  let ended = false;
  void running.then(() => (ended = true));
  await sim.runUntil(() => gate.met || ended, 30_000);
  gate.open();
  return cluster.settle(running);
}

const gatedWordCount: Api.Job = {
  map: async (name: string, text: unknown) => {
    await (globalThis as unknown as Record<symbol, Report>)[Symbol.for("m5.test.log")]?.("map", name);
    return (text as string).split(" ").map((word): [string, unknown] => [word, 1]);
  },
  reduce: async (word: string, counts: unknown[]) => {
    await (globalThis as unknown as Record<symbol, Report>)[Symbol.for("m5.test.log")]?.("reduce", word);
    return (counts as number[]).reduce((sum, count) => sum + count, 0);
  },
};

/** Runs word count on 4 members with every call of `step` held until calls on all 4 members wait together. */
async function allAtOnce(sim: Simulation, random: Random, t: TestContext, step: "map" | "reduce"): Promise<void> {
  const cluster = await simCluster(t, sim, 4, "docs");
  const texts = randomTexts(random, 120, 80);
  await fill(cluster, "docs", texts);
  const probe = new Probe(t, cluster.now);
  const gate = new Gate(probe, step, 4, (call) => ownerOf(cluster, call.key).id);
  const ended = await runGated(cluster, "docs", gatedWordCount, gate);
  assert.ok(ended.ok);
  assert.ok(gate.met, `${step}s on the 4 members were never in flight at the same time`);
  assert.equal(await misplacedOutput(cluster, ended.value.out, countWords(texts.values())), "");
}

test("every member maps at the same time: maps on all members are in flight together", withSimulation({ latency: [1, 10] }, (sim, random, t: TestContext) => allAtOnce(sim, random, t, "map")));

test("every member reduces at the same time: reduces on all members are in flight together", withSimulation({ latency: [1, 10] }, (sim, random, t: TestContext) => allAtOnce(sim, random, t, "reduce")));

test("every step waits for every member: no reduce starts before the slowest member's maps are done, and no map of a round before the last reduce of the previous one", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 4, "docs");
  const texts = randomTexts(random, 100, 60);
  await fill(cluster, "docs", texts);
  const [slowMapper, slowReducer] = random.shuffle([...cluster.members]) as [Api.MapReduceNode, Api.MapReduceNode];
  const probe = new Probe(t, cluster.now);
  // One member's maps, and another's reduces, take a virtual second each.
  probe.on("map", (call) => (ownerOf(cluster, call.key) === slowMapper ? cluster.sleep(1_000) : undefined));
  probe.on("reduce", (call) => (ownerOf(cluster, call.key) === slowReducer ? cluster.sleep(1_000) : undefined));
  const result = await cluster.settle(cluster.outsider.mr("docs").exec({
    // Round 1 maps texts and reduces ones; round 2 maps counts and reduces { count } objects.
    map: async (name: string, value: unknown) => {
      const round = typeof value === "string" ? 1 : 2;
      await (globalThis as unknown as Record<symbol, Report>)[Symbol.for("m5.test.log")]?.("map", name, round);
      (globalThis as unknown as Record<symbol, Report>)[Symbol.for("m5.test.log")]?.("map done", name, round);
      return round === 1 ? (value as string).split(" ").map((word): [string, unknown] => [word, 1]) : [[name, { count: value }]];
    },
    reduce: async (word: string, values: unknown[]) => {
      const round = typeof values[0] === "number" ? 1 : 2;
      await (globalThis as unknown as Record<symbol, Report>)[Symbol.for("m5.test.log")]?.("reduce", word, round);
      (globalThis as unknown as Record<symbol, Report>)[Symbol.for("m5.test.log")]?.("reduce done", word, round);
      return round === 1 ? (values as number[]).reduce((sum, count) => sum + count, 0) : (values[0] as { count: number }).count;
    },
    rounds: 2,
  }));
  const at = (step: string, round: number) => probe.of(step).filter((call) => call.data === round).map((call) => call.at);
  for (const round of [1, 2]) {
    const lastMapDone = Math.max(...at("map done", round));
    const firstReduce = Math.min(...at("reduce", round));
    assert.ok(firstReduce >= lastMapDone, `round ${round}: a reduce started at ${firstReduce} ms, before the last map ended at ${lastMapDone} ms`);
  }
  const lastReduceDone = Math.max(...at("reduce done", 1));
  const firstMap = Math.min(...at("map", 2));
  assert.ok(firstMap >= lastReduceDone, `round 2's first map started at ${firstMap} ms, before round 1's last reduce ended at ${lastReduceDone} ms`);
  assert.equal(await misplacedOutput(cluster, result.out, countWords(texts.values())), "");
}));

/** The letters job: how many words start with each letter (words here all start with "w", so it counts second letters). */
const letters: Api.Job = {
  map: async (name: string, text: unknown) => {
    await (globalThis as unknown as Record<symbol, Report>)[Symbol.for("m5.test.log")]?.("letters", name);
    return (text as string).split(" ").map((word): [string, unknown] => [word.slice(0, 2), 1]);
  },
  reduce: wordCount.reduce,
};

test("two jobs at once on one group never see each other's data, with one coordinator or two", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 4, "docs");
  const texts = randomTexts(random, 150, 100);
  await fill(cluster, "docs", texts);
  const expectedWords = countWords(texts.values());
  const expectedLetters = tally([...texts.values()].flatMap((text) => text.split(" ").map((word) => word.slice(0, 2))));
  for (const second of [cluster.outsider, cluster.members[1]!]) {
    const probe = new Probe(t, cluster.now);
    // Each job's maps wait until the other job's maps run too.
    const waiting: Array<() => void> = [];
    const seen = new Set<string>();
    const gate = (call: Call) => {
      seen.add(call.step);
      if (seen.size === 2) {
        for (const resolve of waiting.splice(0)) resolve();
        return undefined;
      }
      return new Promise<void>((resolve) => waiting.push(resolve));
    };
    probe.on("map", gate);
    probe.on("letters", gate);
    const both = Promise.all([
      outcome(cluster.outsider.mr("docs").exec({ ...gatedWordCount, memory: random.bool() })),
      outcome(second.mr("docs").exec({ ...letters, memory: random.bool() })),
    ]);
    let ended = false;
    void both.then(() => (ended = true));
    await sim.runUntil(() => seen.size === 2 || ended, 30_000);
    for (const resolve of waiting.splice(0)) resolve();
    const [words, firsts] = await cluster.settle(both);
    assert.ok(seen.size === 2, "the two jobs' maps never ran at the same time");
    assert.ok(words.ok && firsts.ok, "both jobs succeed");
    assert.notEqual(words.value.id, firsts.value.id);
    assert.equal(await misplacedOutput(cluster, words.value.out, expectedWords), "", "the word count");
    assert.equal(await misplacedOutput(cluster, firsts.value.out, expectedLetters), "", "the letter count");
    assert.deepEqual(await leftovers(cluster, words.value.id, 1), []);
    assert.deepEqual(await leftovers(cluster, firsts.value.id, 1), []);
  }
}));

test("job ids are unique, across jobs and coordinators, and name their default output", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 3, "docs");
  const texts = randomTexts(random, 10, 10);
  await fill(cluster, "docs", texts);
  const coordinators = [cluster.outsider, ...cluster.members];
  const results = await cluster.settle(Promise.all(Array.from({ length: 24 }, (_, i) => (coordinators[i % coordinators.length] as Api.MapReduceNode).mr("docs").exec(wordCount))));
  const ids = results.map((result) => result.id);
  assert.equal(new Set(ids).size, ids.length, `${ids.length - new Set(ids).size} ids repeated among ${ids.length} jobs`);
  for (const result of results) assert.equal(result.out, `${result.id}-out`);
  for (const result of results) assert.equal(await misplacedOutput(cluster, result.out, countWords(texts.values())), "", `the output of ${result.id}`);
}));
