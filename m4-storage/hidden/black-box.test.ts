/**
 * Black-box tests of milestone 4: every node under test runs in a child
 * process of its own (as the student's user on the autograder), and this
 * process, which loads references only, sees it through the network alone:
 * its api through the harness service (node.local, node.store, node.groups),
 * its files through its folder. Where a group's keys are is what each
 * member's own store lists in the group's namespace, compared with the
 * placements of the handout, recomputed here (./_placement.ts).
 *
 * Most tests share one pool of five nodes in memory and one node on a folder,
 * each test in namespaces and groups of its own; the crash tests and the
 * failure test start (and kill) nodes of their own.
 */
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { after, test } from "node:test";
import { assertIsomorphic } from "../../autograder/harness/isomorphic.ts";
import type { Random } from "../../autograder/harness/random.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import { eventually } from "../../autograder/harness/wait.ts";
import type { NodeAddress, Placement } from "../api.ts";
import {
  fileScope,
  hostileKeys,
  inBatches,
  locate,
  messages,
  misplaced,
  names,
  type Remote,
  type RemoteLocal,
  scope,
  settle,
  setViews,
  startRemote,
  stopClient,
  storeFolders,
  utf16Hash,
} from "./_black-box.ts";
import { batchOf } from "./_batch.ts";
import { changedOwners, Placer } from "./_placement.ts";

// ---------------------------------------------------------------------------
// The nodes the tests share, started when a test first needs them.

const shared = fileScope();
after(async () => {
  await shared.end();
  await stopClient();
});

let poolNodes: Promise<Remote[]> | undefined;
/** Five nodes with stores in memory. */
function pool(): Promise<Remote[]> {
  poolNodes ??= Promise.all(Array.from({ length: 5 }, () => startRemote(shared.context)));
  return poolNodes;
}

let fileNode: Promise<{ node: Remote; root: string; folder: string }> | undefined;
/** One node on a folder (three levels inside a folder of its own, `root`). */
function onFolder(): Promise<{ node: Remote; root: string; folder: string }> {
  fileNode ??= (async () => {
    const { root, folder } = await storeFolders(shared.context);
    return { node: await startRemote(shared.context, { folder }), root, folder };
  })();
  return fileNode;
}

/** The node whose memory store and the node whose file store a local-store test checks. */
async function localStores(): Promise<Array<[kind: string, local: RemoteLocal]>> {
  const [nodes, file] = await Promise.all([pool(), onFolder()]);
  return [["memory store", (nodes[0] as Remote).local], ["file store", file.node.local]];
}

// ---------------------------------------------------------------------------
// Small helpers.

const sorted = (items: readonly string[]): string[] => [...items].sort();
const addressText = (address: NodeAddress): string => `${address.ip}:${address.port}`;
const nids = (nodes: readonly Remote[]): string[] => nodes.map((node) => node.nid);
const addresses = (nodes: readonly Remote[]): NodeAddress[] => nodes.map((node) => node.address);

/** Values of several kinds milestone 1 carries. */
function someValues(): unknown[] {
  return [
    undefined, null, false, 0, -0, Number.NaN, 2n ** 70n, "", "text with NUL \u0000 and \ud800", new Date(1_700_000_000_000),
    new Map<unknown, unknown>([[1, { a: 1 }], ["k", [undefined]]]), new Set([1, "1"]), [1, , 3], { nested: { list: [1, 2, { deep: true }] } },
    new Uint8Array([0, 1, 255]), /a+b/gi, new RangeError("stored error"),
  ];
}

/** A short description of a lookup, whatever it holds. */
function describeLookup(lookup: unknown): string {
  try {
    return JSON.stringify(lookup, (_, value: unknown) => (typeof value === "bigint" ? `${value}n` : value))?.slice(0, 200) ?? String(lookup);
  } catch {
    return String(lookup);
  }
}

/** Checks a lookup: found with a value like `value`. */
function assertFound(lookup: unknown, value: unknown, message: string): void {
  const found = lookup as { found?: unknown; value?: unknown };
  assert.equal(found?.found, true, `${message}: not found (got ${describeLookup(found)})`);
  assert.ok("value" in found, `${message}: found, but the lookup has no value property`);
  assertIsomorphic(found.value, value, message);
}

/** Puts `count` keys into group `gid` through random members; the keys and their values (the key's index). */
async function fill(random: Random, nodes: readonly Remote[], gid: string, count: number, placement?: Placement): Promise<string[]> {
  const keys = Array.from({ length: count }, (_, i) => `${gid}:${i}:${random.uint32().toString(36)}`);
  const through = keys.map(() => random.pick(nodes));
  await inBatches(keys, 16, (key, i) => (through[i] as Remote).store(gid, placement).put(key, i));
  return keys;
}

/** Checks that each key is found through a random node with value `value(i)`. */
async function assertAllFound(random: Random, nodes: readonly Remote[], gid: string, keys: readonly string[], value: (i: number) => unknown, what: string, placement?: Placement): Promise<void> {
  const through = keys.map(() => random.pick(nodes));
  const lookups = await inBatches(keys, 16, (key, i) => (through[i] as Remote).store(gid, placement).get(key));
  for (const [i, key] of keys.entries()) assertFound(lookups[i], value(i), `${what}: ${JSON.stringify(key.slice(0, 40))} through ${(through[i] as Remote).nid.slice(0, 5)}`);
}

/** Every file and folder under `root`, relative to it (folders end with "/"). */
async function listTree(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (relative: string) => {
    for (const entry of await readdir(relative === "" ? root : `${root}/${relative}`, { withFileTypes: true })) {
      const path = relative === "" ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        found.push(`${path}/`);
        await walk(path);
      } else found.push(path);
    }
  };
  await walk("");
  return found;
}

// ---------------------------------------------------------------------------
// handouts/m4.md#local-stores, through node.local of a node in memory and of a node on a folder.

