import assert from "node:assert/strict";
import { test } from "node:test";
import { group, m3 } from "./_nodes.ts";

test("a node keeps its own view of each group: put, add, rem, get, del", async (t) => {
  const node = await m3.startNode();
  t.after(() => node.stop());
  const a = { ip: "127.0.0.1", port: 7001 };
  const b = { ip: "127.0.0.1", port: 7002 };
  await node.groups.put("g", [a]);
  await node.groups.add("g", b);
  await node.groups.add("g", b);
  assert.deepEqual(await node.groups.get("g"), [a, b]);
  await node.groups.rem("g", a);
  assert.deepEqual(await node.groups.del("g"), [b]);
  assert.equal(await node.groups.get("g"), undefined);
});

test("a group-wide call reaches every member and returns each one's value by node id", async (t) => {
  const nodes = await group(t, 3, "g");
  const { values, errors } = await nodes[0]!.group("g").status.get("nid");
  assert.equal(errors.size, 0);
  assert.deepEqual([...values.keys()].sort(), nodes.map((node) => node.id).sort());
  for (const [nid, value] of values) assert.equal(value, nid);
});

test("a member that does not answer is an error, and the others still answer", async (t) => {
  const nodes = await group(t, 3, "g");
  await nodes[2]!.stop();
  const { values, errors } = await nodes[0]!.group("g").status.get("sid");
  assert.equal(values.size, 2);
  assert.deepEqual([...errors.keys()], [nodes[2]!.id]);
});

test("group-wide groups.put sets the view on every member, and status.sum adds up the counts", async (t) => {
  const nodes = await group(t, 3, "all");
  const pair = [nodes[0]!.address, nodes[1]!.address];
  await nodes[0]!.group("all").groups.put("pair", pair);
  assert.deepEqual(await nodes[2]!.groups.get("pair"), pair);
  const sum = await nodes[0]!.group("all").status.sum();
  assert.equal(sum.nodes, 3);
  assert.ok(sum.counts.received >= 3 && sum.heapUsed > 0);
});
