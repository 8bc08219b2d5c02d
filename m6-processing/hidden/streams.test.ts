/**
 * handouts/m6.md#the-processor, jobs: stream jobs run by the members of a
 * group, read from a topic of the log and written to others. A job runs on
 * the owner of its name in `${gid}-streams`; its status, its sink (one
 * event per result, key the result's key, time its end − 1), its steps,
 * its late records, its watermark held back by a partition that is behind
 * (or that has no record: for ever without idleMs, until it goes idle
 * with it), its checkpoints (by count and by the node's clock), and restarts: after
 * stop, after drain, and after its member crashed, exactly once (after
 * Flink's test: 20 keys × 300 events, a crash after two checkpoints and a
 * third of the input; and a crash once a checkpoint's outputs were
 * appended) and at least once (which must show duplicates).
 *
 * Every node runs on a clock the test moves by hand (_log.ts), in small
 * steps while it waits for a job to reach a state (_streams.ts), so that a
 * job's timers fire; no test reads the machine's clock. Input is appended
 * before the job must read it, each partition's events in time order, so
 * which results a job gives does not depend on how it interleaves its
 * partitions.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { JobStatus, LogEvent, StreamJob, StreamRecord, WindowResult } from "../api.ts";
import { keysFor, logFolders, partitionTruth, rangeError, restartMembers, startLogCluster, type LogCluster } from "./_log.ts";
import { endsOf, eventsOf, jobMember, jobMemberIndex, offsetsAre, recordFields, resultFields, sinkResults, sum, waitForEvents, waitForStatus, windowName, type WaitOptions } from "./_streams.ts";
import { preview } from "./_truth.ts";

/** Appends events in chunks, in the order given. */
async function appendAll(cluster: LogCluster, topic: string, events: readonly LogEvent[], chunk = 500): Promise<void> {
  for (let i = 0; i < events.length; i += chunk) await cluster.log.append(topic, events.slice(i, i + chunk));
}

/** Waits until a job has processed its source up to the ends it has now. */
async function waitForEnds(cluster: LogCluster, job: Pick<StreamJob, "name" | "source">, partitions: number, also: (status: JobStatus) => boolean = () => true, options: WaitOptions = {}): Promise<JobStatus> {
  const ends = await endsOf(cluster.log, job.source, partitions);
  return waitForStatus(cluster, job.name, (status) => offsetsAre(status, ends) && also(status), `offsets ${preview(ends)}`, options);
}

/** Counts the results of a sink by key and window. */
function countByWindow(results: readonly WindowResult[]): Map<string, WindowResult[]> {
  const by = new Map<string, WindowResult[]>();
  for (const r of results) {
    const name = windowName(r.key, r.start, r.end);
    by.set(name, [...(by.get(name) ?? []), r]);
  }
  return by;
}

/** The sums of tumbling windows of `size` per key, over records already keyed and valued. */
function tumblingSums(records: ReadonlyArray<{ key: string; value: number; time: number }>, size: number): Map<string, number> {
  const sums = new Map<string, number>();
  for (const { key, value, time } of records) {
    const start = Math.floor(time / size) * size;
    const name = windowName(key, start, start + size);
    sums.set(name, (sums.get(name) ?? 0) + value);
  }
  return sums;
}

/** Asserts that a sink holds exactly one final on-time result per key and window, with these sums. */
function assertOncePerWindow(results: readonly WindowResult[], sums: ReadonlyMap<string, number>, what: string): void {
  const by = countByWindow(results);
  const doubled = [...by].filter(([, list]) => list.length > 1).map(([name, list]) => `${name} ×${list.length}`);
  assert.deepEqual(doubled, [], `${what}: no key and window has two results`);
  assert.deepEqual([...by.keys()].sort(), [...sums.keys()].sort(), `${what}: one result per key and window`);
  for (const [name, [r]] of by) {
    assert.deepEqual([r?.value, r?.timing, r?.pane, r?.final], [sums.get(name), "on time", 0, true], `${what}: the result of ${name}`);
  }
}

/** What a call gives, as a promise, whether it fails by rejecting or by throwing at once. */
const settled = <T>(call: () => Promise<T>): Promise<T> => Promise.resolve().then(call);

const addressOf = (status: JobStatus) => ({ ip: status.node.ip, port: status.node.port });

// ---------------------------------------------------------------------------
// start, status, stop.

test("start runs a job on the owner of its name in ${gid}-streams and gives its status (name, node, running, no checkpoint, an offset per partition, watermark -Infinity, nothing held or appended); status is the same from any node, and stop gives the status stopped", async (t) => {
  const cluster = await startLogCluster(t, 3);
  const { log, gid } = cluster;
  await log.createTopic("clicks", { partitions: 3 });
  await log.createTopic("counts", { partitions: 2 });
  const streams = cluster.outsider.streams(gid);
  const job: StreamJob = { name: "click-counts", source: "clicks", sink: "counts", window: { tumbling: 10 }, reduce: sum };
  const owner = jobMember(cluster, job.name);
  const started = await streams.start(job);
  assert.deepEqual(
    { name: started.name, node: addressOf(started), running: started.running, checkpoints: started.checkpoints, offsets: started.offsets, watermark: started.watermark, held: started.held, results: started.results, late: started.late },
    { name: "click-counts", node: { ip: owner.address.ip, port: owner.address.port }, running: true, checkpoints: 0, offsets: [0, 0, 0], watermark: Number.NEGATIVE_INFINITY, held: 0, results: 0, late: 0 },
    "the status start gives",
  );
  const key = keysFor(1, 3, 1, "click")[0] as string;
  await log.append("clicks", [{ key, value: 2, time: 3 }, { key, value: 5, time: 14 }]);
  const seen = await waitForStatus(cluster, job.name, (status) => offsetsAre(status, [0, 2, 0]), "offsets [0, 2, 0]");
  assert.deepEqual([seen.running, seen.watermark, seen.held], [true, Number.NEGATIVE_INFINITY, 2], "two windows held; partitions 0 and 2 have had no record, so the watermark is -Infinity");
  for (const node of cluster.members) {
    const status = await node.streams(gid).status(job.name);
    assert.deepEqual([status.name, addressOf(status), status.running, status.offsets], [job.name, addressOf(seen), true, [0, 2, 0]], `the status from member ${node.address.port}`);
  }
  const stopped = await streams.stop(job.name);
  assert.deepEqual([stopped.name, addressOf(stopped), stopped.running, stopped.offsets, stopped.held], [job.name, addressOf(seen), false, [0, 2, 0], 2], "the status stop gives: stopped where it was, its windows kept");
  assert.ok(stopped.checkpoints >= 1, `stop takes a last checkpoint (checkpoints ${stopped.checkpoints})`);
  const later = await streams.status(job.name);
  assert.deepEqual([later.running, later.offsets, later.checkpoints], [false, [0, 2, 0], stopped.checkpoints], "the status of the stopped job");
  assert.deepEqual(await eventsOf(log, "counts", 2), [], "nothing fired: no result was appended");
});

