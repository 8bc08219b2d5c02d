/**
 * handouts/m2.md#comm ("At most once", the table of outcomes) and
 * #simulation, on the simulated network: duplicated requests run once (even
 * while the first copy still runs); lost messages end in TimeoutError; every
 * call ends with its own value or a typed error, and what callers saw agrees
 * with the side effects that happened; timeouts come from the call, the
 * node, or the 5 s default; partitions and one-way cuts lose exactly the
 * messages they cover until healed; a crashed callee leaves its callers a
 * typed error within their timeout, and a node started on its address takes
 * its place. (One file for every network fault, hence its length.)
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Simulation } from "../../autograder/harness/sim/simulation.ts";
import type { Random } from "../../autograder/harness/random.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import { RemoteError, TimeoutError, UnreachableError } from "../../autograder/kit/errors.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type * as Api from "../api.ts";
import { describe, watch, type Watched } from "./_calls.ts";
import { ledger, recordOn, silent, simNodes, sleep, tally } from "./_nodes.ts";

const m2 = await load<typeof Api>("m2");

interface LedgerCall {
  token: string;
  callee: number;
  call: Watched<unknown>;
}

/**
 * Starts nodes with a ledger each (half of them actors, half concurrent) and
 * makes `count` calls from random nodes to random other nodes, all at once.
 */
async function ledgerRun(t: TestContext, random: Random, sim: Simulation, nodeCount: number, count: number, config: Api.NodeConfig = {}) {
  const nodes = await simNodes(t, m2, sim, nodeCount, config);
  const logs = nodes.map(() => [] as string[]);
  for (const [i, node] of nodes.entries()) {
    await node.routes.put(ledger(sim, logs[i] as string[]), "ledger", { mode: i % 2 === 0 ? "actor" : "concurrent" });
  }
  const calls: LedgerCall[] = [];
  for (let k = 0; k < count; k++) {
    const caller = random.int(0, nodeCount - 1);
    const callee = (caller + random.int(1, nodeCount - 1)) % nodeCount;
    const token = `call-${k}`;
    const node = nodes[caller] as Api.DistNode;
    const promise = node.comm.send([token, random.int(0, 30)], recordOn(nodes[callee] as Api.DistNode));
    calls.push({ token, callee, call: watch(promise, () => sim.now()) });
  }
  const allEnded = await sim.runUntil(() => calls.every(({ call }) => call.outcome !== undefined), 30_000);
  assert.ok(allEnded, `${calls.filter(({ call }) => call.outcome === undefined).length} of ${count} calls never ended`);
  await sim.run(1_000); // late duplicates arrive; they must not run anything
  return { nodes, logs, calls };
}

test("a request the network duplicates runs its method once, even while the first copy runs", withSeed(async (random: Random, t: TestContext) => {
  const sim = new Simulation({ seed: random.uint32(), latency: [1, 20], duplicate: 0.5 });
  const { logs, calls } = await ledgerRun(t, random, sim, 5, 300);
  assert.ok(sim.network.stats.duplicated > 50, "the network must have duplicated messages");
  for (const { token, callee, call } of calls) {
    const outcome = call.outcome;
    assert.ok(outcome?.ok, `${token}: without losses every call returns (got ${outcome?.ok === false ? describe(outcome.error) : "nothing"})`);
    assert.equal(outcome.value, token, `${token}: the call returned another call's result`);
    for (const [i, log] of logs.entries()) {
      const times = tally(log).get(token) ?? 0;
      assert.equal(times, i === callee ? 1 : 0, `${token} ran ${times} times on node ${i} (callee ${callee})`);
    }
  }
}));

