/**
 * handouts/m2.md#startnode and #spawnnode: a node's life on real processes.
 * `stop()` frees the port (a new node binds it at once and answers those who
 * called the old one), fails the node's pending calls, and is harmless twice.
 * A node in a child process answers calls under the parent's runtime and
 * ends with `stop()`; a process that stops all its nodes holds no handle and
 * exits by itself. (What a stopped node leaves behind in simulation, and a
 * spawned node's death with its parent: stopped.test.ts.)
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createConnection, createServer, type AddressInfo } from "node:net";
import { TimeoutError, UnreachableError } from "../../autograder/kit/errors.ts";
import { load } from "../../autograder/kit/implementations.ts";
import { currentRuntime } from "../../autograder/kit/runtime.ts";
import type * as Api from "../api.ts";
import { describe, watch } from "./_calls.ts";
import { runLifecycle } from "./_lifecycle-script.ts";
import { realNodes, silent } from "./_nodes.ts";
import { ended, pause, realNow, within } from "./_real-time.ts";

const m2 = await load<typeof Api>("m2");

/** Spawns a node; it stops when the test ends. */
async function spawned(t: TestContext, config?: Omit<Api.NodeConfig, "context">): Promise<Api.ChildNode> {
  const child = await m2.spawnNode(config);
  t.after(() => child.stop());
  return child;
}

/** A port that was free a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts connections at the address (within a second). */
function listening(address: Api.NodeAddress): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: address.ip, port: address.port });
    const finish = (open: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(open);
    };
    const timer = setTimeout(() => finish(true), 1_000);
    socket.on("connect", () => finish(true));
    socket.on("error", () => finish(false));
  });
}

test("stop() frees the port at once, is harmless twice, and a new node there answers the old one's callers", async (t) => {
  const [caller, old] = await realNodes(t, m2, 2);
  assert.ok(caller && old);
  await old.routes.put({ who: () => "old" }, "name");
  const remote = { node: old.address, service: "name", method: "who" };
  assert.equal(await caller.comm.send([], remote), "old");
  await old.stop();
  await old.stop();
  await assert.rejects(caller.comm.send([], remote, { timeoutMs: 3_000 }), (error: unknown) => {
    assert.ok(error instanceof UnreachableError, `a stopped node must be unreachable, got ${describe(error)}`);
    return true;
  });
  const replacement = await m2.startNode({ port: old.address.port });
  t.after(() => replacement.stop());
  assert.deepEqual(replacement.address, old.address, "the port is free again at once");
  assert.equal(replacement.id, old.id, "the same address gives the same id");
  await replacement.routes.put({ who: () => "new" }, "name");
  assert.equal(await caller.comm.send([], remote, { timeoutMs: 3_000 }), "new");
});

test("stop() fails the node's pending calls without waiting for their timeout", async (t) => {
  const [caller, callee] = await realNodes(t, m2, 2);
  assert.ok(caller && callee);
  await callee.routes.put(silent, "silent", { mode: "concurrent" });
  const calls = Array.from({ length: 3 }, () => watch(caller.comm.send([], { node: callee.address, service: "silent", method: "hang" }, { timeoutMs: 30_000 }), realNow));
  await caller.comm.send(["nid"], { node: callee.address, service: "status", method: "get" });
  const stoppedAt = realNow();
  await caller.stop();
  for (const [k, call] of calls.entries()) {
    assert.ok(await ended(call, 2_000), `call ${k} is still pending 2 s after its node stopped`);
    const outcome = call.outcome;
    assert.ok(outcome !== undefined && !outcome.ok && outcome.error instanceof Error, `call ${k} must fail with an Error`);
    assert.ok(outcome.at - stoppedAt < 2_000);
  }
});

test("a spawned node listens on the port it is given, answers calls, and is gone after stop()", async (t) => {
  const [caller] = await realNodes(t, m2, 1);
  assert.ok(caller);
  const port = await freePort();
  const child = await spawned(t, { port });
  assert.deepEqual(child.address, { ip: "127.0.0.1", port });
  assert.equal(child.id, createHash("sha256").update(`127.0.0.1:${port}`).digest("hex"));
  assert.equal(await caller.comm.send(["nid"], { node: child.address, service: "status", method: "get" }), child.id);
  const probe = {
    runtime: () => {
      const scope = globalThis as Record<string, unknown>;
      if (scope.Deno !== undefined) return "deno";
      return typeof process.versions.bun === "string" ? "bun" : "node";
    },
    pid: () => process.pid,
  };
  await caller.comm.send([probe, "probe"], { node: child.address, service: "routes", method: "put" });
  assert.equal(await caller.comm.send([], { node: child.address, service: "probe", method: "runtime" }), currentRuntime(), "the child runs under the parent's runtime");
  assert.notEqual(await caller.comm.send([], { node: child.address, service: "probe", method: "pid" }), process.pid, "the node runs in another process");
  await child.stop();
  await child.stop();
  await assert.rejects(caller.comm.send(["nid"], { node: child.address, service: "status", method: "get" }, { timeoutMs: 3_000 }), (error: unknown) => {
    assert.ok(error instanceof UnreachableError, `a stopped child must be unreachable, got ${describe(error)}`);
    return true;
  });
  assert.equal(await listening(child.address), false, "nothing listens on a stopped child's port");
});

test("a spawned node stopped mid-call leaves its caller a TimeoutError or an UnreachableError within the timeout", async (t) => {
  const [caller] = await realNodes(t, m2, 1);
  assert.ok(caller);
  const child = await spawned(t);
  const statusOf = { node: child.address, service: "status", method: "get" };
  await caller.comm.send([silent, "slow", { mode: "concurrent" }], { node: child.address, service: "routes", method: "put" });
  const before = ((await caller.comm.send(["counts"], statusOf)) as Api.StatusReport["counts"]).received;
  const timeoutMs = 4_000;
  const call = watch(caller.comm.send([], { node: child.address, service: "slow", method: "hang" }, { timeoutMs }), realNow);
  // The call is in flight once the child has counted it.
  const deadline = realNow() + 3_000;
  while (realNow() < deadline) {
    const { received } = (await caller.comm.send(["counts"], statusOf)) as Api.StatusReport["counts"];
    if (received >= before + 2) break;
    await pause(10);
  }
  const stopping = child.stop();
  assert.ok(await ended(call, timeoutMs + 2_000), "the call is still pending long after its callee stopped");
  await stopping;
  const outcome = call.outcome;
  assert.ok(outcome !== undefined && !outcome.ok, "a call whose callee stopped cannot return");
  assert.ok(outcome.error instanceof TimeoutError || outcome.error instanceof UnreachableError, `expected TimeoutError or UnreachableError, got ${describe(outcome.error)}`);
  assert.ok(call.elapsed <= timeoutMs + 500, `the call ended after ${Math.round(call.elapsed)} ms, past its ${timeoutMs} ms timeout`);
});

test("a process that starts, calls, spawns and stops nodes exits on its own", { timeout: 60_000 }, async (t) => {
  const script = runLifecycle(t, "quiet");
  const line = await script.firstLine;
  assert.equal(line, "stopped", `the script did not finish its work: ${script.errors()}`);
  const stoppedAt = realNow();
  const exited = await within(script.exited, 3_000, "still running" as const);
  assert.notEqual(exited, "still running", "the process is still running 3 s after stopping every node: a handle was left open");
  assert.equal(exited, 0, `the script failed: ${script.errors()}`);
  assert.ok(realNow() - stoppedAt < 3_000);
});
