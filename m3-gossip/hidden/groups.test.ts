/**
 * handouts/m3.md#groups and #group: a view holds each member once (same ip
 * and port, same member); the `groups` service sets views from afar; a
 * group-wide call goes, in parallel, to the members of the caller's view
 * only, and returns each member's value or typed error under its node id;
 * an empty view gives empty maps; `status.sum` adds up what the members that
 * answered report; `routes.put` sends a service's methods as source and
 * `routes.rem` says which members had it; `groups.*` change every member's
 * view; 200 members at once.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { withSimulation } from "../../autograder/harness/sim/with-simulation.ts";
import { RemoteError, TimeoutError, UnreachableError } from "../../autograder/kit/errors.ts";
import type * as Api from "../api.ts";
import { key, requestsSent, sentSince, simGroup, simNodes } from "./_nodes.ts";

const idOf = (address: Api.NodeAddress) => createHash("sha256").update(`${address.ip}:${address.port}`).digest("hex");

/** A one-line description of a thrown value, for failure messages. */
const describe = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

test("a view holds each member once, members being equal when ip and port both match", withSimulation({}, async (sim, random, t) => {
  const [node] = await simNodes(t, sim, 1);
  assert.ok(node);
  const a = { ip: "10.0.0.1", port: 4000 };
  const b = { ip: "10.0.0.2", port: 4000 };
  const c = { ip: "10.0.0.1", port: 4001 };
  await node.groups.put("g", [a, b, { ...a }, c, { ...b }]);
  assert.deepEqual(await node.groups.get("g"), [a, b, c], "put keeps the first of each member, in order");
  await node.groups.add("g", { ip: "10.0.0.1", port: 4000 });
  assert.deepEqual(await node.groups.get("g"), [a, b, c], "adding a member already there changes nothing");
  await node.groups.rem("g", { ip: "10.0.0.2", port: 4000 });
  assert.deepEqual(await node.groups.get("g"), [a, c], "rem finds the member by ip and port");
  await node.groups.rem("g", { ip: "10.0.0.9", port: 4000 });
  assert.deepEqual(await node.groups.get("g"), [a, c], "removing a member that is not there changes nothing");
  await node.groups.put("g", [c]);
  assert.deepEqual(await node.groups.get("g"), [c], "put replaces the members");
  await node.groups.add("new", b);
  assert.deepEqual(await node.groups.get("new"), [b], "add creates the group");
  assert.deepEqual(await node.groups.del("new"), [b]);
  assert.equal(await node.groups.del("new"), undefined, "del of a group this node does not know gives undefined");
  assert.equal(await node.groups.get("new"), undefined);
  await node.groups.put("empty", []);
  assert.deepEqual(await node.groups.get("empty"), [], "an empty group exists");
}));

test("the groups service lets another node put, get, add, rem and del this node's views", withSimulation({}, async (sim, random, t) => {
  const [caller, target] = await simNodes(t, sim, 2);
  assert.ok(caller && target);
  const call = (method: string, ...args: unknown[]) => sim.settle(caller.comm.send(args, { node: target.address, service: "groups", method }));
  const a = { ip: "10.0.0.1", port: 1 };
  const b = { ip: "10.0.0.2", port: 2 };
  await call("put", "far", [a]);
  assert.deepEqual(await target.groups.get("far"), [a]);
  await call("add", "far", b);
  await call("add", "far", { ...b });
  assert.deepEqual(await call("get", "far"), [a, b]);
  await call("rem", "far", a);
  assert.deepEqual(await target.groups.get("far"), [b]);
  assert.deepEqual(await call("del", "far"), [b]);
  assert.equal(await target.groups.get("far"), undefined);
  assert.equal(await call("get", "far"), undefined);
  assert.equal(await caller.groups.get("far"), undefined, "the caller's own view did not change");
}));

