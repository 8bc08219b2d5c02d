/**
 * handouts/m2.md#comm, "The server never dies from what it receives": raw
 * requests written on a TCP socket to a real node. Each kind of malformed
 * request gets its documented 4xx status with a serialized error as its body,
 * and the node keeps serving well-formed requests and calls afterwards.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import type { Random } from "../../autograder/harness/random.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import { RemoteError } from "../../autograder/kit/errors.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type * as M1 from "../../m1-serialization/api.ts";
import type * as Api from "../api.ts";
import { describe } from "./_calls.ts";
import { callHeaders, exchange, type RawResponse, send } from "./_http.ts";
import { realNodes } from "./_nodes.ts";

const m2 = await load<typeof Api>("m2");
const m1 = await load<typeof M1>("m1");

let requestCount = 0;
/** A fresh request id for a raw request. */
const freshId = () => `raw-${process.pid}-${++requestCount}`;

/** Starts the node under test and a peer that calls it. */
async function nodePair(t: TestContext, config: Api.NodeConfig = {}): Promise<[Api.DistNode, Api.DistNode]> {
  const [node, peer] = await realNodes(t, m2, 2, config);
  assert.ok(node && peer);
  return [node, peer];
}

/** Checks the status, and that the body is a serialized error. */
function assertRejected(response: RawResponse | undefined, status: number, what: string): void {
  assert.ok(response !== undefined, `${what}: the node must answer ${status}, it sent no response`);
  assert.equal(response.status, status, `${what}: expected ${status}, got ${response.status}`);
  let error: unknown;
  try {
    error = m1.deserialize(response.body);
  } catch (cause) {
    assert.fail(`${what}: the body of a ${status} must be a serialized error; it does not deserialize (${describe(cause)})`);
  }
  assert.ok(error instanceof Error, `${what}: the body of a ${status} must deserialize to an Error, got ${typeof error}`);
}

/** Checks that the node still answers a well-formed raw request and a call from its peer. */
async function assertServing(node: Api.DistNode, peer: Api.DistNode): Promise<void> {
  const response = await send(node.address, { method: "POST", path: "/local/status/get", headers: callHeaders(freshId()), body: m1.serialize(["nid"]) });
  assert.ok(response !== undefined, "a well-formed request after the malformed ones got no response");
  assert.equal(response.status, 200, "a well-formed request after the malformed ones must get 200");
  assert.equal(m1.deserialize(response.body), node.id, "the body of a 200 is the serialized result");
  const sid = await peer.comm.send(["sid"], { node: node.address, service: "status", method: "get" });
  assert.equal(sid, node.sid, "the node must keep answering calls");
}

test("bytes that are not HTTP get 400 and the node keeps serving", async (t) => {
  const [node, peer] = await nodePair(t);
  const garbage = [
    "hello there\r\n\r\n",
    Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x00, 0x01, 0x0d, 0x0a, 0x0d, 0x0a]),
    "POST /local/status/get HTTP/1.1\r\nthis header has no colon\r\n\r\n",
    "POST /local/status/get HTTP/1.1\r\ncontent-length: 5\r\ncontent-length: 6\r\n\r\n",
  ];
  for (const [i, bytes] of garbage.entries()) assertRejected(await exchange(node.address, bytes), 400, `garbage ${i}`);
  await assertServing(node, peer);
});

test("a method other than POST gets 405", async (t) => {
  const [node, peer] = await nodePair(t);
  for (const method of ["GET", "PUT", "DELETE", "PATCH", "OPTIONS"]) {
    const response = await send(node.address, { method, path: "/local/status/get", headers: callHeaders(freshId()), body: m1.serialize(["nid"]) });
    assertRejected(response, 405, method);
  }
  await assertServing(node, peer);
});

test("a request without x-request-id or x-from, with a body that does not deserialize, or with arguments that are not an array gets 400", async (t) => {
  const [node, peer] = await nodePair(t);
  const post = (headers: Record<string, string>, body: string) => send(node.address, { method: "POST", path: "/local/status/get", headers, body });
  const { "x-request-id": id, "x-from": from } = callHeaders(freshId());
  const headerCases: Array<[string, Record<string, string>]> = [
    ["no x-request-id", { "x-from": from as string }],
    ["no x-from", { "x-request-id": id as string }],
    ["neither", {}],
  ];
  for (const [what, headers] of headerCases) assertRejected(await post(headers, m1.serialize(["nid"])), 400, what);

  const whole = m1.serialize(["nid", { nested: [1, 2, 3] }]);
  const undecodable = ["", "not a serialization", whole.slice(0, Math.floor(whole.length / 2)), `${whole}\u0000trailing`, "[[[{"].filter((body) => {
    try {
      m1.deserialize(body);
      return false;
    } catch {
      return true;
    }
  });
  assert.ok(undecodable.length >= 3, "the test needs bodies that milestone 1 rejects");
  for (const body of undecodable) assertRejected(await post(callHeaders(freshId()), body), 400, `body ${JSON.stringify(body.slice(0, 40))}`);

  const notArrays: Array<[string, unknown]> = [
    ["a string", "nid"],
    ["a number", 42],
    ["null", null],
    ["an array-like object", { 0: "nid", length: 1 }],
    ["a Set", new Set(["nid"])],
  ];
  for (const [what, args] of notArrays) assertRejected(await post(callHeaders(freshId()), m1.serialize(args)), 400, `arguments that are ${what}`);
  await assertServing(node, peer);
});

