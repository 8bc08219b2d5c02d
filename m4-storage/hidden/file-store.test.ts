/**
 * handouts/m4.md#local-stores, the file store: it creates its folder, writes
 * nothing outside it and names no file after a key, and whatever it
 * acknowledged is there again when the folder is reopened: values of every
 * kind, hostile keys, namespaces, deletions, 3,000 keys; keys() never
 * shows a write in progress; and it works on the disk it is given, writing
 * nothing there for an update that leaves its key as it was.
 */
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { assertIsomorphic } from "../../autograder/harness/isomorphic.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import { realDisk } from "../../autograder/kit/real-disk.ts";
import type * as Api from "../api.ts";
import { m4 } from "./_group.ts";
import { hostileGids, hostileKeys, listTree, megabyteValues, storeFolder, tempFolder, valuesOfEveryKind } from "./_stores.ts";

const sorted = (keys: readonly string[]): string[] => [...keys].sort();

test("a file store creates its folder and any missing parents", async (t) => {
  const parent = await tempFolder(t);
  const folder = join(parent, "not", "there", "yet");
  const store = m4.fileStore(folder);
  await store.put("g", "k", 1);
  assert.deepEqual(await store.get("g", "k"), { found: true, value: 1 });
  assert.ok((await listTree(parent)).some((path) => path.startsWith("not/there/yet/") && !path.endsWith("/")), "its files are in the folder");
});

test("a file store writes nothing outside its folder and names no file after a key", async (t) => {
  const parent = await tempFolder(t);
  const folder = join(parent, "a", "b", "c", "store");
  await mkdir(dirname(folder), { recursive: true });
  const store = m4.fileStore(folder);
  // A name no one else uses, so that a file escaping anywhere up to / can be recognized (and removed).
  const marker = `m4hiddenMARKER${process.pid}x${randomUUID().replaceAll("-", "")}`;
  const ancestors: string[] = [];
  for (let up = dirname(folder); ; up = dirname(up)) {
    ancestors.push(up);
    if (dirname(up) === up) break;
  }
  ancestors.push(tmpdir());
  const escaped = async () => {
    const found: string[] = [];
    for (const folderAbove of ancestors) {
      const names = await readdir(folderAbove).catch(() => [] as string[]);
      found.push(...names.filter((name) => name.includes(marker)).map((name) => join(folderAbove, name)));
    }
    return found;
  };
  t.after(async () => {
    for (const path of await escaped()) await rm(path, { recursive: true, force: true });
  });
  const markerKeys = Array.from({ length: 13 }, (_, up) => `${"../".repeat(up)}${marker}`);
  const keys = [...hostileKeys("g"), ...markerKeys, `/tmp/${marker}`, `/${marker}`, `${tmpdir()}/${marker}`];
  for (const gid of ["g", ...hostileGids, `../${marker}`, `../../../../../../${marker}gid`, `/tmp/${marker}`]) {
    for (const [i, key] of keys.entries()) await store.put(gid, key, i);
    await store.append(gid, `../${marker}list`, 1);
    await store.putIfAbsent(gid, `../../${marker}absent`, 2);
    await store.del(gid, keys[3] as string);
  }
  assert.deepEqual(await escaped(), [], "files written outside the store's folder");
  const tree = await listTree(parent);
  const outside = tree.filter((path) => !path.startsWith("a/b/c/store/") && !["a/", "a/b/", "a/b/c/", "a/b/c/store/"].includes(path));
  assert.deepEqual(outside, [], "paths written outside the store's folder");
  const named = tree.filter((path) => path.includes(marker));
  assert.deepEqual(named, [], "files or folders named after a key or a group id");
});

test("a file store reopened on its folder finds every value, key and namespace it acknowledged", async (t) => {
  const folder = await storeFolder(t);
  const first = m4.fileStore(folder);
  const values = valuesOfEveryKind();
  const keys = hostileKeys("g");
  for (const [name, value] of values) await first.put("values", name, value);
  for (const [i, key] of keys.entries()) await first.put("g", key, i);
  for (const gid of hostileGids) await first.put(gid, "same", gid);
  for (let i = 0; i < 5; i++) await first.append("g", "list", i);
  await first.put("g", "a stored undefined", undefined);
  await first.put("g", "overwritten", "old");
  await first.put("g", "overwritten", "new");
  const removed = keys.filter((_, i) => i % 3 === 0);
  for (const key of removed) await first.del("g", key);

  const reopened = m4.fileStore(folder);
  for (const [name, value] of values) {
    const lookup = await reopened.get("values", name);
    assert.equal(lookup.found, true, `${name} is found after reopening`);
    assertIsomorphic(lookup.found ? lookup.value : "missing", value, `${name} after reopening differs`);
  }
  const kept = keys.filter((_, i) => i % 3 !== 0);
  assert.deepEqual(sorted(await reopened.keys("g")), sorted([...kept, "list", "a stored undefined", "overwritten"]));
  for (const key of kept) assert.deepEqual(await reopened.get("g", key), { found: true, value: keys.indexOf(key) }, JSON.stringify(key.slice(0, 30)));
  for (const key of removed) assert.deepEqual(await reopened.get("g", key), { found: false }, `deleted ${JSON.stringify(key.slice(0, 30))}`);
  assert.deepEqual(await reopened.get("g", "list"), { found: true, value: [0, 1, 2, 3, 4] });
  assert.deepEqual(await reopened.get("g", "a stored undefined"), { found: true, value: undefined });
  assert.deepEqual(await reopened.get("g", "overwritten"), { found: true, value: "new" });
  for (const gid of hostileGids) {
    assert.deepEqual(await reopened.keys(gid), ["same"], `namespace ${JSON.stringify(gid.slice(0, 20))}`);
    assert.deepEqual(await reopened.get(gid, "same"), { found: true, value: gid });
  }
  assert.equal(await reopened.append("g", "list", 5), 6, "a reopened store appends to the stored list");
  assert.equal(await reopened.putIfAbsent("g", "overwritten", "x"), false);
});

