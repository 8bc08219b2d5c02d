/**
 * Black-box tests of milestone 2: every node under test runs in a child
 * process of its own (as the student's user on the autograder), and this
 * process, which loads references only, sees it through the network alone:
 * its built-in services and the services the tests put there through comm,
 * its api through the harness service, raw HTTP for the server's rules, and
 * a stand-in server here for the requests it sends.
 *
 * The services the tests put on a node under test are plain objects whose
 * methods are re-created there from source: they use `this` and globals
 * only, and reach their node through `Symbol.for("distribution.currentCall")`
 * as the handout's stubs do. No function a node under test made runs here.
 *
 * Most tests share two nodes of the default config and one configured node
 * (a given port, a small body limit, a short call timeout), each test with
 * services of its own; the stop test starts a node of its own.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { connect } from "node:net";
import { after, test } from "node:test";
import { withSeed } from "../../autograder/harness/seed.ts";
import { eventually } from "../../autograder/harness/wait.ts";
import type * as Api from "../api.ts";
import {
  callLimitMs,
  canListen,
  client,
  decoded,
  failure,
  fileScope,
  freePort,
  freshId,
  m1,
  messages,
  names,
  nidOf,
  raw,
  rawCall,
  type Remote,
  settle,
  startRemote,
  startStandIn,
  stopClient,
} from "./_black-box.ts";

// ---------------------------------------------------------------------------
// The nodes the tests share, started when a test first needs them.

const shared = fileScope();
after(async () => {
  await shared.end();
  await stopClient();
});

let pairNodes: Promise<[Remote, Remote]> | undefined;
/** Two nodes of the default config. */
function pair(): Promise<[Remote, Remote]> {
  pairNodes ??= Promise.all([startRemote(shared.context), startRemote(shared.context)]);
  return pairNodes;
}

/** The configured node's settings. */
const bodyLimitBytes = 2048;
const configuredTimeoutMs = 300;

let configuredNode: Promise<{ node: Remote; port: number }> | undefined;
/** One node on a port chosen here, with a body limit of 2 KiB and calls that time out after 300 ms. */
function configured(): Promise<{ node: Remote; port: number }> {
  configuredNode ??= (async () => {
    const port = await freePort();
    return { node: await startRemote(shared.context, { port, bodyLimitBytes, callTimeoutMs: configuredTimeoutMs }), port };
  })();
  return configuredNode;
}

// ---------------------------------------------------------------------------
// Small helpers.

const addressText = (address: Api.NodeAddress): string => `${address.ip}:${address.port}`;
let serviceCount = 0;
/** A service name no other test uses. */
const fresh = (name: string): string => `bb-${name}-${++serviceCount}`;

/** Checks a raw response: its status, and a body that deserializes to an Error. */
function assertRejected(response: { status: number; body: string }, status: number, what: string): void {
  assert.equal(response.status, status, `${what}: the status`);
  assert.ok(decoded(response) instanceof Error, `${what}: the body is not a serialized error: ${JSON.stringify(response.body.slice(0, 120))}`);
}

/** Checks that a node still answers a call after what a test did to it. */
async function assertServes(node: Remote, what: string): Promise<void> {
  assert.equal(await node.send(["nid"], "status", "get"), nidOf(node.address), `the node does not answer after ${what}`);
}

/** A counter the tests put on a node: `hit` counts its runs, `runs` reads the count. */
const counter = () => ({
  count: 0,
  hit() {
    return ++this.count;
  },
  runs() {
    return this.count;
  },
});

// ---------------------------------------------------------------------------
// handouts/m2.md#startnode and #status

test("status answers a remote caller with the node's id and address", async () => {
  const [node] = await pair();
  const report = (await node.send([], "status", "report")) as Api.StatusReport;
  assert.equal(report.nid, nidOf(node.address));
  assert.equal(report.port, node.address.port);
});

test("a node listens on loopback by default, its id is the SHA-256 of ip:port in hex and its short id the first five characters", async () => {
  const [node] = await pair();
  assert.equal(node.address.ip, "127.0.0.1", "the address the node reports");
  const nid = nidOf(node.address);
  assert.match(nid, /^[0-9a-f]{64}$/);
  assert.equal(await node.call([["id"]]), nid, "node.id");
  assert.equal(await node.call([["sid"]]), nid.slice(0, 5), "node.sid");
  assert.equal(await node.send(["nid"], "status", "get"), nid, "status.get('nid')");
  assert.equal(await node.send(["sid"], "status", "get"), nid.slice(0, 5), "status.get('sid')");
  assert.equal(await node.send(["ip"], "status", "get"), "127.0.0.1", "status.get('ip')");
});

