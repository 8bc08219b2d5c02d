/**
 * handouts/m3.md#broadcast: the bar (25 members, 100 ms links, 100 sends per
 * second: every value everywhere, fewer than 20 calls per value, median under
 * 400 ms to the last member, none over 600 ms); the layout (rows of ⌈√n⌉ by
 * node id, two hops, n − 1 deliveries); batching (one call per peer per
 * batch); values that cross partitions, isolation and one-way cuts once they
 * heal; each value held once under duplicated, reordered and lost messages;
 * handlers and `values` in the order learned. Calls are counted as the
 * requests each node's transport sends.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { withSeed } from "../../autograder/harness/seed.ts";
import { Simulation } from "../../autograder/harness/sim/simulation.ts";
import { withSimulation } from "../../autograder/harness/sim/with-simulation.ts";
import type * as Api from "../api.ts";
import { key, m3, median, requestsSent, sentSince, simGroup } from "./_nodes.ts";

/** Records, on every node, each value its handler gets and when. */
function listen(sim: Simulation, nodes: Api.GroupNode[], gid: string) {
  const heard = nodes.map(() => new Map<unknown, number[]>());
  for (const [i, node] of nodes.entries()) {
    node.broadcast.on(gid, (value) => {
      const times = heard[i]?.get(value) ?? [];
      times.push(sim.now());
      heard[i]?.set(value, times);
    });
  }
  return heard;
}

/** Checks that every node holds every value once, and its handler got each once. */
function assertEverywhereOnce(nodes: Api.GroupNode[], gid: string, heard: Map<unknown, number[]>[], values: unknown[]): void {
  const expected = [...values].map(String).sort();
  for (const [i, node] of nodes.entries()) {
    const held = node.broadcast.values(gid).map(String).sort();
    const missing = expected.filter((value) => !held.includes(value));
    assert.equal(missing.length, 0, `node ${i} (${node.sid}) misses ${missing.length} of ${values.length} values, e.g. ${missing.slice(0, 3).join(", ")}`);
    assert.deepEqual(held, expected, `node ${i} (${node.sid}) holds a value twice, or one never sent`);
    const twice = [...(heard[i] as Map<unknown, number[]>)].filter(([, times]) => times.length !== 1);
    assert.equal(twice.length, 0, `node ${i}'s handler got ${String(twice[0]?.[0])} ${twice[0]?.[1].length} times`);
  }
}

