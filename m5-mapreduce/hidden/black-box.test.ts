/**
 * Black-box tests of milestone 5: every node under test runs in a child
 * process of its own (as the student's user on the autograder), and this
 * process, which loads references only, sees it through the network alone:
 * jobs start through the harness service of a coordinator outside the group
 * (or of a member), and where a job's data is comes from what each member's
 * own store lists, compared with milestone 4's placements recomputed here.
 * A job's functions travel from here as source text and run on the nodes.
 *
 * Most tests share one group of three members and a coordinator, each test
 * in namespaces of its own; the failure tests start (and kill) members of
 * their own.
 */
import assert from "node:assert/strict";
import { after, type TestContext, test } from "node:test";
import { fileScope, hostileKeys, names, stopClient } from "../../m4-storage/hidden/_black-box.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import type { Job, JobResult, Placement } from "../api.ts";
import {
  fill, formGroup, holdings, jobErrorIn, leftovers, misplacedOutput, type MrRemote, ownerOf, type RemoteCluster, startMrNode,
} from "./_black-box.ts";
import { countWords, describe, invertedIndex, indexByLoop, key, outcome, randomTexts, summedWordCount, total, wordCount, wordsOf } from "./_jobs.ts";

// ---------------------------------------------------------------------------
// The nodes the tests share, started when a test first needs them.

const shared = fileScope();
after(async () => {
  await shared.end();
  await stopClient();
});

let sharedCluster: Promise<RemoteCluster> | undefined;
/** Three members with stores in memory, and a coordinator outside the group. */
function cluster(): Promise<RemoteCluster> {
  sharedCluster ??= (async () => {
    const [outsider, ...members] = await Promise.all(Array.from({ length: 4 }, () => startMrNode(shared.context)));
    return { members, outsider: outsider as MrRemote };
  })();
  return sharedCluster;
}

let groups = 0;
/** A fresh group over the shared members, holding `entries` on their owners under `placement`; its id. */
async function group(entries: Iterable<readonly [string, unknown]>, placement?: Placement): Promise<{ nodes: RemoteCluster; gid: string }> {
  const nodes = await cluster();
  const gid = `bb-${++groups}`;
  await formGroup(nodes, gid);
  await fill(nodes, gid, entries, placement);
  return { nodes, gid };
}

/**
 * Three members started for one test (which may kill them), coordinated by
 * the shared outsider: no more node processes at once than the grader's
 * memory holds.
 */
async function membersOfItsOwn(t: TestContext): Promise<RemoteCluster> {
  const members = await Promise.all(Array.from({ length: 3 }, () => startMrNode(t)));
  return { members, outsider: (await cluster()).outsider };
}

/** Limit of a job that must fail, from its start: a bound on a failure, never on speed. */
const failLimitMs = 45_000;

/** Asserts that a job failed with a JobError and returns its fields. */
function assertJobError(ended: Awaited<ReturnType<typeof outcome<JobResult>>>, what: string): NonNullable<ReturnType<typeof jobErrorIn>> {
  assert.ok(!ended.ok, `${what}: the job succeeded`);
  const error = jobErrorIn(ended.error);
  assert.ok(error !== undefined, `${what}: expected a JobError, got ${describe(ended.error)}`);
  assert.ok(error.message.startsWith(`Cannot run job ${error.job}`), `${what}: the message names the job: ${error.message}`);
  return error;
}

// ---------------------------------------------------------------------------
// Jobs that work.

test("a word count over members in processes of their own, coordinated from outside the group, equals a plain loop: each word once, on its owner", withSeed(async (random) => {
  const texts = randomTexts(random, 60, 40);
  const { nodes, gid } = await group(texts);
  const result = await nodes.outsider.mr(gid).exec(wordCount);
  assert.equal(result.out, `${result.id}-out`, "the default output store is the job's id followed by -out");
  assert.equal(result.rounds, 1);
  assert.equal(await misplacedOutput(nodes, result.out, countWords(texts.values())), "");
  assert.deepEqual(await leftovers(nodes, result.id, 1), [], "no intermediate namespace is left");
}));