test("a group-wide call gives each member's value under its node id, and each failure as a RemoteError, TimeoutError or UnreachableError under its id", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const nodes = await simGroup(t, sim, 7, "g", { callTimeoutMs: 400 });
  const [caller, thrower, hanger, crashed, ...fine] = random.shuffle([...nodes]) as Api.GroupNode[];
  assert.ok(caller && thrower && hanger && crashed);
  for (const node of nodes) {
    const role = node === thrower ? "throw" : node === hanger ? "hang" : "answer";
    const nid = node.id;
    await node.routes.put({
      work: (x: number) => {
        if (role === "throw") throw new RangeError(`${x} is out of range`);
        if (role === "hang") return new Promise(() => {});
        return { x, nid };
      },
    }, "work");
  }
  sim.crash(crashed.address);
  const { values, errors } = await sim.settle(caller.group("g").comm.send([21], { service: "work", method: "work" }));
  const answering = [caller, ...fine];
  assert.deepEqual([...values.keys()].sort(), answering.map((node) => node.id).sort(), "values: exactly the members that answered, the caller included, by node id");
  for (const node of answering) assert.deepEqual(values.get(node.id), { x: 21, nid: node.id });
  assert.deepEqual([...errors.keys()].sort(), [thrower.id, hanger.id, crashed.id].sort(), "errors: exactly the members that failed, by node id");
  const thrown = errors.get(thrower.id);
  assert.ok(thrown instanceof RemoteError, `a member whose method threw: ${describe(thrown)}`);
  assert.ok(thrown.cause instanceof RangeError && thrown.cause.message === "21 is out of range", "the remote error is the RemoteError's cause");
  assert.ok(errors.get(hanger.id) instanceof TimeoutError, `a member that never answered: ${describe(errors.get(hanger.id))}`);
  assert.ok(errors.get(crashed.id) instanceof UnreachableError, `a member gone from the network: ${describe(errors.get(crashed.id))}`);
  for (const node of nodes) assert.equal(node.id, idOf(node.address));
  const missing = await sim.settle(caller.group("g").comm.send([], { service: "nothing", method: "here" }));
  assert.equal(missing.values.size, 0);
  assert.equal(missing.errors.size, 7);
  const notFound = [...missing.errors].filter(([, error]) => error instanceof RemoteError).map(([nid]) => nid).sort();
  assert.deepEqual(notFound, nodes.filter((node) => node !== crashed).map((node) => node.id).sort(), "a service that does not exist is a RemoteError on each member that answers");
}));

test("a group-wide call reaches its members in parallel, each within the node's call timeout or options.timeoutMs", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const nodes = await simGroup(t, sim, 8, "g", { callTimeoutMs: 400 });
  for (const node of nodes) await node.routes.put({ hang: () => new Promise(() => {}) }, "slow", { mode: "concurrent" });
  const caller = random.pick(nodes);
  for (const [timeoutMs, options] of [[400, undefined], [150, { timeoutMs: 150 }]] as const) {
    const since = sim.now();
    const { values, errors } = await sim.settle(caller.group("g").comm.send([], { service: "slow", method: "hang" }, options));
    const took = sim.now() - since;
    assert.equal(values.size, 0);
    assert.equal(errors.size, 8);
    assert.ok([...errors.values()].every((error) => error instanceof TimeoutError), "each member timed out");
    assert.ok(took >= timeoutMs && took <= timeoutMs + 50, `8 members that never answer took ${took} ms with a ${timeoutMs} ms timeout (in parallel: about ${timeoutMs} ms)`);
  }
}));

test("a group-wide call goes to the members of the caller's view only, whatever the other nodes' views of the group", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const requests = requestsSent(sim);
  const nodes = await simNodes(t, sim, 6);
  const [a, b, c, d, e, f] = nodes as [Api.GroupNode, Api.GroupNode, Api.GroupNode, Api.GroupNode, Api.GroupNode, Api.GroupNode];
  await a.groups.put("g", [a.address, b.address, c.address]);
  await b.groups.put("g", [b.address, d.address]);
  await c.groups.put("g", [a.address, b.address, c.address, d.address, e.address, f.address]);
  const since = sim.now();
  const fromA = await sim.settle(a.group("g").status.get("nid"));
  assert.deepEqual([...fromA.values.keys()].sort(), [a.id, b.id, c.id].sort());
  const view = [a, b, c].map((node) => key(node.address));
  assert.deepEqual(sentSince(requests, since).filter(({ to }) => !view.includes(to)), [], "the call went to a node outside the caller's view");
  const fromB = await sim.settle(b.group("g").status.get("sid"));
  assert.deepEqual(new Map([...fromB.values]), new Map([[b.id, b.sid], [d.id, d.sid]]));
  const put = await sim.settle(b.group("g").groups.put("g", [b.address]));
  assert.deepEqual([...put.values.keys()].sort(), [b.id, d.id].sort());
  assert.deepEqual(await d.groups.get("g"), [b.address]);
  assert.deepEqual(await a.groups.get("g"), [a.address, b.address, c.address], "a node outside the caller's view kept its view");
  assert.equal(await e.groups.get("g"), undefined);
}));

