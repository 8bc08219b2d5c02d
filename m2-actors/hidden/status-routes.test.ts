/**
 * handouts/m2.md#startnode, #status and #routes: a node's id is the SHA-256
 * of "ip:port"; status reports the node's fields, its counts move with its
 * calls and its uptime with its clock; routes keep groups apart, `rem`
 * returns what it removed, and a service registered through comm arrives
 * with its methods re-created from their source.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Simulation } from "../../autograder/harness/sim/simulation.ts";
import type { Random } from "../../autograder/harness/random.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import { RemoteError } from "../../autograder/kit/errors.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type * as Api from "../api.ts";
import { describe } from "./_calls.ts";
import { realNodes, simNodes } from "./_nodes.ts";

const m2 = await load<typeof Api>("m2");

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** A simulation without faults, and `count` nodes on it. */
async function simulated(t: TestContext, random: Random, count: number, config: Omit<Api.NodeConfig, "context"> = {}) {
  const sim = new Simulation({ seed: random.uint32(), latency: [1, 5] });
  return { sim, nodes: await simNodes(t, m2, sim, count, config) };
}

const statusGet = (node: Api.DistNode) => ({ node: node.address, service: "status", method: "get" });

test("a node's id is the SHA-256 of ip:port in hex: nodeId, id, sid and status agree, real or simulated", withSeed(async (random: Random, t: TestContext) => {
  const [real] = await realNodes(t, m2, 1);
  const sim = new Simulation({ seed: random.uint32() });
  const [simulatedNode] = await simNodes(t, m2, sim, 1, { ip: "10.20.30.40" });
  assert.ok(real && simulatedNode);
  assert.equal(simulatedNode.address.ip, "10.20.30.40", "a node listens on the ip it is given");
  for (const node of [real, simulatedNode]) {
    const nid = sha256(`${node.address.ip}:${node.address.port}`);
    assert.ok(node.address.port > 0, "the node's address holds the port actually bound");
    assert.equal(node.id, nid);
    assert.equal(node.sid, nid.slice(0, 5));
    assert.equal(m2.nodeId(node.address), nid);
    assert.equal(await node.status.get("nid"), nid);
    assert.equal(await node.status.get("sid"), nid.slice(0, 5));
    assert.equal(await node.status.get("ip"), node.address.ip);
    assert.equal(await node.status.get("port"), node.address.port);
  }
  for (let i = 0; i < 50; i++) {
    const ip = random.bool() ? `10.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}` : "127.0.0.1";
    const address = { ip, port: random.int(1, 65_535) };
    assert.equal(m2.nodeId(address), sha256(`${address.ip}:${address.port}`), `${address.ip}:${address.port}`);
  }
}));

test("status.report holds every field of StatusReport, each equal to what status.get returns", withSeed(async (random: Random, t: TestContext) => {
  const { sim, nodes } = await simulated(t, random, 2);
  const [a, b] = nodes as [Api.DistNode, Api.DistNode];
  await sim.settle(a.comm.send(["nid"], statusGet(b)));
  const report = await b.status.report();
  for (const key of ["counts", "heapTotal", "heapUsed", "ip", "nid", "port", "sid", "uptime"]) {
    assert.ok(Object.hasOwn(report, key), `status.report() has no ${key}`);
  }
  for (const key of ["nid", "sid", "ip", "port", "counts", "uptime"] as const) {
    assert.deepEqual(await b.status.get(key), report[key], key);
  }
  for (const key of ["heapTotal", "heapUsed"] as const) {
    const value = await b.status.get(key);
    assert.ok(Number.isFinite(value) && value > 0, `${key} must be a positive number of bytes, got ${value}`);
  }
  const remote = (await sim.settle(a.comm.send([], { node: b.address, service: "status", method: "report" }))) as Api.StatusReport;
  const { nid, sid, ip, port } = remote;
  assert.deepEqual({ nid, sid, ip, port }, { nid: b.id, sid: b.sid, ip: b.address.ip, port: b.address.port }, "status.report through comm");
}));

test("status counts the calls a node received and sent through comm", withSeed(async (random: Random, t: TestContext) => {
  const { sim, nodes } = await simulated(t, random, 2);
  const [a, b] = nodes as [Api.DistNode, Api.DistNode];
  for (const node of nodes) await node.routes.put({ ping: () => "pong" }, "ping");
  const counts = async () => ({ a: await a.status.get("counts"), b: await b.status.get("counts") });
  const start = await counts();
  assert.deepEqual(await counts(), start, "reading status locally is not a call through comm");
  const sendA = random.int(3, 12);
  const sendB = random.int(1, 6);
  for (let k = 0; k < sendA; k++) await sim.settle(a.comm.send([], { node: b.address, service: "ping", method: "ping" }));
  await sim.settle(Promise.all(Array.from({ length: sendB }, () => b.comm.send([], { node: a.address, service: "ping", method: "ping" }))));
  const end = await counts();
  assert.deepEqual(
    { aSent: end.a.sent - start.a.sent, aReceived: end.a.received - start.a.received, bSent: end.b.sent - start.b.sent, bReceived: end.b.received - start.b.received },
    { aSent: sendA, aReceived: sendB, bSent: sendB, bReceived: sendA },
  );
}));