test("counts say what each member did: maps are the keys it holds, reduces the keys it owns, emitted the pairs its maps returned, all shuffled without a combiner", withSeed(async (random) => {
  const texts = randomTexts(random, 50, 30);
  const { nodes, gid } = await group(texts);
  const result = await nodes.outsider.mr(gid).exec(wordCount);
  const words = countWords(texts.values());
  assert.deepEqual([...result.counts.keys()].sort(), nodes.members.map((node) => node.nid).sort(), "counts by node id, for every member and only them");
  for (const node of nodes.members) {
    const held = [...texts.keys()].filter((name) => ownerOf(nodes, name) === node);
    const emitted = held.reduce((sum, name) => sum + wordsOf(texts.get(name) as string).length, 0);
    const owned = [...words.keys()].filter((word) => ownerOf(nodes, word) === node).length;
    const counts = result.counts.get(node.nid);
    assert.deepEqual(
      counts && { maps: counts.maps, emitted: counts.emitted, shuffled: counts.shuffled, reduces: counts.reduces },
      { maps: held.length, emitted, shuffled: emitted, reduces: owned },
      `the counts of ${key(node.address)}`,
    );
  }
}));

test("under naive and rendezvous placement, each member maps the keys the store placed on it, and the output lands on each key's owner", withSeed(async (random) => {
  const texts = randomTexts(random, 40, 30);
  for (const placement of [{ scheme: "naive" }, { scheme: "rendezvous" }] as const) {
    const { nodes, gid } = await group(texts, placement);
    const result = await nodes.outsider.mr(gid, placement).exec(wordCount);
    for (const node of nodes.members) {
      const held = [...texts.keys()].filter((name) => ownerOf(nodes, name, placement) === node).length;
      assert.equal(result.counts.get(node.nid)?.maps, held, `${placement.scheme}: ${key(node.address)} maps the keys it holds`);
    }
    assert.equal(await misplacedOutput(nodes, result.out, countWords(texts.values()), placement), "", placement.scheme);
  }
}));

test("a combiner shuffles fewer pairs than the maps emitted, at most one per word and member, and gives the same output", withSeed(async (random) => {
  const texts = randomTexts(random, 60, 12, [10, 20]);
  const { nodes, gid } = await group(texts);
  const result = await nodes.outsider.mr(gid).exec(summedWordCount);
  assert.equal(await misplacedOutput(nodes, result.out, countWords(texts.values())), "");
  for (const node of nodes.members) {
    const held = [...texts].filter(([name]) => ownerOf(nodes, name) === node).map(([, text]) => text);
    const counts = result.counts.get(node.nid);
    assert.equal(counts?.shuffled, countWords(held).size, `${key(node.address)} shuffles one pair per distinct word of its texts`);
  }
  assert.ok(total(result.counts, "shuffled") < total(result.counts, "emitted"), "fewer pairs are shuffled than emitted");
}));

test("an inverted index, coordinated by a member, equals a plain loop", withSeed(async (random) => {
  const texts = randomTexts(random, 40, 25);
  const { nodes, gid } = await group(texts);
  const result = await (nodes.members[1] as MrRemote).mr(gid).exec(invertedIndex);
  assert.equal(await misplacedOutput(nodes, result.out, indexByLoop(texts)), "");
}));

test("input and emitted keys may be any string, and reduce may return any value milestone 1 carries", async () => {
  const names = hostileKeys("bb-hostile").filter((name) => name.length <= 1024);
  const { nodes, gid } = await group(names.map((name, i) => [name, i]));
  const result = await nodes.outsider.mr(gid).exec({
    map: (name: string, i: unknown) => [[name, i], [`${name}/copy`, i]],
    reduce: (name: string, values: unknown[]) => new Map<unknown, unknown>([["name", name], ["values", values], ["at", new Date(0)], ["big", 2n ** 70n], ["none", undefined]]),
  });
  const expected = new Map<string, unknown>();
  names.forEach((name, i) => {
    for (const emitted of [name, `${name}/copy`]) {
      expected.set(emitted, new Map<unknown, unknown>([["name", emitted], ["values", [i]], ["at", new Date(0)], ["big", 2n ** 70n], ["none", undefined]]));
    }
  });
  assert.equal(await misplacedOutput(nodes, result.out, expected), "");
});

test("rounds: each round maps the previous round's output, and a tolerance stops after the first round whose change is at most it", withSeed(async (random) => {
  const start = new Map(Array.from({ length: 12 }, (_, i) => [`n${i}`, 1024 * (1 + random.int(0, 7))]));
  const { nodes, gid } = await group(start);
  const result = await nodes.outsider.mr(gid).exec({
    map: (name: string, value: unknown) => [[name, (value as number) / 2]],
    reduce: (_name: string, values: unknown[]) => values[0],
    distance: (_name: string, before: unknown, after: unknown) => (before as number) - (after as number),
    rounds: 20,
    tolerance: 100,
  });
  let values = [...start.values()];
  let rounds = 0;
  let change = Number.POSITIVE_INFINITY;
  while (rounds < 20 && change > 100) {
    const next = values.map((value) => value / 2);
    change = values.reduce((sum, value, i) => sum + value - (next[i] as number), 0);
    values = next;
    rounds++;
  }
  assert.equal(result.rounds, rounds, "the rounds run");
  assert.equal(result.change, change, "the last round's change");
  assert.equal(await misplacedOutput(nodes, result.out, new Map([...start.keys()].map((name, i) => [name, values[i]]))), "");
  assert.deepEqual(await leftovers(nodes, result.id, rounds), [], "no round's output or shuffle is left");
}));

