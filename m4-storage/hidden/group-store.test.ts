/**
 * handouts/m4.md#group-stores: each operation runs on the key's owner (by
 * the placement, among the members of the caller's view), in the group's
 * namespace; any member, and any node that knows the group, even with an
 * old view, gets the right answer, since a receiver forwards to the owner in
 * its own view; keys() is the union over the members; groups never mix.
 * appendBatch (in the simulation, whose trace counts the caller's requests)
 * sends one request to each owner and lands each key's values in order.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertIsomorphic } from "../../autograder/harness/isomorphic.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import type { TracedMessage } from "../../autograder/harness/sim/trace.ts";
import { withSimulation } from "../../autograder/harness/sim/with-simulation.ts";
import type * as Api from "../api.ts";
import { ids, inBatches, locate, misplaced, setView, startNodes } from "./_group.ts";
import { batchOf } from "./_batch.ts";
import { Placer } from "./_placement.ts";
import { at, simNodes, storeRequests } from "./_sim.ts";
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
  // A hand-off stopped between its copy and its delete leaves a key on two members: it is still one key.
  for (const node of nodes.slice(0, 2)) await node.local.put("kv", "on two members", 1);
  for (const node of nodes) {
    const listed = await node.store("kv").keys();
    assert.equal(listed.filter((key) => key === "on two members").length, 1, "a key held by two members is listed once");
  }
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

/** How many requests in `requests` went to each address (`ip:port`). */
function countByReceiver(requests: readonly TracedMessage[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of requests) counts.set(request.to, (counts.get(request.to) ?? 0) + 1);
  return counts;
}

/**
 * Checks that `caller` sent exactly one store request to each owner of the
 * batch's keys but itself (at most one to itself, which it may serve
 * without a request), and none to any other node.
 */
function assertOnePerOwner(sent: readonly TracedMessage[], caller: Api.StoreNode, owners: ReadonlySet<string>, nodes: readonly Api.StoreNode[], what: string): void {
  const counts = countByReceiver(sent.filter((request) => request.from === at(caller.address)));
  for (const node of nodes) {
    const count = counts.get(at(node.address)) ?? 0;
    if (node === caller) assert.ok(count <= 1, `${what}: ${count} requests from the caller to itself`);
    else if (owners.has(node.id)) assert.equal(count, 1, `${what}: requests from the caller to owner ${node.sid}`);
    else assert.equal(count, 0, `${what}: requests from the caller to ${node.sid}, which owns none of the batch's keys`);
  }
}

test("appendBatch lands every value in order per key, through any member or a node that knows the group, with one request from the caller to each owner", withSimulation({ latency: [1, 5] }, async (sim, random, t) => {
  const nodes = await simNodes(t, sim, 6);
  const members = nodes.slice(0, 5);
  await setView(nodes, "kv", members);
  const placer = new Placer();
  const keys = Array.from({ length: 40 }, (_, i) => `batch ${i} ${random.uint32()}`);
  const started = keys.filter((_, i) => i % 4 === 0);
  await sim.settle(Promise.all(started.map((key) => random.pick(members).store("kv").put(key, ["start"]))));
  const expected = new Map(keys.map((key) => [key, started.includes(key) ? ["start"] : []]));
  const requests = storeRequests(sim);
  for (const [round, caller] of nodes.entries()) {
    const chosen = random.shuffle([...keys]).slice(0, random.int(10, 40));
    const { pairs, values } = batchOf(random, chosen, `round ${round}`);
    const from = requests.length;
    await sim.settle(caller.store("kv").appendBatch(pairs));
    const owners = new Set(chosen.map((key) => placer.owner(key, ids(members))));
    assertOnePerOwner(requests.slice(from), caller, owners, nodes, `round ${round}, ${pairs.length} pairs for ${chosen.length} keys through ${caller === nodes[5] ? "a node outside the group" : "a member"}`);
    for (const [key, added] of values) expected.get(key)?.push(...added);
  }
  for (const key of keys) {
    // A key that was never started and that no round chose holds nothing.
    const list = expected.get(key) as string[];
    const want = list.length === 0 ? { found: false } : { found: true, value: list };
    assert.deepEqual(await sim.settle(random.pick(nodes).store("kv").get(key)), want, `${key}: every value, in the order given`);
  }
  const held = keys.filter((key) => (expected.get(key) as string[]).length > 0);
  assert.equal(misplaced(await sim.settle(locate(nodes, "kv")), placer.owners(held, ids(members))), "", "each list is on its key's owner");
}));

