/**
 * handouts/m3.md#membership: the view lists every member, itself included;
 * each member probes another every period (never itself), and `periodMs`
 * sets the period; a member reachable only through others (a cut link, one
 * way or both) is never suspected; isolation, one-way isolation and halves
 * end in dead verdicts within the bound; a member suspected for less than
 * `suspicionMs` refutes with a higher incarnation; no member is declared
 * dead sooner than `suspicionMs` after it was first suspected; a member that
 * restarts, suspected or dead, comes back; `on` reports each change of mind;
 * `unwatch` stops probing. Messages are counted as the requests each
 * transport sends (an ack may be a request of its own).
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import type { Random } from "../../autograder/harness/random.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import { Simulation } from "../../autograder/harness/sim/simulation.ts";
import { withSimulation } from "../../autograder/harness/sim/with-simulation.ts";
import type * as Api from "../api.ts";
import { key, m3, requestsSent, sentSince, simGroup } from "./_nodes.ts";

/** The bound of handouts/m3.md#membership for `n` members. */
const bound = (n: number, periodMs = 200, suspicionMs = 10 * periodMs) => 2 * (n - 1) * periodMs + suspicionMs + periodMs;

/** Starts `count` members that all watch `gid`. */
async function watching(t: Parameters<typeof simGroup>[0], sim: Simulation, count: number, options: Api.MembershipOptions = {}) {
  const nodes = await simGroup(t, sim, count, "m");
  for (const node of nodes) await sim.settle(node.membership.watch("m", options));
  return nodes;
}

/** Every change of mind any member reported, in order. */
function changes(sim: Simulation, nodes: Api.GroupNode[]) {
  const log: Array<{ observer: Api.GroupNode; gid: string; nid: string; view: Api.MemberView; at: number; now?: Api.MemberView }> = [];
  for (const observer of nodes) {
    observer.membership.on((gid, nid, view) => {
      log.push({ observer, gid, nid, view: structuredClone(view), at: sim.now(), now: structuredClone(observer.membership.view(gid).get(nid)) });
    });
  }
  return log;
}

/** The state `observer` holds `member` in. */
const stateOf = (observer: Api.GroupNode, member: Api.GroupNode) => observer.membership.view("m").get(member.id)?.state;

test("a watching member's view lists every member of the group, itself included, by node id, all alive while nothing fails", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const nodes = await watching(t, sim, 7);
  const log = changes(sim, nodes);
  for (const when of ["at once", "after 10 s"]) {
    if (when !== "at once") await sim.run(10_000);
    for (const [i, node] of nodes.entries()) {
      const view = node.membership.view("m");
      assert.deepEqual([...view.keys()].sort(), nodes.map((member) => member.id).sort(), `${when}: node ${i}'s view has other keys than the members' ids`);
      for (const member of nodes) {
        const seen = view.get(member.id) as Api.MemberView;
        assert.deepEqual(seen.address, member.address, `${when}: node ${i} has another address for a member`);
        assert.equal(seen.state, "alive", `${when}: node ${i} holds a member ${seen.state}`);
        assert.ok(Number.isInteger(seen.incarnation) && seen.incarnation >= 0);
      }
    }
  }
  assert.deepEqual(log.filter(({ view }) => view.state !== "alive").map(({ view }) => view.state), [], "a member changed its mind without any failure");
}));