test("a node started on a given port listens there, and its id is that of the address", async () => {
  const { node, port } = await configured();
  assert.equal(node.address.port, port, "the port the node reports");
  assert.equal(await node.send(["port"], "status", "get"), port, "status.get('port')");
  assert.equal(await node.call([["id"]]), nidOf({ ip: "127.0.0.1", port }), "node.id");
  assert.deepEqual(await node.call([["address"]]), { ip: "127.0.0.1", port }, "node.address");
});

test("status.report holds every field of StatusReport, each as status.get returns it", async () => {
  const [node] = await pair();
  const report = (await node.send([], "status", "report")) as Api.StatusReport;
  const nid = nidOf(node.address);
  assert.deepEqual(
    { nid: report.nid, sid: report.sid, ip: report.ip, port: report.port },
    { nid, sid: nid.slice(0, 5), ip: "127.0.0.1", port: node.address.port },
  );
  for (const key of ["nid", "sid", "ip", "port"] as const) assert.equal(await node.send([key], "status", "get"), report[key], `status.get('${key}')`);
  for (const key of ["heapTotal", "heapUsed", "uptime"] as const) {
    assert.equal(typeof report[key], "number", `report.${key}`);
    assert.equal(typeof (await node.send([key], "status", "get")), "number", `status.get('${key}')`);
  }
  assert.ok(report.heapUsed > 0 && report.heapUsed <= report.heapTotal, `heapUsed ${report.heapUsed} of heapTotal ${report.heapTotal}`);
  assert.ok(report.uptime >= 0, `uptime ${report.uptime}`);
  for (const counts of [report.counts, (await node.send(["counts"], "status", "get")) as Api.StatusReport["counts"]]) {
    assert.equal(typeof counts?.received, "number", "counts.received");
    assert.equal(typeof counts?.sent, "number", "counts.sent");
  }
});

test("status.get of an unknown key is a RangeError, seen by a remote caller as the cause of a RemoteError", async () => {
  const [node] = await pair();
  for (const key of ["nope", "toString", "__proto__"]) {
    assert.deepEqual((await failure(node.send([key], "status", "get"))).slice(0, 2), ["RemoteError", "RangeError"], `status.get('${key}')`);
  }
  await assertServes(node, "unknown keys");
});

test("status counts the requests a node received and the calls it sent through comm", async () => {
  const [node] = await pair();
  const peer = await client();
  const before = (await node.send(["counts"], "status", "get")) as Api.StatusReport["counts"];
  for (let i = 0; i < 3; i++) await node.sendFrom(["nid"], { node: peer.address, service: "status", method: "get" });
  const later = (await node.send(["counts"], "status", "get")) as Api.StatusReport["counts"];
  assert.equal(later.sent - before.sent, 3, "calls sent: the node made three");
  assert.equal(later.received - before.received, 4, "requests received: three harness calls and one status.get");
});

test("uptime is the milliseconds since the node started, by its clock", async () => {
  const [node] = await pair();
  const first = (await node.send(["uptime"], "status", "get")) as number;
  assert.ok(first >= 0 && first < 3_600_000, `uptime ${first} ms is not the time since the node started`);
  const grew = await eventually(async () => ((await node.send(["uptime"], "status", "get")) as number) >= first + 500, 20_000, 50);
  assert.ok(grew, `uptime did not grow by 500 ms from ${first} within 20 s`);
});

// ---------------------------------------------------------------------------
// handouts/m2.md#routes

test("a service put through comm answers calls in the local group, and routes.get finds it by name", async () => {
  const [node] = await pair();
  const name = fresh("greeter");
  await node.put({ marker: "greeter data", greet: (who: string) => `hello ${who}` }, name);
  assert.equal(await node.send(["kit"], name, "greet"), "hello kit", "a call without a group");
  assert.equal(await node.send(["kit"], name, "greet", { gid: "local" }), "hello kit", "a call to the local group");
  assert.equal(await node.call([["routes"], ["get", [name]], ["marker"]]), "greeter data", "routes.get(name)");
  assert.equal(await node.call([["routes"], ["get", [name, { gid: "local" }]], ["marker"]]), "greeter data", "routes.get(name, { gid: 'local' })");
  assert.equal(await node.call([["routes"], ["get", [fresh("nothing")]]]), undefined, "routes.get of a name never put");
});

test("routes keep groups apart: one name in two groups names two services, and the built-ins are in the local group only", async () => {
  const [node] = await pair();
  const name = fresh("grouped");
  await node.put({ which: () => "in g1" }, name, { gid: "g1" });
  await node.put({ which: () => "in g2" }, name, { gid: "g2" });
  assert.equal(await node.send([], name, "which", { gid: "g1" }), "in g1");
  assert.equal(await node.send([], name, "which", { gid: "g2" }), "in g2");
  assert.equal((await failure(node.send([], name, "which")))[0], "RemoteError", "the name in the local group");
  assert.equal(await node.call([["routes"], ["get", [name]]]), undefined, "routes.get in the local group");
  assert.equal(await node.call([["routes"], ["get", [name, { gid: "g3" }]]]), undefined, "routes.get in another group");
  assert.equal((await failure(node.send(["nid"], "status", "get", { gid: "g1" })))[0], "RemoteError", "status in group g1");
  assert.equal(await node.call([["routes"], ["get", ["status", { gid: "g1" }]]]), undefined, "routes.get('status') in group g1");
});

