/**
 * handouts/m6.md#the-log, consumer groups: who holds which partition (the
 * group's consumers sorted by id, partition p to consumer p mod n), when a
 * partition moves (only once its holder has polled again, closed, or run
 * out of session), where a consumer reads from (its position, the group's
 * committed offset, or the partition's start), commits (never backwards,
 * refused for partitions that went to another consumer), and their
 * durability on the coordinator's store. The last test is Jepsen's Kafka
 * workload in small: random producers on several nodes, reads, and a
 * consumer group, checked for lost events, offsets, skips and commits.
 *
 * Every node runs on a clock the test moves (_log.ts): a session runs out
 * when the test moves the clock past it, between calls, and no test reads
 * the machine's clock. The appends of the last test reach members on
 * folders, whose stores do real I/O, so that appends overlap there.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { withSeed } from "../../autograder/harness/seed.ts";
import type { Consumer, LogEvent, LoggedEvent, LogPosition } from "../api.ts";
import {
  allSettled, coordinatorOf, drain, keyFor, logFolders, logged, logLimitMs, names, offsetsIn, partitionsOf, partitionTruth, poll, range, rangeError, readAll, restartMembers,
  sameEvent, shareOf, startLogCluster, within, type LogCluster,
} from "./_log.ts";
import { preview } from "./_truth.ts";

/** Appends `perPartition` events to each partition of a topic; the events as logged, by partition. */
async function fill(cluster: LogCluster, topic: string, partitions: number, perPartition: number | number[], tag = "e"): Promise<LoggedEvent[][]> {
  const byPartition: LoggedEvent[][] = [];
  for (let p = 0; p < partitions; p++) {
    const count = typeof perPartition === "number" ? perPartition : (perPartition[p] as number);
    const key = keyFor(p, partitions, `${topic}-${tag}`);
    const events: LogEvent[] = Array.from({ length: count }, (_, i) => ({ key, value: `${tag}${p}.${i}`, time: i }));
    const positions = count === 0 ? [] : await cluster.log.append(topic, events);
    byPartition.push(events.map((event, i) => logged(event, positions[i] as LogPosition)));
  }
  return byPartition;
}

/** Asserts that a poll's events of each partition are the partition's events from `from[p]` on, consecutive. */
function assertFrom(events: readonly LoggedEvent[], from: ReadonlyMap<number, number>, what: string): void {
  for (const p of partitionsOf(events)) {
    const start = from.get(p);
    assert.ok(start !== undefined, `${what}: it read partition ${p}, which it should not`);
    assert.deepEqual(offsetsIn(events, p), range(start, start + offsetsIn(events, p).length), `${what}: partition ${p} from offset ${start}, no offset skipped or repeated`);
  }
}

/** Asserts that no two consumers hold one partition. */
function assertDisjoint(consumers: readonly Consumer[], what: string): void {
  const seen = new Map<number, string>();
  for (const consumer of consumers) {
    for (const p of consumer.assignment()) {
      assert.ok(!seen.has(p), `${what}: partition ${p} is held by consumers ${seen.get(p)} and ${consumer.id}`);
      seen.set(p, consumer.id);
    }
  }
}

test("consumer ids are unique among every consumer of every node", async (t) => {
  const cluster = await startLogCluster(t, 3);
  await cluster.log.createTopic("a", { partitions: 2 });
  await cluster.log.createTopic("b", { partitions: 2 });
  const consumers: Consumer[] = [];
  for (const node of [cluster.outsider, ...cluster.members]) {
    const log = node.log(cluster.gid);
    for (const [group, topic] of [["g", "a"], ["g", "a"], ["h", "a"], ["g", "b"]] as const) consumers.push(await log.consumer(group, topic));
  }
  const ids = consumers.map((consumer) => consumer.id);
  assert.ok(ids.every((id) => typeof id === "string" && id.length > 0), "each id is a non-empty string");
  assert.equal(new Set(ids).size, ids.length, `the ids are unique: ${preview(ids)}`);
  for (const consumer of consumers) await consumer.close();
});