test("a local store finds a stored undefined, finds no absent key (not even one named after an Object.prototype property), and del returns what the key held", async () => {
  for (const [kind, local] of await localStores()) {
    const gid = "bb-lookup";
    for (const key of ["k", "__proto__", "constructor", "toString", "hasOwnProperty"]) {
      assert.deepEqual(await local.get(gid, key), { found: false }, `${kind}: absent ${key}`);
    }
    await local.put(gid, "nothing", undefined);
    assertFound(await local.get(gid, "nothing"), undefined, `${kind}: a stored undefined`);
    await local.put(gid, "null", null);
    assertFound(await local.get(gid, "null"), null, `${kind}: a stored null`);
    await local.put(gid, "v", { a: [1, 2] });
    await local.put(gid, "v", { a: [3] });
    assertFound(await local.get(gid, "v"), { a: [3] }, `${kind}: put replaces`);
    assertFound(await local.del(gid, "v"), { a: [3] }, `${kind}: del returns what the key held`);
    assert.deepEqual(await local.get(gid, "v"), { found: false }, `${kind}: a deleted key is absent`);
    assert.deepEqual(await local.del(gid, "v"), { found: false }, `${kind}: deleting an absent key finds nothing`);
    assertFound(await local.del(gid, "nothing"), undefined, `${kind}: del of a stored undefined`);
    assert.deepEqual(sorted(await local.keys(gid)), ["null"], `${kind}: keys after the deletes`);
  }
});

test("putIfAbsent stores only into an absent key, and says whether it stored", async () => {
  for (const [kind, local] of await localStores()) {
    const gid = "bb-put-if-absent";
    assert.equal(await local.putIfAbsent(gid, "k", 1), true, `${kind}: into an absent key`);
    assert.equal(await local.putIfAbsent(gid, "k", 2), false, `${kind}: into a held key`);
    assertFound(await local.get(gid, "k"), 1, `${kind}: the first value stays`);
    await local.put(gid, "u", undefined);
    assert.equal(await local.putIfAbsent(gid, "u", 3), false, `${kind}: a stored undefined is a value`);
    assertFound(await local.get(gid, "u"), undefined, `${kind}: the stored undefined stays`);
    await local.del(gid, "k");
    assert.equal(await local.putIfAbsent(gid, "k", 4), true, `${kind}: into a deleted key`);
    assertFound(await local.get(gid, "k"), 4, `${kind}: after the delete`);
  }
});

test("append starts an absent key at [], extends the array and returns its new length; on anything else it is a TypeError that changes nothing", async () => {
  for (const [kind, local] of await localStores()) {
    const gid = "bb-append";
    assert.equal(await local.append(gid, "list", "a"), 1, `${kind}: the first append`);
    assert.equal(await local.append(gid, "list", { b: 2 }), 2, `${kind}: the second append`);
    assertFound(await local.get(gid, "list"), ["a", { b: 2 }], `${kind}: the list`);
    await local.put(gid, "array", [0]);
    assert.equal(await local.append(gid, "array", undefined), 2, `${kind}: an append to a stored array`);
    assertFound(await local.get(gid, "array"), [0, undefined], `${kind}: the extended array`);
    const others: Array<[string, unknown]> = [["string", "text"], ["number", 7], ["object", { length: 0 }], ["null", null], ["undefined", undefined], ["set", new Set([1])]];
    for (const [key, value] of others) {
      await local.put(gid, key, value);
      const outcome = await settle(local.append(gid, key, 1));
      assert.equal(outcome.ok, false, `${kind}: an append to a ${key} resolved`);
      if (!outcome.ok) assert.ok(names(outcome.error).includes("TypeError"), `${kind}: an append to a ${key} failed, but not with a TypeError: ${messages(outcome.error)}`);
      assertFound(await local.get(gid, key), value, `${kind}: the ${key} after the failed append`);
    }
  }
});

test("appends racing on one key all land, each told a different length, in the order they ran", async () => {
  for (const [kind, local] of await localStores()) {
    const gid = "bb-race";
    const count = 40;
    const lengths = await Promise.all(Array.from({ length: count }, (_, i) => local.append(gid, "race", i)));
    assert.deepEqual([...lengths].sort((a, b) => a - b), Array.from({ length: count }, (_, i) => i + 1), `${kind}: the lengths appends were told`);
    const lookup = await local.get(gid, "race");
    assert.ok(lookup.found && Array.isArray(lookup.value), `${kind}: the list is found`);
    const list = lookup.value as unknown[];
    assert.equal(list.length, count, `${kind}: every append landed`);
    for (const [i, length] of lengths.entries()) assert.equal(list[length - 1], i, `${kind}: append ${i} was told length ${length}`);
  }
});

test("update writes what fn returns for the key's current lookup and resolves with what the key held: { found: false } removes the key, current itself leaves it, and a throw changes nothing and rejects", async () => {
  for (const [kind, local] of await localStores()) {
    const gid = "bb-update";
    assert.deepEqual(await local.update(gid, "n", (current) => ({ found: true, value: current.found ? [current.value] : "first" })), { found: false }, `${kind}: an update of an absent key resolves with { found: false }`);
    assertFound(await local.get(gid, "n"), "first", `${kind}: what fn returned for an absent key`);
    assertFound(await local.update(gid, "n", async (current) => ({ found: true, value: current.found ? [current.value] : "absent" })), "first", `${kind}: an update resolves with what the key held`);
    assertFound(await local.get(gid, "n"), ["first"], `${kind}: what an async fn returned for the current lookup`);
    assertFound(await local.update(gid, "n", (current) => current), ["first"], `${kind}: an update that returns current`);
    assertFound(await local.get(gid, "n"), ["first"], `${kind}: returning current leaves the key as it was`);
    await local.put(gid, "u", undefined);
    assertFound(await local.update(gid, "u", (current) => ({ found: true, value: current.found ? "was found" : "was absent" })), undefined, `${kind}: an update of a stored undefined`);
    assertFound(await local.get(gid, "u"), "was found", `${kind}: fn sees a stored undefined as found`);
    assertFound(await local.update(gid, "n", () => ({ found: false })), ["first"], `${kind}: an update that removes the key`);
    assert.deepEqual(await local.get(gid, "n"), { found: false }, `${kind}: { found: false } removes the key`);
    assert.deepEqual(sorted(await local.keys(gid)), ["u"], `${kind}: keys() after the removal`);
    const outcome = await settle(local.update(gid, "u", () => {
      throw new RangeError("Cannot update u: fn refuses");
    }));
    assert.equal(outcome.ok, false, `${kind}: an update whose fn throws resolved`);
    if (!outcome.ok) assert.ok(messages(outcome.error).includes("fn refuses"), `${kind}: the rejection is not fn's error: ${messages(outcome.error)}`);
    assertFound(await local.get(gid, "u"), "was found", `${kind}: the key after fn threw`);
  }
});

