/**
 * handouts/m5.md#exec, options `memory` and the job's namespaces: with
 * memory false the shuffled pairs and the outputs of earlier rounds live in
 * each member's own store, in `${id}-shuffle-${round}` and
 * `${id}-round-${round}` (on disk when the node has a folder); with memory
 * true they stay out of it; and when a job ends every intermediate
 * namespace is gone from every member. During a job, a rigged reduce looks
 * at the members' folders, where milestone 4 names each namespace's folder
 * by the SHA-256 of the namespace's UTF-16 code units.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { withSeed } from "../../autograder/harness/seed.ts";
import type { Random } from "../../autograder/harness/random.ts";
import { withSimulation } from "../../autograder/harness/sim/with-simulation.ts";
import type * as Api from "../api.ts";
import {
  type Cluster, countWords, fill, key, leftovers, misplacedOutput, Probe, randomTexts, realCluster, type Report, simCluster, within,
} from "./_mr.ts";
import { scratchFolder } from "../../autograder/harness/scratch.ts";

/** The name milestone 4 gives a namespace's folder. */
const folderOf = (namespace: string) => createHash("sha256").update(Buffer.from(namespace, "utf16le")).digest("hex");

/** The names of the namespace folders in a node's folder, at any depth. */
function namespaceFolders(folder: string): Set<string> {
  const names = new Set<string>();
  for (const path of readdirSync(folder, { recursive: true, encoding: "utf8" })) {
    for (const part of path.split(/[\\/]/)) if (/^[0-9a-f]{64}$/.test(part)) names.add(part);
  }
  return names;
}

/** Word count over two rounds: round 1 counts, round 2 passes each count on. Each reduce reports. */
const twoRounds: Api.Job = {
  map: (name: string, value: unknown) =>
    typeof value === "number" ? [[name, value]] : (value as string).split(" ").map((word): [string, unknown] => [word, 1]),
  reduce: (word: string, counts: unknown[]) => {
    (globalThis as unknown as Record<symbol, Report>)[Symbol.for("m5.test.log")]?.("reduce", word);
    return (counts as number[]).reduce((sum, count) => sum + count, 0);
  },
  rounds: 2,
};

async function folders(t: TestContext, count: number): Promise<string[]> {
  const parent = await scratchFolder("m5-hidden-");
  t.after(() => rm(parent, { recursive: true, force: true }));
  return Array.from({ length: count }, (_, i) => join(parent, `member-${i}`));
}

/**
 * Runs the two-round job with `memory` on real members with folders, and
 * lists each member's namespace folders before the job and at the first
 * reduce of round 2.
 */
async function duringRoundTwo(t: TestContext, random: Random, memory: boolean) {
  const paths = await folders(t, 3);
  const cluster = await realCluster(t, 3, "docs", { folders: paths });
  const texts = randomTexts(random, 150, 120);
  await fill(cluster, "docs", texts);
  const words = countWords(texts.values());
  const before = paths.map(namespaceFolders);
  const probe = new Probe(t, cluster.now);
  let during: Array<Set<string>> | undefined;
  probe.on("reduce", () => {
    if (probe.of("reduce").length === words.size + 1) during = paths.map(namespaceFolders);
  });
  const result = await within(cluster.outsider.mr("docs").exec({ ...twoRounds, memory }), 120_000, "a job of two rounds on 3 members");
  assert.ok(during !== undefined, "round 2 reduced");
  assert.equal(await misplacedOutput(cluster, result.out, words), "");
  return { cluster, result, before, during, paths };
}

test("with memory false, the shuffled pairs and the earlier rounds' outputs live in each member's own store, on disk in its folder", withSeed(async (random, t) => {
  const { cluster, result, during } = await duringRoundTwo(t, random, false);
  const shuffle = folderOf(`${result.id}-shuffle-2`);
  const round = folderOf(`${result.id}-round-1`);
  cluster.members.forEach((node, i) => {
    assert.ok(during[i]?.has(shuffle), `${key(node.address)} holds the pairs shuffled to it in ${result.id}-shuffle-2 during round 2`);
    assert.ok(during[i]?.has(round), `${key(node.address)} holds round 1's output in ${result.id}-round-1 during round 2`);
  });
  assert.deepEqual(await leftovers(cluster, result.id, 2), [], "and all of it is gone when the job ends");
}));

test("with memory true, the job's intermediate data stays out of node.local: no namespace but the output's appears during the job", withSeed(async (random, t) => {
  const { cluster, result, before, during } = await duringRoundTwo(t, random, true);
  const allowed = new Set([folderOf(result.out), folderOf("docs")]);
  cluster.members.forEach((node, i) => {
    const appeared = [...(during[i] as Set<string>)].filter((name) => !before[i]?.has(name) && !allowed.has(name));
    assert.deepEqual(appeared, [], `${key(node.address)} has new namespaces in its own store during the job`);
    assert.ok(!during[i]?.has(folderOf(`${result.id}-shuffle-2`)) && !during[i]?.has(folderOf(`${result.id}-round-1`)));
  });
  assert.deepEqual(await leftovers(cluster, result.id, 2), []);
}));

/** Runs a job of three rounds on `cluster` and checks that no intermediate namespace holds a key after it. */
async function noLeftovers(cluster: Cluster, texts: Map<string, string>, memory: boolean): Promise<void> {
  const result = await cluster.settle(cluster.outsider.mr("docs").exec({ ...twoRounds, rounds: 3, memory }));
  assert.equal(result.rounds, 3);
  assert.equal(await misplacedOutput(cluster, result.out, countWords(texts.values())), "");
  assert.deepEqual(await leftovers(cluster, result.id, 3), [], `memory ${memory}: namespaces left after the job`);
}

test("when a job of several rounds ends, no member holds a key of its shuffle or round namespaces, with memory false or true", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 4, "docs");
  const texts = randomTexts(random, 200, 150);
  await fill(cluster, "docs", texts);
  await noLeftovers(cluster, texts, false);
  await noLeftovers(cluster, texts, true);
}));

test("members on folders leave no intermediate namespace in their own stores either, with memory false or true", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 3, "docs", { folders: ["/var/node", "/var/node", "/var/node"] });
  const texts = randomTexts(random, 100, 100);
  await fill(cluster, "docs", texts);
  await noLeftovers(cluster, texts, false);
  await noLeftovers(cluster, texts, true);
}));