/** A serialized argument list `[text]` of exactly `bytes` bytes. */
function argumentsOfSize(bytes: number): string {
  for (let n = bytes; n >= 0; n--) {
    const body = m1.serialize(["x".repeat(n)]);
    if (Buffer.byteLength(body) === bytes) return body;
  }
  throw new Error(`Cannot make arguments of exactly ${bytes} bytes`);
}

test("a body over bodyLimitBytes gets 413, and a body of exactly the limit is served", async (t) => {
  const limit = 2_000;
  const [node, peer] = await nodePair(t, { bodyLimitBytes: limit });
  await node.routes.put({ size: (text: string) => text.length }, "measure");
  const path = "/local/measure/size";
  const atLimit = argumentsOfSize(limit);
  const served = await send(node.address, { method: "POST", path, headers: callHeaders(freshId()), body: atLimit });
  assert.equal(served?.status, 200, `a body of exactly ${limit} bytes is not over the limit`);
  assert.equal(m1.deserialize(served.body), (m1.deserialize(atLimit) as [string])[0].length);
  for (const size of [limit + 1, 4 * limit, 200 * limit]) {
    const response = await send(node.address, { method: "POST", path, headers: callHeaders(freshId()), body: argumentsOfSize(size) });
    assertRejected(response, 413, `a body of ${size} bytes`);
  }
  await assertServing(node, peer);
});

test("a path that is not /<gid>/<service>/<method>, or names no service or method, gets 404", async (t) => {
  const [node, peer] = await nodePair(t);
  const paths = ["/", "/local", "/local/status", "/local/status/get/extra", "/a/b/c/d/e", "/nogroup/status/get", "/local/nosuchservice/get", "/local/status/nosuchmethod"];
  for (const path of paths) {
    const response = await send(node.address, { method: "POST", path, headers: callHeaders(freshId()), body: m1.serialize(["nid"]) });
    assertRejected(response, 404, path);
  }
  await assertServing(node, peer);
});

test("toString, constructor, __proto__ and other inherited names are not methods", async (t) => {
  const [node, peer] = await nodePair(t);
  await node.routes.put({ ping: () => "pong" }, "plain");
  const inherited = ["toString", "constructor", "__proto__", "hasOwnProperty", "valueOf", "__defineGetter__"];
  for (const service of ["status", "plain"]) {
    for (const method of inherited) {
      const response = await send(node.address, { method: "POST", path: `/local/${service}/${method}`, headers: callHeaders(freshId()), body: m1.serialize([]) });
      assertRejected(response, 404, `${service}.${method}`);
      await assert.rejects(
        peer.comm.send([], { node: node.address, service, method }),
        RemoteError,
        `${service}.${method} through comm must fail with RemoteError`,
      );
    }
  }
  assert.equal(await peer.comm.send([], { node: node.address, service: "plain", method: "ping" }), "pong");
  await assertServing(node, peer);
});

test("a raw request repeated with the same x-request-id runs once and gets the first response", async (t) => {
  const [node, peer] = await nodePair(t);
  let runs = 0;
  await node.routes.put({ bump: () => ++runs }, "counter");
  const request = { method: "POST", path: "/local/counter/bump", headers: callHeaders(freshId()), body: m1.serialize([]) };
  const first = await send(node.address, request);
  const second = await send(node.address, request);
  assert.equal(first?.status, 200);
  assert.equal(second?.status, 200, "a duplicate gets the first response");
  assert.equal(m1.deserialize(first.body), 1);
  assert.equal(m1.deserialize(second.body), 1, "a duplicate gets the first response, not a new one");
  assert.equal(runs, 1, "a duplicate must not run the method again");
  const fresh = await send(node.address, { ...request, headers: callHeaders(freshId()) });
  assert.equal(fresh?.status, 200);
  assert.equal(m1.deserialize(fresh.body), 2, "a new request id runs the method");
  await assertServing(node, peer);
});

test("random bytes on many connections never stop the node", withSeed(async (random: Random, t: TestContext) => {
  const [node, peer] = await nodePair(t, { bodyLimitBytes: 4_096 });
  const prefixes = ["", "POST /local/status/get HTTP/1.1\r\n", "POST /local/status/get HTTP/1.1\r\nx-request-id: r\r\nx-from: 127.0.0.1:9\r\ncontent-length: 20\r\n\r\n", "GET / HTTP/1.1\r\n"];
  const attempts = Array.from({ length: 60 }, () => {
    const noise = Buffer.from(Array.from({ length: random.int(1, 400) }, () => random.int(0, 255)));
    return Buffer.concat([Buffer.from(random.pick(prefixes), "latin1"), noise]);
  });
  const responses = await Promise.all(attempts.map((bytes) => exchange(node.address, bytes, 2_000, true)));
  for (const response of responses) {
    if (response === undefined) continue;
    assert.ok(response.status >= 400 && response.status < 500, `random bytes got status ${response.status}, expected a 4xx or no response`);
  }
  await assertServing(node, peer);
}));