test("updates racing on one key all land, one at a time, each fn seeing what the one before wrote", async () => {
  for (const [kind, local] of await localStores()) {
    const gid = "bb-update-race";
    const count = 30;
    const befores = await Promise.all(Array.from({ length: count }, () => local.update(gid, "counter", async (current) => {
      const seen = current.found ? (current.value as number) : 0;
      await new Promise((resolve) => setTimeout(resolve, 1));
      return { found: true, value: seen + 1 };
    })));
    assertFound(await local.get(gid, "counter"), count, `${kind}: every update landed`);
    const seen = befores.map((before) => (before.found ? (before.value as number) : 0)).sort((a, b) => a - b);
    assert.deepEqual(seen, Array.from({ length: count }, (_, i) => i), `${kind}: each update resolved with what the one before wrote`);
  }
});

test("appendAll adds values in order as one write, starting an absent key at [], and returns the new length; on anything but an array it is a TypeError that changes nothing", async () => {
  for (const [kind, local] of await localStores()) {
    const gid = "bb-append-all";
    assert.equal(await local.appendAll(gid, "list", ["a", { b: 2 }, undefined]), 3, `${kind}: appendAll to an absent key`);
    assert.equal(await local.appendAll(gid, "list", [4, [5]]), 5, `${kind}: appendAll to a list`);
    assert.equal(await local.append(gid, "list", 6), 6, `${kind}: an append after appendAll`);
    assertFound(await local.get(gid, "list"), ["a", { b: 2 }, undefined, 4, [5], 6], `${kind}: the values, in order`);
    await local.put(gid, "text", "not a list");
    const outcome = await settle(local.appendAll(gid, "text", [1, 2]));
    assert.equal(outcome.ok, false, `${kind}: appendAll to a string resolved`);
    if (!outcome.ok) assert.ok(names(outcome.error).includes("TypeError"), `${kind}: appendAll to a string failed, but not with a TypeError: ${messages(outcome.error)}`);
    assertFound(await local.get(gid, "text"), "not a list", `${kind}: the string after the failed appendAll`);
    const groups = Array.from({ length: 12 }, (_, g) => [`${g}:0`, `${g}:1`, `${g}:2`]);
    const lengths = await Promise.all(groups.map((values) => local.appendAll(gid, "race", values)));
    const lookup = await local.get(gid, "race");
    assert.ok(lookup.found && Array.isArray(lookup.value), `${kind}: the raced list is found`);
    const list = lookup.value as string[];
    assert.equal(list.length, groups.length * 3, `${kind}: every racing appendAll landed`);
    for (const [g, length] of lengths.entries()) {
      assert.deepEqual(list.slice(length - 3, length), groups[g], `${kind}: appendAll ${g} (told length ${length}) landed as one write, in order`);
    }
  }
});

test("hostile keys are kept apart, found, listed exactly and deleted one by one", withSeed(async (random) => {
  for (const [kind, local] of await localStores()) {
    const gid = "bb-hostile";
    const keys = hostileKeys(gid);
    for (const key of keys) assert.deepEqual(await local.get(gid, key), { found: false }, `${kind}: ${JSON.stringify(key.slice(0, 40))} before any put`);
    await inBatches(keys, 8, (key, i) => local.put(gid, key, { i, key }));
    assert.deepEqual(sorted(await local.keys(gid)), sorted(keys), `${kind}: keys() lists the hostile keys exactly`);
    for (const [i, key] of keys.entries()) assertFound(await local.get(gid, key), { i, key }, `${kind}: ${JSON.stringify(key.slice(0, 40))}`);
    const left = new Set(keys);
    for (const i of random.shuffle(keys.map((_, i) => i))) {
      const key = keys[i] as string;
      assertFound(await local.del(gid, key), { i, key }, `${kind}: del ${JSON.stringify(key.slice(0, 40))}`);
      left.delete(key);
      if (left.size % 6 === 0) assert.deepEqual(sorted(await local.keys(gid)), sorted([...left]), `${kind}: keys() after deleting ${JSON.stringify(key.slice(0, 40))}`);
    }
    assert.deepEqual(await local.keys(gid), [], `${kind}: nothing left`);
  }
}));

test("namespaces never see each other's keys, whatever their names", async () => {
  const gids = ["bb-ns", "bb-ns/", "../bb-ns", "bb-ns/../bb-ns", "bb\u0000ns", "__proto__", "constructor", "名前", "\ud800", "\udbff", "n".repeat(5_000)];
  for (const [kind, local] of await localStores()) {
    for (const [i, gid] of gids.entries()) {
      await local.put(gid, "same", i);
      await local.put(gid, `only ${i}`, i);
    }
    for (const [i, gid] of gids.entries()) {
      const name = JSON.stringify(gid.slice(0, 20));
      assertFound(await local.get(gid, "same"), i, `${kind}: "same" in namespace ${name}`);
      assert.deepEqual(sorted(await local.keys(gid)), sorted(["same", `only ${i}`]), `${kind}: the keys of namespace ${name}`);
    }
    assert.deepEqual(await local.keys("bb-ns never used"), [], `${kind}: a namespace never written is empty`);
    assertFound(await local.del(gids[0] as string, "same"), 0, `${kind}: del in one namespace`);
    assertFound(await local.get(gids[1] as string, "same"), 1, `${kind}: the same key in another namespace stays`);
  }
});

test("a file store writes only inside its folder: a folder per namespace and a file per key, named by the SHA-256 of their UTF-16 code units, never by a key", async () => {
  const { node, root, folder } = await onFolder();
  const gids = ["bb-files", "../bb-files", "bb-files\u0000\ud800"];
  const keys = hostileKeys("bb-files");
  for (const gid of gids) await inBatches(keys, 8, (key, i) => node.local.put(gid, key, i));
  const inside = folder.slice(root.length + 1);
  const tree = await listTree(root);
  const outside = tree.filter((path) => !path.startsWith(`${inside}/`) && !`${inside}/`.startsWith(path));
  assert.deepEqual(outside, [], "entries outside the store's folder");
  const names = tree.map((path) => path.replace(/\/$/, "").split("/").at(-1) as string);
  const namedAfterKeys = keys.filter((key) => key.length > 2 && names.includes(key));
  assert.deepEqual(namedAfterKeys, [], "files or folders named after a key");
  for (const gid of gids) {
    const folders = tree.filter((path) => path.endsWith("/") && path.startsWith(`${inside}/`) && path.includes(utf16Hash(gid)));
    assert.equal(folders.length, 1, `one folder for namespace ${JSON.stringify(gid)}, named by the SHA-256 of its UTF-16 code units (${utf16Hash(gid).slice(0, 12)}…)`);
    const files = tree.filter((path) => path.startsWith(folders[0] as string) && !path.endsWith("/"));
    for (const key of keys) {
      const named = files.filter((path) => (path.split("/").at(-1) as string).includes(utf16Hash(key)));
      assert.equal(named.length, 1, `one file for key ${JSON.stringify(key.slice(0, 40))} of ${JSON.stringify(gid)}, named by the SHA-256 of its UTF-16 code units`);
    }
    assert.equal(files.length, keys.length, `namespace ${JSON.stringify(gid)}: one file per key`);
  }
});