test("with memory true or false, when a job of several rounds ends no member holds a key of its shuffle or round namespaces", withSeed(async (random) => {
  const texts = randomTexts(random, 30, 20);
  for (const memory of [false, true]) {
    const { nodes, gid } = await group(texts);
    const result = await nodes.outsider.mr(gid).exec({
      map: (name: string, value: unknown) => [[name, value]],
      reduce: (_name: string, values: unknown[]) => values[0],
      rounds: 3,
      memory,
    });
    assert.equal(result.rounds, 3);
    assert.equal(await misplacedOutput(nodes, result.out, texts), "", `memory ${memory}: the output`);
    assert.deepEqual(await leftovers(nodes, result.id, 3), [], `memory ${memory}: namespaces left after the job`);
  }
}));

test("two jobs at once on one group, from two coordinators, have different ids and never see each other's data", withSeed(async (random) => {
  const texts = randomTexts(random, 40, 20);
  const { nodes, gid } = await group(texts);
  const [words, firsts] = await Promise.all([
    nodes.outsider.mr(gid).exec(wordCount),
    (nodes.members[0] as MrRemote).mr(gid).exec({
      map: (_name: string, text: unknown) => (text as string).split(" ").filter((word) => word !== "").map((word): [string, unknown] => [word.slice(0, 2), 1]),
      reduce: (_prefix: string, counts: unknown[]) => counts.length,
    }),
  ]);
  assert.notEqual(words.id, firsts.id);
  const prefixes = new Map<string, number>();
  for (const [word, count] of countWords(texts.values())) prefixes.set(word.slice(0, 2), (prefixes.get(word.slice(0, 2)) ?? 0) + count);
  assert.equal(await misplacedOutput(nodes, words.out, countWords(texts.values())), "", "the word count");
  assert.equal(await misplacedOutput(nodes, firsts.out, prefixes), "", "the prefix count");
}));

test("keys limits the input to those keys, and skips keys the store does not hold", withSeed(async (random) => {
  const texts = randomTexts(random, 30, 20);
  const { nodes, gid } = await group(texts);
  const chosen = [...texts.keys()].filter(() => random.int(0, 2) === 0);
  const result = await nodes.outsider.mr(gid).exec({ ...wordCount, keys: [...chosen, "no-such-page"] });
  assert.equal(await misplacedOutput(nodes, result.out, countWords(chosen.map((name) => texts.get(name) as string))), "");
  assert.equal(total(result.counts, "maps"), chosen.length, "one map per chosen key the store holds");
}));

test("out names the output store; one that is not empty is a RangeError before any work starts, and keeps its keys", withSeed(async (random) => {
  const texts = randomTexts(random, 20, 10);
  const { nodes, gid } = await group(texts);
  const out = `${gid} counts`;
  const result = await nodes.outsider.mr(gid).exec({ ...wordCount, out });
  assert.equal(result.out, out);
  const before = await holdings(nodes, out);
  const again = await outcome(nodes.outsider.mr(gid).exec({ ...wordCount, out, map: () => [["never", 1]] }));
  assert.ok(!again.ok && names(again.error).includes("RangeError"), `expected a RangeError, got ${again.ok ? "a result" : describe(again.error)}`);
  assert.deepEqual(await holdings(nodes, out), before, "the output store keeps its keys");
}));

// ---------------------------------------------------------------------------
// Jobs that fail.

test("a map or a reduce that throws fails the job with a JobError naming the step, the key and the member where it ran, and nothing of the job is left, not even part of its output", withSeed(async (random) => {
  const texts = randomTexts(random, 30, 20);
  texts.set("broken.txt", "w0 w1 hapax");
  const { nodes, gid } = await group(texts);
  const failing: Array<{ job: Job; step: string; name: string; error: string }> = [
    {
      job: {
        ...wordCount,
        map: (name: string, text: unknown) => {
          if (name === "broken.txt") throw new TypeError("this page is broken");
          return (text as string).split(" ").map((word): [string, unknown] => [word, 1]);
        },
      },
      step: "map",
      name: "broken.txt",
      error: "TypeError: this page is broken",
    },
    {
      job: {
        ...wordCount,
        reduce: (word: string, counts: unknown[]) => {
          if (word === "hapax") throw new RangeError("no count for hapax");
          return counts.length;
        },
      },
      step: "reduce",
      name: "hapax",
      error: "RangeError: no count for hapax",
    },
  ];
  for (const { job, step, name, error: thrown } of failing) {
    const error = assertJobError(await outcome(nodes.outsider.mr(gid).exec(job)), `a ${step} that throws`);
    assert.equal(error.step, step);
    assert.equal(error.key, name);
    assert.equal(error.node, key(ownerOf(nodes, name).address), "the member where it ran, as ip:port");
    assert.equal(describe(error.cause), thrown, "the thrown error is the cause");
    assert.deepEqual(await leftovers(nodes, error.job, 1, [`${error.job}-out`]), [], `${step}: nothing of the job is left`);
  }
}));

