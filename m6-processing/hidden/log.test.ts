/**
 * handouts/m6.md#the-log: topics, partitionOf, append, read and retention
 * of the event log, where its data lives (each partition on the member that
 * owns `${topic}/${p}` in `${gid}-log`, read on the members' own stores),
 * what an append costs in calls, the errors of api.ts, and what survives
 * members restarted on their folders. The log is driven from a node outside
 * the group, whose requests are counted, unless a test says otherwise.
 * Every node runs on a clock the test moves (_log.ts): retention by
 * retainMs is checked by moving it, and no test reads the machine's clock.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { withSeed } from "../../autograder/harness/seed.ts";
import type { LogEvent, LogPosition, LoggedEvent } from "../api.ts";
import {
  addressOf, allSettled, drain, keyFor, keysFor, logFolders, logged, logLimitMs, logNamespace, loggedFields, m6, partitionMember, partitionTruth, range, rangeError, readAll, restartMembers,
  startLogCluster, storeTexts, within,
} from "./_log.ts";
import { preview } from "./_truth.ts";

/** Values of every kind milestone 1 serializes. */
const values: unknown[] = [
  { user: "ü-17", n: 3, tags: ["a", "b"], when: new Date(5), extra: null },
  [1, 2, [3]],
  "text 🙂",
  42,
  null,
  true,
  new Map([["k", 1]]),
  12n,
  { nested: { deeper: { list: [new Set(["x"])] } } },
];

/** Asserts that the events read are the events appended at those positions. */
function assertEvents(actual: readonly LoggedEvent[], expected: readonly LoggedEvent[], what: string): void {
  assert.deepEqual(actual.map(loggedFields), expected.map(loggedFields), what);
}

test("partitionOf is the first four bytes of the key's SHA-256 (UTF-8), as an unsigned big-endian integer, modulo the number of partitions: partitionOf(\"user-17\", 4) is 2", withSeed((random) => {
  assert.equal(m6.partitionOf("user-17", 4), 2, "the example of api.ts");
  const keys = ["", "a", "user-17", "café", "日本語", "🙂 emoji", "x".repeat(1000)];
  for (let i = 0; i < 200; i++) {
    keys.push(Array.from({ length: random.int(1, 12) }, () => String.fromCodePoint(random.pick([random.int(0x20, 0x7e), random.int(0xa0, 0x2fff), random.int(0x1f300, 0x1f64f)]))).join(""));
  }
  let high = 0;
  for (const key of keys) {
    const digest = createHash("sha256").update(key, "utf8").digest();
    if ((digest[0] as number) >= 0x80) high++;
    for (const partitions of [1, 2, 3, 4, 7, 10, 64, 100, 255, 256]) {
      assert.equal(m6.partitionOf(key, partitions), digest.readUInt32BE(0) % partitions, `partitionOf(${JSON.stringify(key)}, ${partitions})`);
    }
  }
  assert.ok(high > 0, "some keys have a first byte of 0x80 or more (the integer is unsigned)");
}));