test("routes.put replaces the service of that name in that group", async () => {
  const [node] = await pair();
  const name = fresh("replaced");
  await node.put({ version: () => 1, old: () => "old" }, name);
  await node.put({ version: () => 2 }, name);
  assert.equal(await node.send([], name, "version"), 2, "the service after the second put");
  assert.equal((await failure(node.send([], name, "old")))[0], "RemoteError", "a method only the first service had");
});

test("routes.rem removes a service and returns it; calls to it then fail, and removing it again returns undefined", async () => {
  const [node] = await pair();
  const name = fresh("removed");
  await node.put({ marker: "removed data", ping: () => "pong" }, name, { gid: "g-rem" });
  assert.equal(await node.send([], name, "ping", { gid: "g-rem" }), "pong");
  assert.equal(await node.call([["routes"], ["rem", [name, { gid: "g-rem" }]], ["marker"]]), "removed data", "what routes.rem returns");
  assert.equal((await failure(node.send([], name, "ping", { gid: "g-rem" })))[0], "RemoteError", "a call after routes.rem");
  assert.equal(await node.call([["routes"], ["get", [name, { gid: "g-rem" }]]]), undefined, "routes.get after routes.rem");
  assert.equal(await node.call([["routes"], ["rem", [name, { gid: "g-rem" }]]]), undefined, "routes.rem a second time");
});

test("a service put through comm has its methods re-created from source: they keep the service's data through this, not the variables they captured", async () => {
  const [node] = await pair();
  const name = fresh("recreated");
  let captured = 41;
  captured += 1; // a value no transpiler folds into the method (Bun inlines a const)
  await node.put({ base: 10, peek: () => captured, plus(x: number) { return this.base + x; } }, name);
  assert.equal(await node.send([5], name, "plus"), 15, "a method that reads the service's data");
  const error = await settle(node.send([], name, "peek"));
  assert.ok(!error.ok, "a method that reads a captured variable answered");
  assert.deepEqual(names(error.error).slice(0, 2), ["RemoteError", "ReferenceError"], messages(error.error));
});

// ---------------------------------------------------------------------------
// handouts/m2.md#comm, as served by the node

test("a method's value, returned or resolved, comes back to the caller whatever its kind", async () => {
  const [node] = await pair();
  const name = fresh("values");
  await node.put({
    plain: () => ({ list: [1, undefined, "two"], when: new Date(5), big: 2n ** 70n, map: new Map([[1, new Set(["a"])]]) }),
    later: async (x: number) => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      return [x, -0, Number.NaN];
    },
    nothing: () => undefined,
    echo: (...args: unknown[]) => args,
  }, name);
  assert.deepEqual(await node.send([], name, "plain"), { list: [1, undefined, "two"], when: new Date(5), big: 2n ** 70n, map: new Map([[1, new Set(["a"])]]) });
  assert.deepEqual(await node.send([3], name, "later"), [3, -0, Number.NaN]);
  assert.equal(await node.send([], name, "nothing"), undefined);
  const shared = { deep: [new Uint8Array([1, 2])] };
  const echoed = (await node.send([shared, shared, "x"], name, "echo")) as unknown[];
  assert.deepEqual(echoed, [shared, shared, "x"], "the arguments as the method received them");
  assert.equal(echoed[0], echoed[1], "an object passed twice arrives as one object");
});

test("a method that throws or rejects gives its caller a RemoteError whose cause is the remote error, and its actor takes the next message", async () => {
  const [node] = await pair();
  const name = fresh("faulty");
  await node.put({
    sync: () => {
      throw new RangeError("out of range");
    },
    async: async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new TypeError("bad type");
    },
    fine: () => "still here",
  }, name);
  for (const [method, cause, message] of [["sync", "RangeError", "out of range"], ["async", "TypeError", "bad type"]] as const) {
    const outcome = await settle(node.send([], name, method));
    assert.ok(!outcome.ok, `${method} resolved`);
    assert.deepEqual(names(outcome.error).slice(0, 2), ["RemoteError", cause], messages(outcome.error));
    assert.equal((outcome.error as Error).cause instanceof Error && ((outcome.error as Error).cause as Error).message, message, `the cause's message, ${method}`);
    assert.equal(await node.send([], name, "fine"), "still here", `the next message after ${method}`);
  }
});