test("with an empty view every group-wide call gives two empty maps and sends nothing", withSimulation({}, async (sim, random, t) => {
  const requests = requestsSent(sim);
  const [node] = await simNodes(t, sim, 1);
  assert.ok(node);
  await node.groups.put("none", []);
  const group = node.group("none");
  assert.equal(group.gid, "none");
  const outcomes = [
    await sim.settle(group.comm.send([1], { service: "status", method: "get" })),
    await sim.settle(group.status.get("nid")),
    await sim.settle(group.routes.put({ f: () => 1 }, "f")),
    await sim.settle(group.routes.rem("f")),
    await sim.settle(group.groups.put("x", [node.address])),
    await sim.settle(group.groups.add("x", node.address)),
    await sim.settle(group.groups.rem("x", node.address)),
    await sim.settle(group.groups.del("x")),
  ];
  for (const [i, outcome] of outcomes.entries()) {
    assert.ok(outcome.values instanceof Map && outcome.errors instanceof Map, `call ${i}: values and errors are Maps`);
    assert.deepEqual([outcome.values.size, outcome.errors.size], [0, 0], `call ${i}`);
  }
  const sum = await sim.settle(group.status.sum());
  assert.deepEqual({ ...sum, errors: [...sum.errors] }, { nodes: 0, counts: { received: 0, sent: 0 }, heapTotal: 0, heapUsed: 0, errors: [] });
  assert.equal(requests.length, 0);
}));

test("status.get gives each member's field, and status.sum adds up the counts and memory of those that answered and names those that did not", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const nodes = await simNodes(t, sim, 6, { callTimeoutMs: 300 });
  const [caller, down, ...members] = nodes as [Api.GroupNode, Api.GroupNode, ...Api.GroupNode[]];
  for (let i = 0; i < 20; i++) {
    const from = random.pick(nodes);
    await sim.settle(from.comm.send(["nid"], { node: random.pick(nodes).address, service: "status", method: "get" }));
  }
  await caller.groups.put("g", [down.address, ...members.map((node) => node.address)]);
  sim.crash(down.address);
  const ports = await sim.settle(caller.group("g").status.get("port"));
  assert.deepEqual(new Map([...ports.values]), new Map(members.map((node) => [node.id, node.address.port])));
  const counts = await sim.settle(caller.group("g").status.get("counts"));
  const sum = await sim.settle(caller.group("g").status.sum());
  assert.equal(sum.nodes, members.length, "how many members answered");
  assert.deepEqual([...sum.errors.keys()], [down.id], "the member that did not answer, by node id");
  assert.ok(sum.errors.get(down.id) instanceof UnreachableError || sum.errors.get(down.id) instanceof TimeoutError);
  const received = [...counts.values.values()].reduce((total, count) => total + count.received, 0);
  const sent = [...counts.values.values()].reduce((total, count) => total + count.sent, 0);
  assert.equal(sum.counts.sent, sent, "the sum of the members' sent counts");
  assert.ok(sum.counts.received >= received + members.length && sum.counts.received <= received + 4 * members.length, `the members received ${received} calls in all, then the sum's own; the sum says ${sum.counts.received}`);
  assert.ok(sum.heapUsed > 0, "memory is summed too");
  const heaps = await sim.settle(caller.group("g").status.get("heapTotal"));
  const heapTotal = [...heaps.values.values()].reduce((total, heap) => total + heap, 0);
  assert.ok(Math.abs(sum.heapTotal - heapTotal) <= 0.5 * heapTotal, `heapTotal summed to ${sum.heapTotal}, the members report ${heapTotal} in all`);
}));