test("a lone consumer holds every partition from its first poll, assignment() lists them ascending ([] before any poll), poll gives at most max events, and with nothing committed it reads each partition from its start", async (t) => {
  const cluster = await startLogCluster(t, 3);
  await cluster.log.createTopic("t", { partitions: 4, retainEvents: 3 });
  const logged = await fill(cluster, "t", 4, [5, 2, 7, 0]);
  const consumer = await cluster.log.consumer("g", "t");
  assert.deepEqual(consumer.assignment(), [], "no partitions before the first poll");
  const first = await poll(consumer, 2);
  assert.ok(first.length <= 2, `poll(2) gave ${first.length} events`);
  assert.deepEqual(consumer.assignment(), [0, 1, 2, 3], "every partition, ascending");
  const rest = await drain(consumer, 3);
  const all = [...first, ...rest];
  const starts = new Map([[0, 2], [1, 0], [2, 4], [3, 0]]);
  assertFrom(all, starts, "the lone consumer");
  for (let p = 0; p < 4; p++) {
    const expected = (logged[p] as LoggedEvent[]).filter((event) => event.offset >= (starts.get(p) as number));
    const got = all.filter((event) => event.partition === p).sort((a, b) => a.offset - b.offset);
    assert.equal(got.length, expected.length, `partition ${p}: every event from its start (${starts.get(p)})`);
    got.forEach((event, i) => assert.ok(sameEvent(event, expected[i] as LoggedEvent), `partition ${p}: ${preview(event)} is the event logged at offset ${event.offset}`));
  }
  assert.deepEqual(consumer.assignment(), [0, 1, 2, 3]);
  await consumer.close();
});

test("each poll goes on in each partition from where the consumer's last poll stopped, no offset skipped or read twice, and new events come at later polls; an offset that retention removed meanwhile is skipped, the partition's start read instead", withSeed(async (random, t) => {
  const cluster = await startLogCluster(t, 3);
  await cluster.log.createTopic("t", { partitions: 3 });
  await fill(cluster, "t", 3, [12, 9, 14]);
  const consumer = await (cluster.members[1] as (typeof cluster.members)[number]).log(cluster.gid).consumer("g", "t");
  const next = new Map([[0, 0], [1, 0], [2, 0]]);
  const read: LoggedEvent[] = [];
  const readOnce = async (max: number) => {
    const events = await poll(consumer, max);
    assert.ok(events.length <= max, `poll(${max}) gave ${events.length} events`);
    assertFrom(events, next, `poll(${max})`);
    for (const event of events) next.set(event.partition, event.offset + 1);
    read.push(...events);
    return events;
  };
  for (let i = 0; i < 200 && read.length < 35; i++) await readOnce(random.int(1, 4));
  assert.equal(read.length, 35, "every event, once");
  assert.deepEqual(await readOnce(10), [], "nothing left");
  await fill(cluster, "t", 3, [2, 0, 3], "late");
  for (let i = 0; i < 100 && read.length < 40; i++) await readOnce(random.int(1, 3));
  assert.deepEqual([...next], [[0, 14], [1, 9], [2, 17]], "the new events, each once");

  await cluster.log.createTopic("short", { partitions: 1, retainEvents: 4 });
  const key = keyFor(0, 1, "short");
  await cluster.log.append("short", [0, 1, 2].map((i) => ({ key, value: i, time: i })));
  const short = await cluster.log.consumer("g", "short");
  let firstPoll: LoggedEvent[] = [];
  for (let i = 0; i < 20 && firstPoll.length === 0; i++) firstPoll = await poll(short, 1);
  assert.deepEqual(firstPoll.map((event) => event.offset), [0], "one event, offset 0");
  await cluster.log.append("short", range(3, 13).map((i) => ({ key, value: i, time: i })));
  const { reads } = await readAll(cluster.log, "short", 0);
  assert.equal(reads[0]?.start, 9, "retention removed offsets 1 to 8");
  const after = await drain(short);
  assert.deepEqual(after.map((event) => event.offset), [9, 10, 11, 12], "the consumer goes on from start, 9: offsets 1 to 8 were removed");
  await consumer.close();
  await short.close();
}));