test("createTopic again with the same settings does nothing, from any node; other settings, a name that is empty or holds \"/\", or partitions, retainEvents or retainMs out of range is a RangeError, and the topic keeps its first settings", async (t) => {
  const cluster = await startLogCluster(t, 3);
  const { log, gid } = cluster;
  const member = (i: number) => (cluster.members[i] as (typeof cluster.members)[number]).log(gid);
  await log.createTopic("clicks", { partitions: 3 });
  await log.createTopic("clicks", { partitions: 3 });
  await member(1).createTopic("clicks", { partitions: 3 });
  await rangeError(log.createTopic("clicks", { partitions: 5 }), "createTopic again with 5 partitions");
  await rangeError(log.createTopic("clicks", { partitions: 3, retainEvents: 10 }), "createTopic again with retainEvents");
  await rangeError(member(0).createTopic("clicks"), "createTopic again with the default 4 partitions, from a member");

  await log.createTopic("views");
  await log.createTopic("views", { partitions: 4 });
  await rangeError(log.createTopic("views", { retainMs: 1000 }), "createTopic views again with retainMs");

  await log.createTopic("kept", { partitions: 2, retainEvents: 5, retainMs: 60_000 });
  await member(2).createTopic("kept", { partitions: 2, retainEvents: 5, retainMs: 60_000 });
  await rangeError(log.createTopic("kept", { partitions: 2, retainEvents: 5 }), "createTopic kept again without retainMs");
  await rangeError(log.createTopic("kept", { partitions: 2, retainEvents: 6, retainMs: 60_000 }), "createTopic kept again with another retainEvents");

  await log.createTopic("one", { partitions: 1 });
  await log.createTopic("many", { partitions: 256 });

  for (const name of ["", "a/b", "/", "x/"]) await rangeError(log.createTopic(name), `createTopic(${JSON.stringify(name)})`);
  const bad: Array<[string, object]> = [
    ["p0", { partitions: 0 }], ["p257", { partitions: 257 }], ["pfrac", { partitions: 1.5 }], ["pneg", { partitions: -1 }], ["pnan", { partitions: Number.NaN }],
    ["e0", { retainEvents: 0 }], ["eneg", { retainEvents: -1 }], ["efrac", { retainEvents: 2.5 }],
    ["m0", { retainMs: 0 }], ["mneg", { retainMs: -1 }], ["mnan", { retainMs: Number.NaN }],
  ];
  for (const [name, options] of bad) {
    await rangeError(log.createTopic(name, options), `createTopic(${name}, ${preview(options)})`);
    await rangeError(log.read(name, 0, 0), `a read of ${name}, never created`);
  }

  // Each topic has its first settings, on every node.
  for (const reader of [log, member(0), member(1), member(2)]) {
    assert.deepEqual((await reader.read("clicks", 2, 0)).events, [], "clicks has a partition 2");
    await rangeError(reader.read("clicks", 3, 0), "clicks has 3 partitions, no partition 3");
    assert.equal((await reader.read("views", 3, 0)).end, 0, "views has a partition 3");
    await rangeError(reader.read("views", 4, 0), "views has 4 partitions by default");
    await rangeError(reader.read("one", 1, 0), "one has 1 partition");
    assert.equal((await reader.read("many", 255, 0)).end, 0, "many has a partition 255");
  }
});

test("append puts each event in partition partitionOf(key, partitions), returns each event's position in the order given, and gives each partition's events offsets 0, 1, 2, … in the order appended, so that events of one key keep their order", withSeed(async (random, t) => {
  const cluster = await startLogCluster(t, 3);
  const { log } = cluster;
  await log.createTopic("clicks", { partitions: 4 });
  const keys = Array.from({ length: 7 }, (_, i) => `user-${random.int(0, 999_999)}-${i}`);
  const appended: LoggedEvent[] = [];
  const counts = [0, 0, 0, 0];
  for (const size of [1, 25, 14, 3]) {
    const events: LogEvent[] = Array.from({ length: size }, (_, i) => ({ key: random.pick(keys), value: values[(appended.length + i) % values.length], time: 1_000_000 - appended.length - i * 7 }));
    const positions = await within(log.append("clicks", events), logLimitMs, `an append of ${size} events`);
    assert.equal(positions.length, events.length, "one position per event");
    events.forEach((event, i) => {
      const position = positions[i] as LogPosition;
      const partition = partitionTruth(event.key, 4);
      assert.deepEqual({ partition: position.partition, offset: position.offset }, { partition, offset: counts[partition] }, `event ${i} of an append of ${size} (key ${event.key})`);
      counts[partition] = (counts[partition] as number) + 1;
      appended.push(logged(event, position));
    });
  }
  assert.deepEqual(await log.append("clicks", []), [], "an append of no events");
  for (let p = 0; p < 4; p++) {
    const { events, reads } = await readAll(log, "clicks", p);
    assertEvents(events, appended.filter((event) => event.partition === p), `partition ${p} holds its events in the order appended`);
    assert.equal(reads.at(-1)?.end, counts[p], `partition ${p} ends after its last event`);
    assert.equal(reads[0]?.start, 0, `partition ${p} starts at 0`);
  }
  for (const key of keys) {
    const mine = appended.filter((event) => event.key === key);
    assert.ok(mine.every((event) => event.partition === mine[0]?.partition), `every event of ${key} is in one partition`);
    assert.ok(mine.every((event, i) => i === 0 || event.offset > (mine[i - 1] as LoggedEvent).offset), `the events of ${key} are in the order appended`);
  }
}));