test("under drops and duplicates every call ends with its value or a TimeoutError and runs at most once", withSeed(async (random: Random, t: TestContext) => {
  const timeoutMs = 150;
  for (let round = 0; round < 3; round++) {
    const sim = new Simulation({ seed: random.uint32(), latency: [1, 10], drop: 0.15, duplicate: 0.15 });
    const { logs, calls } = await ledgerRun(t, random, sim, 4, 150, { callTimeoutMs: timeoutMs });
    let returned = 0;
    for (const { token, callee, call } of calls) {
      const outcome = call.outcome;
      assert.ok(outcome !== undefined);
      assert.ok(call.elapsed <= timeoutMs * 1.1, `${token} ended after ${call.elapsed} ms, past its ${timeoutMs} ms timeout`);
      const times = logs.map((log) => tally(log).get(token) ?? 0);
      assert.ok(times.every((n, i) => n <= (i === callee ? 1 : 0)), `${token} ran ${times.join("/")} times on the nodes (callee ${callee})`);
      if (outcome.ok) {
        returned++;
        assert.equal(outcome.value, token, `${token}: the call returned another call's result`);
        assert.equal(times[callee], 1, `${token} returned, so it must have run on its callee`);
      } else {
        assert.ok(outcome.error instanceof TimeoutError, `${token}: a lost message must end in TimeoutError, got ${describe(outcome.error)}`);
      }
    }
    const effects = logs.reduce((sum, log) => sum + log.length, 0);
    assert.ok(returned > 0 && returned < calls.length, `round ${round}: ${returned} of ${calls.length} calls returned; losses must show`);
    assert.ok(effects >= returned && effects <= calls.length, `round ${round}: ${effects} effects for ${returned} returned of ${calls.length} calls`);
  }
}));

test("responses reach their own callers when the network reorders messages", withSeed(async (random: Random, t: TestContext) => {
  const sim = new Simulation({ seed: random.uint32(), latency: [1, 200] });
  const nodes = await simNodes(t, m2, sim, 8);
  for (const [i, node] of nodes.entries()) {
    const echo = async (value: unknown, waitMs: number) => {
      await sleep(sim, waitMs);
      return value;
    };
    await node.routes.put({ echo }, "echo", { mode: i % 2 === 0 ? "actor" : "concurrent" });
  }
  const calls = Array.from({ length: 400 }, (_, k) => {
    const from = random.pick(nodes);
    const to = random.pick(nodes.filter((node) => node !== from));
    const value = { k, payload: Array.from({ length: random.int(0, 5) }, () => random.int(0, 1e6)), tag: `t${random.uint32()}` };
    const promise = from.comm.send([value, random.int(0, 20)], { node: to.address, service: "echo", method: "echo" });
    return { value, call: watch(promise, () => sim.now()) };
  });
  const allEnded = await sim.runUntil(() => calls.every(({ call }) => call.outcome !== undefined), 30_000);
  assert.ok(allEnded, "every call must end");
  for (const { value, call } of calls) {
    const outcome = call.outcome;
    assert.ok(outcome?.ok, `call ${value.k} failed: ${outcome?.ok === false ? describe(outcome.error) : ""}`);
    assert.deepEqual(outcome.value, value, `call ${value.k} got another call's result`);
  }
}));

test("a method that throws runs once and its error reaches the caller as the cause of a RemoteError", withSeed(async (random: Random, t: TestContext) => {
  const sim = new Simulation({ seed: random.uint32(), latency: [1, 20], duplicate: 0.6 });
  const [a, b] = (await simNodes(t, m2, sim, 2)) as [Api.DistNode, Api.DistNode];
  let runs = 0;
  await b.routes.put({
    reject: async (limit: number) => {
      runs++;
      await sleep(sim, 10);
      throw new RangeError(`limit ${limit} is out of range`);
    },
  }, "strict");
  const calls = Array.from({ length: 40 }, (_, k) =>
    watch(a.comm.send([k], { node: b.address, service: "strict", method: "reject" }), () => sim.now())
  );
  assert.ok(await sim.runUntil(() => calls.every((call) => call.outcome !== undefined), 30_000), "every call must end");
  await sim.run(1_000);
  assert.equal(runs, calls.length, `${calls.length} calls ran the method ${runs} times`);
  for (const [k, call] of calls.entries()) {
    const outcome = call.outcome;
    assert.ok(outcome !== undefined && !outcome.ok, `call ${k} must fail`);
    assert.ok(outcome.error instanceof RemoteError, `call ${k}: expected RemoteError, got ${describe(outcome.error)}`);
    const cause = outcome.error.cause;
    assert.ok(cause instanceof RangeError, `call ${k}: the cause must be the remote RangeError, got ${describe(cause)}`);
    assert.equal(cause.message, `limit ${k} is out of range`);
  }
}));