test("each member probes another member every period, never itself, and periodMs sets the period", withSeed(async (random, t) => {
  for (const periodMs of [200, 500]) {
    const sim = new Simulation({ seed: random.uint32(), latency: [1, 10] });
    const requests = requestsSent(sim);
    const n = 9;
    const nodes = await watching(t, sim, n, periodMs === 200 ? {} : { periodMs });
    await sim.run(2_000);
    const since = sim.now();
    const periods = 4 * (n - 1);
    await sim.run(periods * periodMs);
    const all = sentSince(requests, since).filter(({ at }) => at < since + periods * periodMs);
    assert.ok(all.length <= 2 * n * (periods + 1), `periodMs ${periodMs}: ${all.length} messages in ${periods} periods without any loss: more than a probe and an answer per member and period`);
    for (const [i, node] of nodes.entries()) {
      const sent = all.filter(({ from }) => from === key(node.address));
      assert.ok(sent.every(({ to }) => to !== key(node.address)), `node ${i} probed itself`);
      const times = [since, ...sent.map(({ at }) => at), since + periods * periodMs];
      const gap = Math.max(...times.slice(1).map((at, k) => at - (times[k] as number)));
      assert.ok(gap <= 2 * periodMs + 1e-6, `periodMs ${periodMs}: node ${i} sent nothing for ${gap} ms (a probe every period)`);
      const probed = new Set(sent.map(({ to }) => to));
      assert.equal(probed.size, n - 1, `periodMs ${periodMs}: node ${i} probed ${probed.size} of the ${n - 1} other members in ${periods} periods`);
    }
  }
}));

test("a member whose link to another is cut, one way or both, is probed through others and never suspected", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const nodes = await watching(t, sim, 8);
  const log = changes(sim, nodes);
  const [a, b, c, d, e, f] = random.shuffle([...nodes]) as Api.GroupNode[] as [Api.GroupNode, Api.GroupNode, Api.GroupNode, Api.GroupNode, Api.GroupNode, Api.GroupNode];
  sim.network.cut(a.address, b.address);
  sim.network.cut(d.address, c.address);
  sim.network.partition([e.address], [f.address]);
  await sim.run(20_000);
  const doubts = log.filter(({ view }) => view.state !== "alive").map(({ observer, nid, view }) => `${observer.sid} held ${nid.slice(0, 5)} ${view.state}`);
  assert.deepEqual(doubts, [], "members reachable through others were suspected");
  for (const observer of nodes) for (const member of nodes) assert.equal(stateOf(observer, member), "alive");
}));

test("a member cut off from all others is declared dead by each of them within the bound, and declares them dead", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const nodes = await watching(t, sim, 8);
  await sim.run(1_000);
  const loner = random.pick(nodes);
  const others = nodes.filter((node) => node !== loner);
  sim.network.partition([loner.address], others.map((node) => node.address));
  await sim.run(bound(8));
  for (const observer of others) {
    assert.equal(stateOf(observer, loner), "dead", `${observer.sid} does not hold the isolated member dead`);
    for (const member of others) assert.equal(stateOf(observer, member), "alive", `${observer.sid} holds ${member.sid} ${stateOf(observer, member)}`);
    assert.equal(stateOf(loner, observer), "dead", `the isolated member holds ${observer.sid} ${stateOf(loner, observer)}`);
  }
}));

test("a member that can send but receive nothing is declared dead by all others within the bound", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const nodes = await watching(t, sim, 8);
  await sim.run(1_000);
  const deaf = random.pick(nodes);
  const others = nodes.filter((node) => node !== deaf);
  for (const node of others) sim.network.cut(node.address, deaf.address);
  await sim.run(bound(8));
  for (const observer of others) {
    assert.equal(stateOf(observer, deaf), "dead", `${observer.sid} does not hold the member that receives nothing dead`);
  }
}));

test("after a partition into halves each side holds the other dead within the bound, and its own side alive", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const nodes = await watching(t, sim, 10);
  await sim.run(1_000);
  const shuffled = random.shuffle([...nodes]);
  const halves = [shuffled.slice(0, 5), shuffled.slice(5)] as const;
  sim.network.partition(halves[0].map((node) => node.address), halves[1].map((node) => node.address));
  await sim.run(bound(10));
  for (const [side, half] of halves.entries()) {
    const other = halves[1 - side] as Api.GroupNode[];
    for (const observer of half) {
      for (const member of other) assert.equal(stateOf(observer, member), "dead", `${observer.sid} holds ${member.sid}, across the partition, ${stateOf(observer, member)}`);
      for (const member of half) assert.equal(stateOf(observer, member), "alive", `${observer.sid} holds ${member.sid}, on its side, ${stateOf(observer, member)}`);
    }
  }
}));