test("the consumers of a group, sorted by id, hold the partitions in turn, partition p going to consumer p mod n; a partition moves to a consumer that joins only once its holder has polled again, so that no two consumers hold a partition at once", async (t) => {
  const cluster = await startLogCluster(t, 3);
  const partitions = 5;
  await cluster.log.createTopic("t", { partitions });
  await fill(cluster, "t", partitions, 2);
  const [m0, m1] = cluster.members as [(typeof cluster.members)[number], (typeof cluster.members)[number]];
  const c1 = await cluster.log.consumer("g", "t");
  const c2 = await m0.log(cluster.gid).consumer("g", "t");
  const c3 = await m1.log(cluster.gid).consumer("g", "t");
  const all = range(0, partitions);

  await poll(c1, 1);
  assert.deepEqual(c1.assignment(), all, "alone, c1 holds every partition");

  assert.deepEqual(await poll(c2), [], "c2 joins while c1 holds every partition: it reads nothing");
  assert.deepEqual(c2.assignment(), [], "and holds nothing until c1 has polled again");
  assertDisjoint([c1, c2], "after c2's first poll");

  await poll(c1, 1);
  const two = [c1.id, c2.id];
  assert.deepEqual(c1.assignment(), shareOf(c1.id, two, partitions), "c1, having polled again, keeps its share of two: p mod 2 by sorted id");
  const read2 = await poll(c2);
  assert.deepEqual(c2.assignment(), shareOf(c2.id, two, partitions), "c2 now holds its share of two");
  read2.push(...(await drain(c2)));
  assertFrom(read2, new Map(c2.assignment().map((p) => [p, 0])), "c2 reads its partitions from their start, nothing being committed");
  assert.equal(read2.length, 2 * c2.assignment().length, "every event of its partitions");
  assertDisjoint([c1, c2], "after both polled");

  assert.deepEqual(await poll(c3), [], "c3 joins while c1 and c2 hold every partition: it reads nothing");
  assert.deepEqual(c3.assignment(), []);
  const three = [c1.id, c2.id, c3.id];
  const order = [c1, c2, c3, c1, c2, c3];
  for (const consumer of order) {
    await poll(consumer);
    assertDisjoint([c1, c2, c3], `after a poll of ${consumer.id}`);
    assert.ok(consumer.assignment().every((p) => shareOf(consumer.id, three, partitions).includes(p)), `${consumer.id} holds only partitions of its share of three`);
  }
  for (const consumer of [c1, c2, c3]) assert.deepEqual(consumer.assignment(), shareOf(consumer.id, three, partitions), `once all three polled twice, ${consumer.id} holds its share of three`);
  for (const consumer of [c1, c2, c3]) await consumer.close();
});

test("commit records, for each partition the consumer held at its last poll, its position there; committed() gives one entry per partition, undefined where none is committed, and each consumer group has its own", async (t) => {
  const cluster = await startLogCluster(t, 3);
  const partitions = 4;
  await cluster.log.createTopic("t", { partitions });
  await fill(cluster, "t", partitions, [3, 5, 2, 4]);
  assert.deepEqual(await cluster.log.committed("g", "t"), [undefined, undefined, undefined, undefined], "nothing committed yet");
  const c1 = await cluster.log.consumer("g", "t");
  const c2 = await (cluster.members[2] as (typeof cluster.members)[number]).log(cluster.gid).consumer("g", "t");
  const read: LoggedEvent[] = [];
  read.push(...(await poll(c1, 1)));
  await poll(c2, 1);
  read.push(...(await poll(c1, 1)));
  await poll(c2, 1);
  const ids = [c1.id, c2.id];
  assert.deepEqual(c1.assignment(), shareOf(c1.id, ids, partitions));
  assert.deepEqual(c2.assignment(), shareOf(c2.id, ids, partitions));
  read.push(...(await drain(c1)));
  const ends = [3, 5, 2, 4];
  for (const p of c1.assignment()) assert.equal(Math.max(-1, ...offsetsIn(read, p)), (ends[p] as number) - 1, `c1 read partition ${p} to its end`);
  await c1.commit();
  const expected = range(0, partitions).map((p) => (c1.assignment().includes(p) ? ends[p] : undefined));
  assert.deepEqual(await cluster.log.committed("g", "t"), expected, "c1's partitions committed at their ends; c2's not at all");
  assert.deepEqual(await (cluster.members[0] as (typeof cluster.members)[number]).log(cluster.gid).committed("g", "t"), expected, "the same from a member");
  assert.deepEqual(await cluster.log.committed("other", "t"), [undefined, undefined, undefined, undefined], "another group has nothing committed");
  await c1.commit();
  assert.deepEqual(await cluster.log.committed("g", "t"), expected, "committing again without reading more changes nothing");
  for (const consumer of [c1, c2]) await consumer.close();
});