test("read gives a partition's events from an offset, in offset order, at most max of them (at most 100 by default), with the partition's start and end; a read from the end gives no events", async (t) => {
  const cluster = await startLogCluster(t, 3);
  const { log } = cluster;
  await log.createTopic("r", { partitions: 2 });
  const keys = keysFor(0, 2, 3, "r");
  const events: LogEvent[] = Array.from({ length: 130 }, (_, i) => ({ key: keys[i % 3] as string, value: { i }, time: i }));
  const positions = await log.append("r", events);
  const expected = events.map((event, i) => logged(event, positions[i] as LogPosition));
  const other = await log.append("r", [{ key: keyFor(1, 2, "r"), value: "alone", time: 0 }]);
  assert.deepEqual(other, [{ partition: 1, offset: 0 }]);

  const first = await log.read("r", 0, 0);
  assert.ok(first.events.length >= 1 && first.events.length <= 100, `a read without max gives at most 100 events (gave ${first.events.length})`);
  assertEvents(first.events, expected.slice(0, first.events.length), "the first read's events");
  assert.equal(first.start, 0);
  assert.equal(first.end, 130);

  for (const [offset, max] of [[0, 1], [10, 7], [125, 10], [129, 100], [64, 3]] as const) {
    const read = await log.read("r", 0, offset, max);
    assert.ok(read.events.length >= 1 && read.events.length <= max, `read(r, 0, ${offset}, ${max}) gives 1 to ${max} events (gave ${read.events.length})`);
    assertEvents(read.events, expected.slice(offset, offset + read.events.length), `read(r, 0, ${offset}, ${max})`);
    assert.deepEqual([read.start, read.end], [0, 130], `read(r, 0, ${offset}, ${max}): start and end`);
  }
  const { events: all } = await readAll(log, "r", 0, 0, 17);
  assertEvents(all, expected, "reads of 17 at a time, put together, give the whole partition");

  const atEnd = await log.read("r", 0, 130);
  assert.deepEqual([atEnd.events, atEnd.start, atEnd.end], [[], 0, 130], "a read from the end");
  const single = await log.read("r", 1, 0, 5);
  assert.deepEqual(single.events.map(loggedFields), [loggedFields({ key: keyFor(1, 2, "r"), value: "alone", time: 0, partition: 1, offset: 0 })]);
  assert.deepEqual([single.start, single.end], [0, 1]);
  const fromMember = await (cluster.members[0] as (typeof cluster.members)[number]).log(cluster.gid).read("r", 0, 120, 5);
  assertEvents(fromMember.events, expected.slice(120, 120 + fromMember.events.length), "a member reads what the outsider appended");
});