test("a call times out after options.timeoutMs, else the node's callTimeoutMs, else 5 seconds", withSeed(async (random: Random, t: TestContext) => {
  const sim = new Simulation({ seed: random.uint32(), latency: [1, 5] });
  const [configured] = await simNodes(t, m2, sim, 1, { callTimeoutMs: 900 });
  const [plain, callee] = await simNodes(t, m2, sim, 2);
  assert.ok(configured && plain && callee);
  await callee.routes.put(silent, "silent", { mode: "concurrent" });
  const remote = { node: callee.address, service: "silent", method: "hang" };
  const cases = [
    { what: "options.timeoutMs", limit: 250, call: watch(configured.comm.send([], remote, { timeoutMs: 250 }), () => sim.now()) },
    { what: "callTimeoutMs", limit: 900, call: watch(configured.comm.send([], remote), () => sim.now()) },
    { what: "the default", limit: 5_000, call: watch(plain.comm.send([], remote), () => sim.now()) },
  ];
  assert.ok(await sim.runUntil(() => cases.every(({ call }) => call.outcome !== undefined), 60_000), "every call must end");
  for (const { what, limit, call } of cases) {
    const outcome = call.outcome;
    assert.ok(outcome !== undefined && !outcome.ok, `${what}: a call that gets no answer must fail`);
    assert.ok(outcome.error instanceof TimeoutError, `${what}: expected TimeoutError, got ${describe(outcome.error)}`);
    assert.ok(call.elapsed >= limit && call.elapsed <= limit * 1.05, `${what}: timed out after ${call.elapsed} ms, expected ${limit} ms`);
  }
}));

/** The call timeout of the nodes in the partition and crash tests. */
const partitionTimeoutMs = 300;

/** Nodes on a fault-free network, each with a ledger; `logs[i]` is node i's. */
async function ledgerNodes(t: TestContext, random: Random, count: number) {
  const sim = new Simulation({ seed: random.uint32(), latency: [1, 5] });
  const nodes = await simNodes(t, m2, sim, count, { callTimeoutMs: partitionTimeoutMs });
  const logs = nodes.map(() => [] as string[]);
  for (const [i, node] of nodes.entries()) await node.routes.put(ledger(sim, logs[i] as string[]), "ledger");
  return { sim, nodes, logs };
}

/** Calls every node from every other node at once (token `${prefix}:${i}>${j}`) and waits until all calls end. */
async function callEveryPair(sim: Simulation, nodes: Api.DistNode[], prefix: string) {
  const calls = new Map<string, { from: number; to: number; call: Watched<unknown> }>();
  for (const [i, from] of nodes.entries()) {
    for (const [j, to] of nodes.entries()) {
      if (i === j) continue;
      const token = `${prefix}:${i}>${j}`;
      calls.set(token, { from: i, to: j, call: watch(from.comm.send([token, 0], recordOn(to)), () => sim.now()) });
    }
  }
  const allEnded = await sim.runUntil(() => [...calls.values()].every(({ call }) => call.outcome !== undefined), 10_000);
  assert.ok(allEnded, `${prefix}: every call must end`);
  return calls;
}

/** Checks that a call returned its token, or timed out without running, as `reachable` says. */
function assertReach(token: string, call: Watched<unknown>, reachable: boolean, calleeLog: readonly string[]): void {
  const outcome = call.outcome;
  assert.ok(outcome !== undefined);
  if (reachable) {
    assert.ok(outcome.ok, `${token}: the nodes can reach each other, yet the call failed: ${outcome.ok ? "" : describe(outcome.error)}`);
    assert.equal(outcome.value, token);
  } else {
    assert.ok(!outcome.ok && outcome.error instanceof TimeoutError, `${token}: a lost request must end in TimeoutError, got ${outcome.ok ? "a value" : describe(outcome.error)}`);
    assert.ok(call.elapsed <= partitionTimeoutMs * 1.1, `${token}: ended after ${call.elapsed} ms, past the ${partitionTimeoutMs} ms timeout`);
    assert.ok(!calleeLog.includes(token), `${token}: the request was lost, yet the method ran`);
  }
}

