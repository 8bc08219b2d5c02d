/**
 * handouts/m4.md#local-stores: the rules every local store keeps, checked on
 * the memory store and on the file store alike. Lookups say found or not
 * (a stored undefined is found); keys are any string and values any value
 * milestone 1 carries; namespaces never mix; putIfAbsent, del and append do
 * what the contract says; and operations on one key happen one at a time,
 * in the order they were called.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Random } from "../../autograder/harness/random.ts";
import { assertIsomorphic } from "../../autograder/harness/isomorphic.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import type * as Api from "../api.ts";
import { inBatches, m4 } from "./_group.ts";
import { freshStore, hostileGids, hostileKeys, megabyteValues, storeKinds, valuesOfEveryKind } from "./_stores.ts";

const sorted = (keys: readonly string[]): string[] => [...keys].sort();

/** What an operation ended with: its value, or the name of the error it threw. */
async function outcome(promise: Promise<unknown>): Promise<unknown> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error: error instanceof Error ? error.name : String(error) };
  }
}

/** The contract of one namespace of a local store, run one operation at a time. */
class Model {
  readonly #map = new Map<string, unknown>();
  run(op: Op): unknown {
    const held = this.#map.has(op.key);
    switch (op.kind) {
      case "get":
        return { value: held ? { found: true, value: this.#map.get(op.key) } : { found: false } };
      case "put":
        this.#map.set(op.key, op.value);
        return { value: undefined };
      case "putIfAbsent":
        if (held) return { value: false };
        this.#map.set(op.key, op.value);
        return { value: true };
      case "del": {
        const before = held ? { found: true, value: this.#map.get(op.key) } : { found: false };
        this.#map.delete(op.key);
        return { value: before };
      }
      case "append": {
        const list = held ? this.#map.get(op.key) : [];
        if (!Array.isArray(list)) return { error: "TypeError" };
        this.#map.set(op.key, [...list, op.value]);
        return { value: list.length + 1 };
      }
    }
  }
}

type Op = { kind: "get" | "put" | "putIfAbsent" | "del" | "append"; key: string; value?: unknown };

function randomOp(random: Random, keys: readonly string[], serial: number): Op {
  const key = random.pick(keys);
  const kind = random.pick(["get", "put", "putIfAbsent", "del", "append", "append", "append"] as const);
  const value = kind === "put" ? random.pick([[serial], [], serial, `text ${serial}`]) : kind === "putIfAbsent" ? random.pick([[serial], serial]) : serial;
  return { kind, key, value };
}

function start(store: Api.LocalStore, gid: string, op: Op): Promise<unknown> {
  switch (op.kind) {
    case "get":
      return store.get(gid, op.key);
    case "put":
      return store.put(gid, op.key, op.value);
    case "putIfAbsent":
      return store.putIfAbsent(gid, op.key, op.value);
    case "del":
      return store.del(gid, op.key);
    case "append":
      return store.append(gid, op.key, op.value);
  }
}

for (const kind of storeKinds) {
  test(`${kind} store: hostile keys are kept apart, found, listed exactly and deleted one by one`, async (t) => {
    const store = await freshStore(t, kind);
    const keys = [...hostileKeys("g"), "\ud800", "\udbff", "\udc00"];
    for (const [i, key] of keys.entries()) await store.put("g", key, { i, key });
    assert.deepEqual(sorted(await store.keys("g")), sorted(keys));
    for (const [i, key] of keys.entries()) {
      assert.deepEqual(await store.get("g", key), { found: true, value: { i, key } }, `get(${JSON.stringify(key.slice(0, 30))})`);
    }
    const removed = keys.filter((_, i) => i % 2 === 0);
    for (const key of removed) assert.deepEqual(await store.del("g", key), { found: true, value: { i: keys.indexOf(key), key } });
    const kept = keys.filter((_, i) => i % 2 === 1);
    assert.deepEqual(sorted(await store.keys("g")), sorted(kept));
    for (const key of removed) assert.deepEqual(await store.get("g", key), { found: false }, `a deleted key ${JSON.stringify(key.slice(0, 30))}`);
    for (const key of kept) assert.deepEqual(await store.get("g", key), { found: true, value: { i: keys.indexOf(key), key } });
  });

  test(`${kind} store: an absent key is not found, even one named after an Object.prototype property`, async (t) => {
    const store = await freshStore(t, kind);
    for (const key of ["toString", "constructor", "__proto__", "hasOwnProperty", "valueOf", "absent"]) {
      assert.deepEqual(await store.get("g", key), { found: false }, `get(${key})`);
      assert.deepEqual(await store.del("g", key), { found: false }, `del(${key})`);
    }
    for (const gid of ["__proto__", "constructor", "never used"]) assert.deepEqual(await store.keys(gid), [], `keys(${gid})`);
    assert.equal(await store.putIfAbsent("g", "toString", 1), true);
    assert.equal(await store.append("g", "constructor", "x"), 1);
    assert.deepEqual(sorted(await store.keys("g")), ["constructor", "toString"]);
  });

  test(`${kind} store: values of every milestone-1 kind come back the same`, async (t) => {
    const store = await freshStore(t, kind);
    const values = valuesOfEveryKind();
    for (const [name, value] of values) await store.put("g", name, value);
    for (const [name, value] of values) {
      const lookup = await store.get("g", name);
      assert.equal(lookup.found, true, `${name} is found`);
      assertIsomorphic(lookup.found ? lookup.value : "missing", value, `the stored ${name} differs`);
    }
    assert.deepEqual(sorted(await store.keys("g")), sorted(values.map(([name]) => name)));
  });

  test(`${kind} store: values of 1 MB come back whole`, async (t) => {
    const store = await freshStore(t, kind);
    const values = megabyteValues(7);
    await Promise.all(values.map(([name, value]) => store.put("g", name, value)));
    for (const [name, value] of values) {
      const lookup = await store.get("g", name);
      assert.equal(lookup.found, true, `${name} is found`);
      assertIsomorphic(lookup.found ? lookup.value : undefined, value, `the stored ${name} differs`);
    }
  });

  test(`${kind} store: a stored undefined is found, and del returns what the key held`, async (t) => {
    const store = await freshStore(t, kind);
    await store.put("g", "u", undefined);
    assert.deepEqual(await store.get("g", "u"), { found: true, value: undefined });
    assert.deepEqual(await store.keys("g"), ["u"]);
    assert.deepEqual(await store.del("g", "u"), { found: true, value: undefined });
    assert.deepEqual(await store.get("g", "u"), { found: false });
    await store.put("g", "k", "first");
    await store.put("g", "k", "second");
    assert.deepEqual(await store.del("g", "k"), { found: true, value: "second" });
    assert.deepEqual(await store.del("g", "k"), { found: false });
    assert.deepEqual(await store.keys("g"), []);
  });

  test(`${kind} store: putIfAbsent stores only into an absent key`, async (t) => {
    const store = await freshStore(t, kind);
    assert.equal(await store.putIfAbsent("g", "k", "first"), true);
    assert.equal(await store.putIfAbsent("g", "k", "second"), false);
    assert.deepEqual(await store.get("g", "k"), { found: true, value: "first" });
    await store.put("g", "u", undefined);
    assert.equal(await store.putIfAbsent("g", "u", "over undefined"), false, "a stored undefined is a value");
    assert.deepEqual(await store.get("g", "u"), { found: true, value: undefined });
    await store.del("g", "k");
    assert.equal(await store.putIfAbsent("g", "k", "again"), true, "a deleted key is absent");
    assert.deepEqual(await store.get("g", "k"), { found: true, value: "again" });
    const racing = await Promise.all(Array.from({ length: 20 }, (_, i) => store.putIfAbsent("g", "race", i)));
    assert.equal(racing.filter(Boolean).length, 1, "of racing putIfAbsent calls exactly one stores");
    assert.deepEqual(await store.get("g", "race"), { found: true, value: racing.indexOf(true) }, "the first one called stores");
  });

  test(`${kind} store: append starts an absent key at [], extends a stored array, and returns the new length`, async (t) => {
    const store = await freshStore(t, kind);
    assert.equal(await store.append("g", "new", { n: 1 }), 1);
    assert.equal(await store.append("g", "new", new Map([[1, 2]])), 2);
    const fresh = await store.get("g", "new");
    assert.ok(fresh.found);
    assertIsomorphic(fresh.value, [{ n: 1 }, new Map([[1, 2]])]);
    await store.put("g", "old", ["a", "b"]);
    assert.equal(await store.append("g", "old", "c"), 3);
    assert.deepEqual(await store.get("g", "old"), { found: true, value: ["a", "b", "c"] });
    await store.put("g", "empty", []);
    assert.equal(await store.append("g", "empty", undefined), 1);
    assert.deepEqual(await store.get("g", "empty"), { found: true, value: [undefined] });
  });

  test(`${kind} store: append to a key that holds anything but an array is a TypeError and changes nothing`, async (t) => {
    const store = await freshStore(t, kind);
    const notArrays: Array<[string, unknown]> = [
      ["a string", "text"], ["a number", 5], ["an array-like object", { length: 0 }], ["a Uint8Array", new Uint8Array(2)],
      ["a Set", new Set([1])], ["null", null], ["undefined", undefined], ["an object", { list: [] }],
    ];
    for (const [name, value] of notArrays) {
      await store.put("g", name, value);
      await assert.rejects(store.append("g", name, 1), TypeError, `append onto ${name}`);
      const after = await store.get("g", name);
      assert.equal(after.found, true, `${name} is still there`);
      assertIsomorphic(after.found ? after.value : "missing", value, `${name} is unchanged`);
    }
  });

  test(`${kind} store: namespaces never see each other's keys, whatever their names`, async (t) => {
    const store = await freshStore(t, kind);
    const gids = ["g", "h", ...hostileGids];
    for (const [i, gid] of gids.entries()) {
      await store.put(gid, "same key", i);
      await store.put(gid, `only in ${i}`, gid);
      await store.append(gid, "list", i);
    }
    for (const [i, gid] of gids.entries()) {
      assert.deepEqual(await store.get(gid, "same key"), { found: true, value: i }, `namespace ${JSON.stringify(gid.slice(0, 20))}`);
      assert.deepEqual(await store.get(gid, "list"), { found: true, value: [i] });
      assert.deepEqual(sorted(await store.keys(gid)), sorted(["same key", `only in ${i}`, "list"]));
      assert.deepEqual(await store.get(gid, `only in ${(i + 1) % gids.length}`), { found: false });
    }
    await store.del("g", "same key");
    assert.deepEqual(await store.get("h", "same key"), { found: true, value: 1 }, "a delete in one namespace leaves the others");
    assert.equal(await store.putIfAbsent("h", "only in 0", "h's own"), true, "a key of another namespace is absent here");
  });

  test(`${kind} store: operations on one key happen in the order they were called`, withSeed(async (random, t) => {
    const store = await freshStore(t, kind);
    const keys = ["a", "b", "c"];
    for (let round = 0; round < 3; round++) {
      const gid = `round ${round}`;
      const model = new Model();
      const ops = Array.from({ length: 120 }, (_, serial) => randomOp(random, keys, serial));
      // All started at once, without waiting: each must see exactly the ones called before it on its key.
      const results = await Promise.all(ops.map((op) => outcome(start(store, gid, op))));
      for (const [i, op] of ops.entries()) {
        assert.deepEqual(results[i], model.run(op), `operation ${i}: ${op.kind}(${op.key}, ${JSON.stringify(op.value)})`);
      }
      for (const key of keys) assert.deepEqual(await store.get(gid, key), (model.run({ kind: "get", key }) as { value: unknown }).value);
    }
  }));

  test(`${kind} store: keys() while other keys are written and deleted lists every key that stays, and never fails`, async (t) => {
    const store = await freshStore(t, kind);
    const stable = Array.from({ length: 100 }, (_, i) => `stable ${i}`);
    const churn = Array.from({ length: 300 }, (_, i) => `churn ${i}`);
    for (const key of stable) await store.put("g", key, key);
    let done = false;
    const churning = (async () => {
      for (let round = 0; round < 2; round++) {
        await inBatches(churn, 10, (key) => store.put("g", key, round));
        await inBatches(churn, 10, async (key) => void (await store.del("g", key)));
      }
    })().finally(() => (done = true));
    let listings = 0;
    try {
      while (!done || listings < 3) {
        const listed = new Set(await store.keys("g"));
        listings++;
        for (const key of stable) assert.ok(listed.has(key), `listing ${listings} misses ${key}, which no one touched`);
        for (const key of listed) assert.ok(stable.includes(key) || churn.includes(key), `listing ${listings} has ${JSON.stringify(key)}`);
      }
    } finally {
      await churning.catch(() => {});
    }
    await churning;
    assert.deepEqual(sorted(await store.keys("g")), sorted(stable));
  });

  test(`${kind} store: appends racing on one key all land, each told a different length`, async (t) => {
    const store = await freshStore(t, kind);
    const lengths = await Promise.all(Array.from({ length: 150 }, (_, i) => store.append("g", i % 5 === 0 ? "other" : "log", i)));
    const onLog = lengths.filter((_, i) => i % 5 !== 0);
    assert.deepEqual([...onLog].sort((x, y) => x - y), Array.from({ length: 120 }, (_, i) => i + 1));
    assert.deepEqual(onLog, Array.from({ length: 120 }, (_, i) => i + 1), "in the order they were called");
    const log = await store.get("g", "log");
    assert.deepEqual(log, { found: true, value: Array.from({ length: 150 }, (_, i) => i).filter((i) => i % 5 !== 0) });
    assert.deepEqual(await store.get("g", "other"), { found: true, value: Array.from({ length: 30 }, (_, i) => 5 * i) });
  });
}

test("memory store: 10,000 keys are all kept and listed", async () => {
  const store = m4.memoryStore();
  const keys = Array.from({ length: 10_000 }, (_, i) => `key ${i} ${"/".repeat(i % 7)}`);
  await Promise.all(keys.map((key, i) => store.put("g", key, i)));
  const listed = await store.keys("g");
  assert.equal(listed.length, 10_000);
  assert.deepEqual(sorted(listed), sorted(keys));
  for (let i = 0; i < 10_000; i += 97) assert.deepEqual(await store.get("g", keys[i] as string), { found: true, value: i });
  assert.deepEqual(await store.keys("other"), []);
});