test("keys() while other keys are deleted never fails, lists each key once, and lists every key that stays", async () => {
  for (const [kind, local] of await localStores()) {
    const gid = "bb-keys-while-deleting";
    const stay = Array.from({ length: 40 }, (_, i) => `stay ${i}`);
    const go = Array.from({ length: 120 }, (_, i) => `go ${i}`);
    await inBatches([...stay, ...go], 16, (key) => local.put(gid, key, key.repeat(50)));
    let deleting = true;
    const deletes = inBatches(go, 8, (key) => local.del(gid, key)).finally(() => (deleting = false));
    let listings = 0;
    while (deleting || listings < 3) {
      const listed = await local.keys(gid);
      listings++;
      assert.equal(new Set(listed).size, listed.length, `${kind}: listing ${listings} names a key twice`);
      const missing = stay.filter((key) => !listed.includes(key));
      assert.deepEqual(missing, [], `${kind}: listing ${listings} misses keys that stay`);
      const strange = listed.filter((key) => !stay.includes(key) && !go.includes(key));
      assert.deepEqual(strange, [], `${kind}: listing ${listings} names keys never stored`);
    }
    await deletes;
    assert.deepEqual(sorted(await local.keys(gid)), sorted(stay), `${kind}: after the deletes`);
  }
});

// ---------------------------------------------------------------------------
// handouts/m4.md#local-stores, crash safety: nodes on a folder killed with SIGKILL and restarted on the same folder and port.

test("a node on a folder killed with SIGKILL and restarted on its folder and port finds every value, key and namespace it acknowledged", async (t) => {
  const context = scope(t);
  const { folder } = await storeFolders(context);
  const first = await startRemote(context, { folder });
  const values = someValues();
  const keys = hostileKeys("bb-crash").slice(0, 24);
  const writes: Array<Promise<unknown>> = [];
  for (const [i, key] of keys.entries()) writes.push(first.local.put("bb-crash", key, values[i % values.length]));
  for (const [i, key] of keys.slice(0, 6).entries()) writes.push(first.local.put("bb-crash other", key, `other ${i}`));
  writes.push((async () => {
    for (let i = 0; i < 5; i++) await first.local.append("bb-crash", "a list", i);
    await first.local.put("bb-crash", "deleted", 1);
    await first.local.del("bb-crash", "deleted");
  })());
  await first.setView("bb-crash group", [first]);
  const groupKeys = Array.from({ length: 20 }, (_, i) => `group ${i}`);
  for (const [i, key] of groupKeys.entries()) writes.push(first.store("bb-crash group").put(key, { i }));
  await Promise.all(writes);
  await first.process.kill();

  const second = await startRemote(context, { folder, port: first.address.port });
  assert.equal(second.nid, first.nid, "the restarted node has the same address");
  assert.deepEqual(sorted(await second.local.keys("bb-crash")), sorted([...keys, "a list"]), "keys() after the restart");
  for (const [i, key] of keys.entries()) assertFound(await second.local.get("bb-crash", key), values[i % values.length], `${JSON.stringify(key.slice(0, 40))} after the restart`);
  assertFound(await second.local.get("bb-crash", "a list"), [0, 1, 2, 3, 4], "the appended list after the restart");
  assert.deepEqual(await second.local.get("bb-crash", "deleted"), { found: false }, "a deleted key stays deleted after the restart");
  assert.deepEqual(sorted(await second.local.keys("bb-crash other")), sorted(keys.slice(0, 6)), "the other namespace after the restart");
  for (const [i, key] of keys.slice(0, 6).entries()) assertFound(await second.local.get("bb-crash other", key), `other ${i}`, `the other namespace's ${JSON.stringify(key.slice(0, 40))}`);
  await second.setView("bb-crash group", [second]);
  assert.deepEqual(sorted(await second.store("bb-crash group").keys()), sorted(groupKeys), "the group's keys after the restart");
  for (const [i, key] of groupKeys.entries()) assertFound(await second.store("bb-crash group").get(key), { i }, `group key ${key} after the restart`);
});

/** A value that says which key and which write it is, 100 KB to 1.3 MB (more than one write of 512 KB), checkable whole. */
function crashValue(key: string, seq: number): { key: string; seq: number; body: string; at: Date } {
  const unit = `${key}|${seq}|`;
  return { key, seq, body: unit.repeat(Math.ceil((100_000 + ((seq * 7_919) % 1_200_000)) / unit.length)), at: new Date(seq) };
}

