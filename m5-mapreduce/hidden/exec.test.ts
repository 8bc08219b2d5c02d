/**
 * handouts/m5.md#the-model and #exec: map runs once on every input key,
 * reduce once on every emitted key with all of its values, its result
 * (whatever it is, or what it resolves to) is the key's output, kept on the
 * key's owner; the output is whole when exec resolves; counts say what each
 * member did. Jobs run on simulated members, with rigged functions that
 * report each call.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { withSimulation } from "../../autograder/harness/sim/with-simulation.ts";
import type * as Api from "../api.ts";
import {
  byString, countWords, fill, holdings, ids, m4, misplacedOutput, Probe, randomTexts, type Report, simCluster, sortedEntries, total, twoRoundWordCount, wordCount, wordsOf,
} from "./_mr.ts";

/** Each word to a value that names where it came from, so that every pair is unique. */
const reportingJob: Api.Job = {
  map: (name: string, text: unknown) => {
    (globalThis as unknown as Record<symbol, Report>)[Symbol.for("m5.test.log")]?.("map", name, text);
    return (text as string).split(" ").map((word, i): [string, unknown] => [word, `${name}#${i}`]);
  },
  reduce: (word: string, values: unknown[]) => {
    (globalThis as unknown as Record<symbol, Report>)[Symbol.for("m5.test.log")]?.("reduce", word, [...values]);
    return values.length;
  },
};

test("map is called once for every input key, with its value, and reduce once for every emitted key, with all of its values", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 4, "docs");
  const texts = randomTexts(random, 150, 60);
  await fill(cluster, "docs", texts);
  const probe = new Probe(t, cluster.now);
  const result = await cluster.settle(cluster.outsider.mr("docs").exec(reportingJob));

  const mapped = probe.of("map");
  assert.deepEqual(mapped.map((call) => call.key).sort(byString), [...texts.keys()].sort(byString), "each input key mapped once");
  for (const call of mapped) assert.equal(call.data, texts.get(call.key), `map got the value of ${call.key}`);
  const emitted = new Map<string, string[]>();
  for (const [name, text] of texts) wordsOf(text).forEach((word, i) => emitted.set(word, [...(emitted.get(word) ?? []), `${name}#${i}`]));
  const reduced = probe.of("reduce");
  assert.deepEqual(reduced.map((call) => call.key).sort(byString), [...emitted.keys()].sort(byString), "each emitted key reduced once");
  for (const call of reduced) {
    assert.deepEqual([...(call.data as string[])].sort(byString), [...(emitted.get(call.key) as string[])].sort(byString), `reduce of ${call.key} got every value emitted for it`);
  }
  const expected = new Map([...emitted].map(([word, values]) => [word, values.length]));
  assert.equal(await misplacedOutput(cluster, result.out, expected), "");
}));

test("each key's output is what its reduce returned, kept once, on the key's owner, also when a member coordinates", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 5, "docs");
  const texts = randomTexts(random, 200, 300);
  await fill(cluster, "docs", texts);
  const coordinator = random.pick(cluster.members);
  const result = await cluster.settle(coordinator.mr("docs").exec(wordCount));
  assert.equal(await misplacedOutput(cluster, result.out, countWords(texts.values())), "");
  assert.equal(result.rounds, 1);
  assert.equal(result.change, undefined, "no change without a distance");
}));

test("the whole output is written when exec resolves: nothing arrives later", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 4, "docs");
  const texts = randomTexts(random, 120, 80);
  await fill(cluster, "docs", texts);
  const probe = new Probe(t, cluster.now);
  const slow = random.pick(cluster.members).id;
  const memberIds = ids(cluster.members);
  // Every reduce on one member takes 2 virtual seconds.
  probe.on("reduce", (call) => (m4.owner(call.key, memberIds) === slow ? cluster.sleep(2_000) : undefined));
  const result = await cluster.settle(cluster.outsider.mr("docs").exec({
    map: wordCount.map,
    reduce: async (word: string, counts: unknown[]) => {
      await (globalThis as unknown as Record<symbol, Report>)[Symbol.for("m5.test.log")]?.("reduce", word);
      return (counts as number[]).reduce((sum, count) => sum + count, 0);
    },
  }));
  const atOnce = sortedEntries(new Map([...(await holdings(cluster, result.out))].map(([word, entry]) => [word, entry.value])));
  assert.deepEqual(atOnce, sortedEntries(countWords(texts.values())), "the output as exec resolves");
  await sim.run(60_000);
  const later = sortedEntries(new Map([...(await holdings(cluster, result.out))].map(([word, entry]) => [word, entry.value])));
  assert.deepEqual(later, atOnce, "the output a minute later");
}));

test("map and reduce may return promises: the pairs and the output are what they resolve to", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 3, "docs");
  const texts = randomTexts(random, 60, 40);
  await fill(cluster, "docs", texts);
  const probe = new Probe(t, cluster.now);
  probe.on("wait", () => cluster.sleep(random.int(1, 50)));
  const result = await cluster.settle(cluster.outsider.mr("docs").exec({
    map: async (name: string, text: unknown) => {
      await (globalThis as unknown as Record<symbol, Report>)[Symbol.for("m5.test.log")]?.("wait", name);
      return (text as string).split(" ").map((word): [string, unknown] => [word, 1]);
    },
    reduce: async (word: string, counts: unknown[]) => {
      await (globalThis as unknown as Record<symbol, Report>)[Symbol.for("m5.test.log")]?.("wait", word);
      return (counts as number[]).length;
    },
  }));
  assert.equal(await misplacedOutput(cluster, result.out, countWords(texts.values())), "");
}));