test("a partition into halves fails calls across it with TimeoutError until it heals", withSeed(async (random: Random, t: TestContext) => {
  const { sim, nodes, logs } = await ledgerNodes(t, random, 6);
  const side = (i: number) => (i < 3 ? 0 : 1);
  sim.network.partition(nodes.slice(0, 3).map((node) => node.address), nodes.slice(3).map((node) => node.address));
  for (const [token, { from, to, call }] of await callEveryPair(sim, nodes, "split")) {
    assertReach(token, call, side(from) === side(to), logs[to] as string[]);
  }
  sim.network.heal();
  for (const [token, { to, call }] of await callEveryPair(sim, nodes, "healed")) {
    assertReach(token, call, true, logs[to] as string[]);
  }
}));

test("an isolated node reaches no one and no one reaches it until the partition heals", withSeed(async (random: Random, t: TestContext) => {
  const { sim, nodes, logs } = await ledgerNodes(t, random, 5);
  const lonely = random.int(0, nodes.length - 1);
  const lonelyNode = nodes[lonely] as Api.DistNode;
  sim.network.partition([lonelyNode.address], nodes.filter((node) => node !== lonelyNode).map((node) => node.address));
  for (const [token, { from, to, call }] of await callEveryPair(sim, nodes, "isolated")) {
    assertReach(token, call, from !== lonely && to !== lonely, logs[to] as string[]);
  }
  sim.network.heal();
  for (const [token, { to, call }] of await callEveryPair(sim, nodes, "healed")) {
    assertReach(token, call, true, logs[to] as string[]);
  }
}));

test("a one-way cut loses requests one way and responses the other way, so only those calls ran", withSeed(async (random: Random, t: TestContext) => {
  const { sim, nodes, logs } = await ledgerNodes(t, random, 2);
  const [a, b] = nodes as [Api.DistNode, Api.DistNode];
  const [aLog, bLog] = logs as [string[], string[]];
  sim.network.cut(a.address, b.address);
  const forward = watch(a.comm.send(["a>b", 0], recordOn(b)), () => sim.now());
  const backward = watch(b.comm.send(["b>a", 0], recordOn(a)), () => sim.now());
  assert.ok(await sim.runUntil(() => forward.outcome !== undefined && backward.outcome !== undefined, 10_000), "both calls must end");
  assertReach("a>b", forward, false, bLog);
  const back = backward.outcome;
  assert.ok(back !== undefined && !back.ok && back.error instanceof TimeoutError, `b>a: its response is lost, so it must end in TimeoutError, got ${back?.ok ? "a value" : describe(back?.error)}`);
  assert.deepEqual(aLog, ["b>a"], "b>a: the request arrived, so the method ran, once");
  sim.network.heal();
  const healed = [watch(a.comm.send(["a>b again", 0], recordOn(b)), () => sim.now()), watch(b.comm.send(["b>a again", 0], recordOn(a)), () => sim.now())];
  assert.ok(await sim.runUntil(() => healed.every((call) => call.outcome !== undefined), 10_000), "calls after healing must end");
  assertReach("a>b again", healed[0] as Watched<unknown>, true, bLog);
  assertReach("b>a again", healed[1] as Watched<unknown>, true, aLog);
}));