test("a read of an unknown topic or partition, or from an offset that is not an integer in [0, end], is a RangeError", async (t) => {
  const cluster = await startLogCluster(t, 3);
  const { log } = cluster;
  await log.createTopic("r", { partitions: 2 });
  await log.append("r", keysFor(0, 2, 3, "e").map((key, i) => ({ key, value: i, time: i })));
  const member = (cluster.members[2] as (typeof cluster.members)[number]).log(cluster.gid);
  for (const reader of [log, member]) {
    await rangeError(reader.read("nope", 0, 0), "an unknown topic");
    for (const partition of [2, -1, 0.5, Number.NaN]) await rangeError(reader.read("r", partition, 0), `partition ${partition}`);
    for (const offset of [4, 100, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) await rangeError(reader.read("r", 0, offset), `offset ${offset} of a partition that ends at 3`);
    await rangeError(reader.read("r", 1, 1), "offset 1 of an empty partition");
    assert.deepEqual((await reader.read("r", 0, 3)).events, [], "offset 3, the end, is allowed");
    assert.deepEqual((await reader.read("r", 1, 0)).events, [], "offset 0 of an empty partition is its end");
  }
});

test("an append to an unknown topic, or of an event that is not a LogEvent (no key, a key that is not a string, a time that is not a finite number), is a RangeError", async (t) => {
  const cluster = await startLogCluster(t, 3);
  const { log } = cluster;
  await log.createTopic("a", { partitions: 2 });
  await rangeError(log.append("nope", [{ key: "k", value: 1, time: 1 }]), "an append to an unknown topic");
  const bad: unknown[] = [
    { value: 1, time: 1 },
    { key: 5, value: 1, time: 1 },
    { key: null, value: 1, time: 1 },
    { key: "k", value: 1 },
    { key: "k", value: 1, time: Number.NaN },
    { key: "k", value: 1, time: Number.POSITIVE_INFINITY },
    { key: "k", value: 1, time: "5" },
    null,
    42,
    "k",
  ];
  for (const event of bad) {
    await rangeError(log.append("a", [event as LogEvent]), `an append of ${preview(event)}`);
    await rangeError(log.append("a", [{ key: "fine", value: 0, time: 0 }, event as LogEvent]), `an append of a good event and ${preview(event)}`);
  }
  const positions = await log.append("a", [{ key: "fine", value: 0, time: -5.5 }]);
  assert.equal(positions.length, 1, "a good event is still appended (any finite time)");
});

test("each partition's events are in the own store of the member that owns `${topic}/${p}` in `${gid}-log`, under keys that start with `${topic}/${p}/`, once the append resolves; no other member holds a key or an event of that partition, and the outsider holds nothing", withSeed(async (random, t) => {
  const cluster = await startLogCluster(t, 3);
  const { log, gid } = cluster;
  const namespace = logNamespace(gid);
  const partitions = 8;
  await log.createTopic("clicks", { partitions });
  await log.createTopic("clicks2", { partitions: 2 });
  const nonce = random.uint32().toString(36);
  const tokens = new Map<number, string[]>();
  const events: LogEvent[] = [];
  for (let p = 0; p < partitions; p++) {
    const mine = [0, 1, 2].map((j) => `tok${p}x${j}z${nonce}`);
    tokens.set(p, mine);
    keysFor(p, partitions, 3, "c").forEach((key, j) => events.push({ key, value: { token: mine[j], payload: values[j] }, time: j }));
  }
  await within(log.append("clicks", random.shuffle(events)), logLimitMs, "the append");
  await log.append("clicks2", [{ key: "x", value: { token: `other${nonce}` }, time: 0 }]);

  const stores = new Map(await Promise.all(cluster.members.map(async (node) => [node.id, await storeTexts(node, namespace)] as const)));
  for (let p = 0; p < partitions; p++) {
    const owner = partitionMember(cluster, "clicks", p);
    const prefix = `clicks/${p}/`;
    for (const [id, store] of stores) {
      const keys = [...store.keys()].filter((key) => key.startsWith(prefix));
      if (id === owner.id) {
        assert.ok(keys.length > 0, `the owner of clicks/${p} holds keys that start with ${prefix}`);
        const text = keys.map((key) => store.get(key)).join("\n");
        for (const token of tokens.get(p) as string[]) assert.ok(text.includes(token), `the owner of clicks/${p} holds event ${token} under ${prefix}`);
      } else {
        assert.deepEqual(keys, [], `member ${id.slice(0, 6)} does not own clicks/${p} and holds none of its keys`);
      }
      for (const [key, text] of store) {
        if (id === owner.id && key.startsWith(prefix)) continue;
        for (const token of tokens.get(p) as string[]) assert.ok(!text.includes(token), `event ${token} of clicks/${p} is not under ${JSON.stringify(key)} of member ${id.slice(0, 6)}`);
      }
    }
  }
  assert.deepEqual(await cluster.outsider.local.keys(namespace), [], `the outsider holds nothing in ${namespace}`);
}));

test("appends at once from several nodes, and many at once from one node, to one partition get distinct offsets, 0 to n − 1 with none missing, and each node's events keep the order it appended them in", withSeed(async (random, t) => {
  // Members on folders: a store on disk does real I/O, so that the appends that reach the partition's member overlap there.
  const cluster = await startLogCluster(t, 3, { folders: await logFolders(t, 3) });
  await cluster.log.createTopic("hot", { partitions: 3 });
  const keys = keysFor(1, 3, 5, "hot");
  const nodes = [cluster.outsider, ...cluster.members];
  const logs = nodes.map((node) => node.log(cluster.gid));
  // Each node reads the partition first, so that its appends below leave together, not after a lookup each.
  for (const log of logs) assert.equal((await within(log.read("hot", 1, 0), logLimitMs, "a first read")).end, 0, "partition 1 starts empty");

  /** Every event acknowledged: by which node, in which of its sequences of appends (-1: a burst, appends at once), at which call. */
  const appended: Array<{ node: number; sequence: number; call: number; event: LoggedEvent }> = [];
  const appendOnce = async (n: number, sequence: number, call: number, size: number) => {
    const events = Array.from({ length: size }, (_, j) => ({ key: random.pick(keys), value: `n${n}s${sequence}c${call}j${j}`, time: call * 10 + j }));
    const positions = await within((logs[n] as (typeof logs)[number]).append("hot", events), logLimitMs, `append ${call} of node ${n} (sequence ${sequence})`);
    assert.equal(positions.length, size, "one position per event");
    const offsets = positions.map((position) => (position as LogPosition).offset);
    assert.ok(offsets.every((offset, j) => j === 0 || offset > (offsets[j - 1] as number)), `the events of one append keep their order in the partition: ${preview(offsets)}`);
    events.forEach((event, j) => appended.push({ node: n, sequence, call, event: logged(event, positions[j] as LogPosition) }));
  };
  // From every node at once: two sequences of appends one after another, and a burst of appends all sent at once; 44 appends leave together.
  const work: Array<Promise<void>> = [];
  nodes.forEach((_, n) => {
    for (let sequence = 0; sequence < 2; sequence++) {
      work.push((async () => {
        for (let call = 0; call < 5; call++) await appendOnce(n, sequence, call, random.int(1, 3));
      })());
    }
    for (let call = 0; call < 9; call++) work.push(appendOnce(n, -1, call, random.int(1, 4)));
  });
  await within(allSettled(work), logLimitMs, "the appends");

  assert.ok(appended.every(({ event }) => event.partition === 1), "every event is in partition 1");
  const offsets = appended.map(({ event }) => event.offset).sort((a, b) => a - b);
  assert.deepEqual(offsets, range(0, appended.length), "distinct offsets 0 to n − 1");
  for (let n = 0; n < nodes.length; n++) {
    for (let sequence = 0; sequence < 2; sequence++) {
      const mine = appended.filter((entry) => entry.node === n && entry.sequence === sequence).sort((a, b) => a.call - b.call);
      assert.ok(mine.every((entry, i) => i === 0 || entry.event.offset > (mine[i - 1] as (typeof mine)[number]).event.offset), `node ${n}'s events are in the order it appended them (sequence ${sequence})`);
    }
  }
  const { events, reads } = await readAll(cluster.log, "hot", 1);
  const byOffset = [...appended].sort((a, b) => a.event.offset - b.event.offset).map(({ event }) => event);
  assertEvents(events, byOffset, "the partition holds the events at the offsets append gave");
  assert.equal(reads.at(-1)?.end, appended.length);
  for (const p of [0, 2]) assert.equal((await cluster.log.read("hot", p, 0)).end, 0, `partition ${p} is empty`);
}));

test("an append sends each partition's member one call, whatever the number of events: 240 events over every partition make one or two requests to each member (a lookup of the topic allowed), and an append of one event at most one request (a lookup) to each member that does not hold its partition", async (t) => {
  const cluster = await startLogCluster(t, 3);
  const { log } = cluster;
  const partitions = 12;
  await log.createTopic("bulk", { partitions });
  const events: LogEvent[] = Array.from({ length: 240 }, (_, i) => ({ key: `u-${i % 60}`, value: { i, pad: "x".repeat(20) }, time: i }));
  const touched = new Set(events.map((event) => partitionMember(cluster, "bulk", partitionTruth(event.key, partitions)).id));
  cluster.requests.clear();
  const positions = await within(log.append("bulk", events), logLimitMs, "an append of 240 events");
  const counts = new Map(cluster.members.map((node) => [node.id, cluster.requests.get(addressOf(node)) ?? 0]));
  for (const node of cluster.members) {
    const sent = counts.get(node.id) as number;
    assert.ok(sent <= 2, `the outsider sent ${sent} requests to member ${node.id.slice(0, 6)} for one append: at most two`);
    if (touched.has(node.id)) assert.ok(sent >= 1, `member ${node.id.slice(0, 6)} holds partitions of the append and got a call from the appending node`);
  }
  assert.equal(positions.length, 240);
  for (let p = 0; p < partitions; p++) assert.equal((await log.read("bulk", p, 0)).end, events.filter((event) => partitionTruth(event.key, partitions) === p).length, `partition ${p} holds its events`);

  const key = "only-one";
  const holder = partitionMember(cluster, "bulk", partitionTruth(key, partitions));
  cluster.requests.clear();
  await log.append("bulk", [{ key, value: 1, time: 1 }]);
  for (const node of cluster.members) {
    const sent = cluster.requests.get(addressOf(node)) ?? 0;
    if (node.id === holder.id) assert.ok(sent >= 1 && sent <= 2, `the partition's member got ${sent} requests: one call (and maybe a lookup)`);
    else assert.ok(sent <= 1, `member ${node.id.slice(0, 6)} does not hold the partition and got ${sent} requests (a lookup at most)`);
  }
});

test("with retainEvents a partition keeps only its last that many events: start is end − retainEvents, a read from below start reads from start and says so, and offsets never change", async (t) => {
  const cluster = await startLogCluster(t, 3);
  const { log } = cluster;
  await log.createTopic("recent", { partitions: 2, retainEvents: 4 });
  const key0 = keyFor(0, 2, "recent");
  const key1 = keyFor(1, 2, "recent");
  const appended: LoggedEvent[] = [];
  const append = async (count: number) => {
    const events = Array.from({ length: count }, (_, i) => ({ key: key0, value: `e${appended.length + i}`, time: appended.length + i }));
    const positions = await log.append("recent", events);
    events.forEach((event, i) => appended.push(logged(event, positions[i] as LogPosition)));
  };
  await append(3);
  let read = await log.read("recent", 0, 0);
  assert.deepEqual([read.start, read.end], [0, 3], "fewer events than retainEvents: all kept");
  assertEvents(read.events, appended, "three events");

  await append(5);
  read = await log.read("recent", 0, 0);
  assert.deepEqual([read.start, read.end], [4, 8], "after 8 events, the last 4 are kept");
  assertEvents(read.events, appended.slice(4), "a read from 0 reads from start");
  read = await log.read("recent", 0, 2, 1);
  assert.equal(read.start, 4);
  assertEvents(read.events, appended.slice(4, 5), "a read from 2, below start, of one event gives the event at start");
  read = await log.read("recent", 0, 8);
  assert.deepEqual([read.events, read.start, read.end], [[], 4, 8], "a read from the end");

  for (let i = 0; i < 3; i++) await append(1);
  read = await log.read("recent", 0, 5);
  assert.deepEqual([read.start, read.end], [7, 11], "after 11 events, one at a time at the end");
  assertEvents(read.events, appended.slice(7), "the events keep the offsets append gave them");
  assert.deepEqual(appended.map((event) => event.offset), range(0, 11), "offsets go on from where they were");

  const positions = await log.append("recent", Array.from({ length: 10 }, (_, i) => ({ key: key1, value: i, time: i })));
  assert.deepEqual(positions.map((position) => position.offset), range(0, 10));
  read = await log.read("recent", 1, 0);
  assert.deepEqual([read.start, read.end, read.events.map((event) => event.value)], [6, 10, [6, 7, 8, 9]], "each partition keeps its own last 4");
});

test("with retainMs a partition keeps only the events appended less than retainMs ago by its member's clock: once that long has passed, start moves past the older events and a read from below start reads from start", async (t) => {
  const cluster = await startLogCluster(t, 3);
  const { log, clock } = cluster;
  const retainMs = 1000;
  await log.createTopic("fresh", { partitions: 1, retainMs });
  await log.createTopic("lasting", { partitions: 1, retainMs: 3_600_000 });
  const old = [0, 1, 2].map((i) => ({ key: `k${i}`, value: `old${i}`, time: i }));
  await log.append("fresh", old);
  await log.append("lasting", old);

  await clock.advance(retainMs - 100);
  let read = await log.read("fresh", 0, 0);
  assert.deepEqual([read.start, read.end, read.events.map((event) => event.value)], [0, 3, ["old0", "old1", "old2"]], "the events appended less than retainMs ago are kept");
  const [middle] = await log.append("fresh", [{ key: "k", value: "middle", time: 5 }]);
  assert.deepEqual(middle, { partition: 0, offset: 3 });

  await clock.advance(200);
  const [position] = await log.append("fresh", [{ key: "k", value: "new", time: 9 }]);
  assert.deepEqual(position, { partition: 0, offset: 4 }, "offsets go on");
  read = await log.read("fresh", 0, 0);
  assert.deepEqual([read.start, read.end], [3, 5], "the events appended more than retainMs ago are gone; those appended since are kept");
  assertEvents(read.events, [
    { key: "k", value: "middle", time: 5, partition: 0, offset: 3 },
    { key: "k", value: "new", time: 9, partition: 0, offset: 4 },
  ], "a read from 0, below start, reads from start");
  read = await log.read("fresh", 0, 1, 1);
  assert.equal(read.start, 3);
  assertEvents(read.events, [{ key: "k", value: "middle", time: 5, partition: 0, offset: 3 }], "a read from 1, below start, of one event gives the event at start");

  await clock.advance(retainMs + 100);
  const [later] = await log.append("fresh", [{ key: "k", value: "later", time: 11 }]);
  assert.deepEqual(later, { partition: 0, offset: 5 }, "offsets go on");
  read = await log.read("fresh", 0, 2);
  assert.deepEqual([read.start, read.end], [5, 6], "every event but the one just appended is older than retainMs: gone");
  assertEvents(read.events, [{ key: "k", value: "later", time: 11, partition: 0, offset: 5 }], "a read from 2, below start, reads from start");
  const kept = await log.read("lasting", 0, 0);
  assert.deepEqual([kept.start, kept.end, kept.events.map((event) => event.value)], [0, 3, ["old0", "old1", "old2"]], "a topic with a long retainMs keeps them");

  await clock.advance(retainMs + 100);
  read = await log.read("fresh", 0, 0);
  assert.deepEqual([read.start, read.end, read.events], [6, 6, []], "with no append since, a read leaves out what retainMs removed too");
});

test("members restarted on their folders, at the same addresses, keep each topic's settings, events, offsets, start and end, and the groups' committed offsets; appends go on from the offsets they had", withSeed(async (random, t) => {
  const first = await startLogCluster(t, 3, { folders: await logFolders(t, 3) });
  await first.log.createTopic("orders", { partitions: 3, retainEvents: 5 });
  await first.log.createTopic("plain", { partitions: 2 });
  const keys = Array.from({ length: 9 }, (_, i) => `order-${random.int(0, 99_999)}-${i}`);
  for (let i = 0; i < 4; i++) {
    await first.log.append("orders", Array.from({ length: 5 }, (_, j) => ({ key: random.pick(keys), value: { i, j, when: new Date(i * 10 + j) }, time: i * 10 + j })));
  }
  await first.log.append("plain", Array.from({ length: 6 }, (_, j) => ({ key: `p${j}`, value: [j], time: j })));
  const consumer = await first.log.consumer("billing", "orders");
  const consumed = await drain(consumer);
  assert.ok(consumed.length > 0, "the consumer read some events");
  await consumer.commit();
  await consumer.close();
  const committed = await first.log.committed("billing", "orders");

  const before = new Map<string, Awaited<ReturnType<typeof readAll>>>();
  for (const [topic, partitions] of [["orders", 3], ["plain", 2]] as const) {
    for (let p = 0; p < partitions; p++) before.set(`${topic}/${p}`, await readAll(first.log, topic, p));
  }

  const cluster = await restartMembers(t, first);
  assert.deepEqual(cluster.ids, first.ids, "the members have their ids again");
  for (const [where, was] of before) {
    const [topic, p] = where.split("/") as [string, string];
    const now = await readAll(cluster.log, topic, Number(p));
    assertEvents(now.events, was.events, `${where}'s events after the restart`);
    const [last, lastNow] = [was.reads.at(-1), now.reads.at(-1)];
    assert.deepEqual([lastNow?.start, lastNow?.end], [last?.start, last?.end], `${where}'s start and end after the restart`);
  }
  assert.deepEqual(await cluster.log.committed("billing", "orders"), committed, "the committed offsets after the restart");

  await cluster.log.createTopic("orders", { partitions: 3, retainEvents: 5 });
  await cluster.log.createTopic("plain", { partitions: 2 });
  await rangeError(cluster.log.createTopic("orders", { partitions: 3 }), "orders again without its retainEvents, after the restart");
  await rangeError(cluster.log.createTopic("plain", { partitions: 4 }), "plain again with other partitions, after the restart");
  await rangeError(cluster.log.read("orders", 3, 0), "orders still has 3 partitions");
  await rangeError((cluster.members[1] as (typeof cluster.members)[number]).log(cluster.gid).read("plain", 2, 0), "plain still has 2 partitions, on a member");

  for (let p = 0; p < 3; p++) {
    const end = before.get(`orders/${p}`)?.reads.at(-1)?.end as number;
    const key = keyFor(p, 3, "after");
    const positions = await cluster.log.append("orders", [0, 1].map((j) => ({ key, value: `after${j}`, time: j })));
    assert.deepEqual(positions, [{ partition: p, offset: end }, { partition: p, offset: end + 1 }], `orders/${p} goes on from offset ${end}`);
    const read = await cluster.log.read("orders", p, 0);
    assert.deepEqual([read.start, read.end], [Math.max(0, end + 2 - 5), end + 2], `orders/${p} still keeps its last 5 events`);
  }
  const [position] = await cluster.log.append("plain", [{ key: "p0", value: "after", time: 0 }]);
  const plainEnd = before.get(`plain/${(position as LogPosition).partition}`)?.reads.at(-1)?.end;
  assert.equal(position?.offset, plainEnd, "plain goes on from its offsets");

  const again = await cluster.log.consumer("billing", "orders");
  const fresh = await drain(again);
  assert.deepEqual(fresh.map((event) => event.value).sort(), ["after0", "after0", "after0", "after1", "after1", "after1"], "a new consumer of the group reads from the committed offsets: only the events appended since");
  await again.close();
}));
