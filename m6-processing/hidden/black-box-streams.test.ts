/**
 * Black-box tests of stream jobs (handouts/m6.md#the-processor), after
 * Flink's own exactly-once test: a job sums 20 keys × 300 events in
 * windows of 100, checkpointing every 100 records; its member, a child
 * process, is killed once (SIGKILL) after its checkpoints and a third of
 * the input, restarted on its folder, and the job started again; later it
 * is stopped and started from a checkpoint whose results are in the sink
 * already. Exactly once, every window's sum reaches the sink once; at
 * least once, the windows given out after the last checkpoint before the
 * crash reach it twice, so the test tells the two apart. This process loads no code under test: it drives
 * the nodes through their harness services and reads the sink through the
 * network.
 */
import assert from "node:assert/strict";
import { after, test, type TestContext } from "node:test";
import { studentFolder } from "../../autograder/harness/student-node.ts";
import { eventually } from "../../autograder/harness/wait.ts";
import { stopClient } from "../../m4-storage/hidden/_black-box.ts";
import type { JobStatus, LogEvent, LogRead, StreamJob, WindowResult } from "../api.ts";
import { type EngineRemote, formGroup, type RemoteCluster, startEngineNode } from "./_black-box.ts";

after(() => stopClient());

const keys = Array.from({ length: 20 }, (_, k) => `key-${k}`);
const eventsPerKey = 300;
const size = 100;
/** How long a job may take to reach a state it reaches in well under a second on a grader: it only bounds a failure. */
const waitMs = 30_000;

/** Every key's events at times [from, to), the value of each its time. */
const eventsAt = (from: number, to: number): LogEvent[] =>
  Array.from({ length: to - from }, (_, i) => keys.map((key): LogEvent => ({ key, value: from + i, time: from + i }))).flat();

/** The closed form of a window's sum: the times start … start + size − 1. */
const windowSum = (start: number): number => size * start + (size * (size - 1)) / 2;

/** `node.log(gid)` and `node.streams(gid)` of a node under test: each method one harness call. */
function of(node: EngineRemote, gid: string) {
  const log = (method: string, args: unknown[]) => node.callLong([["log", [gid]], [method, args]]);
  const streams = (method: string, args: unknown[]) => node.callLong([["streams", [gid]], [method, args]]);
  return {
    createTopic: (topic: string, partitions: number) => log("createTopic", [topic, { partitions }]) as Promise<void>,
    append: async (topic: string, events: LogEvent[]) => {
      for (let i = 0; i < events.length; i += 1000) await log("append", [topic, events.slice(i, i + 1000)]);
    },
    read: (topic: string, partition: number, offset: number) => log("read", [topic, partition, offset, 1000]) as Promise<LogRead>,
    start: (job: StreamJob) => streams("start", [job]) as Promise<JobStatus>,
    status: (name: string) => streams("status", [name]) as Promise<JobStatus>,
    stop: (name: string, drain: boolean) => streams("stop", [name, { drain }]) as Promise<JobStatus>,
  };
}

/** Every result in the sink's two partitions. */
async function sinkResults(node: EngineRemote, gid: string): Promise<WindowResult[]> {
  const results: WindowResult[] = [];
  for (const partition of [0, 1]) {
    for (let offset = 0; ;) {
      const read = await of(node, gid).read("sums", partition, offset);
      results.push(...read.events.map((event) => event.value as WindowResult));
      offset = Math.max(read.start, offset) + read.events.length;
      if (offset >= read.end) break;
    }
  }
  return results;
}

/** How many times each key's window is in the sink, and the sums that are not the closed form. */
function tally(results: WindowResult[]): { counts: Map<string, number>; wrong: string[] } {
  const counts = new Map<string, number>();
  const wrong: string[] = [];
  for (const result of results) {
    const at = `${result.key} [${result.start}, ${result.end})`;
    counts.set(at, (counts.get(at) ?? 0) + 1);
    if (result.end - result.start !== size || result.value !== windowSum(result.start)) wrong.push(`${at}: ${JSON.stringify(result.value)}, not ${windowSum(result.start)}`);
  }
  return { counts, wrong };
}

async function startCluster(t: TestContext): Promise<{ cluster: RemoteCluster; folders: string[] }> {
  const folders = await Promise.all([0, 1, 2].map(() => studentFolder(t)));
  const members = await Promise.all(folders.map((folder) => startEngineNode(t, { folder })));
  return { cluster: await formGroup(members, await startEngineNode(t), "bb-streams"), folders };
}

