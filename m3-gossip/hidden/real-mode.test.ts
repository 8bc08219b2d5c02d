/**
 * handouts/m3.md#spawnnode and the real context: a group of 10 milestone-3
 * nodes in child processes starts, and group-wide calls
 * (status, groups, routes with methods sent as source, comm) reach each of
 * them; real nodes over HTTP gossip, broadcast and detect a stopped member.
 * Real time is waited for only by polling, with a deadline.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { eventually } from "../../autograder/harness/wait.ts";
import type * as Api from "../api.ts";
import { m3, realNodes } from "./_nodes.ts";


/** Each child is a whole Node process: ten, this test and the grader peaked at about 460 MB of the grader's 768 MB (reference, half a CPU). */
const childCount = 10;

test("a group of 10 spawned process nodes starts, and group-wide calls reach every one", async (t) => {
  const [parent] = await realNodes(t, 1);
  assert.ok(parent);
  const children: Api.ChildNode[] = [];
  t.after(() => Promise.all(children.map((child) => child.stop())));
  // One at a time: a child's start takes about 1 s of CPU when nothing is cached (as on Gradescope), so even
  // a grader that gets less than its half CPU starts each well within spawnNode's 10 s limit.
  for (let i = 0; i < childCount; i++) {
    try {
      children.push(await m3.spawnNode());
    } catch {
      // Counted by the assertion below.
    }
  }
  assert.equal(children.length, childCount, `${childCount - children.length} children failed to start`);
  const members = children.map((child) => child.address);
  await parent.groups.put("kids", members);
  const ids = await parent.group("kids").status.get("nid");
  assert.equal(ids.errors.size, 0, [...ids.errors.values()].map(String).join("; "));
  assert.deepEqual(new Map([...ids.values]), new Map(children.map((child) => [child.id, child.id])));
  const put = await parent.group("kids").groups.put("kids", [parent.address, ...members]);
  assert.deepEqual([put.values.size, put.errors.size], [childCount, 0]);
  const views = await parent.group("kids").comm.send(["kids"], { service: "groups", method: "get" });
  for (const view of views.values.values()) assert.deepEqual(view, [parent.address, ...members]);
  const registered = await parent.group("kids").routes.put({ square: (x: number) => x * x }, "sq");
  assert.equal(registered.errors.size, 0);
  const squares = await parent.group("kids").comm.send([12], { service: "sq", method: "square" });
  assert.deepEqual([...squares.values.values()], children.map(() => 144));
  const sum = await parent.group("kids").status.sum();
  assert.equal(sum.nodes, childCount);
  assert.ok(sum.heapUsed > 0 && sum.counts.received >= childCount * 5);
  const removed = await parent.group("kids").routes.rem("sq");
  assert.deepEqual([...removed.values.values()], children.map(() => true));
});

test("real nodes over HTTP gossip a rumor to all, broadcast a value to all, and declare a stopped member dead", async (t) => {
  const nodes = await realNodes(t, 6, { gossip: { roundMs: 50 }, broadcast: { batchMs: 20 } });
  const members = nodes.map((node) => node.address);
  for (const node of nodes) await node.groups.put("g", members);
  const heard = nodes.map(() => [] as unknown[]);
  for (const [i, node] of nodes.entries()) node.gossip.on("t", (value) => heard[i]?.push(value));
  await nodes[1]?.gossip.spread("g", "t", { real: true });
  await nodes[4]?.broadcast.send("g", "over http");
  assert.ok(await eventually(() => heard.every((got) => got.length === 1), 20_000), "the rumor did not reach every real node");
  assert.ok(await eventually(() => nodes.every((node) => node.broadcast.values("g").length === 1), 20_000), "the value did not reach every real node");
  for (const [i, node] of nodes.entries()) {
    assert.deepEqual(heard[i], [{ real: true }]);
    assert.deepEqual(node.broadcast.values("g"), ["over http"]);
  }
  // Periods long enough that a half-CPU grader's pauses are not taken for deaths.
  const periodMs = 500;
  for (const node of nodes) await node.membership.watch("g", { periodMs });
  const victim = nodes[2] as Api.GroupNode;
  const others = nodes.filter((node) => node !== victim);
  assert.ok(await eventually(() => others.every((node) => node.membership.view("g").size === 6), 20_000));
  await victim.stop();
  const limit = 2 * 5 * periodMs + 10 * periodMs + periodMs;
  const dead = await eventually(() => others.every((node) => node.membership.view("g").get(victim.id)?.state === "dead"), limit + 3_000);
  assert.ok(dead, "the stopped member is not held dead by every other member");
  for (const observer of others) for (const member of others) assert.notEqual(observer.membership.view("g").get(member.id)?.state, "dead");
});