test("a call to a service or method that is not there, or to a name a service only inherits, gives a RemoteError and runs nothing", async () => {
  const [node] = await pair();
  const name = fresh("own");
  await node.put(counter(), name);
  const absent: Array<[string, string]> = [[fresh("absent"), "hit"], [name, "nope"], [name, "toString"], [name, "constructor"], [name, "__proto__"], [name, "hasOwnProperty"], [name, "valueOf"]];
  for (const [service, method] of absent) assert.equal((await failure(node.send([], service, method)))[0], "RemoteError", `${service}.${method}`);
  assert.equal(await node.send([], name, "runs"), 0, "the counter ran");
});

// ---------------------------------------------------------------------------
// handouts/m2.md#comm, as the node calls others

test("a call goes out as POST /<gid>/<service>/<method> with the serialized arguments, an x-request-id unique per call and the caller's x-from", async (t) => {
  const nodes = await pair();
  const standIn = await startStandIn(t);
  for (const node of nodes) {
    assert.equal(await node.sendFrom([1, "two", new Map([[3, 4]])], { node: standIn.address, service: "svc", method: "m", gid: "grp" }), "ok");
    assert.equal(await node.sendFrom([], { node: standIn.address, service: "other", method: "n" }), "ok");
  }
  assert.equal(standIn.seen.length, 4, "requests the stand-in received");
  for (const [i, seen] of standIn.seen.entries()) {
    const from = nodes[Math.floor(i / 2)] as Remote;
    assert.equal(seen.method, "POST", `request ${i}: the method`);
    assert.equal(seen.url, i % 2 === 0 ? "/grp/svc/m" : "/local/other/n", `request ${i}: the path`);
    assert.equal(seen.headers["x-from"], addressText(from.address), `request ${i}: x-from`);
    assert.equal(typeof seen.headers["x-request-id"], "string", `request ${i}: x-request-id`);
    assert.deepEqual(m1.deserialize(seen.body), i % 2 === 0 ? [1, "two", new Map([[3, 4]])] : [], `request ${i}: the body`);
  }
  const ids = standIn.seen.map((seen) => seen.headers["x-request-id"]);
  assert.equal(new Set(ids).size, ids.length, `request ids repeat: ${ids.join(", ")}`);
});

test("a node restarted at its address sends request ids its earlier life did not use", async (t) => {
  const standIn = await startStandIn(t);
  const port = await freePort();
  const ids = async (node: Remote) => {
    const before = standIn.seen.length;
    for (let i = 0; i < 3; i++) assert.equal(await node.sendFrom([i], { node: standIn.address, service: "svc", method: "m" }), "ok");
    return standIn.seen.slice(before).map((seen) => seen.headers["x-request-id"]);
  };
  const first = await startRemote(t, { port });
  const earlier = await ids(first);
  await first.process.kill();
  const restarted = await startRemote(t, { port });
  const later = await ids(restarted);
  assert.deepEqual(later.filter((id) => earlier.includes(id)), [], `ids of the first life (${earlier.join(", ")}) sent again`);
});

test("the caller returns what a 200 response's body deserializes to, and throws a RemoteError for an error status, with the deserialized error as cause and its reason: threw for 5xx, not-found for 404, bad-request for another 4xx", async (t) => {
  const [node] = await pair();
  const standIn = await startStandIn(t);
  const remote = { node: standIn.address, service: "svc", method: "m" };
  standIn.answer = (_, res) => res.writeHead(200).end(m1.serialize({ got: new Set([1n]) }));
  assert.deepEqual(await node.sendFrom([], remote), { got: new Set([1n]) });
  const reasons = [[500, "threw"], [503, "threw"], [404, "not-found"], [400, "bad-request"], [413, "bad-request"]] as const;
  for (const [status, reason] of reasons) {
    standIn.answer = (_, res) => res.writeHead(status).end(m1.serialize(new RangeError(`failed with ${status}`)));
    const outcome = await settle(node.sendFrom([], remote));
    assert.ok(!outcome.ok, `a ${status} response resolved`);
    const chain = names(outcome.error);
    assert.equal(chain[1], "RemoteError", `the node's comm on a ${status}: ${messages(outcome.error)}`);
    assert.equal(((outcome.error as Error).cause as { reason?: unknown }).reason, reason, `the RemoteError's reason on a ${status}`);
    if (status === 500) assert.deepEqual(chain.slice(1, 3), ["RemoteError", "RangeError"], `the cause of the RemoteError: ${messages(outcome.error)}`);
  }
});