test("start of a job that runs is a RangeError, status of a job never started is a RangeError, and stop of a job that does not run (never started, or stopped) is a RangeError", async (t) => {
  const cluster = await startLogCluster(t, 3);
  const { log, gid } = cluster;
  await log.createTopic("in", { partitions: 2 });
  await log.createTopic("out", { partitions: 2 });
  const streams = cluster.outsider.streams(gid);
  const job: StreamJob = { name: "twice", source: "in", sink: "out", window: { tumbling: 10 }, reduce: sum };
  await streams.start(job);
  await rangeError(streams.start(job), "start of a job that runs");
  await rangeError((cluster.members[1] as (typeof cluster.members)[number]).streams(gid).start(job), "start of a job that runs, from a member");
  await rangeError(streams.status("never-started"), "status of a job never started");
  await rangeError(streams.stop("never-started"), "stop of a job never started");
  const stopped = await streams.stop(job.name);
  assert.equal(stopped.running, false);
  await rangeError(streams.stop(job.name), "stop of a stopped job");
  await rangeError(streams.stop(job.name, { drain: true }), "drain of a stopped job");
  const again = await streams.start(job);
  assert.equal(again.running, true, "a stopped job starts again");
  await streams.stop(job.name, { drain: true });
});

test("a job whose reduce throws stops by itself: its status says it no longer runs and gives what was thrown, stop is a RangeError, a new start runs it again, and its member goes on answering", async (t) => {
  const cluster = await startLogCluster(t, 3);
  const { log, gid } = cluster;
  await log.createTopic("in", { partitions: 2 });
  await log.createTopic("out", { partitions: 2 });
  const streams = cluster.outsider.streams(gid);
  const job: StreamJob = {
    name: "fragile",
    source: "in",
    sink: "out",
    window: { tumbling: 10 },
    reduce: (a, b) => {
      if (b === 13) throw new TypeError("thirteen is unlucky");
      return (a as number) + (b as number);
    },
  };
  await streams.start(job);
  await log.append("in", [1, 2, 13, 4].map((value, i) => ({ key: "k", value, time: i })));
  const failed = await waitForStatus(cluster, job.name, (status) => !status.running, "the job stops once its reduce throws");
  assert.equal(failed.error, "TypeError: thirteen is unlucky", "the status gives what the reduce threw");
  await rangeError(streams.stop(job.name), "stop of a job that failed");
  const member = jobMember(cluster, job.name);
  assert.equal((await member.log(gid).read("in", partitionTruth("k", 2), 0)).end, 4, "the job's member still answers");
  const again = await streams.start({ ...job, reduce: sum });
  assert.equal(again.running, true, "a job that failed starts again");
  await streams.stop(job.name, { drain: true });
});

test("start with a bad name (empty, with \"/\"), an unknown source, sink or late sink, or an option out of range is a RangeError, and starts no job", async (t) => {
  const cluster = await startLogCluster(t, 3);
  const { log, gid } = cluster;
  await log.createTopic("in", { partitions: 2 });
  await log.createTopic("out", { partitions: 2 });
  const streams = cluster.outsider.streams(gid);
  const good: StreamJob = { name: "fine", source: "in", sink: "out", window: { tumbling: 10 }, reduce: sum };
  const bad: Array<[string, object]> = [
    ["empty name", { name: "" }],
    ["a name with /", { name: "a/b" }],
    ["an unknown source", { name: "no-source", source: "nope" }],
    ["an unknown sink", { name: "no-sink", sink: "nope" }],
    ["an unknown late sink", { name: "no-late-sink", lateSink: "nope" }],
    ["a window of size 0", { name: "w0", window: { tumbling: 0 } }],
    ["a sliding window without every", { name: "w1", window: { sliding: 10 } }],
    ["a reduce that is not a function", { name: "r", reduce: 5 }],
    ["a negative allowed lateness", { name: "l", allowedLatenessMs: -1 }],
    ["earlyMs 0", { name: "e", earlyMs: 0 }],
    ["a negative lateMs", { name: "lm", lateMs: -1 }],
    ["a negative outOfOrderMs", { name: "o", outOfOrderMs: -5 }],
    ["checkpointEvery 0", { name: "c0", checkpointEvery: 0 }],
    ["checkpointEvery 2.5", { name: "c1", checkpointEvery: 2.5 }],
    ["checkpointMs 0", { name: "c2", checkpointMs: 0 }],
    ["an unknown guarantee", { name: "g", guarantee: "at-most-once" }],
    ["idleMs 0", { name: "i0", idleMs: 0 }],
    ["a negative idleMs", { name: "i1", idleMs: -1000 }],
    ["idleMs NaN", { name: "i2", idleMs: Number.NaN }],
  ];
  for (const [what, change] of bad) {
    const job = { ...good, ...change } as StreamJob;
    await rangeError(settled(() => streams.start(job)), `start with ${what}`);
    if (job.name !== "" && !job.name.includes("/")) await rangeError(streams.status(job.name), `status of ${job.name}, which start refused`);
  }
  const fine = await streams.start(good);
  assert.equal(fine.running, true, "the good job starts");
  await streams.stop(good.name);
});