test("a crashed callee leaves its callers a typed error within the timeout, and refuses later calls at once", withSeed(async (random: Random, t: TestContext) => {
  const { sim, nodes, logs } = await ledgerNodes(t, random, 3);
  const [a, b, c] = nodes as [Api.DistNode, Api.DistNode, Api.DistNode];
  const midCall = watch(a.comm.send(["slow", 5_000], recordOn(b), { timeoutMs: 400 }), () => sim.now());
  await sim.run(50);
  assert.deepEqual(logs[1], ["slow"], "the call must be running on the callee before the crash");
  sim.crash(b.address);
  assert.ok(await sim.runUntil(() => midCall.outcome !== undefined, 10_000), "the call must end");
  const cut = midCall.outcome;
  assert.ok(cut !== undefined && !cut.ok, "a call whose callee crashed cannot return");
  assert.ok(cut.error instanceof TimeoutError || cut.error instanceof UnreachableError, `expected TimeoutError or UnreachableError, got ${describe(cut.error)}`);
  assert.ok(midCall.elapsed <= 440, `the call ended after ${midCall.elapsed} ms, past its 400 ms timeout`);

  const toCrashed = watch(a.comm.send(["gone", 0], recordOn(b)), () => sim.now());
  const toLive = watch(a.comm.send(["here", 0], recordOn(c)), () => sim.now());
  assert.ok(await sim.runUntil(() => toCrashed.outcome !== undefined && toLive.outcome !== undefined, 10_000), "both calls must end");
  const refused = toCrashed.outcome;
  assert.ok(refused !== undefined && !refused.ok && refused.error instanceof UnreachableError, `a call to a crashed node: expected UnreachableError, got ${refused?.ok ? "a value" : describe(refused?.error)}`);
  assert.ok(toCrashed.elapsed < partitionTimeoutMs, `a refused call must fail at once, not after ${toCrashed.elapsed} ms`);
  assert.deepEqual(logs[1], ["slow"]);
  assert.equal(toLive.outcome?.ok && toLive.outcome.value, "here", "the other nodes keep answering");
}));

test("a node started on a crashed node's address has its id and answers in its place", withSeed(async (random: Random, t: TestContext) => {
  const { sim, nodes, logs } = await ledgerNodes(t, random, 2);
  const [a, b] = nodes as [Api.DistNode, Api.DistNode];
  assert.equal(await sim.settle(a.comm.send(["before", 0], recordOn(b))), "before");
  sim.crash(b.address);
  const restarted = await m2.startNode({ ip: b.address.ip, port: b.address.port, context: sim.context() });
  t.after(() => restarted.stop());
  assert.deepEqual(restarted.address, b.address);
  assert.equal(restarted.id, createHash("sha256").update(`${b.address.ip}:${b.address.port}`).digest("hex"));
  assert.equal(restarted.id, b.id);
  const remote = { node: b.address, service: "status", method: "get" };
  assert.equal(await sim.settle(a.comm.send(["nid"], remote)), b.id);
  await assert.rejects(sim.settle(a.comm.send(["lost", 0], recordOn(b))), RemoteError, "the restarted node has no ledger yet");
  const fresh: string[] = [];
  await restarted.routes.put(ledger(sim, fresh), "ledger");
  assert.equal(await sim.settle(a.comm.send(["after", 0], recordOn(b))), "after");
  assert.deepEqual(fresh, ["after"]);
  assert.deepEqual(logs[1], ["before"], "the crashed node must not run the new calls");
}));

test("a caller restarted at its address has its calls run, not answered from what the callee remembers of its earlier life", withSeed(async (random: Random, t: TestContext) => {
  const { sim, nodes, logs } = await ledgerNodes(t, random, 2);
  const [a, b] = nodes as [Api.DistNode, Api.DistNode];
  for (const entry of ["first", "second", "third"]) assert.equal(await sim.settle(a.comm.send([entry, 0], recordOn(b))), entry);
  sim.crash(a.address);
  await sim.run(1_000);
  const restarted = await m2.startNode({ ip: a.address.ip, port: a.address.port, context: sim.context() });
  t.after(() => restarted.stop());
  for (const entry of ["fourth", "fifth"]) assert.equal(await sim.settle(restarted.comm.send([entry, 0], recordOn(b))), entry);
  assert.deepEqual(logs[1], ["first", "second", "third", "fourth", "fifth"], "each call of either life ran once");
}));
