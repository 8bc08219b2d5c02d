/**
 * handouts/m3.md#gossip: each member's handlers get each rumor once, with its
 * id, group, topic and origin; the spreader pushes at once, and every node
 * that learns a rumor pushes to `fanout` other members per round, for
 * `rounds` rounds, all its rumors of a group in one message, then falls
 * silent (the defaults ⌈ln n⌉, ⌈log2 n⌉ + 1 and 100 ms, and the options);
 * duplicates are dropped by id while remembered, and only the last
 * `remember` ids are; duplicated and reordered messages change nothing; a
 * throwing handler stops nothing; 200 members. Messages are counted as the
 * requests each node's transport sends.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { withSeed } from "../../autograder/harness/seed.ts";
import { Simulation } from "../../autograder/harness/sim/simulation.ts";
import { withSimulation } from "../../autograder/harness/sim/with-simulation.ts";
import type * as Api from "../api.ts";
import type { TracedMessage } from "../../autograder/harness/sim/trace.ts";
import { key, m3, requestsSent, sentSince, simGroup } from "./_nodes.ts";

/** Every rumor each node's handler got on `topic`, in order. */
function hear(nodes: Api.GroupNode[], topic: string) {
  const heard = nodes.map(() => [] as Array<{ value: unknown; rumor: Api.Rumor }>);
  for (const [i, node] of nodes.entries()) node.gossip.on(topic, (value, rumor) => heard[i]?.push({ value, rumor }));
  return heard;
}

/** The requests of each node, grouped by the instant they were sent: one group per push. */
function pushes(requests: TracedMessage[]): Map<string, Map<number, string[]>> {
  const byNode = new Map<string, Map<number, string[]>>();
  for (const { from, to, at } of requests) {
    const instants = byNode.get(from) ?? new Map<number, string[]>();
    byNode.set(from, instants);
    const instant = Math.round(at * 1e6) / 1e6;
    instants.set(instant, [...(instants.get(instant) ?? []), to]);
  }
  return byNode;
}

/**
 * Checks that one rumor, spread alone by `spreader` at `since`, was pushed by
 * every node to `fanout` distinct other members per round, `rounds` rounds
 * `roundMs` apart (the spreader once more, at once), and nothing else.
 */
function assertPushes(nodes: Api.GroupNode[], spreader: Api.GroupNode, requests: TracedMessage[], since: number, fanout: number, rounds: number, roundMs: number): void {
  const members = new Set(nodes.map((node) => key(node.address)));
  const byNode = pushes(requests);
  const n = nodes.length;
  for (const node of nodes) {
    const self = key(node.address);
    const instants = [...(byNode.get(self) ?? new Map<number, string[]>())].sort(([a], [b]) => a - b);
    const times = instants.map(([at]) => at);
    if (node === spreader) {
      assert.equal(times[0], since, `the spreader must push at once (its first push came ${(times[0] ?? Number.NaN) - since} ms after spread())`);
      assert.ok(times.length === rounds || times.length === rounds + 1, `n = ${n}: the spreader pushed ${times.length} times (at once, then ${rounds} rounds)`);
    } else {
      assert.equal(times.length, rounds, `n = ${n}: a node pushed the rumor in ${times.length} rounds instead of ${rounds}`);
    }
    for (const [at, targets] of instants) {
      assert.equal(targets.length, fanout, `n = ${n}: a node pushed to ${targets.length} members at ${at} ms instead of ${fanout}`);
      assert.equal(new Set(targets).size, targets.length, `n = ${n}: a node pushed twice to one member in one round`);
      assert.ok(!targets.includes(self), `n = ${n}: a node pushed to itself`);
      assert.ok(targets.every((target) => members.has(target)), `n = ${n}: a node pushed to a non-member`);
    }
    const rest = node === spreader && times.length === rounds + 1 ? times.slice(1) : times;
    for (let i = 1; i < rest.length; i++) {
      const gap = (rest[i] as number) - (rest[i - 1] as number);
      assert.ok(Math.abs(gap - roundMs) < 1, `n = ${n}: rounds ${gap} ms apart instead of ${roundMs}`);
    }
  }
}