test("start, status and stop return promises that reject with their RangeError: a bad job, a bad name or a job that does not run never makes them throw at once", async (t) => {
  const cluster = await startLogCluster(t, 3);
  const { log, gid } = cluster;
  await log.createTopic("in", { partitions: 1 });
  await log.createTopic("out", { partitions: 1 });
  const streams = cluster.outsider.streams(gid);
  const good: StreamJob = { name: "fine", source: "in", sink: "out", window: { tumbling: 10 }, reduce: sum };
  const calls: Array<[string, () => Promise<unknown>]> = [
    ["start with an empty name", () => streams.start({ ...good, name: "" })],
    ["start with a window of size 0", () => streams.start({ ...good, window: { tumbling: 0 } })],
    ["start with checkpointEvery 0", () => streams.start({ ...good, checkpointEvery: 0 })],
    ["status of a bad name", () => streams.status("a/b")],
    ["stop of a job never started", () => streams.stop("never")],
  ];
  for (const [what, call] of calls) {
    let promise: Promise<unknown> | undefined;
    try {
      promise = call();
    } catch (error) {
      assert.fail(`${what} threw at once (${error instanceof Error ? error.name : typeof error}) instead of returning a promise that rejects`);
    }
    await rangeError(promise, what);
  }
});

// ---------------------------------------------------------------------------
// What a job appends.

test("a drained job's sink holds exactly one final on-time result per key and window, with the sums of the records after the steps map, filter and keyBy applied in order; each event's key is the result's key, its value the result, its time end − 1", async (t) => {
  const cluster = await startLogCluster(t, 3);
  const { log, gid } = cluster;
  await log.createTopic("plays", { partitions: 3 });
  await log.createTopic("team-scores", { partitions: 4 });
  const users = ["red-ann", "red-bo", "blue-cy", "blue-di", "green-ed", "red-fay"];
  const events: LogEvent[] = Array.from({ length: 300 }, (_, i) => ({ key: users[i % users.length] as string, value: { points: (i * 7) % 9 }, time: i * 2 }));
  await appendAll(cluster, "plays", events);
  const job: StreamJob = {
    name: "team-scores",
    source: "plays",
    sink: "team-scores",
    steps: [
      { map: (r) => (r.value as { points: number }).points * 10 },
      { filter: (r) => (r.value as number) > 0 },
      { keyBy: (r) => `${r.key.split("-")[0] as string}:${(r.value as number) >= 40 ? "high" : "low"}` },
      { map: (r) => (r.value as number) + 1 },
    ],
    window: { tumbling: 100 },
    reduce: sum,
  };
  const streams = cluster.outsider.streams(gid);
  await streams.start(job);
  const stopped = await streams.stop(job.name, { drain: true });
  const expectedRecords = events
    .map((event) => ({ key: event.key, value: (event.value as { points: number }).points * 10, time: event.time }))
    .filter((r) => r.value > 0)
    .map((r) => ({ key: `${r.key.split("-")[0] as string}:${r.value >= 40 ? "high" : "low"}`, value: r.value + 1, time: r.time }));
  const sums = tumblingSums(expectedRecords, 100);
  const sink = await sinkResults(log, "team-scores", 4);
  assertOncePerWindow(sink.map((s) => s.result), sums, "the sink");
  for (const { event, result } of sink) {
    assert.deepEqual([event.key, event.time, event.partition], [result.key, result.end - 1, partitionTruth(result.key, 4)], `the event of ${windowName(result.key, result.start, result.end)}`);
  }
  assert.deepEqual(
    { running: stopped.running, offsets: stopped.offsets, watermark: stopped.watermark, held: stopped.held, results: stopped.results, late: stopped.late },
    { running: false, offsets: await endsOf(log, "plays", 3), watermark: Number.POSITIVE_INFINITY, held: 0, results: sums.size, late: 0 },
    "the status a drain gives: every record processed, the watermark at Infinity, no window held",
  );
});

test("a record too late for every window goes to the late sink as it left the steps and is counted in late, and without a late sink it is only counted; outOfOrderMs holds the watermark back so that the same records are not late", async (t) => {
  const cluster = await startLogCluster(t, 3);
  const { log, gid } = cluster;
  await log.createTopic("readings", { partitions: 1 });
  for (const topic of ["sums", "sums-counted", "sums-patient", "too-late"]) await log.createTopic(topic, { partitions: 2 });
  const times = [5, 15, 25, 3, 22, 35, 12, 40];
  await log.append("readings", times.map((time, i) => ({ key: i % 2 === 0 ? "north" : "south", value: i + 1, time })));
  const base: Omit<StreamJob, "name" | "sink"> = { source: "readings", window: { tumbling: 10 }, reduce: sum, steps: [{ map: (r) => (r.value as number) * 2 }] };
  const streams = cluster.outsider.streams(gid);
  const jobs: StreamJob[] = [
    { ...base, name: "with-late-sink", sink: "sums", lateSink: "too-late" },
    { ...base, name: "counted", sink: "sums-counted" },
    { ...base, name: "patient", sink: "sums-patient", outOfOrderMs: 20 },
  ];
  for (const job of jobs) await streams.start(job);
  const waited = [];
  for (const job of jobs) waited.push(await waitForEnds(cluster, job, 1));
  assert.deepEqual(waited.map((status) => status.watermark), [40, 40, 20], "the watermarks: the largest time read, 40, minus outOfOrderMs");
  assert.deepEqual(waited.map((status) => status.late), [2, 2, 0], "the late records given out so far");
  const stopped = [];
  for (const job of jobs) stopped.push(await streams.stop(job.name, { drain: true }));
  assert.deepEqual(stopped.map((status) => [status.late, status.results]), [[2, 5], [2, 5], [0, 7]], "late records (3 came after [0, 10) was done, 12 after [10, 20) was; with outOfOrderMs 20 neither was late) and results");
  const lateEvents = await eventsOf(log, "too-late", 2);
  assert.deepEqual(lateEvents.map(recordFields).sort((a, b) => (a as { time: number }).time - (b as { time: number }).time), [{ key: "south", value: 8, time: 3 }, { key: "north", value: 14, time: 12 }], "the late sink holds the late records, values doubled by the map");
  const strict = tumblingSums([{ key: "north", value: 2, time: 5 }, { key: "south", value: 4, time: 15 }, { key: "north", value: 6, time: 25 }, { key: "north", value: 10, time: 22 }, { key: "south", value: 12, time: 35 }, { key: "south", value: 16, time: 40 }], 10);
  assertOncePerWindow((await sinkResults(log, "sums", 2)).map((s) => s.result), strict, "the job with a late sink");
  assertOncePerWindow((await sinkResults(log, "sums-counted", 2)).map((s) => s.result), strict, "the job without one");
  const patient = tumblingSums([{ key: "north", value: 2, time: 5 }, { key: "south", value: 4, time: 15 }, { key: "north", value: 6, time: 25 }, { key: "south", value: 8, time: 3 }, { key: "north", value: 10, time: 22 }, { key: "south", value: 12, time: 35 }, { key: "north", value: 14, time: 12 }, { key: "south", value: 16, time: 40 }], 10);
  assertOncePerWindow((await sinkResults(log, "sums-patient", 2)).map((s) => s.result), patient, "the job with outOfOrderMs 20, which took every record");
});