test("uptime is the time since the node started, by its clock", withSeed(async (random: Random, t: TestContext) => {
  const sim = new Simulation({ seed: random.uint32() });
  await sim.run(1_234);
  const [first] = await simNodes(t, m2, sim, 1);
  assert.ok(first);
  assert.equal(await first.status.get("uptime"), 0, "a node that just started has been up 0 ms (virtual time has not moved)");
  const wait = random.int(100, 100_000);
  await sim.run(wait);
  assert.equal(await first.status.get("uptime"), wait);
  const [second] = await simNodes(t, m2, sim, 1);
  assert.ok(second);
  await sim.run(500);
  assert.equal(await second.status.get("uptime"), 500);
  assert.equal(await first.status.get("uptime"), wait + 500);
  assert.equal((await second.status.report()).uptime, 500);
}));

test("status.get of an unknown key is a RangeError, locally and through comm", withSeed(async (random: Random, t: TestContext) => {
  const { sim, nodes } = await simulated(t, random, 2);
  const [a, b] = nodes as [Api.DistNode, Api.DistNode];
  for (const key of ["nope", "toString", "__proto__"]) {
    await assert.rejects(async () => b.status.get(key as keyof Api.StatusReport), RangeError, `local status.get(${key})`);
    await assert.rejects(sim.settle(a.comm.send([key], statusGet(b))), (error: unknown) => {
      assert.ok(error instanceof RemoteError && error.cause instanceof RangeError, `status.get(${key}) through comm: expected a RemoteError caused by a RangeError, got ${describe(error)}`);
      return true;
    });
  }
}));

test("routes keep groups apart: one name in two groups names two services, and the built-ins are in the local group only", withSeed(async (random: Random, t: TestContext) => {
  const { sim, nodes } = await simulated(t, random, 2);
  const [a, b] = nodes as [Api.DistNode, Api.DistNode];
  const red = { who: () => "red" };
  const blue = { who: () => "blue" };
  await b.routes.put(red, "team", { gid: "red" });
  await b.routes.put(blue, "team", { gid: "blue", mode: "concurrent" });
  assert.equal(await b.routes.get("team"), undefined, "nothing was put in the local group");
  for (const name of ["status", "routes", "rpc"]) {
    assert.notEqual(await b.routes.get(name), undefined, `routes.get("${name}") finds the built-in service`);
    assert.equal(await b.routes.get(name, { gid: "red" }), undefined, `routes.get("${name}", { gid: "red" })`);
  }
  assert.equal(await b.routes.get("team", { gid: "red" }), red);
  assert.equal(await b.routes.get("team", { gid: "blue" }), blue);
  const call = (gid?: string) => sim.settle(a.comm.send([], { node: b.address, service: "team", method: "who", ...(gid === undefined ? {} : { gid }) }));
  assert.equal(await call("red"), "red");
  assert.equal(await call("blue"), "blue");
  await assert.rejects(call(), RemoteError, "no service of that name in the local group");
  await assert.rejects(call("green"), RemoteError, "no such group");
  await b.routes.put({ who: () => "red again" }, "team", { gid: "red" });
  assert.equal(await call("red"), "red again", "put replaces a service of that name in that group");
  assert.equal(await call("blue"), "blue", "and leaves the other groups alone");
}));

test("routes.rem removes a service and returns it; removing it again returns undefined", withSeed(async (random: Random, t: TestContext) => {
  const { sim, nodes } = await simulated(t, random, 2);
  const [a, b] = nodes as [Api.DistNode, Api.DistNode];
  const local = { hello: () => "local" };
  const grouped = { hello: () => "grouped" };
  await b.routes.put(local, "greeter");
  await b.routes.put(grouped, "greeter", { gid: "g" });
  assert.equal(await b.routes.rem("greeter", { gid: "g" }), grouped, "rem returns the service it removed");
  assert.equal(await b.routes.get("greeter", { gid: "g" }), undefined);
  assert.equal(await b.routes.get("greeter"), local, "removing from one group leaves the others");
  await assert.rejects(sim.settle(a.comm.send([], { node: b.address, service: "greeter", method: "hello", gid: "g" })), RemoteError, "a removed service cannot be called");
  assert.equal(await sim.settle(a.comm.send([], { node: b.address, service: "greeter", method: "hello" })), "local");
  assert.equal(await b.routes.rem("greeter", { gid: "g" }), undefined);
  assert.equal(await b.routes.rem("greeter"), local);
  assert.equal(await b.routes.rem("never-there"), undefined);
}));