test("routes.put registers a service on every member, its methods travelling as source, and routes.rem says which members had it", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const nodes = await simNodes(t, sim, 6);
  const [caller, ...members] = nodes as [Api.GroupNode, ...Api.GroupNode[]];
  await caller.groups.put("g", members.map((node) => node.address));
  const factor = 3;
  const put = await sim.settle(caller.group("g").routes.put({ double: (x: number) => x * 2, scale: (x: number) => x * factor }, "math"));
  assert.deepEqual([...put.values.keys()].sort(), members.map((node) => node.id).sort());
  assert.equal(put.errors.size, 0);
  const doubled = await sim.settle(caller.group("g").comm.send([21], { service: "math", method: "double" }));
  assert.deepEqual([...doubled.values.values()], members.map(() => 42));
  const scaled = await sim.settle(caller.group("g").comm.send([1], { service: "math", method: "scale" }));
  assert.equal(scaled.values.size, 0, "a method that uses a captured variable cannot work once sent as source");
  for (const error of scaled.errors.values()) assert.ok(error instanceof RemoteError && error.cause instanceof ReferenceError, describe(error));
  const holders = members.filter(() => random.bool());
  for (const node of members) await node.routes.rem("own");
  for (const node of holders) await node.routes.put({ ping: () => "pong" }, "own");
  const removed = await sim.settle(caller.group("g").routes.rem("own"));
  assert.deepEqual(new Map([...removed.values]), new Map(members.map((node) => [node.id, holders.includes(node)])), "each value says whether that member had the service");
  for (const node of members) assert.equal(await node.routes.get("own"), undefined);
  const again = await sim.settle(caller.group("g").routes.rem("own"));
  assert.deepEqual([...again.values.values()], members.map(() => false));
  const math = await sim.settle(caller.group("g").routes.rem("math"));
  assert.deepEqual([...math.values.values()], members.map(() => true));
  const gone = await sim.settle(caller.group("g").comm.send([1], { service: "math", method: "double" }));
  assert.equal(gone.errors.size, members.length, "a removed service cannot be called");
}));

test("comm.send reaches a service of another group when remote.gid names it", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const nodes = await simGroup(t, sim, 4, "g");
  for (const node of nodes) {
    const sid = node.sid;
    await node.routes.put({ who: () => `search:${sid}` }, "who", { gid: "search" });
    await node.routes.put({ who: () => `local:${sid}` }, "who");
  }
  const caller = random.pick(nodes);
  const search = await sim.settle(caller.group("g").comm.send([], { service: "who", method: "who", gid: "search" }));
  assert.deepEqual(new Map([...search.values]), new Map(nodes.map((node) => [node.id, `search:${node.sid}`])));
  const local = await sim.settle(caller.group("g").comm.send([], { service: "who", method: "who" }));
  assert.deepEqual(new Map([...local.values]), new Map(nodes.map((node) => [node.id, `local:${node.sid}`])));
}));

test("groups.put, add, rem and del called on a group change the view on every member", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const nodes = await simGroup(t, sim, 5, "all");
  const caller = random.pick(nodes);
  const [x, y] = [{ ip: "10.1.1.1", port: 1 }, { ip: "10.1.1.2", port: 2 }];
  const steps: Array<[string, () => Promise<Api.GroupOutcome<void>>, Api.NodeAddress[] | undefined]> = [
    ["put", () => caller.group("all").groups.put("sub", [x]), [x]],
    ["add", () => caller.group("all").groups.add("sub", y), [x, y]],
    ["add again", () => caller.group("all").groups.add("sub", { ...y }), [x, y]],
    ["rem", () => caller.group("all").groups.rem("sub", x), [y]],
    ["del", () => caller.group("all").groups.del("sub"), undefined],
  ];
  for (const [what, step, expected] of steps) {
    const outcome = await sim.settle(step());
    assert.deepEqual([...outcome.values.keys()].sort(), nodes.map((node) => node.id).sort(), `${what}: a value for every member`);
    assert.equal(outcome.errors.size, 0);
    for (const node of nodes) assert.deepEqual(await node.groups.get("sub"), expected, `${what}: ${node.sid}'s view`);
  }
}));

test("a group-wide call on 200 members gets 200 values, and groups.put sets 200 views", withSimulation({ latency: [1, 20] }, async (sim, random, t) => {
  const nodes = await simNodes(t, sim, 200);
  const caller = random.pick(nodes);
  const members = nodes.map((node) => node.address);
  await caller.groups.put("big", members);
  const put = await sim.settle(caller.group("big").groups.put("big", members));
  assert.deepEqual([put.values.size, put.errors.size], [200, 0]);
  const other = random.pick(nodes);
  assert.deepEqual(await other.groups.get("big"), members);
  const ids = await sim.settle(other.group("big").status.get("nid"));
  assert.equal(ids.values.size, 200);
  for (const [nid, value] of ids.values) assert.equal(value, nid);
}));
