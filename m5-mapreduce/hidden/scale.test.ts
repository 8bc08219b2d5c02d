/**
 * handouts/m5.md#simulation: many thousands of keys on five or more
 * members, on the simulated network (virtual time, seeded, messages
 * delayed and some delivered twice), on real members in this process, and
 * on members in child processes. Outputs are compared key by key with a
 * plain loop; counts and requests are counted, never timed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { withSeed } from "../../autograder/harness/seed.ts";
import { withSimulation } from "../../autograder/harness/sim/with-simulation.ts";
import {
  byString, countWords, fill, indexByLoop, invertedIndex, key, leftovers, misplacedOutput, putAll, randomTexts, realCluster, simCluster, spawnGroup, summedWordCount, total, traceFrom, within, wordsOf,
} from "./_mr.ts";

test("12,000 keys on 6 simulated members: word count with a combiner equals a plain loop, in batches, with counts that add up", withSimulation({ latency: [1, 20], duplicate: 0.05 }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 6, "docs");
  const texts = randomTexts(random, 12_000, 5_000, [5, 15]);
  await fill(cluster, "docs", texts);
  const messages = traceFrom(sim);
  const result = await cluster.settle(cluster.outsider.mr("docs").exec(summedWordCount));
  const expected = countWords(texts.values());
  assert.equal(await misplacedOutput(cluster, result.out, expected), "");
  assert.equal(total(result.counts, "maps"), texts.size);
  assert.equal(total(result.counts, "emitted"), [...texts.values()].flatMap(wordsOf).length);
  assert.equal(total(result.counts, "reduces"), expected.size);
  const members = new Set(cluster.members.map((node) => key(node.address)));
  const requests = messages.filter((message) => message.kind === "request" && members.has(message.from) && members.has(message.to)).length;
  t.diagnostic(`${requests} requests between members for ${total(result.counts, "shuffled")} pairs shuffled`);
  assert.ok(requests <= total(result.counts, "shuffled") / 100, `${requests} requests carried ${total(result.counts, "shuffled")} pairs`);
  assert.deepEqual(await leftovers(cluster, result.id, 1), []);
}));

test("12,000 keys on 5 real members in this process: an inverted index equals a plain loop", withSeed(async (random, t) => {
  const cluster = await realCluster(t, 5, "docs");
  const texts = randomTexts(random, 12_000, 3_000, [5, 15]);
  await fill(cluster, "docs", texts);
  const result = await within(cluster.members[0]!.mr("docs").exec({
    ...invertedIndex,
    memory: random.bool(),
  }), 240_000, "an inverted index of 12,000 keys");
  const expected = indexByLoop(texts);
  assert.equal(await misplacedOutput(cluster, result.out, expected), "");
  assert.deepEqual(await leftovers(cluster, result.id, 1), []);
}));

test("3 members in child processes run a word count over 2,000 keys that equals a plain loop", withSeed(async (random, t) => {
  const group = await spawnGroup(t, 3, "docs");
  const { here } = group;
  const texts = randomTexts(random, 2_000, 400);
  await putAll(group, "docs", texts);
  const result = await within(here.mr("docs").exec(summedWordCount), 120_000, "word count on children");
  const expected = countWords(texts.values());
  const found = new Map<string, unknown>();
  const words = [...expected.keys()];
  for (let i = 0; i < words.length; i += 100) {
    const lookups = await Promise.all(words.slice(i, i + 100).map((word) => here.store(result.out).get(word)));
    lookups.forEach((lookup, j) => lookup.found && found.set(words[i + j] as string, lookup.value));
  }
  assert.deepEqual([...found].sort(([a], [b]) => byString(a, b)), [...expected].sort(([a], [b]) => byString(a, b)));
  assert.equal((await here.store(result.out).keys()).length, expected.size, "and nothing else");
  assert.equal(total(result.counts, "maps"), texts.size);
}));