test("whatever reduce returns is the key's output: a Map, a Date, a nested object, a BigInt, null or undefined", withSimulation({ latency: [1, 10] }, async (sim, _random, t) => {
  const cluster = await simCluster(t, sim, 3, "kinds");
  const names = ["map", "date", "nested", "bigint", "null", "undefined"];
  await fill(cluster, "kinds", names.map((name) => [name, name] as const));
  const result = await cluster.settle(cluster.outsider.mr("kinds").exec({
    map: (name: string) => [[name, name.length]],
    reduce: (name: string, values: unknown[]) => {
      if (name === "map") return new Map<unknown, unknown>([[1, "one"], ["two", [2]]]);
      if (name === "date") return new Date(86_400_000 * (values[0] as number));
      if (name === "nested") return { a: [1, { b: new Set(["c"]) }], length: values[0] };
      if (name === "bigint") return 2n ** 70n;
      if (name === "null") return null;
      return undefined;
    },
  }));
  const expected = new Map<string, unknown>([
    ["map", new Map<unknown, unknown>([[1, "one"], ["two", [2]]])],
    ["date", new Date(86_400_000 * 4)],
    ["nested", { a: [1, { b: new Set(["c"]) }], length: 6 }],
    ["bigint", 2n ** 70n],
    ["null", null],
    ["undefined", undefined],
  ]);
  assert.equal(await misplacedOutput(cluster, result.out, expected), "");
  assert.deepEqual(await cluster.settle(cluster.outsider.store(result.out).get("undefined")), { found: true, value: undefined }, "a reduce that returns undefined still has an output");
}));

test("input and emitted keys may be any string: empty, __proto__, constructor, NUL, unicode, 1 KB long", withSimulation({ latency: [1, 10] }, async (sim, _random, t) => {
  const cluster = await simCluster(t, sim, 4, "hostile");
  const hostile = ["", "__proto__", "constructor", "toString", "a/../b", "\u0000", "nul\u0000key", "ünïcødé 🗝", "\ud800", "x".repeat(1_024), "mr-", "-shuffle-1"];
  await fill(cluster, "hostile", hostile.map((name, i) => [name, i] as const));
  const result = await cluster.settle(cluster.outsider.mr("hostile").exec({
    map: (name: string, i: unknown) => [[name, i], [`${name}|copy`, i], ["__proto__", 1]],
    reduce: (_name: string, values: unknown[]) => (values as number[]).reduce((sum, value) => sum + value, 0),
  }));
  const expected = new Map<string, unknown>();
  hostile.forEach((name, i) => {
    expected.set(name, (expected.get(name) as number | undefined ?? 0) + i);
    expected.set(`${name}|copy`, i);
  });
  expected.set("__proto__", (expected.get("__proto__") as number) + hostile.length);
  assert.equal(await misplacedOutput(cluster, result.out, expected), "");
}));

test("an empty store gives an empty output: no map or reduce runs, and the job ends", withSimulation({ latency: [1, 10] }, async (sim, _random, t) => {
  const cluster = await simCluster(t, sim, 3, "empty");
  const probe = new Probe(t, cluster.now);
  const result = await cluster.settle(cluster.outsider.mr("empty").exec(reportingJob));
  assert.deepEqual(probe.calls, []);
  assert.equal(result.rounds, 1);
  assert.equal((await holdings(cluster, result.out)).size, 0);
  for (const mine of result.counts.values()) assert.deepEqual(mine, { maps: 0, emitted: 0, shuffled: 0, bytes: 0, reduces: 0 });
}));

test("counts say what each member did: maps are the keys it holds, reduces the keys it owns, emitted the pairs its maps returned, all shuffled without a combiner; over several rounds, the sums of the rounds", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 5, "docs");
  const texts = randomTexts(random, 250, 400);
  await fill(cluster, "docs", texts);
  const result = await cluster.settle(cluster.outsider.mr("docs").exec(wordCount));
  assert.deepEqual([...result.counts.keys()].sort(), ids(cluster.members).sort(), "counts by node id, for every member and only members");
  const output = await holdings(cluster, result.out);
  for (const node of cluster.members) {
    const mine = result.counts.get(node.id) as Api.NodeCounts;
    const held = await cluster.settle(node.local.keys("docs"));
    assert.equal(mine.maps, held.length, "maps: the input keys the member holds");
    assert.equal(mine.emitted, held.reduce((sum, name) => sum + wordsOf(texts.get(name) as string).length, 0), "emitted: the pairs its maps returned");
    assert.equal(mine.shuffled, mine.emitted, "without a combiner every emitted pair is shuffled");
    assert.equal(mine.reduces, [...output.values()].filter((entry) => entry.holders.includes(node.id)).length, "reduces: the keys it owns");
  }
  assert.equal(total(result.counts, "maps"), texts.size);
  assert.equal(total(result.counts, "reduces"), countWords(texts.values()).size);
  assert.equal(total(result.counts, "emitted"), [...texts.values()].flatMap(wordsOf).length);
  const twice = await cluster.settle(cluster.outsider.mr("docs").exec(twoRoundWordCount));
  const words = countWords(texts.values()).size;
  const pairs = [...texts.values()].flatMap(wordsOf).length;
  assert.equal(total(twice.counts, "maps"), texts.size + words, "maps over both rounds");
  assert.equal(total(twice.counts, "emitted"), pairs + words, "emitted over both rounds");
  assert.equal(total(twice.counts, "shuffled"), pairs + words, "shuffled over both rounds");
  assert.equal(total(twice.counts, "reduces"), 2 * words, "reduces over both rounds");
}));