test("a partition that is behind holds the watermark back: windows of keys on the partitions ahead give no result until it catches up, and then exactly those whose end it passed", async (t) => {
  const cluster = await startLogCluster(t, 3);
  const { log, gid } = cluster;
  await log.createTopic("moves", { partitions: 2 });
  await log.createTopic("per-ten", { partitions: 2 });
  const [ahead, behind] = [keysFor(0, 2, 1, "ahead")[0] as string, keysFor(1, 2, 1, "behind")[0] as string];
  const job: StreamJob = { name: "held-back", source: "moves", sink: "per-ten", window: { tumbling: 10 }, reduce: sum, guarantee: "at-least-once" };
  const streams = cluster.outsider.streams(gid);
  await log.append("moves", Array.from({ length: 50 }, (_, i) => ({ key: ahead, value: 1, time: i })));
  await streams.start(job);
  let status = await waitForEnds(cluster, job, 2);
  assert.deepEqual([status.offsets, status.watermark, status.held, status.results], [[50, 0], Number.NEGATIVE_INFINITY, 5, 0], "partition 1 has had no record: the watermark is -Infinity, and all 5 windows of the key ahead wait");
  await log.append("moves", Array.from({ length: 5 }, (_, i) => ({ key: behind, value: 1, time: i })));
  status = await waitForEnds(cluster, job, 2);
  assert.deepEqual([status.offsets, status.watermark, status.held, status.results], [[50, 5], 4, 6, 0], "partition 1 at time 4 holds the watermark at 4 though partition 0 is at 49");
  await log.append("moves", Array.from({ length: 25 }, (_, i) => ({ key: behind, value: 1, time: 5 + i })));
  status = await waitForEnds(cluster, job, 2, (s) => s.results >= 4);
  assert.deepEqual([status.offsets, status.watermark, status.held, status.results], [[50, 30], 29, 4, 4], "partition 1 at 29: [0, 10) and [10, 20) fired for both keys; [20, 30) of the key ahead still waits");
  await waitForEvents(cluster, "per-ten", 2, 4, "at least once, results are appended at once");
  const sink = (await sinkResults(log, "per-ten", 2)).map((s) => s.result);
  assert.deepEqual(sink.map((r) => windowName(r.key, r.start, r.end)).sort(), [windowName(ahead, 0, 10), windowName(ahead, 10, 20), windowName(behind, 0, 10), windowName(behind, 10, 20)].sort(), "the results appended");
  assert.ok(sink.every((r) => r.value === 10 && r.timing === "on time" && r.final), `each holds 10 records, on time and final (${preview(sink.map(resultFields))})`);
  await streams.stop(job.name, { drain: true });
});

test("without idleMs no partition goes idle: one that gets no record holds the watermark at -Infinity however far the node's clock moves, so no window gives a result, until it has a record", async (t) => {
  const cluster = await startLogCluster(t, 3);
  const { log, gid, clock } = cluster;
  await log.createTopic("moves", { partitions: 2 });
  await log.createTopic("per-ten", { partitions: 2 });
  const [ahead, quiet] = [keysFor(0, 2, 1, "ahead")[0] as string, keysFor(1, 2, 1, "quiet")[0] as string];
  const job: StreamJob = { name: "never-idle", source: "moves", sink: "per-ten", window: { tumbling: 10 }, reduce: sum, guarantee: "at-least-once" };
  const streams = cluster.outsider.streams(gid);
  await log.append("moves", Array.from({ length: 50 }, (_, i) => ({ key: ahead, value: 1, time: i })));
  await streams.start(job);
  let status = await waitForEnds(cluster, job, 2);
  assert.deepEqual([status.offsets, status.watermark, status.held, status.results], [[50, 0], Number.NEGATIVE_INFINITY, 5, 0], "partition 1 has had no record: the watermark is -Infinity, and all 5 windows of the key ahead wait");
  for (let i = 0; i < 120; i++) await clock.advance(1_000);
  status = await streams.status(job.name);
  assert.deepEqual([status.running, status.offsets, status.watermark, status.held, status.results], [true, [50, 0], Number.NEGATIVE_INFINITY, 5, 0], "two minutes of the node's clock later, partition 1 still holds the watermark at -Infinity: without idleMs it never goes idle");
  assert.deepEqual(await eventsOf(log, "per-ten", 2), [], "no result was appended");
  await log.append("moves", [{ key: quiet, value: 1, time: 100 }]);
  status = await waitForEnds(cluster, job, 2, (s) => s.results >= 4);
  assert.deepEqual([status.offsets, status.watermark, status.held, status.results], [[50, 1], 49, 2, 4], "partition 1's first record (100) lets the watermark reach partition 0's 49: [0, 10) to [30, 40) of the key ahead fire");
  await streams.stop(job.name, { drain: true });
});