test("inside a service method, comm.caller() is the address of the node that called it, as the current call holds it; outside any call it is undefined", async () => {
  const [a, b] = await pair();
  const name = fresh("who");
  const who = {
    who() {
      const call = (globalThis as any)[Symbol.for("distribution.currentCall")].getStore();
      return [call.caller, call.node.comm.caller()];
    },
    async ask(next: Api.Remote) {
      const { node } = (globalThis as any)[Symbol.for("distribution.currentCall")].getStore();
      return node.comm.send([], next);
    },
    outside() {
      const current = (globalThis as any)[Symbol.for("distribution.currentCall")];
      const { node } = current.getStore();
      return current.exit(() => [node.comm.caller()]);
    },
  };
  await a.put(who, name);
  await b.put(who, name);
  const here = (await client()).address;
  assert.deepEqual(await a.send([], name, "who"), [here, here], "[the current call's caller, comm.caller()] for a call from the test's node");
  assert.deepEqual(await a.send([b.at(name, "who")], name, "ask"), [a.address, a.address], "the same on b, called by a");
  assert.deepEqual(await a.send([], name, "outside"), [undefined], "comm.caller() outside the current call");
});

test("a call that gets no answer times out after options.timeoutMs, else the node's callTimeoutMs, else 5 seconds", async (t) => {
  const [node] = await pair();
  const { node: quick } = await configured();
  const standIn = await startStandIn(t);
  standIn.answer = () => {};
  const remote = { node: standIn.address, service: "hang", method: "forever" };
  // Each limit here only bounds a failure: a call that waits for a longer timeout than it was given ends here in the client's TimeoutError.
  assert.deepEqual((await failure(node.sendFrom([], remote, { timeoutMs: 200 }, 4000))).slice(0, 2), ["RemoteError", "TimeoutError"], "options.timeoutMs of 200 ms");
  assert.deepEqual((await failure(quick.sendFrom([], remote, undefined, 4000))).slice(0, 2), ["RemoteError", "TimeoutError"], `callTimeoutMs of ${configuredTimeoutMs} ms`);
  assert.deepEqual((await failure(node.sendFrom([], remote, undefined, callLimitMs))).slice(0, 2), ["RemoteError", "TimeoutError"], "the default timeout");
});

test("a call to a node that refuses or resets the connection gives an UnreachableError", async (t) => {
  const [node] = await pair();
  const nobody = { node: { ip: "127.0.0.1", port: await freePort() }, service: "status", method: "get" };
  assert.deepEqual((await failure(node.sendFrom(["nid"], nobody))).slice(0, 2), ["RemoteError", "UnreachableError"], "a port nothing listens on");
  const standIn = await startStandIn(t);
  standIn.answer = (_, res) => res.socket?.destroy();
  assert.deepEqual((await failure(node.sendFrom(["nid"], { ...nobody, node: standIn.address }))).slice(0, 2), ["RemoteError", "UnreachableError"], "a server that resets the connection");
});

// ---------------------------------------------------------------------------
// handouts/m2.md#comm: at most once

test("a raw request repeated with the same x-request-id runs once and gets the first response, while a new id runs again", async () => {
  const [node] = await pair();
  const name = fresh("once");
  await node.put(counter(), name);
  const id = freshId();
  const first = await rawCall(node.address, `/local/${name}/hit`, [], { "x-request-id": id });
  assert.equal(first.status, 200);
  assert.equal(decoded(first), 1);
  for (let i = 0; i < 3; i++) {
    const again = await rawCall(node.address, `/local/${name}/hit`, [], { "x-request-id": id });
    assert.deepEqual([again.status, decoded(again)], [200, 1], `copy ${i + 1} of the request`);
  }
  assert.equal(decoded(await rawCall(node.address, `/local/${name}/hit`, [])), 2, "the same call with a new id");
  assert.equal(await node.send([], name, "runs"), 2, "runs of the counter");
});

test("copies of a request that arrive while the first copy runs do not run it again, in an actor and in a concurrent service", async () => {
  const [node] = await pair();
  for (const mode of ["actor", "concurrent"] as const) {
    const name = fresh(`slow-${mode}`);
    await node.put({
      count: 0,
      async hit() {
        const mine = ++this.count;
        await new Promise((resolve) => setTimeout(resolve, 200));
        return mine;
      },
      runs() {
        return this.count;
      },
    }, name, { mode });
    const id = freshId();
    const copies = await Promise.all(Array.from({ length: 4 }, () => rawCall(node.address, `/local/${name}/hit`, [], { "x-request-id": id })));
    assert.deepEqual(copies.map((copy) => [copy.status, decoded(copy)]), Array.from({ length: 4 }, () => [200, 1]), `${mode}: the responses to the copies`);
    assert.equal(await node.send([], name, "runs"), 1, `${mode}: runs of the method`);
  }
});