test("each member's handlers get each rumor once, the spreader's own included, with its id, group, topic and origin", withSimulation({ latency: [1, 20] }, async (sim, random, t) => {
  const nodes = await simGroup(t, sim, 30, "g");
  const news = hear(nodes, "news");
  const sport = hear(nodes, "sport");
  const spreads: Array<{ id: string; origin: string; topic: string; value: unknown }> = [];
  for (let i = 0; i < 8; i++) {
    const spreader = random.pick(nodes);
    const topic = i % 3 === 0 ? "sport" : "news";
    const value = { i, text: `rumor ${random.uint32()}`, list: [i, [i]] };
    spreads.push({ id: await sim.settle(spreader.gossip.spread("g", topic, value)), origin: spreader.id, topic, value });
    await sim.run(random.int(0, 150));
  }
  await sim.run(5_000);
  assert.equal(new Set(spreads.map(({ id }) => id)).size, spreads.length, "two spreads returned the same rumor id");
  for (const [i, node] of nodes.entries()) {
    for (const [topic, heard] of [["news", news[i]], ["sport", sport[i]]] as const) {
      const expected = spreads.filter((spread) => spread.topic === topic).map(({ id }) => id).sort();
      const got = (heard ?? []).map(({ rumor }) => rumor.id).sort();
      assert.deepEqual(got, expected, `node ${i} (${node.sid}), topic ${topic}: each rumor once, no other topic's`);
      for (const { value, rumor } of heard ?? []) {
        const spread = spreads.find(({ id }) => id === rumor.id);
        assert.deepEqual({ value, gid: rumor.gid, topic: rumor.topic, origin: rumor.origin }, { value: spread?.value, gid: "g", topic, origin: spread?.origin });
      }
    }
  }
}));

test("with the defaults each node pushes a rumor to ⌈ln n⌉ other members per round, every 100 ms, for ⌈log2 n⌉ + 1 rounds, the spreader at once", withSeed(async (random, t) => {
  for (const n of [12, 60]) {
    const sim = new Simulation({ seed: random.uint32(), latency: [1, 5] });
    const requests = requestsSent(sim);
    const nodes = await simGroup(t, sim, n, "g");
    const heard = hear(nodes, "t");
    const spreader = random.pick(nodes);
    const since = sim.now();
    await sim.settle(spreader.gossip.spread("g", "t", "x"));
    await sim.run(3_000);
    assert.ok(heard.every((got) => got.length === 1), `n = ${n}: every member learns the rumor once`);
    assertPushes(nodes, spreader, sentSince(requests, since), since, Math.max(1, Math.ceil(Math.log(n))), Math.ceil(Math.log2(n)) + 1, 100);
  }
}));

test("the options fanout, rounds and roundMs set how a rumor spreads", withSimulation({ latency: [1, 5] }, async (sim, random, t) => {
  const requests = requestsSent(sim);
  const nodes = await simGroup(t, sim, 16, "g", { gossip: { fanout: 2, rounds: 6, roundMs: 250 } });
  const heard = hear(nodes, "t");
  const spreader = random.pick(nodes);
  const since = sim.now();
  await sim.settle(spreader.gossip.spread("g", "t", "x"));
  await sim.run(6_000);
  assert.ok(heard.every((got) => got.length === 1), "every member learns the rumor once");
  assertPushes(nodes, spreader, sentSince(requests, since), since, 2, 6, 250);
}));

test("each round a node sends all the rumors of a group it is still pushing in one message per chosen member", withSimulation({ latency: [1, 5] }, async (sim, random, t) => {
  const requests = requestsSent(sim);
  const nodes = await simGroup(t, sim, 20, "g");
  const heard = hear(nodes, "t");
  const fanout = Math.ceil(Math.log(20));
  const since = sim.now();
  const spreaders = [random.pick(nodes), random.pick(nodes)];
  const spreadTimes = new Set<number>();
  for (let i = 0; i < 12; i++) {
    spreadTimes.add(Math.round(sim.now() * 1e6) / 1e6);
    await sim.settle((spreaders[i % 2] as Api.GroupNode).gossip.spread("g", "t", i));
    if (i % 4 === 3) await sim.run(30);
  }
  await sim.run(4_000);
  assert.ok(heard.every((got) => got.length === 12), "every member learns each of the 12 rumors once");
  for (const [, byInstant] of pushes(sentSince(requests, since))) {
    for (const [at, targets] of byInstant) {
      if (spreadTimes.has(at)) continue;
      assert.equal(targets.length, fanout, `a round pushed to ${targets.length} members instead of ${fanout}: all rumors go in one message per member`);
    }
  }
}));

