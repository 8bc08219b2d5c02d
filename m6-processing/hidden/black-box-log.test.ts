/**
 * Black-box tests of the event log (handouts/m6.md#the-log): every node
 * under test runs in a child process of its own, and this process, which
 * loads no code under test, drives the log through the harness service of
 * each node and reads the members' own stores through the network. The
 * truth is computed here: partitionOf from its definition (SHA-256), and
 * milestone 4's placement of `${topic}/${p}` in `${gid}-log`.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, test, type TestContext } from "node:test";
import { studentFolder } from "../../autograder/harness/student-node.ts";
import { stopClient } from "../../m4-storage/hidden/_black-box.ts";
import type { LogEvent, LoggedEvent, LogPosition, LogRead } from "../api.ts";
import { type EngineRemote, formGroup, type RemoteCluster, startEngineNode } from "./_black-box.ts";

after(() => stopClient());

const partitions = 3;

const partitionOf = (key: string) => createHash("sha256").update(key).digest().readUInt32BE(0) % partitions;

/** `node.log(gid)` of a node under test: each method one harness call. */
function logOf(node: EngineRemote, gid: string) {
  const call = (method: string, args: unknown[]) => node.call([["log", [gid]], [method, args]]);
  return {
    createTopic: (topic: string) => call("createTopic", [topic, { partitions }]) as Promise<void>,
    append: (topic: string, events: LogEvent[]) => call("append", [topic, events]) as Promise<LogPosition[]>,
    read: (topic: string, partition: number, offset: number) => call("read", [topic, partition, offset, 1000]) as Promise<LogRead>,
  };
}

/** Appends from every node at once, each node `calls` appends of `size` events, one after the other; every acknowledged event by its position. */
async function appendFromAll(nodes: EngineRemote[], gid: string, topic: string, calls: number, size: number, tag: string): Promise<Map<string, LogEvent>> {
  const acknowledged = new Map<string, LogEvent>();
  await Promise.all(nodes.map(async (node, n) => {
    for (let call = 0; call < calls; call++) {
      const events = Array.from({ length: size }, (_, i): LogEvent => ({ key: `user-${(n * 7 + call * 3 + i) % 11}`, value: { tag, n, call, i }, time: call * size + i }));
      const positions = await logOf(node, gid).append(topic, events);
      assert.equal(positions.length, events.length, "one position per event");
      positions.forEach((position, i) => {
        const event = events[i] as LogEvent;
        assert.equal(position.partition, partitionOf(event.key), `${event.key} goes to partitionOf(key)`);
        const at = `${position.partition}/${position.offset}`;
        assert.ok(!acknowledged.has(at), `two events acknowledged at offset ${position.offset} of partition ${position.partition}`);
        acknowledged.set(at, event);
      });
    }
  }));
  return acknowledged;
}

/** Why the topic's partitions do not hold exactly the acknowledged events, each at its offset, offsets from 0 with no gap ("" when they do). */
async function logProblems(node: EngineRemote, gid: string, topic: string, acknowledged: Map<string, LogEvent>): Promise<string> {
  const problems: string[] = [];
  for (let partition = 0; partition < partitions; partition++) {
    const read = await logOf(node, gid).read(topic, partition, 0);
    const expected = [...acknowledged].filter(([at]) => at.startsWith(`${partition}/`));
    if (read.start !== 0 || read.end !== expected.length) problems.push(`partition ${partition}: start ${read.start} and end ${read.end}, not 0 and ${expected.length}`);
    read.events.forEach((event: LoggedEvent, i) => {
      const want = acknowledged.get(`${partition}/${event.offset}`);
      if (event.offset !== i || event.partition !== partition) problems.push(`partition ${partition}: event ${i} read at offset ${event.offset} of partition ${event.partition}`);
      else if (want === undefined || JSON.stringify([event.key, event.value, event.time]) !== JSON.stringify([want.key, want.value, want.time])) problems.push(`partition ${partition}, offset ${event.offset}: ${JSON.stringify(event)}, not the event acknowledged there`);
    });
  }
  return problems.slice(0, 5).join("; ");
}

/** Which members hold keys of each partition in `${gid}-log`, and which keys of it sit elsewhere ("" when each partition is on its owner only). */
async function placementProblems(cluster: RemoteCluster, topic: string): Promise<string> {
  const problems: string[] = [];
  for (const member of cluster.members) {
    const keys = await member.local.keys(`${cluster.gid}-log`);
    for (let partition = 0; partition < partitions; partition++) {
      const owned = cluster.owner(`${topic}/${partition}`) === member.nid;
      const held = keys.some((key) => key.startsWith(`${topic}/${partition}/`));
      if (owned && !held) problems.push(`${member.address.port} owns ${topic}/${partition} and holds none of its keys`);
      if (!owned && held) problems.push(`${member.address.port} holds keys of ${topic}/${partition}, which it does not own`);
    }
  }
  return problems.join("; ");
}

async function startCluster(t: TestContext, folders?: string[]): Promise<RemoteCluster> {
  const nodes = await Promise.all(Array.from({ length: 4 }, (_, i) => startEngineNode(t, folders?.[i] === undefined ? {} : { folder: folders[i] })));
  return formGroup(nodes.slice(1), nodes[0] as EngineRemote, "bb-log");
}

test("members in processes of their own keep a topic: appends at once from a node outside the group and from the members put each event in partition partitionOf(key), at distinct offsets from 0 with no gap, on the member that owns the partition; reads give back each acknowledged event at its offset", async (t) => {
  const cluster = await startCluster(t);
  const nodes = [cluster.outsider, ...cluster.members];
  await logOf(cluster.outsider, cluster.gid).createTopic("clicks");
  const acknowledged = await appendFromAll(nodes, cluster.gid, "clicks", 6, 8, "first");
  assert.equal(await logProblems(cluster.members[1] as EngineRemote, cluster.gid, "clicks", acknowledged), "");
  assert.equal(await placementProblems(cluster, "clicks"), "");
});

test("members in processes of their own, killed and restarted on their folders at the same addresses, keep every acknowledged event at its offset, and appends go on from the offsets they had", async (t) => {
  const folders = await Promise.all([0, 1, 2, 3].map(() => studentFolder(t)));
  const first = await startCluster(t, folders);
  await logOf(first.outsider, first.gid).createTopic("queries");
  const before = await appendFromAll([first.outsider, ...first.members], first.gid, "queries", 3, 5, "before");
  await Promise.all(first.members.map((node) => node.process.kill()));
  const members = await Promise.all(first.members.map((node, i) => startEngineNode(t, { folder: folders[i + 1], port: node.address.port })));
  const cluster = await formGroup(members, first.outsider, first.gid);
  assert.equal(await logProblems(cluster.outsider, cluster.gid, "queries", before), "", "after the restart");
  const afterRestart = await appendFromAll([cluster.outsider, ...cluster.members], cluster.gid, "queries", 2, 5, "after");
  for (const at of afterRestart.keys()) assert.ok(!before.has(at), `an event appended after the restart took offset ${at.split("/")[1]} of partition ${at.split("/")[0]}, which an event before it holds`);
  assert.equal(await logProblems(cluster.outsider, cluster.gid, "queries", new Map([...before, ...afterRestart])), "", "after appends following the restart");
  assert.equal(await placementProblems(cluster, "queries"), "");
});