test("appendBatch through a node whose view lags behind a join lands every value, in order, at the owners of the current view", withSimulation({ latency: [1, 5] }, async (sim, random, t) => {
  const nodes = await simNodes(t, sim, 5);
  const [a, b, c, d, lagging] = nodes as [Api.StoreNode, Api.StoreNode, Api.StoreNode, Api.StoreNode, Api.StoreNode];
  await setView([a, b, c, lagging], "kv", [a, b, c]);
  const placer = new Placer();
  const keys = Array.from({ length: 120 }, (_, i) => `lag ${i} ${random.uint32()}`);
  await sim.settle(Promise.all(keys.map((key) => random.pick([a, b, c]).store("kv").put(key, ["start"]))));
  assert.equal((await sim.settle(b.store("kv").reconfigure([a, b, c, d].map((node) => node.address)))).errors.size, 0);
  const current = [a, b, c, d];
  assert.ok(keys.some((key) => placer.owner(key, ids(current)) === d.id), "some keys moved to the newcomer");
  const { pairs, values } = batchOf(random, keys, "late");
  const requests = storeRequests(sim);
  await sim.settle(lagging.store("kv").appendBatch(pairs));
  const owners = new Set(keys.map((key) => placer.owner(key, ids([a, b, c]))));
  assertOnePerOwner(requests, lagging, owners, nodes, "a batch through the lagging view");
  for (const key of keys) {
    assert.deepEqual(await sim.settle(random.pick(current).store("kv").get(key)), { found: true, value: ["start", ...(values.get(key) as string[])] }, `${key}: every value, in the order given`);
  }
  assert.equal(misplaced(await sim.settle(locate(nodes, "kv")), placer.owners(keys, ids(current))), "", "each list is on its owner in the current view");
  assert.deepEqual(await sim.settle(lagging.local.keys("kv")), [], "the lagging node holds none of the group's keys");
}));

test("appendBatch calls racing on the same keys never interleave one key's values: each batch's values for a key land together, in order", withSimulation({ latency: [1, 5] }, async (sim, random, t) => {
  const nodes = await simNodes(t, sim, 4);
  await setView(nodes, "kv", nodes);
  const keys = Array.from({ length: 30 }, (_, i) => `race ${i} ${random.uint32()}`);
  const batches = nodes.map((_, n) => batchOf(random, keys, `batch ${n}`));
  await sim.settle(Promise.all(nodes.map((node, n) => node.store("kv").appendBatch((batches[n] as (typeof batches)[0]).pairs))));
  for (const key of keys) {
    const lookup = await sim.settle(random.pick(nodes).store("kv").get(key));
    assert.ok(lookup.found && Array.isArray(lookup.value), `${key} holds a list`);
    const list = lookup.value as string[];
    const runs: string[][] = [];
    for (const value of list) {
      const batch = value.slice(0, value.lastIndexOf(" "));
      if (runs.at(-1)?.[0]?.startsWith(`${batch} `)) runs.at(-1)?.push(value);
      else runs.push([value]);
    }
    const landed = new Map(runs.map((run) => [run[0]!.slice(0, run[0]!.lastIndexOf(" ")), run]));
    assert.equal(runs.length, nodes.length, `${key}: the batches' values interleave: ${JSON.stringify(list)}`);
    for (const [n, { values }] of batches.entries()) assert.deepEqual(landed.get(`batch ${n}`), values.get(key), `${key}: batch ${n}'s values, together and in order`);
  }
}));