test("once a rumor has been pushed for its rounds, every node falls silent and holds no timer", withSimulation({ latency: [1, 5] }, async (sim, random, t) => {
  const requests = requestsSent(sim);
  const nodes = await simGroup(t, sim, 25, "g");
  hear(nodes, "t");
  await sim.settle(random.pick(nodes).gossip.spread("g", "t", "x"));
  const rounds = Math.ceil(Math.log2(25)) + 1;
  await sim.run(5_000);
  const requestCount = requests.length;
  const timers = sim.timers().set;
  for (const [i, node] of nodes.entries()) assert.equal(sim.timers(node.address).pending, 0, `node ${i} still holds a timer ${5_000 - rounds * 100} ms after its last round`);
  await sim.run(10_000);
  assert.equal(requests.length, requestCount, "an idle node sent a message");
  assert.equal(sim.timers().set, timers, "an idle node set a timer");
}));

test("a repeated rumor is dropped while its id is remembered, and only the last `remember` ids are", withSeed(async (random, t) => {
  const remember = 6;
  const sim = new Simulation({ seed: random.uint32(), latency: [1, 5] });
  const requests = requestsSent(sim);
  const nodes = await simGroup(t, sim, 4, "g", { gossip: { remember } });
  const heard = hear(nodes, "t");
  const spreader = random.pick(nodes);
  const since = sim.now();
  const first = await sim.settle(spreader.gossip.spread("g", "t", "first"));
  const push = sentSince(requests, since, spreader.address)[0];
  assert.ok(push !== undefined, "the spreader pushed nothing");
  await sim.run(2_000);
  const target = nodes.find((node) => key(node.address) === push.to) as Api.GroupNode;
  const heardFirst = () => (heard[nodes.indexOf(target)] ?? []).filter(({ rumor }) => rumor.id === first).length;
  assert.equal(heardFirst(), 1);
  const transport = sim.context().transport;
  let replays = 0;
  const replay = async () => {
    const request = { id: `replay-${replays++}-${push.id}`, from: spreader.address, path: push.path, body: push.body };
    await sim.settle(transport.request(target.address, request, 1_000).catch(() => undefined));
    await sim.run(1_000);
  };
  await replay();
  assert.equal(heardFirst(), 1, "a rumor pushed again was delivered again");
  const spreadAlone = async (value: string) => {
    await sim.settle(spreader.gossip.spread("g", "t", value));
    await sim.run(1_000); // pushed for all its rounds: nobody pushes it any more
  };
  for (let i = 0; i < remember - 2; i++) await spreadAlone(`newer ${i}`);
  await replay();
  assert.equal(heardFirst(), 1, `a rumor pushed again after ${remember - 2} newer ones (remember ${remember}) was delivered again`);
  for (let i = 0; i < remember + 2; i++) await spreadAlone(`newest ${i}`);
  assert.equal((heard[nodes.indexOf(target)] ?? []).length, 1 + (remember - 2) + (remember + 2), "every new rumor is learned");
  await replay();
  assert.equal(heardFirst(), 2, `after ${remember + 2} newer rumors (remember ${remember}), the oldest id is forgotten: pushed again, the rumor is new again`);
}));

test("a handler that throws stops neither the node's other handlers nor the rumor", withSimulation({ latency: [1, 20] }, async (sim, random, t) => {
  const nodes = await simGroup(t, sim, 15, "g");
  for (const node of nodes) node.gossip.on("t", () => {
    throw new Error("a handler that fails");
  });
  const heard = hear(nodes, "t");
  await sim.settle(random.pick(nodes).gossip.spread("g", "t", 1));
  await sim.settle(random.pick(nodes).gossip.spread("g", "t", 2));
  await sim.run(4_000);
  for (const [i, got] of heard.entries()) assert.deepEqual(got.map(({ value }) => value).sort(), [1, 2], `node ${i}`);
}));

