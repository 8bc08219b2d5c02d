/**
 * handouts/m4.md#local-stores: the rules every local store keeps, checked on
 * the memory store and on the file store alike. Lookups say found or not
 * (a stored undefined is found); keys are any string and values any value
 * milestone 1 carries; namespaces never mix; putIfAbsent, del, update, append
 * and appendAll do what the contract says; and operations on one key happen
 * one at a time, in the order they were called, updates whose function
 * awaits included. (Longer than most: the two kinds of store pass one suite,
 * so each rule is one test, run on each kind.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Random } from "../../autograder/harness/random.ts";
import { assertIsomorphic } from "../../autograder/harness/isomorphic.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import { withSimulation } from "../../autograder/harness/sim/with-simulation.ts";
import type * as Api from "../api.ts";
import { inBatches, m4 } from "./_group.ts";
import { apply, type Op, type Outcome, run } from "./_histories.ts";
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

/** An operation on a key of a namespace: one that may change it (./_histories.ts), or a get. */
type Call = { key: string; op: Op | { kind: "get" } };

/** The contract of one namespace of a local store, run one operation at a time. */
class Model {
  readonly #keys = new Map<string, Api.Lookup>();

  /** What the key holds now. */
  lookup(key: string): Api.Lookup {
    return this.#keys.get(key) ?? { found: false };
  }

  /** What `call` returns; the namespace then holds what it leaves. */
  run({ key, op }: Call): Outcome {
    if (op.kind === "get") return { value: this.lookup(key) };
    const { state, outcome } = apply(this.lookup(key), op);
    this.#keys.set(key, state);
    return outcome;
  }
}

/** A call in a line, for failure messages. */
const label = ({ key, op }: Call) => `${op.kind}${op.kind === "update" ? ` (${op.change})` : ""}(${key}, ${JSON.stringify("value" in op ? op.value : "values" in op ? op.values : "")})`;

/** One turn of the event loop. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A random get, put, putIfAbsent, del or append. */
function randomCall(random: Random, keys: readonly string[], serial: number): Call {
  const key = random.pick(keys);
  const kind = random.pick(["get", "put", "putIfAbsent", "del", "append", "append", "append"] as const);
  switch (kind) {
    case "get":
    case "del":
      return { key, op: { kind } };
    case "put":
      return { key, op: { kind, value: random.pick([[serial], [], serial, `text ${serial}`]) } };
    case "putIfAbsent":
      return { key, op: { kind, value: random.pick([[serial], serial]) } };
    case "append":
      return { key, op: { kind, value: serial } };
  }
}

/** A random operation of any kind, update and appendAll included. */
function randomAnyCall(random: Random, keys: readonly string[], serial: number): Call {
  if (random.bool(0.6)) return randomCall(random, keys, serial);
  const key = random.pick(keys);
  if (random.bool(0.3)) return { key, op: { kind: "appendAll", values: Array.from({ length: random.int(0, 3) }, (_, i) => `${serial}.${i}`) } };
  const change = random.pick(["set", "set", "remove", "keep", "wrap", "wrap", "throw"] as const);
  return { key, op: { kind: "update", change, value: change === "set" ? random.pick([[serial], serial]) : serial } };
}

/** Starts a call; with `random`, half of the updates' functions await a turn of the event loop. */
function start(store: Api.LocalStore, gid: string, { key, op }: Call, random?: Random): Promise<unknown> {
  if (op.kind === "get") return store.get(gid, key);
  return run(store, gid, key, op, op.kind === "update" && random?.bool() ? turn : undefined);
}

/**
 * Stores a value of each kind that is not an array, then checks that adding
 * to it (`add`) is a TypeError and leaves the value as it was.
 */