test("with idleMs, a partition that has had no record for idleMs of the node's clock goes idle and is left out: the watermark follows the other partition and the windows whose end it passed give their on-time results, none before; that partition's next records, behind, do not move the watermark back and are late, and it holds the watermark back again", async (t) => {
  const cluster = await startLogCluster(t, 3);
  const { log, gid, clock } = cluster;
  await log.createTopic("moves", { partitions: 2 });
  await log.createTopic("per-ten", { partitions: 2 });
  const [ahead, quiet] = [keysFor(0, 2, 1, "ahead")[0] as string, keysFor(1, 2, 1, "quiet")[0] as string];
  // Not a multiple of the 1,000 ms that readers' long polls and checkpoints take: the job must time idleness itself.
  const idleMs = 10_700;
  const job: StreamJob = { name: "idle-aware", source: "moves", sink: "per-ten", window: { tumbling: 10 }, reduce: sum, guarantee: "at-least-once", idleMs };
  const streams = cluster.outsider.streams(gid);
  // Each wait below moves the clock by at most 3,000 ms, so that a partition goes idle only where the test lets it.
  const bounded: WaitOptions = { stepMs: 5, looks: 600 };
  const moves = (key: string, from: number, to: number): LogEvent[] => Array.from({ length: to - from }, (_, i) => ({ key, value: 1, time: from + i }));

  const begun = clock.now();
  await log.append("moves", moves(ahead, 0, 40));
  await streams.start(job);
  let status = await waitForEnds(cluster, job, 2, () => true, bounded);
  assert.deepEqual([status.offsets, status.watermark, status.held, status.results], [[40, 0], Number.NEGATIVE_INFINITY, 4, 0], "less than idleMs has passed: partition 1, which has had no record, holds the watermark at -Infinity");
  // Partition 0 gets a record half way, so that it is not idle when partition 1 goes idle.
  await clock.advance(begun + idleMs / 2 - clock.now());
  await log.append("moves", moves(ahead, 40, 50));
  status = await waitForEnds(cluster, job, 2, () => true, bounded);
  assert.deepEqual([status.offsets, status.watermark, status.held, status.results], [[50, 0], Number.NEGATIVE_INFINITY, 5, 0], "still less than idleMs since the job started: the watermark is -Infinity");
  await clock.advance(begun + idleMs - 100 - clock.now());
  status = await streams.status(job.name);
  assert.deepEqual([status.watermark, status.held, status.results], [Number.NEGATIVE_INFINITY, 5, 0], "100 ms before idleMs has passed since the job started, partition 1 is not idle yet");
  assert.deepEqual(await eventsOf(log, "per-ten", 2), [], "no result was appended before partition 1 went idle");

  status = await waitForStatus(cluster, job.name, (s) => s.results >= 4, "partition 1 idle, the on-time results of [0, 10) to [30, 40)", { stepMs: 20, looks: 1_000 });
  assert.ok(clock.now() >= begun + idleMs, `no result before idleMs had passed (the clock moved ${clock.now() - begun} ms)`);
  assert.ok(clock.now() <= begun + idleMs + 20, `partition 1 went idle as soon as idleMs had passed (the clock moved ${clock.now() - begun} ms)`);
  assert.deepEqual([status.offsets, status.watermark, status.held, status.results, status.late], [[50, 0], 49, 1, 4, 0], "partition 1 is idle: the watermark is partition 0's largest time, 49, and the 4 windows whose end it passed fired; [40, 50) waits");
  let sink = (await waitForEvents(cluster, "per-ten", 2, 4, "at least once, results are appended at once", bounded)).map((event) => event.value as WindowResult);
  assert.deepEqual(sink.map((r) => windowName(r.key, r.start, r.end)).sort(), [0, 10, 20, 30].map((start) => windowName(ahead, start, start + 10)).sort(), "the results appended once partition 1 went idle");
  assert.ok(sink.every((r) => r.value === 10 && r.timing === "on time" && r.final), `each holds 10 records, on time and final (${preview(sink.map(resultFields))})`);

  const woken = clock.now();
  await log.append("moves", moves(quiet, 0, 5));
  status = await waitForEnds(cluster, job, 2, (s) => s.late >= 5, bounded);
  assert.deepEqual([status.offsets, status.watermark, status.held, status.results, status.late], [[50, 5], 49, 1, 4, 5], "partition 1's records at 0 to 4 are behind the watermark, which does not move back for them; their window [0, 10) has expired, so each is late");
  await log.append("moves", moves(ahead, 50, 100));
  status = await waitForEnds(cluster, job, 2, () => true, bounded);
  assert.ok(clock.now() < woken + idleMs, `the test kept partition 1 from going idle again (the clock moved ${clock.now() - woken} ms since its records)`);
  assert.deepEqual([status.offsets, status.watermark, status.held, status.results, status.late], [[100, 5], 49, 6, 4, 5], "partition 1 counts again: at 4 it holds the watermark at 49 though partition 0 is at 99");
  await log.append("moves", moves(quiet, 50, 65));
  status = await waitForEnds(cluster, job, 2, (s) => s.results >= 7, bounded);
  assert.deepEqual([status.offsets, status.watermark, status.held, status.results, status.late], [[100, 20], 64, 5, 7, 5], "partition 1 at 64 holds the watermark there: [40, 50) and [50, 60) of the key ahead and [50, 60) of partition 1's key fired; the windows from 60 wait");
  sink = (await waitForEvents(cluster, "per-ten", 2, 7, "the three later results", bounded)).map((event) => event.value as WindowResult);
  assert.deepEqual(sink.map((r) => windowName(r.key, r.start, r.end)).sort(), [...[0, 10, 20, 30, 40, 50].map((start) => windowName(ahead, start, start + 10)), windowName(quiet, 50, 60)].sort(), "the results appended");
  assert.ok(sink.every((r) => r.value === 10 && r.timing === "on time" && r.final), `each holds 10 records, on time and final (${preview(sink.map(resultFields))})`);
  await streams.stop(job.name, { drain: true });
});

// ---------------------------------------------------------------------------
// Checkpoints and restarts.