test("a member cut off for less than suspicionMs refutes: every member holds it alive again, with a higher incarnation, and none declared it dead", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const nodes = await watching(t, sim, 8);
  const log = changes(sim, nodes);
  await sim.run(1_000);
  const loner = random.pick(nodes);
  const others = nodes.filter((node) => node !== loner);
  const before = Math.max(...others.map((observer) => observer.membership.view("m").get(loner.id)?.incarnation ?? 0));
  sim.network.partition([loner.address], others.map((node) => node.address));
  const suspected = await sim.runUntil(() => others.some((observer) => stateOf(observer, loner) === "suspect"), bound(8));
  assert.ok(suspected, "no member suspected the member cut off from all");
  sim.network.heal();
  await sim.run(6_000);
  for (const observer of others) {
    const seen = observer.membership.view("m").get(loner.id);
    assert.equal(seen?.state, "alive", `${observer.sid} holds the member that refuted ${seen?.state}`);
    assert.ok((seen?.incarnation ?? 0) > before, `${observer.sid} holds the member at incarnation ${seen?.incarnation}, not above ${before}`);
  }
  assert.deepEqual(log.filter(({ nid, view }) => nid === loner.id && view.state === "dead").map(({ observer }) => observer.sid), [], "members declared dead a member that refuted in time");
}));

test("no member is declared dead sooner than suspicionMs after it was first suspected, and suspicionMs sets how long", withSeed(async (random, t) => {
  for (const options of [{}, { periodMs: 100, suspicionMs: 3_000 }]) {
    const sim = new Simulation({ seed: random.uint32(), latency: [1, 10] });
    const nodes = await watching(t, sim, 6, options);
    const log = changes(sim, nodes);
    await sim.run(1_000);
    const victim = random.pick(nodes);
    sim.crash(victim.address);
    const periodMs = options.periodMs ?? 200;
    const suspicionMs = options.suspicionMs ?? 10 * periodMs;
    await sim.run(bound(6, periodMs, suspicionMs));
    const about = log.filter(({ nid }) => nid === victim.id);
    const firstSuspect = Math.min(...about.filter(({ view }) => view.state === "suspect").map(({ at }) => at));
    const firstDead = Math.min(...about.filter(({ view }) => view.state === "dead").map(({ at }) => at));
    assert.ok(Number.isFinite(firstSuspect), "the crashed member was never suspected");
    assert.ok(firstDead - firstSuspect >= suspicionMs - 1e-6, `suspicionMs ${suspicionMs}: declared dead ${firstDead - firstSuspect} ms after it was first suspected`);
    for (const observer of nodes) if (observer !== victim) assert.equal(stateOf(observer, victim), "dead", `suspicionMs ${suspicionMs}: not dead on ${observer.sid} within the bound`);
  }
}));

test("on() reports each change of mind about a member of a watched group with its new view, and stops when cancelled", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const nodes = await watching(t, sim, 7);
  await sim.run(1_000);
  const [victim, quiet] = random.shuffle([...nodes]) as [Api.GroupNode, Api.GroupNode];
  let silenced = 0;
  const cancel = quiet.membership.on(() => silenced++);
  cancel();
  const log = changes(sim, nodes);
  sim.crash(victim.address);
  await sim.run(bound(7));
  assert.equal(silenced, 0, "a cancelled handler was called");
  for (const observer of nodes.filter((node) => node !== victim)) {
    const seen = log.filter((change) => change.observer === observer);
    assert.ok(seen.length > 0, `${observer.sid} reported no change of mind about a crashed member`);
    assert.ok(seen.every(({ gid, nid }) => gid === "m" && nid === victim.id), `${observer.sid} reported a change about another member, or another group`);
    assert.equal(seen.at(-1)?.view.state, "dead", `${observer.sid}'s last report is not dead`);
    assert.deepEqual(seen.at(-1)?.view.address, victim.address);
    for (const [k, change] of seen.entries()) {
      assert.deepEqual(change.view, change.now, `${observer.sid}: a report differs from the view at the time`);
      const previous = seen[k - 1]?.view ?? { state: "alive", incarnation: change.view.incarnation - 1 };
      assert.ok(previous.state !== change.view.state || previous.incarnation !== change.view.incarnation, `${observer.sid} reported a change of mind that changed nothing`);
    }
  }
}));

