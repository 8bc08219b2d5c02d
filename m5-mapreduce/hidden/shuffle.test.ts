/**
 * handouts/m5.md#the-model (shuffle) and the `combine` option: pairs travel
 * between members in batches, one call per destination per batch; a
 * combiner runs once per key on each member's map output, so one value per
 * key and member travels; `shuffled` and `bytes` count what was sent.
 * Requests are counted on the simulated network's trace.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { withSimulation } from "../../autograder/harness/sim/with-simulation.ts";
import type * as Api from "../api.ts";
import {
  byString, countWords, fill, holdings, key, misplacedOutput, Probe, randomTexts, type Report, simCluster, total, traceFrom, wordCount, wordsOf,
} from "./_mr.ts";

const sum = (_word: string, counts: unknown[]): unknown => (counts as number[]).reduce((all, count) => all + count, 0);

test("pairs travel in batches: member-to-member requests are far fewer than the pairs shuffled", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 5, "docs");
  const texts = randomTexts(random, 2_000, 3_000, [8, 12]);
  await fill(cluster, "docs", texts);
  const messages = traceFrom(sim);
  const result = await cluster.settle(cluster.outsider.mr("docs").exec(wordCount));
  const members = new Set(cluster.members.map((node) => key(node.address)));
  const requests = messages.filter((message) => message.kind === "request" && members.has(message.from) && members.has(message.to)).length;
  const pairs = [...texts.values()].flatMap(wordsOf).length;
  t.diagnostic(`${requests} requests between members for ${pairs} pairs`);
  assert.equal(total(result.counts, "shuffled"), pairs);
  assert.ok(requests <= pairs / 100, `${requests} requests between members carried ${pairs} pairs: expected batches, at most one request per 100 pairs`);
  assert.equal(await misplacedOutput(cluster, result.out, countWords(texts.values())), "");
}));

test("a combiner runs once per key on each member's map output, and one value per key and member reaches the reduce", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 4, "docs");
  const texts = randomTexts(random, 300, 150);
  await fill(cluster, "docs", texts);
  // What each member's maps emit: for each word, how many times.
  const perMember = new Map<string, Map<string, number>>();
  for (const node of cluster.members) {
    const held = await cluster.settle(node.local.keys("docs"));
    perMember.set(node.id, countWords(held.map((name) => texts.get(name) as string)));
  }
  const probe = new Probe(t, cluster.now);
  const result = await cluster.settle(cluster.outsider.mr("docs").exec({
    map: wordCount.map,
    combine: (word: string, counts: unknown[]) => {
      (globalThis as unknown as Record<symbol, Report>)[Symbol.for("m5.test.log")]?.("combine", word, [...counts]);
      return (counts as number[]).reduce((all, count) => all + count, 0);
    },
    reduce: (word: string, counts: unknown[]) => {
      (globalThis as unknown as Record<symbol, Report>)[Symbol.for("m5.test.log")]?.("reduce", word, [...counts]);
      return (counts as number[]).reduce((all, count) => all + count, 0);
    },
  }));

  // For each word: the counts of the members that emitted it, in some order.
  const expected = new Map<string, number[]>();
  for (const counts of perMember.values()) for (const [word, count] of counts) expected.set(word, [...(expected.get(word) ?? []), count]);
  const numeric = (list: number[]) => [...list].sort((a, b) => a - b);
  const combined = new Map<string, number[]>();
  for (const call of probe.of("combine")) {
    const values = call.data as number[];
    assert.ok(values.every((value) => value === 1), `combine of ${call.key} gets the map output (ones), not combined values`);
    combined.set(call.key, [...(combined.get(call.key) ?? []), values.length]);
  }
  const distinct = [...perMember.values()].reduce((all, counts) => all + counts.size, 0);
  assert.equal(probe.of("combine").length, distinct, "one combine per key and member");
  for (const [word, counts] of expected) {
    assert.deepEqual(numeric(combined.get(word) ?? []), numeric(counts), `combine of ${word}: once on each member that emitted it, with all of that member's values`);
  }
  const reduced = new Map(probe.of("reduce").map((call) => [call.key, call.data as number[]]));
  assert.equal(probe.of("reduce").length, expected.size, "one reduce per key");
  for (const [word, counts] of expected) assert.deepEqual(numeric(reduced.get(word) ?? []), numeric(counts), `reduce of ${word} gets one combined value per member`);
  assert.equal(total(result.counts, "shuffled"), distinct, "one pair per key and member is shuffled");
  for (const node of cluster.members) assert.equal(result.counts.get(node.id)?.shuffled, perMember.get(node.id)?.size, `shuffled by ${key(node.address)}`);
  assert.equal(await misplacedOutput(cluster, result.out, countWords(texts.values())), "");
}));

test("without a combiner every emitted pair is shuffled; a combiner shuffles fewer pairs and bytes and gives the same output", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 3, "docs");
  const texts = randomTexts(random, 400, 100);
  await fill(cluster, "docs", texts);
  const plain = await cluster.settle(cluster.outsider.mr("docs").exec({ map: wordCount.map, reduce: sum }));
  const combined = await cluster.settle(cluster.outsider.mr("docs").exec({ map: wordCount.map, reduce: sum, combine: sum }));
  const pairs = [...texts.values()].flatMap(wordsOf).length;
  assert.equal(total(plain.counts, "emitted"), pairs);
  assert.equal(total(plain.counts, "shuffled"), pairs);
  assert.equal(total(combined.counts, "emitted"), pairs, "the combiner does not change what the maps emit");
  assert.ok(total(combined.counts, "shuffled") < pairs / 5, `${total(combined.counts, "shuffled")} of ${pairs} pairs shuffled with the combiner`);
  assert.ok(total(combined.counts, "bytes") < total(plain.counts, "bytes"), `${total(combined.counts, "bytes")} bytes sent with the combiner, ${total(plain.counts, "bytes")} without`);
  const output = async (out: string) => [...(await holdings(cluster, out))].map(([word, entry]) => [word, entry.value]).sort(([a], [b]) => byString(a as string, b as string));
  assert.deepEqual(await output(combined.out), await output(plain.out));
}));

test("bytes count the batches a member sent to other members: none in a group of one, and no more than its requests to them carried", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const solo = await simCluster(t, sim, 1, "solo");
  const texts = randomTexts(random, 200, 500);
  await fill(solo, "solo", texts);
  const alone = await solo.settle(solo.outsider.mr("solo").exec(wordCount));
  const only = alone.counts.get(solo.members[0]!.id) as Api.NodeCounts;
  assert.equal(only.shuffled, [...texts.values()].flatMap(wordsOf).length, "a member shuffles its pairs to itself too");
  assert.equal(only.bytes, 0, "a member alone sends no batch to another member");

  const cluster = await simCluster(t, sim, 4, "docs");
  await fill(cluster, "docs", texts);
  const messages = traceFrom(sim);
  const result = await cluster.settle(cluster.outsider.mr("docs").exec(wordCount));
  const addresses = new Map(cluster.members.map((node) => [key(node.address), node.id]));
  const sent = new Map<string, number>();
  for (const message of messages) {
    if (message.kind !== "request" || !addresses.has(message.from) || !addresses.has(message.to) || message.from === message.to) continue;
    const id = addresses.get(message.from) as string;
    sent.set(id, (sent.get(id) ?? 0) + message.bytes);
  }
  for (const node of cluster.members) {
    const bytes = result.counts.get(node.id)?.bytes as number;
    assert.ok(bytes > 0, `${key(node.address)} sent batches to the other members`);
    assert.ok(bytes <= (sent.get(node.id) ?? 0), `${key(node.address)} counts ${bytes} bytes of batches, its requests to other members carried ${sent.get(node.id) ?? 0}`);
  }
  const all = [...sent.values()].reduce((a, b) => a + b, 0);
  assert.ok(total(result.counts, "bytes") >= all / 4, `the batches count ${total(result.counts, "bytes")} bytes, the requests between members carried ${all}`);
}));