test("a job begins a checkpoint each time it has processed checkpointEvery records since it began the last one, none before (1000 by default), and stop takes one more", async (t) => {
  const cluster = await startLogCluster(t, 3);
  const { log, gid } = cluster;
  await log.createTopic("ticks", { partitions: 2 });
  await log.createTopic("often", { partitions: 1 });
  await log.createTopic("default", { partitions: 1 });
  const keys = [keysFor(0, 2, 1, "tick")[0] as string, keysFor(1, 2, 1, "tick")[0] as string];
  const streams = cluster.outsider.streams(gid);
  const base = { source: "ticks", window: { tumbling: 50 }, reduce: sum, checkpointMs: 1e12 };
  const often: StreamJob = { ...base, name: "often", sink: "often", checkpointEvery: 50 };
  const byDefault: StreamJob = { ...base, name: "default", sink: "default" };
  for (const job of [often, byDefault]) await streams.start(job);
  let time = 0;
  // Each part is appended once the job is idle after the one before, so a checkpoint never waits for another.
  for (const [size, expected] of [[50, 1], [30, 1], [20, 2], [49, 2], [1, 3], [10, 3]] as const) {
    await log.append("ticks", Array.from({ length: size }, () => ({ key: keys[time % 2] as string, value: 1, time: time++ })));
    const status = await waitForEnds(cluster, often, 2, (s) => s.checkpoints >= expected);
    assert.equal(status.checkpoints, expected, `after ${time} records, a checkpoint every 50`);
  }
  const idle = await waitForEnds(cluster, byDefault, 2);
  assert.equal(idle.checkpoints, 0, "160 records, and checkpointEvery is 1000 by default");
  assert.equal((await streams.stop(often.name)).checkpoints, 4, "stop takes a last checkpoint");
  assert.equal((await streams.stop(byDefault.name)).checkpoints, 1, "stop takes a last checkpoint");
});

test("a job takes a checkpoint every checkpointMs on its node's clock, only if it processed a record since it began the last one", async (t) => {
  const cluster = await startLogCluster(t, 3);
  const { log, gid, clock } = cluster;
  await log.createTopic("slow", { partitions: 1 });
  await log.createTopic("slow-out", { partitions: 1 });
  const job: StreamJob = { name: "timed", source: "slow", sink: "slow-out", window: { tumbling: 10 }, reduce: sum, checkpointEvery: 1_000_000, checkpointMs: 5_000 };
  await log.append("slow", Array.from({ length: 10 }, (_, i) => ({ key: "k", value: 1, time: i })));
  const streams = cluster.outsider.streams(gid);
  await streams.start(job);
  const small = { stepMs: 1, looks: 1_500 };
  const ends = [10];
  let status = await waitForStatus(cluster, job.name, (s) => offsetsAre(s, ends), "offsets [10]", small);
  assert.equal(status.checkpoints, 0, "less than checkpointMs has passed");
  await clock.advance(5_000);
  status = await waitForStatus(cluster, job.name, (s) => s.checkpoints >= 1, "a checkpoint", small);
  assert.equal(status.checkpoints, 1, "one checkpoint once 5 s passed");
  await clock.advance(5_000);
  await clock.advance(5_000);
  status = await waitForStatus(cluster, job.name, (s) => s.checkpoints >= 1, "still one checkpoint", small);
  assert.equal(status.checkpoints, 1, "no record processed since: no checkpoint");
  await log.append("slow", [{ key: "k", value: 1, time: 10 }]);
  status = await waitForStatus(cluster, job.name, (s) => offsetsAre(s, [11]), "offsets [11]", small);
  status = await waitForStatus(cluster, job.name, (s) => s.checkpoints >= 2, "a second checkpoint, within checkpointMs of a record processed", { stepMs: 50, looks: 120 });
  assert.equal(status.checkpoints, 2);
  await streams.stop(job.name);
});

test("a job stopped without drain and started again goes on from its offsets and its windows: no result is lost or appended twice", async (t) => {
  const cluster = await startLogCluster(t, 3);
  const { log, gid } = cluster;
  await log.createTopic("steps", { partitions: 2 });
  await log.createTopic("step-sums", { partitions: 3 });
  const keys = [...keysFor(0, 2, 2, "walker"), ...keysFor(1, 2, 2, "walker")];
  const make = (from: number, to: number): LogEvent[] => Array.from({ length: to - from }, (_, i) => keys.map((key, k) => ({ key, value: (k + 1) * 100 + from + i, time: from + i }))).flat();
  const first = make(0, 25);
  const second = make(25, 50);
  const job: StreamJob = { name: "pausing", source: "steps", sink: "step-sums", window: { tumbling: 10 }, reduce: sum, checkpointEvery: 7 };
  const streams = cluster.outsider.streams(gid);
  await log.append("steps", first);
  await streams.start(job);
  await waitForEnds(cluster, job, 2);
  const stopped = await streams.stop(job.name);
  const ends = await endsOf(log, "steps", 2);
  assert.deepEqual([stopped.running, stopped.offsets, stopped.watermark, stopped.held], [false, ends, 24, keys.length], "stopped after every record of the first part: watermark 24, [20, 30) held for each key");
  const early = (await sinkResults(log, "step-sums", 3)).map((s) => s.result);
  const firstSums = tumblingSums(first.map((e) => ({ key: e.key, value: e.value as number, time: e.time })), 10);
  for (const name of [...firstSums.keys()]) if (name.endsWith("[20, 30)")) firstSums.delete(name);
  assertOncePerWindow(early, firstSums, "the sink once stop resolved");
  assert.equal(stopped.results, firstSums.size, "results counts what was appended");

  const restarted = await streams.start(job);
  assert.deepEqual([restarted.running, restarted.offsets, restarted.watermark, restarted.held, restarted.results], [true, ends, 24, keys.length, firstSums.size], "started again where it stopped");
  await log.append("steps", second);
  await streams.stop(job.name, { drain: true });
  const all = tumblingSums([...first, ...second].map((e) => ({ key: e.key, value: e.value as number, time: e.time })), 10);
  assertOncePerWindow((await sinkResults(log, "step-sums", 3)).map((s) => s.result), all, "the sink after the drain: [20, 30) holds records from before and after the stop");
});

