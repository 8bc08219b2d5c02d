/**
 * The event log (handouts/m6.md#the-log), on three members and a node
 * outside the group that uses it.
 */
import assert from "node:assert/strict";
import { test, type TestContext } from "node:test";
import type * as Api from "../api.ts";
import { m6 } from "./_engine.ts";

/** A log of the group "g" of three members, used from a node outside it; every node stops after the test. */
async function outsiderLog(t: TestContext): Promise<Api.Log> {
  const nodes: Api.EngineNode[] = [];
  t.after(() => Promise.all(nodes.map((node) => node.stop())));
  for (let i = 0; i < 4; i++) nodes.push(await m6.startNode());
  const members = nodes.slice(0, 3).map((node) => node.address);
  for (const node of nodes) await node.groups.put("g", members);
  return (nodes[3] as Api.EngineNode).log("g");
}

test("partitionOf gives what api.ts's example says, and appended events are read back in order, from offset 0 in each partition", async (t) => {
  assert.equal(m6.partitionOf("user-17", 4), 2);
  const log = await outsiderLog(t);
  await log.createTopic("clicks", { partitions: 2 });
  const events = ["a", "b", "a", "c", "a"].map((key, i) => ({ key, value: { i }, time: 1000 + i }));
  const positions = await log.append("clicks", events);
  const byPartition = [0, 1].map((partition) => events.filter((event) => m6.partitionOf(event.key, 2) === partition));
  for (const [partition, expected] of byPartition.entries()) {
    const read = await log.read("clicks", partition, 0);
    assert.deepEqual(read.events, expected.map((event, offset) => ({ ...event, partition, offset })));
    assert.deepEqual([read.start, read.end], [0, expected.length]);
  }
  assert.deepEqual(positions, events.map((event) => {
    const partition = m6.partitionOf(event.key, 2);
    return { partition, offset: (byPartition[partition] as typeof events).indexOf(event) };
  }));
});

test("a consumer alone in its group holds every partition, and a new consumer of the group starts from what the first committed", async (t) => {
  const log = await outsiderLog(t);
  await log.createTopic("queries", { partitions: 3 });
  await log.append("queries", Array.from({ length: 30 }, (_, i) => ({ key: `user-${i}`, value: i, time: i })));
  const first = await log.consumer("trending", "queries");
  const taken = await first.poll(10);
  assert.deepEqual(first.assignment(), [0, 1, 2]);
  assert.equal(taken.length, 10);
  await first.commit();
  await first.close();
  const second = await log.consumer("trending", "queries");
  const rest: Api.LoggedEvent[] = [];
  for (let events = await second.poll(); events.length > 0; events = await second.poll()) rest.push(...events);
  const values = [...taken, ...rest].map((event) => event.value as number).sort((a, b) => a - b);
  assert.deepEqual(values, Array.from({ length: 30 }, (_, i) => i));
});