test("a consumer that closes leaves the group: at their next poll the others take its partitions, reading them from the group's committed offset; polling after close is a RangeError", async (t) => {
  const cluster = await startLogCluster(t, 3);
  const partitions = 4;
  await cluster.log.createTopic("t", { partitions });
  await fill(cluster, "t", partitions, 6);
  const c1 = await cluster.log.consumer("g", "t");
  const c2 = await (cluster.members[0] as (typeof cluster.members)[number]).log(cluster.gid).consumer("g", "t");
  for (const consumer of [c1, c2, c1, c2]) await poll(consumer, 1);
  const ids = [c1.id, c2.id];
  assert.deepEqual(c1.assignment(), shareOf(c1.id, ids, partitions));
  const position = new Map<number, number>();
  for (let i = 0; i < 40; i++) {
    const events = await poll(c1, 1);
    for (const event of events) position.set(event.partition, event.offset + 1);
    if (c1.assignment().every((p) => (position.get(p) ?? 0) >= 3)) break;
  }
  await c1.commit();
  const committed = await cluster.log.committed("g", "t");
  for (const p of c1.assignment()) assert.equal(committed[p], position.get(p), `partition ${p} committed at c1's position`);
  await drain(c1);
  const mine = c2.assignment();
  const c2Next = new Map(mine.map((p) => [p, 0]));
  for (const event of await drain(c2)) c2Next.set(event.partition, event.offset + 1);
  const c1Share = c1.assignment();
  await c1.close();
  const now = await cluster.log.committed("g", "t");
  for (const p of c1Share) assert.ok((now[p] as number) >= (committed[p] as number), `partition ${p}'s committed offset never moves back`);
  committed.splice(0, committed.length, ...now);

  const taken = await poll(c2);
  assert.deepEqual(c2.assignment(), range(0, partitions), "c2 holds every partition once c1 closed");
  assertFrom(taken, new Map([...c1Share.map((p): [number, number] => [p, committed[p] as number]), ...c2Next]), "c2 reads c1's partitions from the committed offsets");
  const rest = await drain(c2);
  for (const p of c1Share) assert.deepEqual([...offsetsIn(taken, p), ...offsetsIn(rest, p)], range(committed[p] as number, 6), `c2 reads partition ${p} from ${committed[p]} to its end`);
  await rangeError(c1.poll(), "a poll after close");
  await c2.close();
});

test("a new consumer of a group, after the one before it closed, reads each partition from the group's committed offset; a consumer of another group reads from the start", async (t) => {
  const cluster = await startLogCluster(t, 3);
  await cluster.log.createTopic("t", { partitions: 3 });
  await fill(cluster, "t", 3, [4, 6, 5]);
  const first = await cluster.log.consumer("g", "t");
  const read: LoggedEvent[] = [];
  for (let i = 0; i < 40 && [0, 1, 2].some((p) => offsetsIn(read, p).length < 2); i++) read.push(...(await poll(first, 1)));
  const committedAt = new Map([0, 1, 2].map((p) => [p, Math.max(-1, ...offsetsIn(read, p)) + 1]));
  assert.ok([...committedAt.values()].every((offset) => offset >= 2), "the first consumer read two events or more of each partition");
  await first.commit();
  assert.deepEqual(await cluster.log.committed("g", "t"), [0, 1, 2].map((p) => committedAt.get(p)), "the committed offsets are where the first consumer stopped");
  await poll(first, 2);
  await first.close();
  const now = await cluster.log.committed("g", "t");
  for (const p of [0, 1, 2]) {
    assert.ok((now[p] as number) >= (committedAt.get(p) as number), `partition ${p}'s committed offset never moves back`);
    committedAt.set(p, now[p] as number);
  }

  const second = await (cluster.members[1] as (typeof cluster.members)[number]).log(cluster.gid).consumer("g", "t");
  const again = await drain(second);
  assertFrom(again, committedAt, "the new consumer of g");
  assert.equal(again.length, 15 - [...committedAt.values()].reduce((sum, offset) => sum + offset, 0), "it reads every event after the committed offsets, once");
  const other = await cluster.log.consumer("other", "t");
  const fromStart = await drain(other);
  assertFrom(fromStart, new Map([[0, 0], [1, 0], [2, 0]]), "a consumer of another group");
  assert.equal(fromStart.length, 15);
  for (const consumer of [second, other]) await consumer.close();
});