test("a file store killed with SIGKILL in the middle of overwrites holds, for each key, its last acknowledged value or a later one, whole", withSeed(async (random, t) => {
  const context = scope(t);
  const { folder } = await storeFolders(context);
  const gid = "bb-overwrite";
  const keys = ["k0", "../k1", "k2\u0000", "k3 🗝", "k4", "k5"];
  const acked = new Map<string, number>();
  let node = await startRemote(context, { folder });
  const port = node.address.port;
  await Promise.all(keys.map((key) => node.local.put(gid, key, crashValue(key, 0))));
  for (const key of keys) acked.set(key, 0);
  let seq = 0;
  for (let round = 1; round <= 3; round++) {
    const target = random.int(6, 20);
    let acks = 0;
    let killed = false;
    let reached: () => void = () => {};
    const enough = new Promise<void>((resolve) => (reached = resolve));
    const writer = node;
    const workers = keys.map(async (key) => {
      while (!killed) {
        const mine = ++seq;
        const outcome = await settle(writer.local.put(gid, key, crashValue(key, mine)));
        if (!outcome.ok || killed) continue;
        acked.set(key, Math.max(mine, acked.get(key) ?? 0));
        if (++acks >= target) reached();
      }
    });
    await enough;
    killed = true;
    await writer.process.kill();
    await Promise.all(workers);
    node = await startRemote(context, { folder, port });
    const listed = await settle(node.local.keys(gid));
    assert.ok(listed.ok, `round ${round}: keys() fails after the kill (a half-written file?): ${listed.ok ? "" : messages(listed.error)}`);
    assert.deepEqual(sorted(listed.value), sorted(keys), `round ${round}: the keys after the kill`);
    for (const key of keys) {
      const read = await settle(node.local.get(gid, key));
      assert.ok(read.ok, `round ${round}: ${JSON.stringify(key)} cannot be read after the kill (half written?): ${read.ok ? "" : messages(read.error)}`);
      const lookup = read.value;
      assert.ok(lookup.found, `round ${round}: ${JSON.stringify(key)} is not found after the kill`);
      const value = lookup.value as { seq?: unknown };
      assert.equal(typeof value?.seq, "number", `round ${round}: ${JSON.stringify(key)} holds something never written`);
      const found = value.seq as number;
      assertIsomorphic(lookup.value, crashValue(key, found), `round ${round}: ${JSON.stringify(key)} holds half a value`);
      assert.ok(found >= (acked.get(key) ?? 0), `round ${round}: ${JSON.stringify(key)} holds write ${found}, older than the acknowledged ${acked.get(key)}`);
      acked.set(key, found);
    }
  }
}));

// ---------------------------------------------------------------------------
// handouts/m4.md#placement, seen as which member's own store holds each key.

/** Puts keys through random members of a group of the pool under `placement`, and checks where they are and that they are found. */
async function checkPlacement(random: Random, gid: string, placement: Placement | undefined, expected: Placement): Promise<void> {
  const nodes = await pool();
  await setViews(nodes, gid, nodes);
  const keys = [...(await fill(random, nodes, gid, 150, placement)), ...hostileKeys(gid).slice(0, 12)];
  for (const key of keys.slice(150)) await random.pick(nodes).store(gid, placement).put(key, keys.indexOf(key));
  const placer = new Placer(expected);
  assert.equal(misplaced(await locate(nodes, gid), placer.owners(keys, nids(nodes))), "", `placement of group ${gid}`);
  await assertAllFound(random, nodes, gid, keys.filter((_, i) => i % 5 === 0), (i) => i * 5, `group ${gid}`, placement);
}

test("naive placement keeps each key on the sorted members' entry at its hash modulo n", withSeed(async (random) => {
  await checkPlacement(random, "bb-naive", { scheme: "naive" }, { scheme: "naive" });
}));

test("consistent placement keeps each key on the member of the first virtual-node point at or after its hash, wrapping around; 100 virtual nodes by default, and it is the default placement", withSeed(async (random) => {
  await checkPlacement(random, "bb-consistent-3", { scheme: "consistent", vnodes: 3 }, { scheme: "consistent", vnodes: 3 });
  await checkPlacement(random, "bb-consistent", { scheme: "consistent" }, { scheme: "consistent", vnodes: 100 });
  await checkPlacement(random, "bb-default", undefined, { scheme: "consistent", vnodes: 100 });
}));

test("rendezvous placement keeps each key on the member with the highest keyHash(nid|key)", withSeed(async (random) => {
  await checkPlacement(random, "bb-rendezvous", { scheme: "rendezvous" }, { scheme: "rendezvous" });
}));

// ---------------------------------------------------------------------------
// handouts/m4.md#group-stores

test("a group store answers every operation through any member as one store would", withSeed(async (random) => {
  const nodes = (await pool()).slice(0, 4);
  const gid = "bb-one-store";
  await setViews(nodes, gid, nodes);
  const keys = ["a", "b", "c", "__proto__", "../x", "nul\u0000", "\ud800", "\udbff"];
  const values = someValues();
  const model = new Map<string, unknown>();
  for (let step = 0; step < 160; step++) {
    const node = random.pick(nodes);
    const store = node.store(gid);
    const key = random.pick(keys);
    const what = `step ${step} through ${node.nid.slice(0, 5)} on ${JSON.stringify(key)}`;
    switch (random.int(0, 3)) {
      case 0: {
        const lookup = await store.get(key);
        if (model.has(key)) assertFound(lookup, model.get(key), `${what}: get`);
        else assert.deepEqual(lookup, { found: false }, `${what}: get`);
        break;
      }
      case 1: {
        const value = random.pick(values);
        await store.put(key, value);
        model.set(key, value);
        break;
      }
      case 2: {
        const lookup = await store.del(key);
        if (model.has(key)) assertFound(lookup, model.get(key), `${what}: del`);
        else assert.deepEqual(lookup, { found: false }, `${what}: del`);
        model.delete(key);
        break;
      }
      default: {
        const held = model.get(key);
        if (model.has(key) && !Array.isArray(held)) break;
        const list = [...((held as unknown[] | undefined) ?? []), step];
        assert.equal(await store.append(key, step), list.length, `${what}: append`);
        model.set(key, list);
      }
    }
  }
  for (const key of keys) {
    for (const node of nodes) {
      const lookup = await node.store(gid).get(key);
      if (model.has(key)) assertFound(lookup, model.get(key), `at the end, ${JSON.stringify(key)} through ${node.nid.slice(0, 5)}`);
      else assert.deepEqual(lookup, { found: false }, `at the end, ${JSON.stringify(key)} through ${node.nid.slice(0, 5)}`);
    }
  }
}));

test("keys() of a group store is the union of its members' keys, each once", withSeed(async (random) => {
  const nodes = (await pool()).slice(0, 4);
  const gid = "bb-union";
  await setViews(nodes, gid, nodes);
  const keys = await fill(random, nodes, gid, 80);
  for (const node of nodes) assert.deepEqual(sorted(await node.store(gid).keys()), sorted(keys), `keys() through ${node.nid.slice(0, 5)}`);
  const gone = keys.filter((_, i) => i % 3 === 0);
  const deleters = gone.map(() => random.pick(nodes));
  await inBatches(gone, 16, (key, i) => (deleters[i] as Remote).store(gid).del(key));
  const left = keys.filter((_, i) => i % 3 !== 0);
  for (const node of nodes) assert.deepEqual(sorted(await node.store(gid).keys()), sorted(left), `keys() after deletes, through ${node.nid.slice(0, 5)}`);
  const held = (await Promise.all(nodes.map((node) => node.local.keys(gid)))).flat();
  assert.deepEqual(sorted(held), sorted(left), "the members' own stores hold exactly the group's keys, each once");
}));