test("a function that reads a variable of the code around it fails on the members with a JobError caused by a ReferenceError", async () => {
  const { nodes, gid } = await group([["a.txt", "the cat"], ["b.txt", "the dog"]]);
  // Assigned twice, so that no transpiler (Bun inlines constants) can copy its value into the function.
  let stopword = "the";
  stopword = stopword.toLowerCase();
  const ended = await outcome(nodes.outsider.mr(gid).exec({
    map: (_name: string, text: unknown) => (text as string).split(" ").filter((word) => word !== stopword).map((word): [string, unknown] => [word, 1]),
    reduce: (_word: string, counts: unknown[]) => counts.length,
  }));
  const error = assertJobError(ended, "a closure");
  assert.equal(error.step, "map");
  assert.ok(error.cause instanceof Error && error.cause.name === "ReferenceError" && /stopword/.test(error.cause.message), `the cause is a ReferenceError naming stopword: ${describe(error.cause)}`);
});

test("a member killed in the middle of its maps fails the job with a JobError naming it, in bounded time, and the survivors keep nothing of the job", withSeed(async (random, t) => {
  const nodes = await membersOfItsOwn(t);
  const { members } = nodes;
  const gid = "bb-crash";
  await formGroup(nodes, gid);
  const texts = randomTexts(random, 30, 20);
  await fill(nodes, gid, texts);
  const victim = members[random.int(0, members.length - 1)] as MrRemote;
  const job: Job = {
    ...wordCount,
    map: async (_name: string, text: unknown) => {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      return (text as string).split(" ").map((word): [string, unknown] => [word, 1]);
    },
    timeoutMs: 20_000,
  };
  const started = performance.now();
  const running = outcome(nodes.outsider.mr(gid).exec(job));
  // The maps sleep 2 s each, so the job is still running when the victim dies.
  await new Promise((resolve) => setTimeout(resolve, 500));
  await victim.process.kill();
  const ended = await running;
  assert.ok(performance.now() - started < failLimitMs, `the job failed within ${failLimitMs / 1000} s`);
  const error = assertJobError(ended, "a member killed during its maps");
  assert.equal(error.node, key(victim.address), "the JobError names the dead member as ip:port");
  const survivors: RemoteCluster = { members: members.filter((node) => node !== victim), outsider: nodes.outsider };
  assert.deepEqual(await leftovers(survivors, error.job, 1, [`${error.job}-out`]), [], "the survivors keep nothing of the job");
}));

test("a member that is down before the job starts fails it with a JobError naming it, and a member slower than timeoutMs fails it with a JobError naming it", withSeed(async (random, t) => {
  const nodes = await membersOfItsOwn(t);
  const { members } = nodes;
  const texts = randomTexts(random, 20, 10);
  texts.set("slow.txt", "w0");
  for (const gid of ["bb-down", "bb-slow"]) {
    await formGroup(nodes, gid);
    await fill(nodes, gid, texts);
  }
  const slow = ownerOf(nodes, "slow.txt");
  const tooSlow = await outcome(nodes.outsider.mr("bb-slow").exec({
    ...wordCount,
    map: async (name: string, text: unknown) => {
      if (name === "slow.txt") await new Promise((resolve) => setTimeout(resolve, 600_000));
      return (text as string).split(" ").map((word): [string, unknown] => [word, 1]);
    },
    timeoutMs: 5000,
  }));
  assert.equal(assertJobError(tooSlow, "a member slower than timeoutMs").node, key(slow.address), "the JobError names the slow member");

  const dead = members.find((node) => node !== slow) as MrRemote;
  await dead.process.kill();
  const down = await outcome(nodes.outsider.mr("bb-down").exec({ ...wordCount, timeoutMs: 20_000 }));
  assert.equal(assertJobError(down, "a member down before the job").node, key(dead.address), "the JobError names the dead member");
}));