test("on() returns a function that stops the handler, and the node's other handlers go on", withSimulation({ latency: [1, 20] }, async (sim, random, t) => {
  const nodes = await simGroup(t, sim, 10, "g");
  const stopped = nodes.map(() => 0);
  const stops = nodes.map((node, i) => node.gossip.on("t", () => (stopped[i] = (stopped[i] ?? 0) + 1)));
  const heard = hear(nodes, "t");
  await sim.settle(random.pick(nodes).gossip.spread("g", "t", "before"));
  await sim.run(3_000);
  for (const stop of stops) stop();
  await sim.settle(random.pick(nodes).gossip.spread("g", "t", "after"));
  await sim.run(3_000);
  assert.deepEqual(stopped, nodes.map(() => 1), "a stopped handler got a rumor");
  assert.ok(heard.every((got) => got.length === 2));
}));

test("duplicated and reordered messages deliver each rumor once to each member", withSimulation({ latency: [1, 250], duplicate: 0.3 }, async (sim, random, t) => {
  const nodes = await simGroup(t, sim, 40, "g");
  const heard = hear(nodes, "t");
  const ids: string[] = [];
  for (let i = 0; i < 10; i++) {
    ids.push(await sim.settle(random.pick(nodes).gossip.spread("g", "t", i)));
    await sim.run(random.int(0, 50));
  }
  await sim.run(8_000);
  assert.ok(sim.network.stats.duplicated > 100);
  for (const [i, got] of heard.entries()) assert.deepEqual(got.map(({ rumor }) => rumor.id).sort(), [...ids].sort(), `node ${i}: each rumor once`);
}));

test("a rumor in a group of one reaches its spreader and sends no message", withSimulation({}, async (sim, random, t) => {
  const requests = requestsSent(sim);
  const [node] = await simGroup(t, sim, 1, "solo");
  assert.ok(node);
  const heard = hear([node], "t");
  const id = await sim.settle(node.gossip.spread("solo", "t", "alone"));
  await sim.run(2_000);
  assert.deepEqual(heard[0]?.map(({ rumor }) => rumor.id), [id]);
  assert.equal(requests.length, 0);
}));

test("a rumor reaches all 200 members of a group, each once", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const nodes = await simGroup(t, sim, 200, "big");
  const heard = hear(nodes, "t");
  const id = await sim.settle(random.pick(nodes).gossip.spread("big", "t", "everyone"));
  const all = await sim.runUntil(() => heard.every((got) => got.length > 0), 2 * Math.log2(200) * 100 + 10);
  assert.ok(all, `${heard.filter((got) => got.length === 0).length} of 200 members had not heard the rumor after 2·log2(200) rounds`);
  await sim.run(3_000);
  assert.ok(heard.every((got) => got.length === 1 && got[0]?.rumor.id === id));
}));

test("a node restarted at its address spreads rumors that every member hears, though it starts counting again", withSimulation({ latency: [1, 20] }, async (sim, random, t) => {
  const nodes = await simGroup(t, sim, 10, "g");
  const victim = random.pick(nodes);
  for (let i = 0; i < 3; i++) await sim.settle(victim.gossip.spread("g", "news", `first life ${i}`));
  await sim.run(5_000);
  sim.crash(victim.address);
  await sim.run(1_000);
  const restarted = await m3.startNode({ ip: victim.address.ip, port: victim.address.port, context: sim.context() });
  t.after(() => restarted.stop());
  await restarted.groups.put("g", nodes.map((node) => node.address));
  const listeners = [...nodes.filter((node) => node !== victim), restarted];
  const heard = hear(listeners, "news");
  await sim.settle(restarted.gossip.spread("g", "news", "second life"));
  await sim.run(5_000);
  for (const [i, node] of listeners.entries()) {
    assert.deepEqual(heard[i]?.map(({ value }) => value), ["second life"], `${node.sid} heard the restarted node's rumor once`);
  }
}));