test("a consumer that has not polled for sessionMs is out of the group: the others take its partitions at their next poll, reading them from the committed offset, and when it polls again it joins again, holding nothing that another holds", async (t) => {
  const cluster = await startLogCluster(t, 3);
  const { clock } = cluster;
  const partitions = 4;
  const sessionMs = 300;
  await cluster.log.createTopic("t", { partitions });
  await fill(cluster, "t", partitions, 3);
  const c1 = await cluster.log.consumer("g", "t", { sessionMs });
  const c2 = await (cluster.members[2] as (typeof cluster.members)[number]).log(cluster.gid).consumer("g", "t");
  const read1: LoggedEvent[] = [];
  for (let i = 0; i < 40 && range(0, partitions).some((p) => offsetsIn(read1, p).length < 1); i++) read1.push(...(await poll(c1, 1)));
  assert.deepEqual(c1.assignment(), range(0, partitions), "alone, c1 holds every partition");
  await c1.commit();
  const committed = await cluster.log.committed("g", "t");
  const position = new Map(range(0, partitions).map((p) => [p, Math.max(-1, ...offsetsIn(read1, p)) + 1]));
  assert.deepEqual(committed, range(0, partitions).map((p) => position.get(p)), "c1's commit");
  const ahead = await drain(c1);
  assert.equal(read1.length + ahead.length, 3 * partitions, "c1 reads on past its commit, to the end of every partition");

  // Alone, c1 lets its session run out: polling again, it joins again and reads every partition from the committed offset, not from where it was.
  await clock.advance(sessionMs + 100);
  const rejoined = await poll(c1);
  assert.deepEqual(c1.assignment(), range(0, partitions), "c1 joins again, alone: it holds every partition");
  assertFrom(rejoined, position, "c1, joining again after its session ran out, reads from the committed offsets");
  rejoined.push(...(await drain(c1)));
  for (let p = 0; p < partitions; p++) assert.deepEqual(offsetsIn(rejoined, p), range(position.get(p) as number, 3), `c1, joining again, reads partition ${p} from the committed offset ${position.get(p)} to its end`);

  await clock.advance(sessionMs + 100);
  const taken = await poll(c2);
  assert.deepEqual(c2.assignment(), range(0, partitions), "c1's session ran out: c2 holds every partition");
  assertFrom(taken, position, "c2 reads from the committed offsets");

  const back = await poll(c1);
  assert.deepEqual(back, [], "c1 polls again: it joins again, and reads nothing that c2 holds");
  assert.deepEqual(c1.assignment(), [], "c1 holds nothing until c2 has polled again");
  await poll(c2);
  const two = [c1.id, c2.id];
  assert.deepEqual(c2.assignment(), shareOf(c2.id, two, partitions), "c2, having polled again, keeps its share of two");
  assertDisjoint([c1, c2], "after c2 polled again");
  const mine = await poll(c1);
  assert.deepEqual(c1.assignment(), shareOf(c1.id, two, partitions), "c1 now holds its share of two");
  assertFrom(mine, new Map(c1.assignment().map((p) => [p, position.get(p) as number])), "c1 reads its new partitions from the committed offsets");
  assertDisjoint([c1, c2], "after c1 polled again");
  for (const consumer of [c1, c2]) await consumer.close();
});

test("a commit after the consumer's session ran out is a RangeError naming the partitions that went to another consumer since its last poll, and its other partitions are still committed", async (t) => {
  const cluster = await startLogCluster(t, 3);
  const partitions = 6;
  const sessionMs = 500;
  await cluster.log.createTopic("t", { partitions });
  await fill(cluster, "t", partitions, 2);
  const c1 = await cluster.log.consumer("g", "t", { sessionMs });
  const read = await drain(c1);
  assert.deepEqual(c1.assignment(), range(0, partitions), "alone, c1 holds every partition");
  assert.equal(read.length, 2 * partitions, "and reads every event");
  const c2 = await (cluster.members[0] as (typeof cluster.members)[number]).log(cluster.gid).consumer("g", "t");
  const c3 = await (cluster.members[1] as (typeof cluster.members)[number]).log(cluster.gid).consumer("g", "t");
  const went = new Set<number>();
  for (const consumer of [c2, c3, c2, c3]) {
    await poll(consumer);
    for (const p of consumer.assignment()) went.add(p);
  }
  await cluster.clock.advance(sessionMs + 100);
  await poll(c2);
  for (const p of c2.assignment()) went.add(p);
  assert.deepEqual(c2.assignment(), shareOf(c2.id, [c2.id, c3.id], partitions), "c1's session ran out: c2 takes its share of two");

  const refused = c1.assignment().filter((p) => went.has(p));
  const kept = c1.assignment().filter((p) => !went.has(p));
  const error = await rangeError(c1.commit(), "c1's commit after partitions went to c2");
  for (const p of refused) assert.ok(names(error.message, p), `the RangeError names partition ${p}, which went to another consumer: "${error.message}"`);
  const committed = await cluster.log.committed("g", "t");
  for (const p of kept) assert.equal(committed[p], 2, `partition ${p}, which no other consumer took, is committed at c1's position`);
  for (const p of refused) assert.equal(committed[p], undefined, `partition ${p} is not committed`);
  for (const consumer of [c1, c2, c3]) await consumer.close();
});

test("consumer refuses an unknown topic, a group name that is empty or holds \"/\", or a sessionMs that is not a positive number, and committed an unknown topic, with a RangeError", async (t) => {
  const cluster = await startLogCluster(t, 3);
  await cluster.log.createTopic("t", { partitions: 2 });
  const member = (cluster.members[0] as (typeof cluster.members)[number]).log(cluster.gid);
  for (const log of [cluster.log, member]) {
    await rangeError(log.consumer("g", "nope"), "a consumer of an unknown topic");
    for (const group of ["", "a/b", "/"]) await rangeError(log.consumer(group, "t"), `a consumer of group ${JSON.stringify(group)}`);
    for (const sessionMs of [0, -1, Number.NaN]) await rangeError(log.consumer("g", "t", { sessionMs }), `sessionMs ${sessionMs}`);
    await rangeError(log.committed("g", "nope"), "committed of an unknown topic");
  }
  const fine = await cluster.log.consumer("g", "t", { sessionMs: 2.5e4 });
  await fine.close();
});