/**
 * Runs the job over the first third, stops it (a checkpoint there), starts
 * it again and gives it the events at time 100, which close every key's
 * first window. Once those 20 results are given out (exactly once: and
 * none has reached the sink; at least once: all have), kills its member,
 * restarts it on its folder and starts the job again. Then it gives the
 * job the events up to 199, stops and starts it, gives it those at 200
 * (20 results, which the stop's checkpoint holds), stops it, and starts it
 * again from that checkpoint, whose results are already in the sink. Last,
 * the rest of the events, and a drain. Returns the sink.
 */
async function crashOnce(t: TestContext, guarantee: StreamJob["guarantee"]): Promise<WindowResult[]> {
  const { cluster, folders } = await startCluster(t);
  const outside = of(cluster.outsider, cluster.gid);
  await outside.createTopic("events", 4);
  await outside.createTopic("sums", 2);
  const job: StreamJob = {
    name: "sums",
    source: "events",
    sink: "sums",
    window: { tumbling: size },
    reduce: (a, b) => (a as number) + (b as number),
    checkpointEvery: 100,
    checkpointMs: 1e9,
    guarantee,
  };
  const processed = (status: JobStatus) => status.offsets.reduce((a, b) => a + b, 0);
  await outside.append("events", eventsAt(0, 100));
  const started = await outside.start(job);
  assert.ok(await eventually(async () => {
    const status = await outside.status("sums");
    return status.checkpoints >= 2 && processed(status) === keys.length * 100;
  }, waitMs), "the job did not complete two checkpoints over the first third of its input");
  assert.equal(processed(await outside.stop("sums", false)), keys.length * 100);

  await outside.start(job);
  await outside.append("events", eventsAt(100, 101));
  assert.ok(await eventually(async () => (await outside.status("sums")).results >= keys.length, waitMs), "the first windows gave no results once every key had an event at their end");
  if (guarantee === "at-least-once") {
    assert.ok(await eventually(async () => (await sinkResults(cluster.outsider, cluster.gid)).length >= keys.length, waitMs), "at least once, results go to the sink as they are given out");
  } else {
    const early = await eventually(async () => (await sinkResults(cluster.outsider, cluster.gid)).length > 0, 1000);
    assert.ok(!early, "exactly once, no result reaches the sink before a checkpoint covers it");
  }
  const at = cluster.members.findIndex((member) => member.address.port === started.node.port);
  assert.ok(at >= 0, "the job runs on a member");
  const crashed = cluster.members[at] as EngineRemote;
  await crashed.process.kill();
  const members = [...cluster.members];
  members[at] = await startEngineNode(t, { folder: folders[at], port: crashed.address.port });
  const again = await formGroup(members, cluster.outsider, cluster.gid);

  const inside = of(again.members[(at + 1) % members.length] as EngineRemote, again.gid);
  await inside.start(job);
  await inside.append("events", eventsAt(101, 200));
  await inside.stop("sums", false);
  await inside.start(job);
  await inside.append("events", eventsAt(200, 201));
  assert.ok(await eventually(async () => {
    const status = await inside.status("sums");
    return processed(status) === keys.length * 201 && status.results === keys.length * 2;
  }, waitMs), "the second windows gave no results once every key had an event at their end");
  await inside.stop("sums", false);
  await inside.start(job);
  await inside.append("events", eventsAt(201, eventsPerKey));
  const drained = await inside.stop("sums", true);
  assert.equal(processed(drained), keys.length * eventsPerKey, "drained, the job has processed every event");
  return sinkResults(again.members[at] as EngineRemote, again.gid);
}

test("exactly once, a job whose member is killed after two checkpoints and a third of its input, restarted on its folder and started again, appends every key's window once, with its sum", async (t) => {
  const { counts, wrong } = tally(await crashOnce(t, "exactly-once"));
  assert.deepEqual(wrong, [], "every window's sum is the sum of its times");
  assert.equal(counts.size, keys.length * (eventsPerKey / size), "every key's three windows are in the sink");
  const twice = [...counts].filter(([, count]) => count > 1).map(([at, count]) => `${at} ×${count}`);
  assert.deepEqual(twice, [], "no window reaches the sink twice");
});

test("at least once, the same crash makes the windows given out since the last checkpoint reach the sink twice, every sum still right", async (t) => {
  const { counts, wrong } = tally(await crashOnce(t, "at-least-once"));
  assert.deepEqual(wrong, [], "every window's sum is the sum of its times");
  assert.equal(counts.size, keys.length * (eventsPerKey / size), "every key's three windows are in the sink");
  const twice = [...counts].filter(([, count]) => count > 1);
  assert.deepEqual(twice.map(([at]) => at).sort(), keys.map((key) => `${key} [0, 100)`).sort(), "the first window of every key, given out after the last checkpoint, reaches the sink twice, and no other");
});
