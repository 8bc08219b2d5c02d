import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { m4 } from "./_nodes.ts";
import { scratchFolder } from "../../autograder/harness/scratch.ts";

test("a memory store keeps values by namespace and key", async () => {
  const store = m4.memoryStore();
  await store.put("a", "k", { n: 1 });
  await store.put("b", "k", new Date(0));
  assert.deepEqual(await store.get("a", "k"), { found: true, value: { n: 1 } });
  assert.deepEqual(await store.get("b", "k"), { found: true, value: new Date(0) });
  assert.deepEqual(await store.del("a", "k"), { found: true, value: { n: 1 } });
  assert.deepEqual(await store.get("a", "k"), { found: false });
  assert.deepEqual(await store.keys("b"), ["k"]);
});

test("a stored undefined is found; an absent key is not", async () => {
  const store = m4.memoryStore();
  await store.put("g", "nothing", undefined);
  assert.deepEqual(await store.get("g", "nothing"), { found: true, value: undefined });
  assert.deepEqual(await store.get("g", "absent"), { found: false });
  assert.equal(await store.putIfAbsent("g", "nothing", 1), false);
  assert.equal(await store.putIfAbsent("g", "absent", 1), true);
});

test("append adds to a list and returns its length, even when appends race", async () => {
  const store = m4.memoryStore();
  const lengths = await Promise.all(Array.from({ length: 20 }, (_, i) => store.append("g", "list", i)));
  assert.deepEqual([...lengths].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1));
  const list = await store.get("g", "list");
  assert.equal(list.found && (list.value as number[]).length, 20);
  await store.put("g", "text", "not a list");
  await assert.rejects(store.append("g", "text", 1), TypeError);
});

test("a file store keeps hostile keys inside its folder, and its values after a reopen", async (t) => {
  const parent = await scratchFolder("m4-");
  t.after(() => rm(parent, { recursive: true, force: true }));
  const folder = join(parent, "store");
  const keys = ["../escape", "/absolute", "nul\u0000byte", "ünïcødé 🗝", "x".repeat(10_000)];
  const store = m4.fileStore(folder);
  for (const key of keys) await store.put("g", key, key.length);
  const reopened = m4.fileStore(folder);
  assert.deepEqual([...(await reopened.keys("g"))].sort(), [...keys].sort());
  for (const key of keys) assert.deepEqual(await reopened.get("g", key), { found: true, value: key.length });
});