test("two groups never see each other's keys, even with the same members and the same key names", withSeed(async (random) => {
  const nodes = await pool();
  const groups: Array<[string, Remote[]]> = [["bb-apart-a", nodes.slice(0, 4)], ["bb-apart-b", nodes.slice(0, 4)], ["bb-apart-c", nodes.slice(1, 5)]];
  const keys = Array.from({ length: 30 }, (_, i) => `k${i}`);
  for (const [gid, members] of groups) {
    await setViews(members, gid, members);
    const writers = keys.map(() => random.pick(members));
    await inBatches(keys, 16, (key, i) => (writers[i] as Remote).store(gid).put(key, `${gid}:${key}`));
  }
  await groups[0]![1][0]!.store("bb-apart-a").put("only in a", 1);
  await groups[0]![1][1]!.store("bb-apart-a").del("k0");
  for (const [gid, members] of groups) {
    const own = gid === "bb-apart-a" ? [...keys.slice(1), "only in a"] : keys;
    assert.deepEqual(sorted(await random.pick(members).store(gid).keys()), sorted(own), `keys() of ${gid}`);
    for (const key of keys) {
      const lookup = await random.pick(members).store(gid).get(key);
      if (gid === "bb-apart-a" && key === "k0") assert.deepEqual(lookup, { found: false }, `${gid}: the deleted k0`);
      else assertFound(lookup, `${gid}:${key}`, `${gid}: ${key}`);
    }
    if (gid !== "bb-apart-a") assert.deepEqual(await random.pick(members).store(gid).get("only in a"), { found: false }, `${gid} sees a key of another group`);
    for (const node of nodes) {
      for (const key of await node.local.keys(gid)) {
        assertFound(await node.local.get(gid, key), key === "only in a" ? 1 : `${gid}:${key}`, `${node.nid.slice(0, 5)}'s own store, namespace ${gid}, key ${key}`);
      }
    }
  }
}));

test("a node whose view differs from the members' (outside the group, lagging, or naming a non-member) gets correct answers, since each receiver forwards to the owner in its own view", withSeed(async (random) => {
  const nodes = await pool();
  const gid = "bb-views";
  const members = nodes.slice(0, 3);
  const [, , , outside, lagging] = nodes as [Remote, Remote, Remote, Remote, Remote];
  await setViews([...members, outside], gid, members);
  await lagging.setView(gid, [nodes[0] as Remote, outside]);
  const keys = Array.from({ length: 90 }, (_, i) => `view key ${i}`);
  const through = keys.map((_, i) => [outside, lagging, random.pick(members)][i % 3] as Remote);
  await inBatches(keys, 16, (key, i) => (through[i] as Remote).store(gid).put(key, i));
  const placer = new Placer();
  assert.equal(misplaced(await locate(nodes, gid), placer.owners(keys, nids(members))), "", "keys are on their owners in the members' view");
  for (const [name, node] of [["outside", outside], ["lagging", lagging]] as const) {
    assert.deepEqual(await node.local.keys(gid), [], `the ${name} node holds none of the group's keys`);
    await assertAllFound(random, [node], gid, keys, (i) => i, `get through the ${name} node`);
  }
  const appended = keys.slice(0, 10);
  for (const key of appended) {
    await random.pick([outside, lagging]).store(gid).put(key, [key]);
    assert.equal(await random.pick([outside, lagging]).store(gid).append(key, 1), 2, `append to ${key}`);
  }
  for (const key of keys.slice(10, 20)) assert.deepEqual(await random.pick([outside, lagging]).store(gid).del(key), { found: true, value: keys.indexOf(key) }, `del ${key}`);
  assert.deepEqual(sorted(await random.pick(members).store(gid).keys()), sorted([...keys.slice(0, 10), ...keys.slice(20)]), "keys() after appends and deletes through the others");
  for (const key of appended) assertFound(await random.pick(members).store(gid).get(key), [key, 1], `${key} after the append`);
}));

test("concurrent appends to one key through every member lose nothing, and each is told a different length", withSeed(async (random) => {
  const nodes = await pool();
  const gid = "bb-appends";
  await setViews(nodes, gid, nodes);
  const keys = ["list a", "list b", "list c"];
  const appends = Array.from({ length: 90 }, (_, i) => ({ key: keys[i % 3] as string, value: i, node: random.pick(nodes) }));
  const lengths = await Promise.all(appends.map(({ key, value, node }) => node.store(gid).append(key, value)));
  for (const key of keys) {
    const mine = appends.map((append, i) => ({ ...append, length: lengths[i] as number })).filter((append) => append.key === key);
    assert.deepEqual(mine.map((append) => append.length).sort((a, b) => a - b), mine.map((_, i) => i + 1), `${key}: the lengths appends were told`);
    const lookup = await random.pick(nodes).store(gid).get(key);
    assert.ok(lookup.found && Array.isArray(lookup.value), `${key} holds a list`);
    const list = lookup.value as unknown[];
    assert.equal(list.length, mine.length, `${key}: every append landed`);
    for (const append of mine) assert.equal(list[append.length - 1], append.value, `${key}: the append told length ${append.length}`);
  }
}));

test("appendBatch through any member, or a node that knows the group, lands each key's values on its owner, together and in order", withSeed(async (random) => {
  const nodes = await pool();
  const gid = "bb-append-batch";
  const members = nodes.slice(0, 4);
  await setViews(nodes, gid, members);
  const keys = Array.from({ length: 40 }, (_, i) => `batch key ${i} ${random.uint32().toString(36)}`);
  const expected = new Map(keys.map((key) => [key, [] as string[]]));
  for (const [n, node] of nodes.entries()) {
    const { pairs, values } = batchOf(random, random.shuffle([...keys]).slice(0, random.int(10, 40)), `one by one ${n}`);
    await node.store(gid).appendBatch(pairs);
    for (const [key, added] of values) expected.get(key)?.push(...added);
  }
  const racing = nodes.map((_, n) => batchOf(random, keys, `at once ${n}`));
  await Promise.all(nodes.map((node, n) => node.store(gid).appendBatch((racing[n] as (typeof racing)[0]).pairs)));
  const placer = new Placer();
  assert.equal(misplaced(await locate(nodes, gid), placer.owners(keys, nids(members))), "", "each list is on its key's owner");
  for (const key of keys) {
    const lookup = await random.pick(nodes).store(gid).get(key);
    assert.ok(lookup.found && Array.isArray(lookup.value), `${key} holds a list`);
    const list = lookup.value as string[];
    const before = expected.get(key) as string[];
    assert.deepEqual(list.slice(0, before.length), before, `${key}: the batches sent one by one, each key's values in order`);
    const rest = list.slice(before.length);
    assert.equal(rest.length, racing.reduce((sum, { values }) => sum + (values.get(key) as string[]).length, 0), `${key}: every value of the racing batches landed`);
    for (const [n, { values }] of racing.entries()) {
      const mine = values.get(key) as string[];
      const start = rest.indexOf(mine[0] as string);
      assert.deepEqual(rest.slice(start, start + mine.length), mine, `${key}: batch ${n}'s values landed together and in order: ${JSON.stringify(rest)}`);
    }
  }
}));