test("a node remembers the responses to at least its last 1,000 requests", async () => {
  const [node] = await pair();
  const name = fresh("memory");
  await node.put(counter(), name, { mode: "concurrent" });
  const id = freshId();
  assert.equal(decoded(await rawCall(node.address, `/local/${name}/hit`, [], { "x-request-id": id })), 1);
  // 998 raw requests and one comm call after it: the first is still one of the last 1,000 when it is repeated.
  let next = 0;
  const others = async () => {
    while (next++ < 998) await rawCall(node.address, `/local/${name}/hit`, []);
  };
  await Promise.all(Array.from({ length: 8 }, others));
  assert.equal(await node.send([], name, "runs"), 999, "runs after 999 requests");
  const again = await rawCall(node.address, `/local/${name}/hit`, [], { "x-request-id": id });
  assert.deepEqual([again.status, decoded(again)], [200, 1], "the first request, repeated after 999 others");
  assert.equal(await node.send([], name, "runs"), 999, "runs after the repeat");
});

// ---------------------------------------------------------------------------
// handouts/m2.md#comm: the server never dies from what it receives

test("a method other than POST gets 405 with a serialized error, and the node serves the next request", async () => {
  const [node] = await pair();
  for (const method of ["GET", "PUT", "DELETE", "PATCH"]) {
    assertRejected(await raw(node.address, { method, path: "/local/status/get", body: method === "GET" ? undefined : m1.serialize(["nid"]) }), 405, method);
  }
  await assertServes(node, "requests with other methods");
});

test("a request without x-request-id or x-from, with a body that does not deserialize, or with arguments that are not an array gets 400", async () => {
  const [node] = await pair();
  const name = fresh("guarded");
  await node.put(counter(), name);
  const path = `/local/${name}/hit`;
  const args = m1.serialize([]);
  const cases: Array<[string, Parameters<typeof raw>[1]]> = [
    ["no x-request-id", { path, headers: { "x-request-id": undefined }, body: args }],
    ["no x-from", { path, headers: { "x-from": undefined }, body: args }],
    ["an empty body", { path, body: "" }],
    ["a body that is not a serialization", { path, body: "}{ not serialized \u0000" }],
    ["arguments that are an object", { path, body: m1.serialize({ 0: "a" }) }],
    ["arguments that are a string", { path, body: m1.serialize("a") }],
    ["arguments that are undefined", { path, body: m1.serialize(undefined) }],
  ];
  for (const [what, request] of cases) assertRejected(await raw(node.address, request), 400, what);
  assert.equal(await node.send([], name, "runs"), 0, "the method ran for a malformed request");
  await assertServes(node, "malformed requests");
});

test("a path that is not /<gid>/<service>/<method>, or names no service or method of the node, or an inherited name, gets 404", async () => {
  const [node] = await pair();
  const name = fresh("paths");
  await node.put(counter(), name);
  const paths = [
    "/", "/local", `/local/${name}`, `/local/${name}/hit/extra`, `//${name}/hit`, `/local//hit`, `/local/${name}/`,
    `/local/${fresh("absent")}/hit`, `/other/${name}/hit`, `/local/${name}/nope`,
    `/local/${name}/toString`, `/local/${name}/constructor`, `/local/${name}/__proto__`, `/local/${name}/hasOwnProperty`, "/local/status/toString",
  ];
  for (const path of paths) assertRejected(await rawCall(node.address, path, []), 404, path);
  assert.equal(await node.send([], name, "runs"), 0, "the counter ran");
  await assertServes(node, "bad paths");
});

test("a body over bodyLimitBytes gets 413, and a body of exactly the limit is served", async () => {
  const { node } = await configured();
  const bodyOf = (length: number) => m1.serialize(["x".repeat(length)]);
  const base = Buffer.byteLength(bodyOf(0));
  const exact = bodyOf(bodyLimitBytes - base);
  assert.equal(Buffer.byteLength(exact), bodyLimitBytes, "the test's body of exactly the limit");
  const served = await raw(node.address, { path: "/local/routes/get", body: exact });
  assert.deepEqual([served.status, decoded(served)], [200, undefined], "a body of exactly the limit");
  assertRejected(await raw(node.address, { path: "/local/routes/get", body: bodyOf(bodyLimitBytes - base + 1) }), 413, "a body one byte over the limit");
  assertRejected(await raw(node.address, { path: "/local/routes/get", body: bodyOf(1 << 20) }), 413, "a body of a MiB");
  await assertServes(node, "bodies over the limit");
});

/** Writes `bytes` on a connection of its own and reads what comes back until the node closes it (or 10 s pass). */
function exchange(address: Api.NodeAddress, bytes: Buffer | string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(address.port, address.ip);
    let answer = "";
    const done = () => {
      clearTimeout(limit);
      socket.destroy();
      resolve(answer);
    };
    const limit = setTimeout(done, 10_000);
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => (answer += chunk));
    socket.on("error", done);
    socket.on("close", done);
    socket.on("connect", () => socket.end(bytes));
  });
}