/** The layout of handouts/m3.md#broadcast: members sorted by node id, in rows of ⌈√n⌉. */
function layout(nodes: Api.GroupNode[]) {
  const sorted = [...nodes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const width = Math.ceil(Math.sqrt(sorted.length));
  const rows: Api.GroupNode[][] = [];
  for (let i = 0; i < sorted.length; i += width) rows.push(sorted.slice(i, i + width));
  return { sorted, rows, width };
}

/** The calls (`from>to` by node key) that carry one value sent by `sender`: two hops along the layout. */
function expectedCalls(nodes: Api.GroupNode[], sender: Api.GroupNode): Set<string> {
  const { sorted, rows, width } = layout(nodes);
  const index = sorted.indexOf(sender);
  const [row, column] = [Math.floor(index / width), index % width];
  const calls = new Set<string>();
  const edge = (from: Api.GroupNode, to: Api.GroupNode) => calls.add(`${key(from.address)}>${key(to.address)}`);
  for (const [r, members] of rows.entries()) {
    if (r === row) {
      for (const member of members) if (member !== sender) edge(sender, member);
      continue;
    }
    const relay = (members[column] ?? members[0]) as Api.GroupNode;
    edge(sender, relay);
    for (const member of members) if (member !== relay) edge(relay, member);
  }
  return calls;
}

test("at 100 sends per second on 25 members over 100 ms links, every value reaches every member with fewer than 20 calls, half within 400 ms, all within 600 ms", withSeed(async (random, t) => {
  const figures: string[] = [];
  for (let run = 0; run < 3; run++) {
    const sim = new Simulation({ seed: random.uint32(), latency: [100, 100] });
    const requests = requestsSent(sim);
    const nodes = await simGroup(t, sim, 25, "bar");
    const heard = listen(sim, nodes, "bar");
    const since = sim.now();
    const sentAt = new Map<string, number>();
    const sends: Promise<void>[] = [];
    for (let i = 0; i < 300; i++) {
      const value = `run${run}-value${i}`;
      sentAt.set(value, sim.now());
      sends.push(random.pick(nodes).broadcast.send("bar", value));
      await sim.run(10);
    }
    await sim.run(2_000);
    await Promise.all(sends);
    assertEverywhereOnce(nodes, "bar", heard, [...sentAt.keys()]);
    const calls = sentSince(requests, since).length;
    assert.ok(calls < 20 * sentAt.size, `run ${run}: ${calls} calls for ${sentAt.size} values (${(calls / sentAt.size).toFixed(1)} per value, expected fewer than 20)`);
    const lastArrival = [...sentAt].map(([value, at]) => Math.max(...heard.map((times) => (times.get(value) as number[])[0] as number)) - at);
    const [middle, worst] = [median(lastArrival), Math.max(...lastArrival)];
    figures.push(`${(calls / sentAt.size).toFixed(2)} calls per value, median ${middle.toFixed(0)} ms, max ${worst.toFixed(0)} ms`);
    assert.ok(middle <= 400, `run ${run}: the median value reached its last member after ${middle} ms (expected within 400 ms)`);
    assert.ok(worst <= 600, `run ${run}: a value reached its last member after ${worst} ms (expected at most 600 ms)`);
  }
  t.diagnostic(figures.join("; "));
}));

test("a value sent alone travels in n − 1 calls, two hops: to the sender's row and one member of each other row, which pass it along their rows", withSeed(async (random, t) => {
  for (const size of [13, 23]) {
    const sim = new Simulation({ seed: random.uint32(), latency: [1, 20] });
    const requests = requestsSent(sim);
    const nodes = await simGroup(t, sim, size, "rows");
    const heard = listen(sim, nodes, "rows");
    const sent: string[] = [];
    for (const [i, sender] of random.shuffle([...nodes]).entries()) {
      const since = sim.now();
      const value = `from-${sender.sid}`;
      sent.push(value);
      await sim.settle(sender.broadcast.send("rows", value));
      await sim.run(1_000);
      const calls = sentSince(requests, since).map(({ from, to }) => `${from}>${to}`);
      const position = layout(nodes).sorted.indexOf(sender);
      assert.equal(calls.length, size - 1, `n = ${size}, sender #${position} by node id (value ${i}): ${calls.length} calls instead of n − 1 = ${size - 1}`);
      assert.deepEqual(new Set(calls), expectedCalls(nodes, sender), `n = ${size}, sender #${position} by node id: the calls do not follow the rows and columns of the layout`);
    }
    assertEverywhereOnce(nodes, "rows", heard, sent);
  }
}));

test("values a member sends within one batch travel together: one call per peer carries all of them", withSimulation({ latency: [5, 30] }, async (sim, random, t) => {
  const requests = requestsSent(sim);
  const nodes = await simGroup(t, sim, 16, "batch");
  const heard = listen(sim, nodes, "batch");
  const sender = random.pick(nodes);
  const since = sim.now();
  const values = Array.from({ length: 10 }, (_, i) => ({ batch: i, tag: `v${random.uint32()}` }));
  for (const value of values) void sender.broadcast.send("batch", value);
  await sim.run(2_000);
  const calls = sentSince(requests, since);
  assert.equal(calls.length, 15, `10 values sent at once cost ${calls.length} calls (one per member but the sender: 15)`);
  assert.deepEqual(new Set(calls.map(({ from, to }) => `${from}>${to}`)), expectedCalls(nodes, sender));
  for (const [i, node] of nodes.entries()) {
    assert.deepEqual(node.broadcast.values("batch"), values, `node ${i} holds other values, or in another order`);
    assert.equal([...(heard[i] as Map<unknown, number[]>).values()].flat().length, 10);
  }
}));

test("a value waits at most batchMs (default 100 ms) at each hop, and with batchMs 0 leaves at once", withSeed(async (random, t) => {
  for (const batchMs of [100, 20, 0]) {
    const sim = new Simulation({ seed: random.uint32(), latency: [50, 50] });
    const requests = requestsSent(sim);
    const nodes = await simGroup(t, sim, 9, "wait", batchMs === 100 ? {} : { broadcast: { batchMs } });
    const heard = listen(sim, nodes, "wait");
    const sender = random.pick(nodes);
    const since = sim.now();
    await sim.settle(sender.broadcast.send("wait", "v"));
    await sim.run(1_000);
    const first = sentSince(requests, since).filter(({ from }) => from === key(sender.address));
    assert.ok(first.length > 0, "the sender sent nothing");
    for (const call of first) assert.ok(call.at - since <= batchMs + 1e-6, `batchMs ${batchMs}: the value left its sender after ${call.at - since} ms`);
    const last = Math.max(...heard.map((times) => (times.get("v") ?? [Number.POSITIVE_INFINITY])[0] as number)) - since;
    assert.ok(last <= 2 * (batchMs + 50) + 1e-6, `batchMs ${batchMs}, 50 ms links: the value reached its last member after ${last} ms (two hops: at most ${2 * (batchMs + 50)} ms)`);
  }
}));

test("with batchMs 0, a call that fails goes again 100 ms later, not at once: a member that refuses calls for a second is called about ten times for a value, and gets it once it is back", withSimulation({ latency: [1, 1] }, async (sim, _random, t) => {
  const nodes = await simGroup(t, sim, 2, "at-once", { broadcast: { batchMs: 0 } });
  const [sender, down] = nodes as [Api.GroupNode, Api.GroupNode];
  const requests = requestsSent(sim);
  sim.crash(down.address);
  const since = sim.now();
  await sim.settle(sender.broadcast.send("at-once", "v"));
  await sim.run(1_000);
  const calls = sentSince(requests, since, sender.address).filter((request) => request.to === key(down.address)).length;
  assert.ok(calls >= 5 && calls <= 12, `the sender called the member that refuses ${calls} times in 1,000 ms with 2 ms round trips (one call, then one every 100 ms: about 10)`);
  const back = await m3.startNode({ ip: down.address.ip, port: down.address.port, context: sim.restart(down.address), broadcast: { batchMs: 0 } });
  t.after(() => back.stop());
  await back.groups.put("at-once", nodes.map((node) => node.address));
  await sim.run(200);
  assert.deepEqual(back.broadcast.values("at-once"), ["v"], "the member back at its address got the value within 200 ms");
}));

test("values sent on both sides of a partition into halves reach every member once it heals", withSimulation({ latency: [100, 100] }, async (sim, random, t) => {
  const nodes = await simGroup(t, sim, 25, "halves");
  const heard = listen(sim, nodes, "halves");
  const shuffled = random.shuffle([...nodes]);
  const [left, right] = [shuffled.slice(0, 12), shuffled.slice(12)];
  const sent: string[] = [];
  const sends: Promise<void>[] = [];
  for (let i = 0; i < 300; i++) {
    if (i === 100) sim.network.partition(left.map((node) => node.address), right.map((node) => node.address));
    if (i === 200) sim.network.heal();
    const value = `value${i}`;
    sent.push(value);
    sends.push(random.pick(nodes).broadcast.send("halves", value));
    await sim.run(10);
  }
  await sim.run(15_000);
  await Promise.all(sends);
  assertEverywhereOnce(nodes, "halves", heard, sent);
}));

test("a member isolated while values are sent, some by itself, gets them and gives its own once it rejoins", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const nodes = await simGroup(t, sim, 9, "alone");
  const heard = listen(sim, nodes, "alone");
  const loner = random.pick(nodes);
  const others = nodes.filter((node) => node !== loner);
  sim.network.partition([loner.address], others.map((node) => node.address));
  const sent: string[] = [];
  for (let i = 0; i < 40; i++) {
    const sender = i % 4 === 0 ? loner : random.pick(others);
    sent.push(`${i}`);
    await sim.settle(sender.broadcast.send("alone", `${i}`));
    await sim.run(50);
  }
  await sim.run(6_000);
  const lonerHeld = loner.broadcast.values("alone").map(String).sort();
  assert.deepEqual(lonerHeld, sent.filter((_, i) => i % 4 === 0).sort(), "while isolated, the member holds exactly its own values");
  sim.network.heal();
  await sim.run(15_000);
  assertEverywhereOnce(nodes, "alone", heard, sent);
}));