// ---------------------------------------------------------------------------
// handouts/m4.md#reconfiguration

/** A group of the pool with keys stored through random members (values: the key's index). */
async function loadedGroup(random: Random, gid: string, members: readonly Remote[], count: number, placement?: Placement): Promise<string[]> {
  await setViews(members, gid, members);
  return fill(random, members, gid, count, placement);
}

const viewText = (view: NodeAddress[] | undefined): string[] => (view ?? []).map(addressText).sort();

test("a reconfiguration gives every member, old and new, the new view", withSeed(async (random) => {
  const nodes = await pool();
  const gid = "bb-new-view";
  const before = nodes.slice(0, 3);
  const next = nodes.slice(1, 5);
  await loadedGroup(random, gid, before, 30);
  await (nodes[0] as Remote).store(gid).reconfigure(addresses(next));
  for (const node of nodes) assert.deepEqual(viewText(await node.view(gid)), viewText(addresses(next)), `the view of ${node.nid.slice(0, 5)} after the reconfiguration`);
}));

/** Reconfigures group `gid` step by step, checking each step's moved count, where the keys are, and that all are found. */
async function checkMoves(random: Random, gid: string, steps: ReadonlyArray<readonly Remote[]>, placement?: Placement): Promise<void> {
  const nodes = await pool();
  const placer = new Placer(placement ?? { scheme: "consistent", vnodes: 100 });
  let members = steps[0] as readonly Remote[];
  const keys = await loadedGroup(random, gid, members, 200, placement);
  for (const next of steps.slice(1)) {
    const what = `${gid}: from [${members.map((node) => node.nid.slice(0, 5))}] to [${next.map((node) => node.nid.slice(0, 5))}]`;
    const { moved, errors } = await random.pick(members).store(gid, placement).reconfigure(addresses(next));
    assert.equal(moved, changedOwners(placer, keys, nids(members), nids(next)), `${what}: the moved count`);
    assert.deepEqual([...errors.keys()], [], `${what}: no member failed`);
    assert.equal(misplaced(await locate(nodes, gid), placer.owners(keys, nids(next))), "", `${what}: where the keys are`);
    await assertAllFound(random, next, gid, keys, (i) => i, what, placement);
    members = next;
  }
}

test("a join, a leave, a change of several members and no change each move exactly the keys whose owner changed, and every key is still found", withSeed(async (random) => {
  const n = await pool();
  await checkMoves(random, "bb-moves", [n.slice(0, 3), n.slice(0, 4), [n[0]!, n[2]!, n[3]!], n.slice(2, 5), n.slice(2, 5)]);
}));

test("under naive and rendezvous placement too, a reconfiguration moves exactly the keys whose owner changed", withSeed(async (random) => {
  const n = await pool();
  await checkMoves(random, "bb-moves-naive", [n.slice(0, 3), n.slice(0, 4), [n[1]!, n[3]!, n[4]!]], { scheme: "naive" });
  await checkMoves(random, "bb-moves-rendezvous", [n.slice(0, 3), n.slice(0, 4), [n[1]!, n[3]!, n[4]!]], { scheme: "rendezvous" });
}));

/**
 * Waits until every one of `nodes` has taken `members` as its view of `gid`
 * (step 1 of a reconfiguration). The tests of operations during a move wait
 * for the joiners only: a joiner that has no view of the group yet cannot
 * place a key that a member with the new view already sends it.
 */
async function untilViews(nodes: readonly Remote[], gid: string, members: readonly Remote[]): Promise<void> {
  const wanted = JSON.stringify(viewText(addresses(members)));
  await Promise.all(nodes.map(async (node) => {
    const taken = await eventually(async () => JSON.stringify(viewText(await node.view(gid))) === wanted, 30_000, 2);
    assert.ok(taken, `${node.nid.slice(0, 5)} has not taken the new view of ${gid} within 30 s`);
  }));
}

/** Checks, at once, that every node holds the view `members`. */
async function assertViews(nodes: readonly Remote[], gid: string, members: readonly Remote[]): Promise<void> {
  const wanted = JSON.stringify(viewText(addresses(members)));
  for (const node of nodes) assert.equal(JSON.stringify(viewText(await node.view(gid))), wanted, `${node.nid.slice(0, 5)} does not hold the new view of ${gid}`);
}

test("reads during a move find every value, and the moved count is still exactly the keys whose owner changed", withSeed(async (random, t) => {
  const nodes = await pool();
  const gid = "bb-reads-during";
  const before = nodes.slice(0, 3);
  const next = nodes.slice(1, 5);
  const keys = await loadedGroup(random, gid, before, 400);
  const placer = new Placer();
  const moving = keys.filter((key) => placer.owner(key, nids(before)) !== placer.owner(key, nids(next)));
  const staying = keys.filter((key) => !moving.includes(key));
  // Moving keys first, the last stored first (see the next test).
  const order = [...[...moving].reverse(), ...staying];
  const readers = before;
  const reconfiguring = (nodes[1] as Remote).store(gid).reconfigure(addresses(next));
  let pending = true;
  void reconfiguring.finally(() => (pending = false)).catch(() => {});
  await untilViews(next.slice(2), gid, next);
  const through = order.map(() => random.pick(readers));
  let during = 0;
  const reads = inBatches(order, 12, async (key, i) => {
    if (pending) during++;
    return { key, lookup: await (through[i] as Remote).store(gid).get(key) };
  });
  const [{ moved }, lookups] = await Promise.all([reconfiguring, reads]);
  t.diagnostic(`${during} of ${order.length} reads started during the move`);
  for (const { key, lookup } of lookups) assertFound(lookup, keys.indexOf(key), `a read during the move of ${key}`);
  assert.equal(moved, moving.length, "the moved count");
  assert.equal(misplaced(await locate(nodes, gid), placer.owners(keys, nids(next))), "", "where the keys are after the move");
}));

