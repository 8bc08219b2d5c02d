/**
 * handouts/m5.md#the-model: where a job's work runs and where its data
 * travels. Each member maps the input keys it holds (no input value crosses
 * the network), sends each pair straight to the member that owns its key
 * (by the group's placement), and reduces there; the coordinator sends
 * control messages only. Checked on the simulated network's trace, with
 * values that carry markers, and on spawned children, whose rigged
 * functions report the process they run in.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { withSeed } from "../../autograder/harness/seed.ts";
import type { Random } from "../../autograder/harness/random.ts";
import { withSimulation } from "../../autograder/harness/sim/with-simulation.ts";
import type { TracedMessage } from "../../autograder/harness/sim/trace.ts";
import type * as Api from "../api.ts";
import {
  countWords, fill, formGroup, join, key, m4, misplacedOutput, ownerOf, randomTexts, simCluster, spawnGroup, traceFrom, within, wordCount, wordsOf,
} from "./_mr.ts";

/** Texts with a marker in each ("zq17zq"), which the maps below drop: a marker on the network is an input value on the network. */
function markedTexts(random: Random, count: number, vocabulary: number): Map<string, string> {
  const texts = randomTexts(random, count, vocabulary, [20, 60]);
  let i = 0;
  for (const [name, text] of texts) texts.set(name, `${text} zq${i++}zq ${text}`);
  return texts;
}
const inputMarker = /zq\d+zq/;
const unmarked = (text: string) => text.replace(/ ?zq\d+zq/g, "");

/** Word count that drops the markers. */
const markedWordCount: Api.Job = {
  map: (_name: string, text: unknown) => (text as string).split(" ").filter((word) => !/^zq\d+zq$/.test(word)).map((word): [string, unknown] => [word, 1]),
  reduce: wordCount.reduce,
};

test("no input value crosses the network: each member maps the keys it holds", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 5, "docs");
  const texts = markedTexts(random, 200, 300);
  await fill(cluster, "docs", texts);
  const messages = traceFrom(sim);
  const result = await cluster.settle(cluster.outsider.mr("docs").exec(markedWordCount));
  const carriers = messages.filter((message) => inputMarker.test(message.body));
  assert.deepEqual(carriers.slice(0, 3).map((message) => `${message.kind} ${message.path} ${message.from} → ${message.to}`), [], `${carriers.length} messages carry an input value`);
  for (const node of cluster.members) {
    const held = (await cluster.settle(node.local.keys("docs"))).length;
    assert.equal(result.counts.get(node.id)?.maps, held, `${key(node.address)} holds ${held} input keys`);
  }
  assert.equal(await misplacedOutput(cluster, result.out, countWords([...texts.values()].map(unmarked))), "");
}));

test("every shuffled pair goes straight from the member that emitted it to the member that owns its key, never through the coordinator", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 5, "docs");
  const texts = randomTexts(random, 200, 500);
  await fill(cluster, "docs", texts);
  const messages = traceFrom(sim);
  const result = await cluster.settle(cluster.outsider.mr("docs").exec({
    // Each value names its word: "@w1k@" travels only to the owner of "w1k".
    map: (_name: string, text: unknown) => (text as string).split(" ").map((word): [string, unknown] => [word, `@${word}@`]),
    reduce: (_word: string, values: unknown[]) => values.length,
  }));
  const coordinator = key(cluster.outsider.address);
  const members = new Set(cluster.members.map((node) => key(node.address)));
  const wrong: string[] = [];
  let carried = 0;
  for (const message of messages) {
    const words = [...message.body.matchAll(/@(w[0-9a-z]+)@/g)].map((match) => match[1] as string);
    if (words.length === 0) continue;
    carried += words.length;
    if (message.from === coordinator || message.to === coordinator) wrong.push(`${message.path} ${message.from} → ${message.to} (the coordinator) carries pairs`);
    else if (message.kind !== "request" || !members.has(message.from)) wrong.push(`a ${message.kind} ${message.path} from ${message.from} carries pairs`);
    else {
      for (const word of new Set(words)) {
        const owner = key(ownerOf(cluster, word).address);
        if (message.to !== owner) wrong.push(`${message.path} ${message.from} → ${message.to} carries a pair of "${word}", whose owner is ${owner}`);
      }
    }
  }
  assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} misrouted messages`);
  assert.ok(carried > 0, "some pairs travel between members");
  assert.equal(await misplacedOutput(cluster, result.out, countWords(texts.values())), "");
}));

test("the coordinator sends control messages only: its bytes on the network do not grow with the data", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 5, "small");
  await join(cluster, "large");
  await fill(cluster, "small", markedTexts(random, 20, 50));
  await fill(cluster, "large", markedTexts(random, 400, 5_000));
  const coordinator = key(cluster.outsider.address);
  const bytes = (list: TracedMessage[]) => list.reduce((sum, message) => sum + message.bytes, 0);
  const measure = async (gid: string) => {
    const messages = traceFrom(sim);
    const result = await cluster.settle(cluster.outsider.mr(gid).exec({
      // Round 1 counts the words; round 2 passes each count on.
      map: (name: string, value: unknown) =>
        typeof value === "number" ? [[name, value]] : (value as string).split(" ").filter((word) => !/^zq\d+zq$/.test(word)).map((word): [string, unknown] => [word, 1]),
      reduce: wordCount.reduce,
      rounds: 2,
    }));
    assert.equal(result.rounds, 2);
    return { all: bytes(messages), mine: bytes(messages.filter((message) => message.from === coordinator || message.to === coordinator)) };
  };
  const small = await measure("small");
  const large = await measure("large");
  t.diagnostic(`the coordinator sent and received ${small.mine} of ${small.all} bytes over 20 texts, ${large.mine} of ${large.all} over 400`);
  assert.ok(large.all >= 10 * small.all, `the large job moves ${large.all} bytes, the small one ${small.all}`);
  assert.ok(large.mine <= 1.25 * small.mine + 2_048, `the coordinator's messages hold ${small.mine} bytes in the small job and ${large.mine} in the large one`);
  assert.ok(large.mine <= 64 * 1_024, `the coordinator's messages hold ${large.mine} bytes for a job over 5 members, expected at most 64 KB`);
}));