test("values cross one-way cuts once healed, and a member whose answers were lost still holds each value once", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const nodes = await simGroup(t, sim, 9, "oneway");
  const heard = listen(sim, nodes, "oneway");
  const [a, b, c] = random.shuffle([...nodes]) as [Api.GroupNode, Api.GroupNode, Api.GroupNode];
  for (const node of nodes) if (node !== a) sim.network.cut(node.address, a.address); // a hears nothing
  for (const node of nodes) if (node !== b) sim.network.cut(b.address, node.address); // b's answers are lost
  sim.network.cut(c.address, a.address);
  const sent: string[] = [];
  for (let i = 0; i < 30; i++) {
    sent.push(`v${i}`);
    await sim.settle(random.pick(nodes).broadcast.send("oneway", `v${i}`));
    await sim.run(random.int(1, 150));
  }
  await sim.run(12_000);
  sim.network.heal();
  await sim.run(20_000);
  assertEverywhereOnce(nodes, "oneway", heard, sent);
}));

test("under duplicated, reordered and lost messages every member ends with every value, once", withSimulation({ latency: [1, 150], duplicate: 0.3, drop: 0.1 }, async (sim, random, t) => {
  const nodes = await simGroup(t, sim, 16, "rough", { callTimeoutMs: 1_000 });
  const heard = listen(sim, nodes, "rough");
  const sent: string[] = [];
  for (let i = 0; i < 120; i++) {
    sent.push(`v${i}`);
    void random.pick(nodes).broadcast.send("rough", `v${i}`);
    await sim.run(random.int(0, 30));
  }
  await sim.run(60_000);
  assert.ok(sim.network.stats.duplicated > 0 && sim.network.stats.dropped > 0);
  assertEverywhereOnce(nodes, "rough", heard, sent);
}));