test("a drained job started again finds every old record late: its windows are gone and its watermark stays at Infinity", async (t) => {
  const cluster = await startLogCluster(t, 3);
  const { log, gid } = cluster;
  await log.createTopic("orders", { partitions: 2 });
  await log.createTopic("order-sums", { partitions: 2 });
  await log.createTopic("order-late", { partitions: 2 });
  const job: StreamJob = { name: "orders", source: "orders", sink: "order-sums", lateSink: "order-late", window: { tumbling: 10 }, reduce: sum, allowedLatenessMs: 1000 };
  const streams = cluster.outsider.streams(gid);
  await log.append("orders", [{ key: "a", value: 1, time: 1 }, { key: "b", value: 2, time: 12 }, { key: "a", value: 4, time: 25 }]);
  await streams.start(job);
  const drained = await streams.stop(job.name, { drain: true });
  assert.deepEqual([drained.watermark, drained.held, drained.results, drained.late], [Number.POSITIVE_INFINITY, 0, 3, 0]);
  const restarted = await streams.start(job);
  assert.deepEqual([restarted.watermark, restarted.held, restarted.offsets], [Number.POSITIVE_INFINITY, 0, drained.offsets], "started again at Infinity, from the end");
  await log.append("orders", [{ key: "a", value: 8, time: 2 }, { key: "b", value: 16, time: 13 }, { key: "c", value: 32, time: 27 }]);
  const again = await streams.stop(job.name, { drain: true });
  assert.deepEqual([again.results, again.late], [3, 3], "no new result, three late records");
  assert.deepEqual((await eventsOf(log, "order-late", 2)).map(recordFields).sort((a, b) => (a as { time: number }).time - (b as { time: number }).time), [{ key: "a", value: 8, time: 2 }, { key: "b", value: 16, time: 13 }, { key: "c", value: 32, time: 27 }], "the late sink");
  assert.equal((await eventsOf(log, "order-sums", 2)).length, 3, "the sink holds the first three results only");
});

// ---------------------------------------------------------------------------
// Crashes: after Flink's exactly-once test.

const flinkKeys = [0, 1, 2, 3].flatMap((p) => keysFor(p, 4, 5, "player"));

/** The events of each key at times [from, to), in time order, value (key index + 1) · 1000 + time. */
const flinkEvents = (from: number, to: number): LogEvent[] =>
  Array.from({ length: to - from }, (_, i) => flinkKeys.map((key, k) => ({ key, value: (k + 1) * 1000 + from + i, time: from + i }))).flat();

/** The sum of each key's window, 20 keys × 3 windows of 100. */
const flinkSums = tumblingSums(flinkEvents(0, 300).map((e) => ({ key: e.key, value: e.value as number, time: e.time })), 100);

/** A Flink-like job: tumbling windows of 100, a checkpoint every 100 records. */
const flinkJob = (name: string, guarantee: StreamJob["guarantee"]): StreamJob => ({ name, source: `${name}-in`, sink: `${name}-out`, window: { tumbling: 100 }, reduce: sum, checkpointEvery: 100, checkpointMs: 1e12, guarantee });

/**
 * Starts members on folders, creates the job's topics, appends the first
 * third of the input (times 0 to 99), starts the job and waits until it
 * processed all of it with at least two checkpoints; then appends time 100
 * of every key, which moves the watermark past 100, and waits until that is
 * processed.
 */
async function runToFirstWindow(t: Parameters<typeof startLogCluster>[0], job: StreamJob): Promise<LogCluster> {
  const cluster = await startLogCluster(t, 3, { folders: await logFolders(t, 3, "m6-streams-") });
  await cluster.log.createTopic(job.source, { partitions: 4 });
  await cluster.log.createTopic(job.sink, { partitions: 4 });
  await appendAll(cluster, job.source, flinkEvents(0, 100));
  await cluster.outsider.streams(cluster.gid).start(job);
  const status = await waitForEnds(cluster, job, 4, (s) => s.checkpoints >= 2);
  assert.equal(status.offsets.reduce((a, b) => a + b, 0), 2000, "a third of the input processed");
  await appendAll(cluster, job.source, flinkEvents(100, 101));
  await waitForEnds(cluster, job, 4, (s) => job.guarantee !== "at-least-once" || s.results >= 20);
  return cluster;
}

/** Stops the job's member, as a crash would, and starts it again on its folder. */
async function crash(t: Parameters<typeof startLogCluster>[0], cluster: LogCluster, job: StreamJob): Promise<LogCluster> {
  const restarted = await restartMembers(t, cluster, [jobMemberIndex(cluster, job.name)]);
  const status = await restarted.outsider.streams(restarted.gid).status(job.name);
  assert.equal(status.running, false, "a job does not start again by itself");
  return restarted;
}

test("exactly once, after Flink's test: 20 keys × 300 events in windows of 100, a checkpoint every 100 records; its member crashes after two checkpoints and a third of the input and the job starts again: every window's sum is right and none is appended twice", async (t) => {
  const job = flinkJob("flink", "exactly-once");
  let cluster = await runToFirstWindow(t, job);
  cluster = await crash(t, cluster, job);
  const streams = cluster.outsider.streams(cluster.gid);
  const restarted = await streams.start(job);
  assert.ok(restarted.checkpoints >= 2, `the job goes on from its last checkpoint (${restarted.checkpoints} completed)`);
  const done = restarted.offsets.reduce((a, b) => a + b, 0);
  assert.ok(done >= 200 && done <= 2020, `its offsets are those of a checkpoint (${preview(restarted.offsets)})`);
  await appendAll(cluster, job.source, flinkEvents(101, 300));
  const stopped = await streams.stop(job.name, { drain: true });
  assertOncePerWindow((await sinkResults(cluster.log, job.sink, 4)).map((s) => s.result), flinkSums, "the sink");
  assert.equal(stopped.results, 60, "60 results over the job's whole life");
  assert.deepEqual(stopped.offsets, [0, 1, 2, 3].map(() => 1500), "every record processed");
});

/** A map step that costs time: the record's value, after arithmetic that decides it. */
const costly = (record: StreamRecord): unknown => {
  let x = 0;
  for (let i = 0; i < 20_000; i++) x += i % 7;
  return x >= 0 ? record.value : 0;
};