test("bytes that are not HTTP get 400, and random bytes on many connections never stop the node", withSeed(async (random) => {
  const [node] = await pair();
  for (const bytes of ["this is not http\r\n\r\n", "POST /local/status/get HTTP/9\r\n\r\n", "\u0000\u0001\u0002\r\n\r\n"]) {
    const answer = await exchange(node.address, bytes);
    assert.match(answer, /^HTTP\/1\.[01] 400/, `the answer to ${JSON.stringify(bytes)}`);
  }
  const garbage = Array.from({ length: 24 }, () => Buffer.from(Array.from({ length: random.int(1, 2000) }, () => random.int(0, 255))));
  await Promise.all(garbage.map((bytes) => exchange(node.address, bytes)));
  await assertServes(node, "random bytes");
}));

// ---------------------------------------------------------------------------
// handouts/m2.md#the-model: services are actors

test("an actor takes its messages one at a time: none overlaps another and no update is lost", async () => {
  const [node] = await pair();
  const name = fresh("actor");
  await node.put({
    value: 0,
    active: 0,
    peak: 0,
    async bump() {
      this.active++;
      this.peak = Math.max(this.peak, this.active);
      const read = this.value;
      await new Promise((resolve) => setTimeout(resolve, 3));
      this.value = read + 1;
      this.active--;
      return this.value;
    },
    state() {
      return [this.value, this.peak];
    },
  }, name);
  const results = await Promise.all(Array.from({ length: 30 }, () => node.send([], name, "bump")));
  assert.deepEqual([...results].sort((a, b) => a - b), Array.from({ length: 30 }, (_, i) => i + 1), "what each message saw");
  assert.deepEqual(await node.send([], name, "state"), [30, 1], "[the count, the most messages running at once]");
});

test("an actor takes its messages in the order they arrive", async () => {
  const [node] = await pair();
  const name = fresh("ordered");
  const gate = fresh("gate");
  await node.put({
    open() {
      (globalThis as any).bbOrderGateOpen = true;
    },
  }, gate, { mode: "concurrent" });
  await node.put({
    seen: [] as number[],
    async take(i: number) {
      for (let wait = 0; i === 0 && !(globalThis as any).bbOrderGateOpen && wait < 3000; wait++) await new Promise((resolve) => setTimeout(resolve, 5));
      this.seen.push(i);
      return this.seen.slice();
    },
  }, name);
  // Each message is sent once the node has counted the one before as received: the order of arrival is 0, 1, … 5.
  const received = async () => ((await node.send(["counts"], "status", "get")) as Api.StatusReport["counts"]).received;
  const calls: Array<Promise<unknown>> = [];
  for (let i = 0; i < 6; i++) {
    const base = await received();
    calls.push(node.send([i], name, "take"));
    let probes = 0;
    const arrived = await eventually(async () => (await received()) - base - ++probes >= 1, 20_000);
    assert.ok(arrived, `the node has not counted message ${i} as received within 20 s`);
  }
  await node.send([], gate, "open");
  const results = await Promise.all(calls);
  assert.deepEqual(results[5], [0, 1, 2, 3, 4, 5], "the order the actor took its messages in");
});

test("a concurrent service takes all its messages at once", async () => {
  const [node] = await pair();
  const name = fresh("concurrent");
  await node.put({
    active: 0,
    async enter(n: number) {
      this.active++;
      for (let wait = 0; this.active < n && wait < 2000; wait++) await new Promise((resolve) => setTimeout(resolve, 5));
      return this.active;
    },
  }, name, { mode: "concurrent" });
  const results = await Promise.all(Array.from({ length: 8 }, () => node.send([8], name, "enter", { timeoutMs: 20_000 })));
  assert.deepEqual(results, Array.from({ length: 8 }, () => 8), "how many messages each saw running at once");
});

test("each service has its own mailbox: a busy actor holds up neither another actor nor status", async () => {
  const [node] = await pair();
  const busy = fresh("busy");
  const other = fresh("other");
  const gate = fresh("gate");
  const flag = fresh("flag");
  await node.put({
    async hold(name: string) {
      (globalThis as any)[`${name} started`] = true;
      for (let wait = 0; !(globalThis as any)[`${name} open`] && wait < 4000; wait++) await new Promise((resolve) => setTimeout(resolve, 5));
      return "done";
    },
  }, busy);
  await node.put({ ping: () => "pong" }, other);
  await node.put({
    started: (name: string) => (globalThis as any)[`${name} started`] === true,
    open(name: string) {
      (globalThis as any)[`${name} open`] = true;
    },
  }, gate, { mode: "concurrent" });
  const held = node.send([flag], busy, "hold");
  assert.ok(await eventually(() => node.send([flag], gate, "started"), 20_000), "the busy actor's message did not start");
  assert.equal(await node.send([], other, "ping"), "pong", "another actor while the first is busy");
  assert.equal(await node.send(["nid"], "status", "get"), nidOf(node.address), "status while an actor is busy");
  await node.send([flag], gate, "open");
  assert.equal(await held, "done", "the busy actor, once released");
});

// ---------------------------------------------------------------------------
// handouts/m2.md#rpc