test("a service put through comm has its methods re-created from source: they answer calls, but without the variables they captured", withSeed(async (random: Random, t: TestContext) => {
  const { sim, nodes } = await simulated(t, random, 2);
  const [a, b] = nodes as [Api.DistNode, Api.DistNode];
  const maths = {
    double: (x: number) => x * 2,
    describe: async (values: number[]) => ({ sum: values.reduce((s, v) => s + v, 0), count: values.length }),
  };
  await sim.settle(a.comm.send([maths, "maths", { gid: "calc" }], { node: b.address, service: "routes", method: "put" }));
  const there = (await b.routes.get("maths", { gid: "calc" })) as typeof maths | undefined;
  assert.ok(there !== undefined, "the service is registered on the remote node, in the group asked for");
  assert.equal(typeof there.double, "function");
  assert.notEqual(there.double, maths.double, "its methods are copies, re-created from their source");
  const remote = (method: string) => ({ node: b.address, service: "maths", method, gid: "calc" });
  assert.equal(await sim.settle(a.comm.send([21], remote("double"))), 42);
  assert.deepEqual(await sim.settle(a.comm.send([[1, 2, 3, 4]], remote("describe"))), { sum: 10, count: 4 });
  assert.notEqual(await sim.settle(a.comm.send(["maths", { gid: "calc" }], { node: b.address, service: "routes", method: "rem" })), undefined, "routes.rem through comm returns what it removed");
  assert.equal(await b.routes.get("maths", { gid: "calc" }), undefined, "routes.rem through comm removes it");

  // `let`, changed once: no compiler may inline it into the method's source.
  let capturedFactor = 3;
  capturedFactor += 1;
  const scaler = { scale: (x: number) => x * capturedFactor };
  assert.equal(scaler.scale(2), 8);
  await sim.settle(a.comm.send([scaler, "scaler", { gid: "calc" }], { node: b.address, service: "routes", method: "put" }));
  await assert.rejects(sim.settle(a.comm.send([2], { node: b.address, service: "scaler", method: "scale", gid: "calc" })), (error: unknown) => {
    assert.ok(error instanceof RemoteError && error.cause instanceof ReferenceError, `expected a RemoteError caused by a ReferenceError, got ${describe(error)}`);
    return true;
  });
}));

test("a service put through comm keeps its data, and its methods are called on it", withSeed(async (random: Random, t: TestContext) => {
  const { sim, nodes } = await simulated(t, random, 2);
  const [a, b] = nodes as [Api.DistNode, Api.DistNode];
  const counter = {
    count: 10,
    bump(by: number) {
      this.count += by;
      return this.count;
    },
  };
  await sim.settle(a.comm.send([counter, "counter"], { node: b.address, service: "routes", method: "put" }));
  const bump = (by: number) => sim.settle(a.comm.send([by], { node: b.address, service: "counter", method: "bump" }));
  assert.equal(await bump(1), 11);
  assert.equal(await bump(5), 16);
  assert.equal(counter.count, 10, "the caller's object is not the one that changed");
}));

test("a RemoteError says why the remote side failed: threw, not-found for a missing service or method, bad-request for a request it could not read", withSeed(async (random: Random, t: TestContext) => {
  const { sim, nodes } = await simulated(t, random, 2);
  const [a, b] = nodes as [Api.DistNode, Api.DistNode];
  await b.routes.put({ fail: () => { throw new RangeError("no"); } }, "svc");
  const reason = async (send: Promise<unknown>) => {
    const outcome = await sim.settle(send.then(() => "resolved", (error: unknown) => error));
    assert.ok(outcome instanceof RemoteError, `expected a RemoteError, got ${String(outcome)}`);
    return outcome.reason;
  };
  assert.equal(await reason(a.comm.send([], { node: b.address, service: "svc", method: "fail" })), "threw");
  assert.equal(await reason(a.comm.send([], { node: b.address, service: "svc", method: "absent" })), "not-found");
  assert.equal(await reason(a.comm.send([], { node: b.address, service: "absent", method: "fail" })), "not-found");
  const transport = a.context.transport;
  const malformed = await sim.settle(transport.request(b.address, { id: "bad-1", from: a.address, path: "/local/svc/fail", body: "not a serialization" }, 1000));
  assert.equal(malformed.status, 400, "a body that does not deserialize");
}));

test("startNode runs on the context it is given: node.context holds the injected transport, clock, random and disk", withSeed(async (random: Random, t: TestContext) => {
  const sim = new Simulation({ seed: random.uint32() });
  const context = sim.context();
  const node = await m2.startNode({ context });
  t.after(() => node.stop());
  assert.equal(node.context.transport, context.transport);
  assert.equal(node.context.random, context.random);
  assert.equal(node.context.disk, context.disk);
  assert.equal(node.context.clock.now(), context.clock.now());
}));
