/**
 * handouts/m4.md#group-stores: each operation runs on the key's owner (by
 * the placement, among the members of the caller's view), in the group's
 * namespace; any member, and any node that knows the group, even with an
 * old view, gets the right answer, since a receiver forwards to the owner in
 * its own view; keys() is the union over the members; groups never mix.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertIsomorphic } from "../../autograder/harness/isomorphic.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import type * as Api from "../api.ts";
import { ids, inBatches, locate, misplaced, setView, startNodes } from "./_group.ts";
import { Placer } from "./_placement.ts";
import { hostileKeys, valuesOfEveryKind } from "./_stores.ts";

const sorted = (keys: readonly string[]): string[] => [...keys].sort();

test("a group store keeps each key on its owner's own store, in the group's namespace, under every placement", withSeed(async (random, t) => {
  const nodes = await startNodes(t, 5);
  const placements: Array<[string, Api.Placement | undefined]> = [
    ["default", undefined],
    ["naive", { scheme: "naive" }],
    ["consistent5", { scheme: "consistent", vnodes: 5 }],
    ["rendezvous", { scheme: "rendezvous" }],
  ];
  for (const [gid, placement] of placements) {
    await setView(nodes, gid, nodes);
    const placer = new Placer(placement ?? { scheme: "consistent", vnodes: 100 });
    const keys = Array.from({ length: 120 }, (_, i) => `${gid}:${i}:${random.uint32()}`);
    await inBatches(keys, 20, (key, i) => random.pick(nodes).store(gid, placement).put(key, i));
    const expected = placer.owners(keys, ids(nodes));
    assert.equal(misplaced(await locate(nodes, gid), expected), "", `placement ${gid}`);
    for (const [i, key] of keys.entries()) {
      if (i % 6 === 0) assert.deepEqual(await random.pick(nodes).store(gid, placement).get(key), { found: true, value: i });
    }
  }
}));

test("values of every milestone-1 kind travel through a group store unchanged", async (t) => {
  const nodes = await startNodes(t, 3);
  await setView(nodes, "kv", nodes);
  const values = valuesOfEveryKind();
  for (const [i, [name, value]] of values.entries()) await nodes[i % 3]!.store("kv").put(name, value);
  for (const [i, [name, value]] of values.entries()) {
    const lookup = await nodes[(i + 1) % 3]!.store("kv").get(name);
    assert.equal(lookup.found, true, `${name} is found`);
    assertIsomorphic(lookup.found ? lookup.value : "missing", value, `${name} through the group store differs`);
  }
  const lookup = await nodes[2]!.store("kv").del("a cycle");
  assert.ok(lookup.found);
  assertIsomorphic(lookup.value, values.find(([name]) => name === "a cycle")?.[1], "del returns the value");
});

test("a stored undefined is found through a group store, and an absent key is not", async (t) => {
  const [a, b] = await startNodes(t, 2);
  await setView([a!, b!], "kv", [a!, b!]);
  await a!.store("kv").put("nothing", undefined);
  assert.deepEqual(await b!.store("kv").get("nothing"), { found: true, value: undefined });
  assert.deepEqual(await b!.store("kv").get("absent"), { found: false });
  assert.deepEqual(await b!.store("kv").del("absent"), { found: false });
  assert.deepEqual(await a!.store("kv").del("nothing"), { found: true, value: undefined });
  assert.deepEqual(await b!.store("kv").get("nothing"), { found: false });
});

test("every member answers every operation the same, as one store would", withSeed(async (random, t) => {
  const nodes = await startNodes(t, 4);
  await setView(nodes, "kv", nodes);
  const model = new Map<string, unknown>();
  const keys = ["a", "b", "c", "d", "e", "f"];
  for (let step = 0; step < 150; step++) {
    const store = random.pick(nodes).store("kv");
    const key = random.pick(keys);
    const held = model.has(key);
    const expected = held ? { found: true, value: model.get(key) } : { found: false };
    switch (random.int(0, 3)) {
      case 0:
        assert.deepEqual(await store.get(key), expected, `step ${step}: get(${key})`);
        break;
      case 1:
        await store.put(key, [step]);
        model.set(key, [step]);
        break;
      case 2:
        assert.deepEqual(await store.del(key), expected, `step ${step}: del(${key})`);
        model.delete(key);
        break;
      default: {
        const list = (held ? model.get(key) : []) as number[];
        assert.equal(await store.append(key, step), list.length + 1, `step ${step}: append(${key})`);
        model.set(key, [...list, step]);
      }
    }
  }
  assert.deepEqual(sorted(await nodes[0]!.store("kv").keys()), sorted([...model.keys()]));
}));

test("hostile keys are stored, found and deleted through a group store", async (t) => {
  const nodes = await startNodes(t, 3);
  await setView(nodes, "kv", nodes);
  const keys = hostileKeys("kv");
  await inBatches(keys, 10, (key, i) => nodes[i % 3]!.store("kv").put(key, i));
  assert.deepEqual(sorted(await nodes[1]!.store("kv").keys()), sorted(keys));
  for (const [i, key] of keys.entries()) {
    assert.deepEqual(await nodes[(i + 1) % 3]!.store("kv").get(key), { found: true, value: i }, `get(${JSON.stringify(key.slice(0, 30))})`);
  }
  for (const [i, key] of keys.entries()) assert.deepEqual(await nodes[(i + 2) % 3]!.store("kv").del(key), { found: true, value: i });
  assert.deepEqual(await nodes[0]!.store("kv").keys(), []);
});

test("keys() of a group store is the union of its members' keys, each once", withSeed(async (random, t) => {
  const nodes = await startNodes(t, 5);
  await setView(nodes, "kv", nodes);
  const keys = Array.from({ length: 300 }, (_, i) => `key ${i} ${random.uint32()}`);
  await inBatches(keys, 20, (key, i) => random.pick(nodes).store("kv").put(key, i));
  for (const node of nodes) {
    const listed = await node.store("kv").keys();
    assert.equal(listed.length, keys.length, "each key once");
    assert.deepEqual(sorted(listed), sorted(keys));
  }
  const holders = await Promise.all(nodes.map((node) => node.local.keys("kv")));
  assert.ok(holders.filter((held) => held.length > 0).length >= 3, "300 keys are spread over the members");
}));

test("two groups never see each other's keys, even with the same members and the same key names", async (t) => {
  const nodes = await startNodes(t, 4);
  const [a, b, c, d] = nodes as [Api.StoreNode, Api.StoreNode, Api.StoreNode, Api.StoreNode];
  await setView(nodes, "one", [a, b, c]);
  await setView(nodes, "two", [a, b, c]);
  await setView(nodes, "three", [b, c, d]);
  const keys = Array.from({ length: 60 }, (_, i) => `shared ${i}`);
  for (const [i, key] of keys.entries()) {
    await a.store("one").put(key, `one ${i}`);
    await b.store("two").put(key, `two ${i}`);
    await d.store("three").append(key, `three ${i}`);
  }
  await c.store("one").put("only in one", 1);
  for (const [i, key] of keys.entries()) {
    assert.deepEqual(await d.store("one").get(key), { found: true, value: `one ${i}` });
    assert.deepEqual(await c.store("two").get(key), { found: true, value: `two ${i}` });
    assert.deepEqual(await a.store("three").get(key), { found: true, value: [`three ${i}`] });
  }
  assert.deepEqual(sorted(await a.store("two").keys()), sorted(keys));
  assert.deepEqual(sorted(await b.store("one").keys()), sorted([...keys, "only in one"]));
  assert.deepEqual(await b.store("two").get("only in one"), { found: false });
  for (const key of keys.slice(0, 30)) await b.store("one").del(key);
  assert.equal((await c.store("two").keys()).length, 60, "deleting in one group leaves the other");
  assert.equal((await c.store("three").keys()).length, 60);
  for (const node of [a, b, c]) {
    const inOne = await node.local.keys("one");
    const inTwo = await node.local.keys("two");
    for (const key of inOne) assert.ok(key === "only in one" || keys.indexOf(key) >= 30, "the local namespace of one holds one's keys");
    assert.ok(inTwo.every((key) => keys.includes(key)));
  }
});

test("concurrent appends to one key from every member lose nothing, and each is told a different length", async (t) => {
  const nodes = await startNodes(t, 5);
  await setView(nodes, "kv", nodes);
  const lengths = await Promise.all(Array.from({ length: 200 }, (_, i) => nodes[i % 5]!.store("kv").append("log", i)));
  assert.deepEqual([...lengths].sort((x, y) => x - y), Array.from({ length: 200 }, (_, i) => i + 1));
  const log = await nodes[3]!.store("kv").get("log");
  assert.ok(log.found && Array.isArray(log.value));
  assert.deepEqual([...(log.value as number[])].sort((x, y) => x - y), Array.from({ length: 200 }, (_, i) => i));
});

test("a node outside the group that knows its members gets correct answers, and holds none of its keys", withSeed(async (random, t) => {
  const nodes = await startNodes(t, 4);
  const members = nodes.slice(0, 3);
  const outsider = nodes[3] as Api.StoreNode;
  await setView(nodes, "kv", members);
  const store = outsider.store("kv");
  const keys = Array.from({ length: 100 }, (_, i) => `out ${i} ${random.uint32()}`);
  await inBatches(keys, 10, (key, i) => store.put(key, i));
  for (const [i, key] of keys.entries()) {
    assert.deepEqual(await random.pick(members).store("kv").get(key), { found: true, value: i });
    assert.deepEqual(await store.get(key), { found: true, value: i });
  }
  assert.equal(await store.append("list", "x"), 1);
  assert.equal(await members[0]!.store("kv").append("list", "y"), 2);
  assert.deepEqual(await store.del("list"), { found: true, value: ["x", "y"] });
  assert.deepEqual(await outsider.local.keys("kv"), []);
  assert.equal(misplaced(await locate(members, "kv"), new Placer().owners(keys, ids(members))), "");
}));

test("a node whose view lags behind reconfigurations still reads, writes, appends and deletes correctly", withSeed(async (random, t) => {
  const nodes = await startNodes(t, 5);
  const [a, b, c, d, lagging] = nodes as [Api.StoreNode, Api.StoreNode, Api.StoreNode, Api.StoreNode, Api.StoreNode];
  await setView([a, b, c, lagging], "kv", [a, b, c]);
  const keys = Array.from({ length: 400 }, (_, i) => `lag ${i} ${random.uint32()}`);
  await inBatches(keys, 20, (key, i) => a.store("kv").put(key, [i]));
  const old = lagging.store("kv");
  const placer = new Placer();

  await b.store("kv").reconfigure([a, b, c, d].map((node) => node.address));
  const movedToD = keys.filter((key) => placer.owner(key, ids([a, b, c, d])) === d.id);
  assert.ok(movedToD.length > 0);
  for (const [i, key] of keys.entries()) assert.deepEqual(await old.get(key), { found: true, value: [i] }, "a read through the old view after a join");
  for (const key of movedToD.slice(0, 40)) assert.equal(await old.append(key, "more"), 2, "an append through the old view extends the moved list");
  const fresh = Array.from({ length: 60 }, (_, i) => `fresh ${i} ${random.uint32()}`);
  await inBatches(fresh, 10, (key) => old.put(key, "fresh"));

  await c.store("kv").reconfigure([a, c, d].map((node) => node.address));
  for (const [i, key] of keys.entries()) {
    const expected = movedToD.indexOf(key) >= 0 && movedToD.indexOf(key) < 40 ? [i, "more"] : [i];
    assert.deepEqual(await old.get(key), { found: true, value: expected }, "a read through the old view after a leave");
  }
  for (const key of fresh) assert.deepEqual(await old.del(key), { found: true, value: "fresh" });
  for (const key of fresh.slice(0, 10)) assert.deepEqual(await a.store("kv").get(key), { found: false }, "a delete through the old view");
  await old.put(keys[0] as string, "overwritten through the old view");
  assert.deepEqual(await d.store("kv").get(keys[0] as string), { found: true, value: "overwritten through the old view" });
  const expected = placer.owners(keys, ids([a, c, d]));
  assert.equal(misplaced(await locate(nodes, "kv"), expected), "", "writes through an old view land at the owner of the current one");
  assert.deepEqual(await lagging.local.keys("kv"), []);
}));

test("a group of one member keeps every key on it", async (t) => {
  const [only, outsider] = await startNodes(t, 2);
  await setView([only!, outsider!], "solo", [only!]);
  for (let i = 0; i < 30; i++) await outsider!.store("solo", { scheme: "rendezvous" }).put(`k${i}`, i);
  assert.equal((await only!.local.keys("solo")).length, 30);
  assert.deepEqual(await outsider!.local.keys("solo"), []);
});