/** Services for the stub tests: `run(f, x)` calls f(x) inside a service method; `relay(f, next, x)` passes f on to `next`. */
const runner = () => ({
  run: (f: (x: unknown) => unknown, x: unknown) => f(x),
  async relay(f: unknown, next: Api.Remote, x: unknown) {
    const { node } = (globalThis as any)[Symbol.for("distribution.currentCall")].getStore();
    return node.comm.send([f, x], next);
  },
});

test("a stub made on another node, passed through the node and called in one of its service methods, runs its function on its home node", async () => {
  const [a, b] = await pair();
  const home = await client();
  const name = fresh("runner");
  await a.put(runner(), name);
  await b.put(runner(), name);
  const calls: unknown[] = [];
  const stub = home.rpc.stub((x: number) => {
    calls.push(x);
    return x * 2;
  });
  assert.equal(await a.send([stub, 4], name, "run"), 8, "the stub called on a node under test");
  assert.equal(await a.send([stub, b.at(name, "run"), 21], name, "relay"), 42, "the stub passed through one node under test and called on another");
  assert.deepEqual(calls, [4, 21], "the calls the function took at home");
});

/** A service that makes a stub on its node and sends it to be called elsewhere; the stub reads the home node's tag. */
const maker = () => ({
  tag: "",
  setTag(tag: string) {
    this.tag = tag;
  },
  async make(where: Api.Remote, x: number) {
    const { node } = (globalThis as any)[Symbol.for("distribution.currentCall")].getStore();
    const stub = node.rpc.stub((y: number) => [y + 1, this.tag]);
    return node.comm.send([stub, x], where);
  },
});

test("a stub runs its function on the node that made it, with that node's state, wherever it is called", async () => {
  const nodes = await pair();
  const [a, b] = nodes;
  const name = fresh("maker");
  const run = fresh("runner");
  for (const [i, node] of nodes.entries()) {
    await node.put(maker(), name);
    await node.put(runner(), run);
    await node.send([`node ${i}`], name, "setTag");
  }
  assert.deepEqual(await a.send([b.at(run, "run"), 1], name, "make"), [2, "node 0"], "a stub from the first node, called on the second");
  assert.deepEqual(await b.send([a.at(run, "run"), 5], name, "make"), [6, "node 1"], "a stub from the second node, called on the first");
});

test("a stub's source holds its home address but not its function", async () => {
  const [node] = await pair();
  const name = fresh("source");
  await node.put({
    source() {
      const home = (globalThis as any)[Symbol.for("distribution.currentCall")].getStore().node;
      return String(home.rpc.stub(() => "bb-secret-function-body"));
    },
  }, name);
  const source = (await node.send([], name, "source")) as string;
  assert.equal(typeof source, "string");
  assert.ok(source.includes(String(node.address.port)) && source.includes(node.address.ip), `the stub's source does not hold ${addressText(node.address)}: ${source.slice(0, 300)}`);
  assert.ok(!source.includes("bb-secret-function-body"), `the stub's source holds its function: ${source.slice(0, 300)}`);
});

test("a stub called outside any service method throws an Error, and its function does not run", async () => {
  const [node] = await pair();
  const name = fresh("outside");
  await node.put({
    ran: false,
    async outside() {
      const current = (globalThis as any)[Symbol.for("distribution.currentCall")];
      const stub = current.getStore().node.rpc.stub(() => {
        this.ran = true;
      });
      const outcome = await current.exit(async () => {
        try {
          await stub();
          return "resolved";
        } catch (error) {
          return error instanceof Error ? "Error" : typeof error;
        }
      });
      return [outcome, this.ran];
    },
  }, name);
  assert.deepEqual(await node.send([], name, "outside"), ["Error", false], "[how the stub ended, whether its function ran]");
});

// ---------------------------------------------------------------------------
// handouts/m2.md#startnode: stop()

test("stop() frees the node's port and closes its connections at once, even those of calls still in flight", async (t) => {
  const node = await startRemote(t);
  const standIn = await startStandIn(t);
  standIn.answer = () => {};
  const inFlight = settle(node.sendFrom([], { node: standIn.address, service: "hang", method: "forever" }, { timeoutMs: 60_000 }, 90_000));
  assert.ok(await eventually(() => standIn.seen.length === 1, 20_000), "the call did not reach the stand-in");
  await settle(node.call([["stop", []]]));
  assert.ok(await eventually(() => standIn.closed() >= 1, 10_000), "the connection of the call in flight is still open 10 s after stop(), though its timeout is 60 s");
  assert.equal((await inFlight).ok, false, "the call in flight resolved");
  assert.equal((await failure(node.send(["nid"], "status", "get")))[0], "UnreachableError", "a call to the stopped node");
  assert.ok(await canListen(node.address.port), `port ${node.address.port} is still taken after stop()`);
});