test("values(gid) lists what the node holds in the order it learned it, each group apart, and on() stops when cancelled", withSimulation({ latency: [1, 40] }, async (sim, random, t) => {
  const nodes = await simGroup(t, sim, 9, "x");
  for (const node of nodes) await node.groups.put("y", nodes.map((member) => member.address));
  const order = nodes.map(() => [] as unknown[]);
  const later = nodes.map(() => [] as unknown[]);
  const atCancel: number[] = [];
  const cancels = nodes.map((node, i) => node.broadcast.on("x", (value) => later[i]?.push(value)));
  for (const [i, node] of nodes.entries()) node.broadcast.on("x", (value) => order[i]?.push(value));
  assert.deepEqual(nodes[0]?.broadcast.values("x"), [], "a group with no values yet holds []");
  const own = random.pick(nodes);
  await sim.settle(own.broadcast.send("x", "own"));
  assert.deepEqual(own.broadcast.values("x"), ["own"], "once send() resolves, the sender holds its value");
  for (let i = 0; i < 30; i++) {
    await sim.settle(random.pick(nodes).broadcast.send(i % 3 === 0 ? "y" : "x", { i }));
    if (i === 15) {
      for (const cancel of cancels) cancel();
      atCancel.push(...later.map((heard) => heard.length));
    }
    await sim.run(random.int(0, 60));
  }
  await sim.run(3_000);
  const inX = 1 + 20;
  for (const [i, node] of nodes.entries()) {
    assert.deepEqual(node.broadcast.values("x"), order[i], `node ${i}: values("x") is not the order its handler learned them`);
    assert.equal(node.broadcast.values("x").length, inX);
    assert.equal(node.broadcast.values("y").length, 10, `node ${i}: group y's values mix with group x's`);
    assert.ok(node.broadcast.values("y").every((value) => (value as { i: number }).i % 3 === 0));
    assert.equal(later[i]?.length, atCancel[i], `node ${i}: a cancelled handler kept getting values`);
    assert.deepEqual(later[i], order[i]?.slice(0, atCancel[i]), `node ${i}: two handlers of one group got values in different orders`);
  }
}));

test("a node restarted at its address sends values that every member gets, though it starts counting again", withSimulation({ latency: [1, 20] }, async (sim, random, t) => {
  const nodes = await simGroup(t, sim, 9, "g");
  const victim = random.pick(nodes);
  for (let i = 0; i < 3; i++) await sim.settle(victim.broadcast.send("g", `first life ${i}`));
  await sim.run(2_000);
  sim.crash(victim.address);
  await sim.run(1_000);
  const restarted = await m3.startNode({ ip: victim.address.ip, port: victim.address.port, context: sim.context() });
  t.after(() => restarted.stop());
  await restarted.groups.put("g", nodes.map((node) => node.address));
  await sim.settle(restarted.broadcast.send("g", "second life"));
  await sim.run(2_000);
  for (const node of nodes.filter((node) => node !== victim)) {
    assert.deepEqual(node.broadcast.values("g").filter((value) => value === "second life"), ["second life"], `${node.sid} got the restarted node's value once`);
  }
}));