test("committed offsets are kept on the coordinator's store: after its member restarts on its folder, at the same address, committed() gives them again and a new consumer of the group reads each partition from them", async (t) => {
  const first = await startLogCluster(t, 3, { folders: await logFolders(t, 3, "m6-log-groups-") });
  const partitions = 3;
  await first.log.createTopic("t", { partitions });
  await fill(first, "t", partitions, [5, 4, 6]);
  const consumer = await first.log.consumer("g", "t");
  const read: LoggedEvent[] = [];
  for (let i = 0; i < 3; i++) read.push(...(await poll(consumer, 2)));
  await consumer.commit();
  const committed = await first.log.committed("g", "t");
  assert.ok(committed.some((offset) => offset !== undefined && offset > 0), "some offset is committed");
  await consumer.close();

  const coordinator = first.members.findIndex((node) => node.id === coordinatorOf(first, "g", "t").id);
  const cluster = await restartMembers(t, first, [coordinator]);
  assert.deepEqual(await cluster.log.committed("g", "t"), committed, "the committed offsets after the coordinator's restart");
  const resumed = await cluster.log.consumer("g", "t");
  const rest = await drain(resumed);
  const from = new Map(range(0, partitions).map((p) => [p, committed[p] ?? 0]));
  assertFrom(rest, from, "a new consumer after the restart");
  assert.equal(rest.length, 15 - [...from.values()].reduce((sum, offset) => sum + offset, 0), "it reads every event after the committed offsets");
  await resumed.commit();
  assert.deepEqual(await cluster.log.committed("g", "t"), [5, 4, 6], "it commits on");
  await resumed.close();
});

test("who holds which partition is kept on the coordinator's store too: after its member restarts on its folder, a new consumer gets no partition that a consumer of before still holds, that consumer may still commit what it read, and a partition moves once its holder polls again or its session, counted from the restart, runs out", async (t) => {
  const first = await startLogCluster(t, 3, { folders: await logFolders(t, 3, "m6-log-holders-") });
  const partitions = 4;
  await first.log.createTopic("t", { partitions });
  await fill(first, "t", partitions, 3);
  const coordinator = first.members.findIndex((node) => node.id === coordinatorOf(first, "g", "t").id);
  // The consumers of before are on a member that stays up.
  const home = first.members.find((_, i) => i !== coordinator) as (typeof first.members)[number];
  const sessionMs = 5_000;
  const before = await home.log(first.gid).consumer("g", "t", { sessionMs });
  const read = await poll(before);
  assert.deepEqual(before.assignment(), range(0, partitions), "alone, the first consumer holds every partition");
  assert.equal(read.length, partitions * 3, "its first poll reads every event");
  const reached = range(0, partitions).map((p) => offsetsIn(read, p).length);

  const cluster = await restartMembers(t, first, [coordinator]);
  const after = await cluster.log.consumer("g", "t", { sessionMs });
  assert.deepEqual(await poll(after), [], "the new consumer reads nothing while the first one holds every partition");
  assertDisjoint([before, after], "after the coordinator's restart");
  await before.commit();
  assert.deepEqual(await cluster.log.committed("g", "t"), reached, "the first consumer commits what it read before the restart");

  await poll(before);
  await poll(after);
  assertDisjoint([before, after], "once the first consumer polled again");
  const ids = [before.id, after.id];
  assert.deepEqual(after.assignment(), shareOf(after.id, ids, partitions), "the new consumer holds its share once the first one let it go");
  assert.deepEqual(before.assignment(), shareOf(before.id, ids, partitions), "the first consumer keeps its own share");

  await cluster.clock.advance(sessionMs + 100);
  await poll(after);
  assert.deepEqual(after.assignment(), range(0, partitions), "the first consumer's session ran out: the new one holds every partition");
  await after.close();
});