test("exactly once, a job whose member crashes while it works through a backlog of 20,000 records goes on from where its last checkpoint's snapshot stood, not from where its readers had read: every window's sum is right and none is appended twice", async (t) => {
  // One checkpoint, after 11,000 records, while the readers (a batch or so ahead of the job) still have records to
  // read; the next would come after 22,000. Each record costs the job some work, so that while it works through the
  // records before the barriers, the readers read on past them.
  const job = { ...flinkJob("backlog", "exactly-once"), checkpointEvery: 11_000, steps: [{ map: costly }] };
  let cluster = await startLogCluster(t, 3, { folders: await logFolders(t, 3, "m6-streams-") });
  await cluster.log.createTopic(job.source, { partitions: 4 });
  await cluster.log.createTopic(job.sink, { partitions: 4 });
  const events = flinkEvents(0, 1000);
  await appendAll(cluster, job.source, events, 2000);
  await cluster.outsider.streams(cluster.gid).start(job);
  await waitForStatus(cluster, job.name, (status) => status.checkpoints >= 1, "a checkpoint", { stepMs: 0, looks: 100_000 });
  cluster = await crash(t, cluster, job);
  const streams = cluster.outsider.streams(cluster.gid);
  const restarted = await streams.start(job);
  const done = restarted.offsets.reduce((a, b) => a + b, 0);
  assert.ok(restarted.checkpoints === 1 && done >= 11_000 && done < events.length, `the job goes on from its one checkpoint, in the middle of the backlog (${restarted.checkpoints} completed, offsets ${preview(restarted.offsets)})`);
  await streams.stop(job.name, { drain: true });
  const sums = tumblingSums(events.map((e) => ({ key: e.key, value: e.value as number, time: e.time })), 100);
  assertOncePerWindow((await sinkResults(cluster.log, job.sink, 4)).map((s) => s.result), sums, "the sink");
});

test("exactly once, a crash after a checkpoint's results and late records were appended: the job started again from that checkpoint appends none of them again", async (t) => {
  let cluster = await startLogCluster(t, 3, { folders: await logFolders(t, 3, "m6-streams-") });
  const { log } = cluster;
  await log.createTopic("taps", { partitions: 2 });
  await log.createTopic("tap-sums", { partitions: 2 });
  await log.createTopic("tap-late", { partitions: 2 });
  const keys = [...keysFor(0, 2, 2, "tap"), ...keysFor(1, 2, 2, "tap")];
  const make = (from: number, to: number): LogEvent[] => Array.from({ length: to - from }, (_, i) => keys.map((key, k) => ({ key, value: (k + 1) * 100 + from + i, time: from + i }))).flat();
  const job: StreamJob = { name: "taps", source: "taps", sink: "tap-sums", lateSink: "tap-late", window: { tumbling: 10 }, reduce: sum, checkpointEvery: 1_000_000, checkpointMs: 1_000 };
  await log.append("taps", make(0, 11));
  await cluster.outsider.streams(cluster.gid).start(job);
  await waitForEnds(cluster, job, 2, (s) => s.results >= 4);
  const lateOne: LogEvent = { key: keys[0] as string, value: -1, time: 3 };
  await log.append("taps", [lateOne]);
  await waitForEnds(cluster, job, 2, (s) => s.late >= 1);
  await waitForEvents(cluster, "tap-sums", 2, 4, "the results of [0, 10), appended once a checkpoint by checkpointMs holds them");
  await waitForEvents(cluster, "tap-late", 2, 1, "the late record, appended once a checkpoint holds it");
  cluster = await crash(t, cluster, job);
  const streams = cluster.outsider.streams(cluster.gid);
  const restarted = await streams.start(job);
  assert.deepEqual([restarted.results, restarted.late], [4, 1], "the checkpoint it goes on from had given out the results of [0, 10) and the late record");
  await cluster.log.append("taps", make(11, 30));
  await streams.stop(job.name, { drain: true });
  const records = make(0, 30).map((e) => ({ key: e.key, value: e.value as number, time: e.time }));
  assertOncePerWindow((await sinkResults(cluster.log, "tap-sums", 2)).map((r) => r.result), tumblingSums(records, 10), "the sink");
  assert.deepEqual((await eventsOf(cluster.log, "tap-late", 2)).map(recordFields), [recordFields(lateOne)], "the late sink holds the late record once");
});

test("at least once, the same job and crash show duplicates: results appended since the last checkpoint are appended again after the restart, and every window's sum is still right", async (t) => {
  const job = flinkJob("flink-alo", "at-least-once");
  let cluster = await runToFirstWindow(t, job);
  await waitForEvents(cluster, job.sink, 4, 20, "at least once, the results of [0, 100) are appended at once");
  assert.equal((await eventsOf(cluster.log, job.sink, 4)).length, 20, "the results of [0, 100), once");
  cluster = await crash(t, cluster, job);
  let streams = cluster.outsider.streams(cluster.gid);
  const covered = (await streams.status(job.name)).results;
  await streams.start(job);
  if (covered >= 20) {
    // The last checkpoint covered the results of [0, 100): crash once more, after those of [100, 200).
    await appendAll(cluster, job.source, flinkEvents(101, 201));
    await waitForEnds(cluster, job, 4, (s) => s.results >= 40);
    await waitForEvents(cluster, job.sink, 4, 40, "the results of [100, 200) are appended at once");
    cluster = await crash(t, cluster, job);
    streams = cluster.outsider.streams(cluster.gid);
    await streams.start(job);
    await appendAll(cluster, job.source, flinkEvents(201, 300));
  } else {
    await appendAll(cluster, job.source, flinkEvents(101, 300));
  }
  await streams.stop(job.name, { drain: true });
  const sink = (await sinkResults(cluster.log, job.sink, 4)).map((s) => s.result);
  const by = countByWindow(sink);
  assert.deepEqual([...by.keys()].sort(), [...flinkSums.keys()].sort(), "every key and window has a result");
  for (const [name, list] of by) assert.ok(list.every((r) => r.value === flinkSums.get(name)), `every result of ${name} holds its sum ${flinkSums.get(name)} (${preview(list.map(resultFields))})`);
  const doubled = [...by.values()].filter((list) => list.length > 1).length;
  assert.ok(doubled >= 1, `some window's result was appended twice (${sink.length} results for ${by.size} windows)`);
});