test("a file store keeps values of 1 MB whole across reopening", async (t) => {
  const folder = await storeFolder(t);
  const values = megabyteValues(11);
  const first = m4.fileStore(folder);
  for (const [name, value] of values) await first.put("g", name, value);
  const reopened = m4.fileStore(folder);
  for (const [name, value] of values) {
    const lookup = await reopened.get("g", name);
    assert.equal(lookup.found, true, `${name} is found`);
    assertIsomorphic(lookup.found ? lookup.value : undefined, value, `${name} after reopening differs`);
  }
});

test("a file store holds 3,000 keys and lists them all after reopening", async (t) => {
  const folder = await storeFolder(t);
  const store = m4.fileStore(folder);
  const keys = Array.from({ length: 3_000 }, (_, i) => (i % 10 === 0 ? `../${i}` : `key:${i}`));
  for (let start = 0; start < keys.length; start += 200) {
    await Promise.all(keys.slice(start, start + 200).map((key, j) => store.put("g", key, start + j)));
  }
  await store.put("h", "key:1", "other namespace");
  const listed = await store.keys("g");
  assert.equal(listed.length, keys.length);
  const reopened = m4.fileStore(folder);
  assert.deepEqual(sorted(await reopened.keys("g")), sorted(keys));
  for (let i = 0; i < keys.length; i += 61) assert.deepEqual(await reopened.get("g", keys[i] as string), { found: true, value: i });
  assert.deepEqual(await reopened.keys("h"), ["key:1"]);
});

test("a file store's keys() lists each key once, and only keys, while large values are being written", withSeed(async (random, t) => {
  const store = m4.fileStore(join(await tempFolder(t), "store"));
  const keys = Array.from({ length: 6 }, (_, i) => `key ${i}`);
  for (const key of keys) await store.put("g", key, "");
  let writing = true;
  const writers = keys.map(async (key) => {
    for (let round = 0; writing; round++) await store.put("g", key, "x".repeat(random.int(100_000, 400_000)) + round);
  });
  try {
    for (let listing = 0; listing < 60; listing++) {
      const listed = await store.keys("g");
      assert.deepEqual([...listed].sort(), keys, `listing ${listing} shows ${listed.length} keys`);
    }
  } finally {
    writing = false;
    await Promise.all(writers);
  }
}));

/** The real disk, noting each operation that changes what it holds (write, append, rename, remove). */
function watchedDisk(): { disk: Api.Disk; changes: string[] } {
  const changes: string[] = [];
  const disk: Api.Disk = {
    ...realDisk,
    write: (path, text) => (changes.push(`write ${path}`), realDisk.write(path, text)),
    append: (path, text) => (changes.push(`append ${path}`), realDisk.append(path, text)),
    rename: (from, to) => (changes.push(`rename ${from} ${to}`), realDisk.rename(from, to)),
    remove: (path) => (changes.push(`remove ${path}`), realDisk.remove(path)),
  };
  return { disk, changes };
}

test("a file store writes through the disk it is given, and writes nothing for an update whose fn returns current itself", async (t) => {
  const { disk, changes } = watchedDisk();
  const folder = join(await tempFolder(t), "store");
  const store = m4.fileStore(folder, disk);
  await store.put("g", "value", { n: 1 });
  await store.appendAll("g", "list", [1, 2]);
  await store.put("g", "undefined", undefined);
  assert.ok(changes.length > 0, "a file store given a disk writes through it");
  changes.length = 0;
  assert.deepEqual(await store.update("g", "value", (current) => current), { found: true, value: { n: 1 } });
  await store.update("g", "list", async (current) => current);
  await store.update("g", "undefined", (current) => current);
  await store.update("g", "absent", (current) => current);
  assert.deepEqual(changes, [], "updates that return current itself change nothing on the disk");
  assert.deepEqual(await store.get("g", "list"), { found: true, value: [1, 2] });
  assert.deepEqual(await store.get("g", "absent"), { found: false });
  await store.update("g", "value", () => ({ found: true, value: { n: 2 } }));
  assert.ok(changes.length > 0, "an update that returns another lookup writes");
  assert.deepEqual(await m4.fileStore(folder).get("g", "value"), { found: true, value: { n: 2 } }, "what it wrote is on the real disk");
});
