import assert from "node:assert/strict";
import { test } from "node:test";
import { nodes } from "./_nodes.ts";

test("a group store puts and gets through any member", async (t) => {
  const [a, b, c] = await nodes(t, 3, "kv");
  await a!.store("kv").put("user:1", { name: "Ada" });
  assert.deepEqual(await b!.store("kv").get("user:1"), { found: true, value: { name: "Ada" } });
  assert.deepEqual(await c!.store("kv").del("user:1"), { found: true, value: { name: "Ada" } });
  assert.deepEqual(await a!.store("kv").get("user:1"), { found: false });
});

test("two groups keep the same key apart", async (t) => {
  const [a] = await nodes(t, 2, "one");
  const members = [a!.address];
  await a!.groups.put("two", members);
  await a!.store("one").put("k", 1);
  await a!.store("two").put("k", 2);
  assert.deepEqual(await a!.store("one").get("k"), { found: true, value: 1 });
  assert.deepEqual(await a!.store("two").get("k"), { found: true, value: 2 });
});

test("concurrent appends to one key from many members lose nothing", async (t) => {
  const group = await nodes(t, 3, "kv");
  await Promise.all(Array.from({ length: 60 }, (_, i) => group[i % 3]!.store("kv").append("log", i)));
  const log = await group[0]!.store("kv").get("log");
  assert.ok(log.found);
  assert.deepEqual([...(log.value as number[])].sort((x, y) => x - y), Array.from({ length: 60 }, (_, i) => i));
});

test("a join moves only the keys whose owner changed, and every key is still found", async (t) => {
  const group = await nodes(t, 4, "kv", 3);
  const store = group[0]!.store("kv");
  for (let i = 0; i < 300; i++) await store.put(`k${i}`, i);
  const { moved } = await store.reconfigure(group.map((node) => node.address));
  const onNewcomer = (await group[3]!.local.keys("kv")).length;
  assert.equal(moved, onNewcomer);
  assert.ok(moved > 0 && moved < 150, `${moved} keys moved`);
  for (let i = 0; i < 300; i++) assert.deepEqual(await group[1]!.store("kv").get(`k${i}`), { found: true, value: i });
});