test("Jepsen's checks on a random workload (producers on four nodes at once, reads, and a consumer group with a producer still appending): no acknowledged event is lost, offsets of a partition strictly increase with one event per offset, read gives what append acknowledged, a consumer never skips an offset, and committed offsets never go backwards", withSeed(async (random, t) => {
  // Members on folders: their stores do real I/O, so that the appends that reach a member overlap there.
  const cluster = await startLogCluster(t, 3, { folders: await logFolders(t, 3, "m6-jepsen-") });
  const topic = "jepsen";
  const partitions = 5;
  await cluster.log.createTopic(topic, { partitions });
  const keys = Array.from({ length: 24 }, (_, i) => `user-${random.int(0, 999_999)}-${i}`);
  const nodes = [cluster.outsider, ...cluster.members];
  const logOf = (n: number) => (nodes[n] as (typeof nodes)[number]).log(cluster.gid);

  /** Every acknowledged event, by `${partition}/${offset}`, and when each append began and ended, as steps of this process (no clock: only their order counts). */
  const acked = new Map<string, LoggedEvent>();
  const appends: Array<{ producer: number; began: number; ended: number; events: LoggedEvent[] }> = [];
  let tick = 0;
  /** A producer: appends one after another from node `producer` mod 4 (three producers on each node). */
  const produce = async (producer: number, calls: number, maxSize: number) => {
    const rng = random.fork(`producer ${producer}`);
    const node = producer % nodes.length;
    for (let call = 0; call < calls; call++) {
      const events: LogEvent[] = Array.from({ length: rng.int(1, maxSize) }, (_, j) => ({ key: rng.pick(keys), value: { producer, call, j }, time: rng.int(0, 1e6) }));
      const began = ++tick;
      const positions = await within(logOf(node).append(topic, events), logLimitMs, `append ${call} of producer ${producer} (node ${node})`);
      const ended = ++tick;
      assert.equal(positions.length, events.length, "one position per event");
      const done = events.map((event, j) => {
        const position = positions[j] as LogPosition;
        assert.equal(position.partition, partitionTruth(event.key, partitions), `${event.key} goes to partitionOf(key)`);
        const key = `${position.partition}/${position.offset}`;
        assert.ok(!acked.has(key), `two events acknowledged at ${key}`);
        const entry = logged(event, position);
        acked.set(key, entry);
        return entry;
      });
      appends.push({ producer, began, ended, events: done });
    }
  };

  // Producers on every node at once, three on each: twelve appends in flight at a time.
  const producers = range(0, 3 * nodes.length);
  await within(allSettled(producers.map((producer) => produce(producer, 8, 8))), logLimitMs * 2, "the producers");
  const ends = range(0, partitions).map((p) => [...acked.values()].filter((event) => event.partition === p).length);
  for (let p = 0; p < partitions; p++) {
    const offsets = [...acked.values()].filter((event) => event.partition === p).map((event) => event.offset).sort((a, b) => a - b);
    assert.deepEqual(offsets, range(0, ends[p] as number), `partition ${p}: one acknowledged event per offset, 0 to end − 1`);
  }
  for (const producer of producers) {
    const mine = appends.filter((entry) => entry.producer === producer).flatMap((entry) => entry.events);
    for (let p = 0; p < partitions; p++) {
      const offsets = mine.filter((event) => event.partition === p).map((event) => event.offset);
      assert.ok(offsets.every((offset, i) => i === 0 || offset > (offsets[i - 1] as number)), `producer ${producer}'s events in partition ${p} are in the order it appended them`);
    }
  }
  for (const a of appends) {
    for (const b of appends) {
      if (a.ended >= b.began) continue;
      for (const early of a.events) {
        for (const late of b.events) {
          if (early.partition === late.partition) assert.ok(early.offset < late.offset, `an event acknowledged before another append began has a lower offset (${early.partition}/${early.offset} vs ${late.offset})`);
        }
      }
    }
  }

  // Reads, from random nodes with random sizes, give every acknowledged event at its offset.
  for (let p = 0; p < partitions; p++) {
    const reader = logOf(random.int(0, nodes.length - 1));
    const from = random.int(0, ends[p] as number);
    const { events, reads } = await readAll(reader, topic, p, from, () => random.int(1, 25));
    assert.deepEqual(events.map((event) => event.offset), range(from, ends[p] as number), `partition ${p} read from ${from}: offsets increase by one`);
    for (const event of events) assert.ok(sameEvent(event, acked.get(`${p}/${event.offset}`) as LoggedEvent), `read gives at ${p}/${event.offset} the event append acknowledged there`);
    for (const read of reads) assert.deepEqual([read.start, read.end], [0, ends[p]], `partition ${p}'s start and end`);
  }

  // A consumer group, while one producer goes on appending.
  const group = "jepsen-group";
  const consumers: Consumer[] = [];
  const closed = new Set<Consumer>();
  const positionOf = new Map<Consumer, Map<number, number>>();
  const heldBefore = new Map<Consumer, number[]>();
  const consumed: LoggedEvent[] = [];
  let committed: Array<number | undefined> = range(0, partitions).map(() => undefined);
  const join = async () => {
    const consumer = await logOf(random.int(0, nodes.length - 1)).consumer(group, topic, { sessionMs: 60_000 });
    consumers.push(consumer);
    positionOf.set(consumer, new Map());
    heldBefore.set(consumer, []);
    return consumer;
  };
  const live = () => consumers.filter((consumer) => !closed.has(consumer));
  const pollOnce = async (consumer: Consumer, max: number) => {
    const events = await poll(consumer, max);
    const held = consumer.assignment();
    assert.ok(events.length <= max, `poll(${max}) gave ${events.length} events`);
    assert.deepEqual(held, [...held].sort((a, b) => a - b), "assignment() is ascending");
    assertDisjoint(live(), `after a poll of ${consumer.id}`);
    const before = heldBefore.get(consumer) as number[];
    const positions = positionOf.get(consumer) as Map<number, number>;
    const from = new Map(held.map((p): [number, number] => [p, before.includes(p) ? (positions.get(p) as number) : (committed[p] ?? 0)]));
    assertFrom(events, from, `a poll of ${consumer.id} (held ${preview(before)}, holds ${preview(held)})`);
    positions.clear();
    for (const [p, offset] of from) positions.set(p, offset);
    for (const event of events) positions.set(event.partition, event.offset + 1);
    heldBefore.set(consumer, held);
    consumed.push(...events);
    return events;
  };
  const commitOnce = async (consumer: Consumer) => {
    await within(consumer.commit(), logLimitMs, `a commit of ${consumer.id}`);
    const now = await cluster.log.committed(group, topic);
    assert.equal(now.length, partitions, "committed() has one entry per partition");
    for (let p = 0; p < partitions; p++) {
      const was = committed[p];
      if (was !== undefined) assert.ok(now[p] !== undefined && (now[p] as number) >= was, `partition ${p}'s committed offset went from ${was} to ${now[p]}: never backwards`);
      const held = (heldBefore.get(consumer) as number[]).includes(p);
      const position = (positionOf.get(consumer) as Map<number, number>).get(p) as number;
      // A partition from which nothing was ever read may be left uncommitted (its position is its start, 0).
      if (held && !(now[p] === undefined && was === undefined && position === 0)) assert.equal(now[p], Math.max(was ?? 0, position), `partition ${p} committed at ${consumer.id}'s position`);
      else assert.equal(now[p], was, `partition ${p}, which ${consumer.id} does not hold, is left as it was`);
    }
    committed = now;
  };

  for (let i = 0; i < 3; i++) await join();
  const background = produce(producers.length + 3, 15, 4);
  let left = 1;
  for (let step = 0; step < 45; step++) {
    const roll = random.next();
    const consumer = random.pick(live());
    if (roll < 0.65) await pollOnce(consumer, random.int(1, 12));
    else if (roll < 0.9) await commitOnce(consumer);
    else if (left > 0 && live().length > 1) {
      left--;
      await consumer.close();
      closed.add(consumer);
      const now = await cluster.log.committed(group, topic);
      for (let p = 0; p < partitions; p++) {
        if (committed[p] !== undefined) assert.ok((now[p] as number) >= (committed[p] as number), `partition ${p}'s committed offset never goes backwards`);
      }
      committed = now;
      await join();
    } else await pollOnce(consumer, 5);
  }
  await within(background, logLimitMs * 2, "the background producer");
  const finalEnds = range(0, partitions).map((p) => [...acked.values()].filter((event) => event.partition === p).length);

  // Drain: poll round after round until every event has been read by some consumer.
  const seen = () => range(0, partitions).map((p) => new Set(offsetsIn(consumed, p)));
  for (let round = 0; round < 200; round++) {
    const now = seen();
    if (range(0, partitions).every((p) => (now[p] as Set<number>).size >= (finalEnds[p] as number))) break;
    for (const consumer of live()) await pollOnce(consumer, 20);
    if (round % 3 === 2) await commitOnce(random.pick(live()));
  }
  const got = seen();
  for (let p = 0; p < partitions; p++) {
    assert.deepEqual([...(got[p] as Set<number>)].sort((a, b) => a - b), range(0, finalEnds[p] as number), `partition ${p}: the consumers read every acknowledged offset`);
  }
  for (const event of consumed) assert.ok(sameEvent(event, acked.get(`${event.partition}/${event.offset}`) as LoggedEvent), `a consumer got at ${event.partition}/${event.offset} the event append acknowledged there`);
  for (const consumer of live()) await commitOnce(consumer);
  for (const consumer of live()) await consumer.close();
}));