test("under naive and rendezvous placement, maps run where the store placed each key and the output lands on each key's owner", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  for (const placement of [{ scheme: "naive" }, { scheme: "rendezvous" }] as const) {
    const gid = `docs-${placement.scheme}`;
    const cluster = await simCluster(t, sim, 4, gid);
    const texts = markedTexts(random, 120, 200);
    await fill(cluster, gid, texts, placement);
    const messages = traceFrom(sim);
    const result = await cluster.settle(cluster.outsider.mr(gid, placement).exec(markedWordCount));
    assert.equal(messages.filter((message) => inputMarker.test(message.body)).length, 0, `${placement.scheme}: input values crossed the network`);
    for (const node of cluster.members) {
      assert.equal(result.counts.get(node.id)?.maps, (await cluster.settle(node.local.keys(gid))).length, `${placement.scheme}: maps of ${key(node.address)}`);
    }
    assert.equal(await misplacedOutput(cluster, result.out, countWords([...texts.values()].map(unmarked)), placement), "", placement.scheme);
    const sample = wordsOf(unmarked(texts.values().next().value as string))[0] as string;
    assert.deepEqual(await cluster.settle(cluster.outsider.store(result.out, placement).get(sample)), { found: true, value: countWords([...texts.values()].map(unmarked)).get(sample) });
  }
}));

test("on spawned members, each map runs in the process of the member that holds its key, and each reduce in the process of the key's owner", withSeed(async (random, t) => {
  const group = await spawnGroup(t, 3, "all");
  const { here, children: spawned } = group;
  // Each child alone runs a job whose functions report their process.
  const pids = new Map<string, number>();
  for (const [i, child] of spawned.entries()) {
    await formGroup(group, `solo-${i}`, [child]);
    await here.store(`solo-${i}`).put("pid", 0);
    const { out } = await within(here.mr(`solo-${i}`).exec({
      map: (name: string) => [[name, process.pid]],
      reduce: (_name: string, values: unknown[]) => [values[0], process.pid],
    }), 60_000, `the job on child ${i}`);
    const lookup = await here.store(out).get("pid");
    assert.ok(lookup.found);
    const [mapper, reducer] = lookup.value as [number, number];
    assert.equal(mapper, reducer, "a group of one maps and reduces in one process");
    assert.notEqual(mapper, process.pid, "the functions ran in the child, not in the coordinator's process");
    pids.set(child.id, mapper);
  }
  assert.equal(new Set(pids.values()).size, 3, "each child is a process of its own");

  const names = Array.from({ length: 60 }, (_, i) => `k${i}-${random.uint32().toString(36)}`);
  for (const name of names) await here.store("all").put(name, name.length);
  const { out } = await within(here.mr("all").exec({
    map: (name: string) => [[`r:${name}`, process.pid]],
    reduce: (_name: string, values: unknown[]) => ({ mapper: values[0], reducer: process.pid }),
  }), 60_000, "the job on three children");
  const memberIds = spawned.map((child) => child.id);
  for (const name of names) {
    const lookup = await here.store(out).get(`r:${name}`);
    assert.ok(lookup.found, `the output of r:${name}`);
    assert.deepEqual(lookup.value, {
      mapper: pids.get(m4.owner(name, memberIds)),
      reducer: pids.get(m4.owner(`r:${name}`, memberIds)),
    }, `where ${name} was mapped and r:${name} reduced`);
  }
}));