async function checkNothingAddedToNonArrays(store: Api.LocalStore, what: string, add: (store: Api.LocalStore, key: string) => Promise<unknown>): Promise<void> {
  const notArrays: Array<[string, unknown]> = [
    ["a string", "text"], ["a number", 5], ["an array-like object", { length: 0 }], ["a Uint8Array", new Uint8Array(2)],
    ["a Set", new Set([1])], ["null", null], ["undefined", undefined], ["an object", { list: [] }],
  ];
  for (const [name, value] of notArrays) {
    await store.put("g", name, value);
    await assert.rejects(add(store, name), TypeError, `${what} onto ${name}`);
    const after = await store.get("g", name);
    assert.equal(after.found, true, `${name} is still there`);
    assertIsomorphic(after.found ? after.value : "missing", value, `${name} is unchanged`);
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
    await checkNothingAddedToNonArrays(await freshStore(t, kind), "append", (store, key) => store.append("g", key, 1));
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
      const calls = Array.from({ length: 120 }, (_, serial) => randomCall(random, keys, serial));
      // All started at once, without waiting: each must see exactly the ones called before it on its key.
      const results = await Promise.all(calls.map((call) => outcome(start(store, gid, call))));
      for (const [i, call] of calls.entries()) assert.deepEqual(results[i], model.run(call), `operation ${i}: ${label(call)}`);
      for (const key of keys) assert.deepEqual(await store.get(gid, key), model.lookup(key));
    }
  }));

  test(`${kind} store: keys() while other keys are written and deleted lists every key that stays, and never fails`, async (t) => {
    const store = await freshStore(t, kind);
    const stable = Array.from({ length: 100 }, (_, i) => `stable ${i}`);
    const churn = Array.from({ length: 100 }, (_, i) => `churn ${i}`);
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

  test(`${kind} store: update calls fn with the current lookup, stores what it returns, and resolves with what the key held before`, async (t) => {
    const store = await freshStore(t, kind);
    const seen: Api.Lookup[] = [];
    const to = (next: Api.Lookup) => (current: Api.Lookup) => {
      seen.push(current);
      return next;
    };
    assert.deepEqual(await store.update("g", "k", to({ found: true, value: { n: 1 } })), { found: false }, "an absent key held nothing");
    assert.deepEqual(await store.get("g", "k"), { found: true, value: { n: 1 } });
    const map = new Map<unknown, unknown>([[{ n: 2 }, [1, 2n]]]);
    assert.deepEqual(await store.update("g", "k", to({ found: true, value: map })), { found: true, value: { n: 1 } });
    const stored = await store.get("g", "k");
    assertIsomorphic(stored.found ? stored.value : "missing", map, "a Map stored by update");
    await store.update("g", "k", to({ found: true, value: undefined }));
    assert.deepEqual(await store.get("g", "k"), { found: true, value: undefined }, "update stores undefined as a value");
    assert.deepEqual(await store.update("g", "k", to({ found: true, value: "last" })), { found: true, value: undefined });
    assert.equal(seen.length, 4);
    assert.deepEqual([seen[0], seen[1], seen[3]], [{ found: false }, { found: true, value: { n: 1 } }, { found: true, value: undefined }], "what fn was given");
    assertIsomorphic(seen[2], { found: true, value: map }, "fn is given the current value");
    assert.deepEqual(await store.get("g", "k"), { found: true, value: "last" });
    assert.deepEqual(await store.keys("g"), ["k"]);
    assert.deepEqual(await store.keys("h"), [], "another namespace is untouched");
  });

  test(`${kind} store: update whose fn returns { found: false } removes the key and resolves with what it held`, async (t) => {
    const store = await freshStore(t, kind);
    await store.put("g", "k", [1, 2]);
    await store.put("g", "stays", 0);
    assert.deepEqual(await store.update("g", "k", () => ({ found: false })), { found: true, value: [1, 2] });
    assert.deepEqual(await store.get("g", "k"), { found: false });
    assert.deepEqual(await store.keys("g"), ["stays"]);
    assert.deepEqual(await store.update("g", "never", () => ({ found: false })), { found: false }, "removing an absent key");
    assert.deepEqual(await store.get("g", "never"), { found: false });
    assert.equal(await store.putIfAbsent("g", "k", "again"), true, "a key removed by update is absent");
    await store.put("g", "u", undefined);
    assert.deepEqual(await store.update("g", "u", () => ({ found: false })), { found: true, value: undefined });
    assert.deepEqual(sorted(await store.keys("g")), ["k", "stays"]);
    assert.equal(await store.append("g", "u", "x"), 1, "a removed key starts a new list");
  });

  test(`${kind} store: update whose fn returns current itself leaves the key as it was`, async (t) => {
    const store = await freshStore(t, kind);
    const same = (current: Api.Lookup) => current;
    assert.deepEqual(await store.update("g", "absent", same), { found: false });
    assert.deepEqual(await store.get("g", "absent"), { found: false }, "an absent key stays absent (not a stored undefined)");
    assert.deepEqual(await store.keys("g"), []);
    const value = { list: [1, { two: 2 }], at: new Date(5) };
    await store.put("g", "k", value);
    assert.deepEqual(await store.update("g", "k", async (current) => (await turn(), current)), { found: true, value });
    assert.deepEqual(await store.get("g", "k"), { found: true, value });
    await store.put("g", "u", undefined);
    await store.update("g", "u", same);
    assert.deepEqual(await store.get("g", "u"), { found: true, value: undefined }, "a stored undefined stays");
    for (let i = 0; i < 3; i++) await store.append("g", "list", i);
    await store.update("g", "list", same);
    assert.equal(await store.append("g", "list", 3), 4, "a list kept by update goes on growing");
    assert.deepEqual(await store.get("g", "list"), { found: true, value: [0, 1, 2, 3] });
    assert.deepEqual(sorted(await store.keys("g")), ["k", "list", "u"]);
  });

  test(`${kind} store: update's fn may be async, and no other operation on the key runs until it returns`, withSimulation({}, async (sim) => {
    // On a simulated disk, so that a long stretch of virtual time shows that nothing ran meanwhile.
    const store = kind === "memory" ? m4.memoryStore() : m4.fileStore("/store", sim.context().disk);
    await sim.settle(store.put("g", "k", [0]));
    let open = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    let calls = 0;
    const updating = store.update("g", "k", async (current) => {
      calls++;
      await gate;
      return { found: true, value: [...(current.found ? (current.value as unknown[]) : []), 1] };
    });
    const settled: string[] = [];
    const reading = store.get("g", "k").finally(() => settled.push("get"));
    const appending = store.append("g", "k", 2).finally(() => settled.push("append"));
    const putting = store.put("g", "k", [9]).finally(() => settled.push("put"));
    const other = store.put("g", "other", "x");
    await sim.run(1_000);
    assert.equal(calls, 1, "fn was called once");
    assert.deepEqual(settled, [], "operations on the key called after the update ran while its fn was still deciding");
    open();
    assert.deepEqual(await sim.settle(updating), { found: true, value: [0] });
    assert.deepEqual(await sim.settle(reading), { found: true, value: [0, 1] }, "a get called after the update sees what fn returned");
    assert.equal(await sim.settle(appending), 3, "an append called after the update extends what fn returned");
    await sim.settle(Promise.all([putting, other]));
    assert.deepEqual(settled, ["get", "append", "put"], "the operations ended in the order they were called");
    assert.deepEqual(await sim.settle(store.get("g", "k")), { found: true, value: [9] });
  }));

  test(`${kind} store: update whose fn throws leaves the key as it was and rejects with that error, and later operations on the key still run`, async (t) => {
    const store = await freshStore(t, kind);
    await store.put("g", "k", ["kept"]);
    const thrown = new RangeError("Cannot update k: refused");
    const throwing = () => {
      throw thrown;
    };
    const rejecting = async () => {
      await turn();
      throw thrown;
    };
    for (const fn of [throwing, rejecting]) {
      await assert.rejects(store.update("g", "k", fn), (error) => error === thrown, `update rejects with the error fn threw (${fn.name})`);
      assert.deepEqual(await store.get("g", "k"), { found: true, value: ["kept"] }, `the key is unchanged (${fn.name})`);
      await assert.rejects(store.update("g", "absent", fn), (error) => error === thrown);
      assert.deepEqual(await store.get("g", "absent"), { found: false }, `an absent key stays absent (${fn.name})`);
    }
    // Queued behind a failing update, the next operations on the key still run, in order.
    const failing = store.update("g", "k", rejecting);
    const appended = store.append("g", "k", "next");
    const updated = store.update("g", "k", (current) => ({ found: true, value: [...(current.found ? (current.value as unknown[]) : []), "last"] }));
    await assert.rejects(failing, (error) => error === thrown);
    assert.equal(await appended, 2);
    assert.deepEqual(await updated, { found: true, value: ["kept", "next"] });
    assert.deepEqual(await store.get("g", "k"), { found: true, value: ["kept", "next", "last"] });
    assert.deepEqual(await store.keys("g"), ["k"]);
  });

  test(`${kind} store: 100 updates racing on one key, each an async increment, all land, each resolving with the count before it`, async (t) => {
    const store = await freshStore(t, kind);
    const increment = async (current: Api.Lookup): Promise<Api.Lookup> => {
      await turn();
      return { found: true, value: (current.found ? (current.value as number) : 0) + 1 };
    };
    const before = await Promise.all(Array.from({ length: 100 }, () => store.update("g", "count", increment)));
    assert.deepEqual(await store.get("g", "count"), { found: true, value: 100 }, "every increment landed");
    assert.deepEqual(before, Array.from({ length: 100 }, (_, i) => (i === 0 ? { found: false } : { found: true, value: i })), "in the order they were called");
  });

  test(`${kind} store: updates and appends racing on one key all land, in the order they were called`, async (t) => {
    const store = await freshStore(t, kind);
    const extend = (item: string) => async (current: Api.Lookup): Promise<Api.Lookup> => {
      await turn();
      return { found: true, value: [...(current.found ? (current.value as string[]) : []), item] };
    };
    const items = Array.from({ length: 90 }, (_, i) => (i % 3 === 0 ? `update ${i}` : `append ${i}`));
    const results = await Promise.all(items.map((item) => (item.startsWith("update") ? store.update("g", "log", extend(item)) : store.append("g", "log", item))));
    assert.deepEqual(await store.get("g", "log"), { found: true, value: items }, "every update and append landed, in call order");
    for (const [i, item] of items.entries()) {
      const expected = item.startsWith("update") ? (i === 0 ? { found: false } : { found: true, value: items.slice(0, i) }) : i + 1;
      assert.deepEqual(results[i], expected, `${item} resolved with what it saw`);
    }
  });

  test(`${kind} store: appendAll adds its values in order, starting an absent key at [], and returns the new length`, async (t) => {
    const store = await freshStore(t, kind);
    assert.equal(await store.appendAll("g", "new", ["a", { b: 1 }, undefined]), 3);
    assert.deepEqual(await store.get("g", "new"), { found: true, value: ["a", { b: 1 }, undefined] });
    assert.equal(await store.appendAll("g", "new", [[4, 5], []]), 5, "arrays among the values are elements, not spread");
    assert.equal(await store.append("g", "new", 6), 6);
    assert.equal(await store.appendAll("g", "new", []), 6, "no values: the length is unchanged");
    assert.deepEqual(await store.get("g", "new"), { found: true, value: ["a", { b: 1 }, undefined, [4, 5], [], 6] });
    await store.put("g", "old", ["x"]);
    assert.equal(await store.appendAll("g", "old", ["y", "z"]), 3);
    assert.deepEqual(await store.get("g", "old"), { found: true, value: ["x", "y", "z"] });
    assert.equal(await store.appendAll("g", "none", []), 0, "no values on an absent key: length 0");
    const values = valuesOfEveryKind().map(([, value]) => value);
    assert.equal(await store.appendAll("g", "kinds", values), values.length);
    const kinds = await store.get("g", "kinds");
    assertIsomorphic(kinds.found ? kinds.value : "missing", values, "values of every kind appended together");
  });

  test(`${kind} store: appendAll to a key that holds anything but an array is a TypeError and changes nothing`, async (t) => {
    await checkNothingAddedToNonArrays(await freshStore(t, kind), "appendAll", (store, key) => store.appendAll("g", key, [1, 2]));
  });

  test(`${kind} store: appendAll and append racing on one key all land, each appendAll's values together and in order`, async (t) => {
    const store = await freshStore(t, kind);
    const batches = Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? [`single ${i}`] : Array.from({ length: 1 + (i % 4) }, (_, j) => `batch ${i}.${j}`)));
    const lengths = await Promise.all(batches.map((batch, i) => (i % 2 === 0 ? store.append("g", "log", batch[0]) : store.appendAll("g", "log", batch))));
    const expected = batches.flat();
    assert.deepEqual(await store.get("g", "log"), { found: true, value: expected }, "every value landed, in call order");
    let length = 0;
    for (const [i, batch] of batches.entries()) {
      length += batch.length;
      assert.equal(lengths[i], length, `call ${i} returned the length after its values`);
    }
  });

  test(`${kind} store: every operation, update and appendAll included, happens in the order it was called`, withSeed(async (random, t) => {
    const store = await freshStore(t, kind);
    const keys = ["a", "b"];
    for (let round = 0; round < 3; round++) {
      const gid = `round ${round}`;
      const model = new Model();
      const calls = Array.from({ length: 120 }, (_, serial) => randomAnyCall(random, keys, serial));
      const results = await Promise.all(calls.map((call) => outcome(start(store, gid, call, random))));
      for (const [i, call] of calls.entries()) assert.deepEqual(results[i], model.run(call), `operation ${i}: ${label(call)}`);
      for (const key of keys) assert.deepEqual(await store.get(gid, key), model.lookup(key));
    }
  }));
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