test("writes, appends and deletes during a move act on each key's current value, and the move undoes none of them", withSeed(async (random, t) => {
  const nodes = await pool();
  const gid = "bb-writes-during";
  const before = nodes.slice(0, 3);
  const next = nodes.slice(1, 5);
  await setViews(before, gid, before);
  const count = 150;
  const written = Array.from({ length: count }, (_, i) => `written ${i}`);
  const lists = Array.from({ length: count }, (_, i) => `list ${i}`);
  const deleted = Array.from({ length: count }, (_, i) => `deleted ${i}`);
  const initial: Array<[string, unknown]> = written.flatMap((key, i) => [[key, "old"], [lists[i] as string, ["old"]], [deleted[i] as string, "doomed"]]);
  const writers = initial.map(() => random.pick(before));
  await inBatches(initial, 16, ([key, value], i) => (writers[i] as Remote).store(gid).put(key, value));
  const placer = new Placer();
  const moves = (key: string) => placer.owner(key, nids(before)) !== placer.owner(key, nids(next));
  const actors = before;
  const kinds = new Map<string, "put" | "append" | "del">([...written.map((key) => [key, "put"] as const), ...lists.map((key) => [key, "append"] as const), ...deleted.map((key) => [key, "del"] as const)]);
  // Moving keys first, the last stored first: a move that lists keys in the
  // order they were stored pulls those last, so these operations are likely
  // to reach keys that it has not pulled yet.
  const byPriority = [...initial.map(([key]) => key).filter(moves).reverse(), ...initial.map(([key]) => key).filter((key) => !moves(key))];
  const operations = byPriority.map((key) => ({ kind: kinds.get(key) as "put" | "append" | "del", key, node: random.pick(actors) }));
  const reconfiguring = (nodes[2] as Remote).store(gid).reconfigure(addresses(next));
  let pending = true;
  void reconfiguring.finally(() => (pending = false)).catch(() => {});
  await untilViews(next.slice(2), gid, next);
  let during = 0;
  const outcomes = inBatches(operations, 12, async ({ kind, key, node }) => {
    if (pending) during++;
    const store = node.store(gid);
    if (kind === "put") return store.put(key, "new");
    if (kind === "append") return store.append(key, "added");
    return store.del(key);
  });
  const [, results] = await Promise.all([reconfiguring, outcomes]);
  t.diagnostic(`${during} of ${operations.length} operations started during the move`);
  for (const [i, { kind, key }] of operations.entries()) {
    if (kind === "append") assert.equal(results[i], 2, `the append to ${key} during the move extends the old list`);
    if (kind === "del") assertFound(results[i], "doomed", `the delete of ${key} during the move`);
  }
  for (const key of written) assertFound(await random.pick(nodes).store(gid).get(key), "new", `${key}, written during the move`);
  for (const key of lists) assertFound(await random.pick(nodes).store(gid).get(key), ["old", "added"], `${key}, appended to during the move`);
  for (const key of deleted) assert.deepEqual(await random.pick(nodes).store(gid).get(key), { found: false }, `${key}, deleted during the move`);
  assert.equal(misplaced(await locate(nodes, gid), placer.owners([...written, ...lists], nids(next))), "", "where the keys are after the move");
}));

test("reconfiguring one group moves none of another group's keys, even with the same members and key names", withSeed(async (random) => {
  const nodes = await pool();
  const members = nodes.slice(0, 3);
  const keys = await loadedGroup(random, "bb-moved-group", members, 120);
  await setViews(members, "bb-still-group", members);
  const writers = keys.map(() => random.pick(members));
  await inBatches(keys, 16, (key, i) => (writers[i] as Remote).store("bb-still-group").put(key, -i));
  const where = await locate(nodes, "bb-still-group");
  const placer = new Placer();
  const { moved } = await (members[0] as Remote).store("bb-moved-group").reconfigure(addresses(nodes));
  assert.equal(moved, changedOwners(placer, keys, nids(members), nids(nodes)), "the moved count of the reconfigured group");
  assert.deepEqual(await locate(nodes, "bb-still-group"), where, "the other group's keys stayed where they were");
  await assertAllFound(random, members, "bb-still-group", keys, (i) => -i, "the other group");
}));

test("a reconfiguration that meets a dead member resolves naming it in errors, by node id, once it has moved every key among the living members", withSeed(async (random, t) => {
  const nodes = await pool();
  const dead = await startRemote(scope(t));
  const gid = "bb-dead-member";
  const before = [nodes[0] as Remote, nodes[1] as Remote, dead];
  const next = nodes.slice(0, 3);
  const keys = await loadedGroup(random, gid, before, 150);
  const placer = new Placer();
  const kept = keys.filter((key) => placer.owner(key, nids(before)) !== dead.nid);
  await dead.process.kill();
  const outcome = await settle((nodes[0] as Remote).store(gid).reconfigure(addresses(next)));
  assert.ok(outcome.ok, `the reconfiguration rejected instead of naming the dead member in errors: ${outcome.ok ? "" : messages(outcome.error)}`);
  const { moved, errors } = outcome.value;
  assert.ok(errors instanceof Map, `errors is not a Map: ${describeLookup(errors)}`);
  assert.deepEqual([...errors.keys()], [dead.nid], `errors names the dead member by node id (${dead.nid.slice(0, 5)}…), and no other`);
  assert.ok(errors.get(dead.nid) instanceof Error, "the dead member's entry in errors is an Error");
  // The move finished on every member it could reach: the new view everywhere, each kept key at its new owner, counted once.
  assert.equal(moved, changedOwners(placer, kept, nids(before), nids(next)), "the moved count: the living members' keys whose owner changed");
  await assertViews(next, gid, next);
  const expected = new Map(kept.map((key) => [key, placer.owner(key, nids(next))]));
  assert.equal(misplaced(await locate(next, gid), expected), "", "the living members' keys are not all where the new view puts them");
  await assertAllFound(random, next, gid, kept, (i) => keys.indexOf(kept[i] as string), "a key the living members held");
}));