/** Eight watching members, settled for a second; then one of them, the victim, crashes. */
async function crashOneOfEight(random: Random, t: TestContext) {
  const sim = new Simulation({ seed: random.uint32(), latency: [1, 10] });
  const nodes = await watching(t, sim, 8);
  await sim.run(1_000);
  const victim = random.pick(nodes);
  const others = nodes.filter((node) => node !== victim);
  sim.crash(victim.address);
  return { sim, nodes, victim, others };
}

/** A new node at the victim's address, in the group, watching it. */
async function restart(t: TestContext, sim: Simulation, victim: { address: Api.NodeAddress }, nodes: Array<{ address: Api.NodeAddress }>) {
  const restarted = await m3.startNode({ ip: victim.address.ip, port: victim.address.port, context: sim.context() });
  t.after(() => restarted.stop());
  await restarted.groups.put("m", nodes.map((node) => node.address));
  await sim.settle(restarted.membership.watch("m"));
  return restarted;
}

test("a member declared dead that restarts at its address and watches again comes back alive, with a higher incarnation", withSeed(async (random, t) => {
  const { sim, nodes, victim, others } = await crashOneOfEight(random, t);
  const dead = await sim.runUntil(() => others.some((observer) => stateOf(observer, victim) === "dead"), bound(8));
  assert.ok(dead, "the crashed member was not declared dead within the bound");
  const incarnation = Math.max(...others.map((observer) => observer.membership.view("m").get(victim.id)?.incarnation ?? 0));
  const restarted = await restart(t, sim, victim, nodes);
  const back = await sim.runUntil(() => others.every((observer) => stateOf(observer, victim) === "alive"), bound(8));
  assert.ok(back, `the restarted member is still held ${others.map((observer) => stateOf(observer, victim)).join(", ")}`);
  for (const observer of others) {
    assert.ok((observer.membership.view("m").get(victim.id)?.incarnation ?? 0) > incarnation, "the restarted member came back without a higher incarnation");
  }
  await sim.run(5_000);
  for (const observer of [restarted, ...others]) for (const member of others) assert.equal(stateOf(observer, member), "alive");
}));

test("a member that restarts while suspected refutes, and nobody holds it dead", withSeed(async (random, t) => {
  const { sim, nodes, victim, others } = await crashOneOfEight(random, t);
  const suspected = await sim.runUntil(() => others.some((observer) => stateOf(observer, victim) === "suspect"), bound(8));
  assert.ok(suspected, "the crashed member was never suspected");
  const restarted = await restart(t, sim, victim, nodes);
  const log = changes(sim, others);
  await sim.run(bound(8));
  for (const observer of others) {
    assert.equal(stateOf(observer, victim), "alive", `${observer.sid} holds the restarted member ${stateOf(observer, victim)}`);
    assert.ok((observer.membership.view("m").get(victim.id)?.incarnation ?? 0) >= 1);
  }
  assert.ok(log.every(({ nid, view }) => nid !== victim.id || view.state !== "dead"), "a member declared dead a member that refuted in time");
}));

test("unwatch stops probing: once every member has unwatched the group, no member sends anything", withSimulation({ latency: [1, 10], drop: 0.05 }, async (sim, random, t) => {
  const requests = requestsSent(sim);
  const nodes = await watching(t, sim, 6);
  await sim.run(2_000);
  for (const node of random.shuffle([...nodes])) {
    await sim.settle(node.membership.unwatch("m"));
    await sim.run(random.int(0, 300));
  }
  await sim.run(1_000);
  const quiet = sim.now();
  await sim.run(10_000);
  assert.equal(sentSince(requests, quiet).length, 0, "members that all unwatched still send messages");
}));
