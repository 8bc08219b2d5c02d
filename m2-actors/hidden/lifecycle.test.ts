/**
 * handouts/m2.md#startnode and #spawnnode: a node's life. `stop()` frees the
 * port (a new node binds it at once and answers those who called the old
 * one), fails the node's pending calls, cancels its timers, and is harmless
 * twice. A node in a child process answers calls under the parent's runtime,
 * ends with `stop()`, and dies with its parent however the parent dies; a
 * process that stops all its nodes holds no handle and exits by itself.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { createConnection, createServer, type AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { Simulation } from "../../autograder/harness/sim/simulation.ts";
import type { Random } from "../../autograder/harness/random.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import type { Clock } from "../../autograder/kit/context.ts";
import { TimeoutError, UnreachableError } from "../../autograder/kit/errors.ts";
import { load } from "../../autograder/kit/implementations.ts";
import { currentRuntime, scriptCommand } from "../../autograder/kit/runtime.ts";
import type * as Api from "../api.ts";
import { describe, ended, pause, pending, realNow, watch, within } from "./_calls.ts";
import { realNodes, simNodes } from "./_nodes.ts";

const m2 = await load<typeof Api>("m2");

/** A service whose one method never answers. */
const silent: Api.Service = { hang: () => new Promise(() => {}) };

const lifecycleScript = fileURLToPath(new URL("../tests/_lifecycle.ts", import.meta.url));

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

/** Waits until nothing listens at the address; returns whether that happened within `limitMs`. */
async function closedWithin(address: Api.NodeAddress, limitMs: number): Promise<boolean> {
  const deadline = realNow() + limitMs;
  while (realNow() < deadline) {
    if (!(await listening(address))) return true;
    await pause(100);
  }
  return false;
}

/** Runs the lifecycle script in its own process group, which is killed when the test ends. */
function runLifecycle(t: TestContext, mode: string) {
  const { command, args } = scriptCommand(currentRuntime(), lifecycleScript, [mode]);
  const child: ChildProcess = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], detached: true, env: process.env });
  let output = "";
  let errors = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (errors += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  t.after(() => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      // The group is gone already.
    }
    child.stdin?.destroy();
    child.stdout?.destroy();
    child.stderr?.destroy();
  });
  /** The first line printed, or undefined if none came within `limitMs` (or the script exited first). */
  const firstLine = async (limitMs: number): Promise<string | undefined> => {
    let done = false;
    void exited.then(() => (done = true));
    const deadline = realNow() + limitMs;
    while (!output.includes("\n") && !done && realNow() < deadline) await pause(20);
    return output.includes("\n") ? output.slice(0, output.indexOf("\n")) : undefined;
  };
  return { child, exited, firstLine, errors: () => errors.slice(-2_000) };
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

test("in simulation, stop() fails the node's pending calls before their timeout", withSeed(async (random: Random, t: TestContext) => {
  const sim = new Simulation({ seed: random.uint32() });
  const [caller, callee] = await simNodes(t, m2, sim, 2);
  assert.ok(caller && callee);
  await callee.routes.put(silent, "silent", { mode: "concurrent" });
  const call = watch(caller.comm.send([], { node: callee.address, service: "silent", method: "hang" }, { timeoutMs: 10_000 }), () => sim.now());
  await sim.run(100);
  assert.ok(pending(call), "the call must be pending before the stop");
  const stoppedAt = sim.now();
  await caller.stop();
  await sim.runUntil(() => call.outcome !== undefined, 5_000);
  const outcome = call.outcome;
  assert.ok(outcome !== undefined, "the call is still pending 5 s (virtual) after its node stopped");
  assert.ok(!outcome.ok && outcome.error instanceof Error, "the call must fail with an Error");
  assert.ok(outcome.at - stoppedAt < 5_000);
}));

test("after stop(), none of the timers a node set on its clock fires", withSeed(async (random: Random, t: TestContext) => {
  const sim = new Simulation({ seed: random.uint32(), latency: [1, 5] });
  const base = sim.context();
  let stopped = false;
  let set = 0;
  let firedAfterStop = 0;
  const clock: Clock = {
    now: () => base.clock.now(),
    after: (ms, callback) => {
      set++;
      return base.clock.after(ms, () => {
        if (stopped) firedAfterStop++;
        callback();
      });
    },
  };
  const node = await m2.startNode({ context: { ...base, clock } });
  t.after(() => node.stop());
  const [callee, caller] = await simNodes(t, m2, sim, 2);
  assert.ok(callee && caller);
  await callee.routes.put(silent, "silent", { mode: "concurrent" });
  await node.routes.put(silent, "silent", { mode: "concurrent" });
  // Calls out (pending, with long timeouts) and calls in (pending on a method that never answers).
  for (let k = 0; k < 5; k++) {
    void node.comm.send([], { node: callee.address, service: "silent", method: "hang" }, { timeoutMs: 20_000 + k }).catch(() => {});
    void caller.comm.send([], { node: node.address, service: "silent", method: "hang" }, { timeoutMs: 20_000 + k }).catch(() => {});
  }
  await sim.settle(node.comm.send(["nid"], { node: callee.address, service: "status", method: "get" }));
  await sim.run(100);
  await node.stop();
  stopped = true;
  await sim.run(120_000);
  assert.equal(firedAfterStop, 0, `${firedAfterStop} of the ${set} timers the node set fired after it stopped`);
}));

test("after stop(), a timer set through the node's context clock does not fire", withSeed(async (random: Random, t: TestContext) => {
  const sim = new Simulation({ seed: random.uint32() });
  const [node, other] = await simNodes(t, m2, sim, 2);
  assert.ok(node && other);
  const fired: string[] = [];
  node.context.clock.after(1_000, () => fired.push("before stop"));
  other.context.clock.after(1_000, () => fired.push("other node"));
  await sim.run(500);
  await node.stop();
  await sim.run(10_000);
  assert.deepEqual(fired, ["other node"], "the stopped node's timer must not fire; the other node's must");
}));

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
  await caller.comm.send([{ hang: () => new Promise(() => {}) }, "slow", { mode: "concurrent" }], { node: child.address, service: "routes", method: "put" });
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

test("a spawned node dies when its parent process is killed", async (t) => {
  const parent = runLifecycle(t, "parent");
  const line = await parent.firstLine(20_000);
  assert.ok(line !== undefined, `the parent script printed no address: ${parent.errors()}`);
  const address = JSON.parse(line) as Api.NodeAddress;
  const [caller] = await realNodes(t, m2, 1);
  assert.ok(caller);
  assert.equal(await caller.comm.send(["port"], { node: address, service: "status", method: "get" }), address.port, "the child answers while its parent lives");
  parent.child.kill("SIGKILL");
  assert.equal(await parent.exited, null, "the parent was killed");
  assert.ok(await closedWithin(address, 5_000), "the child still listens 5 s after its parent was killed");
});

test("a process that starts, calls, spawns and stops nodes exits on its own", async (t) => {
  const script = runLifecycle(t, "quiet");
  const line = await script.firstLine(25_000);
  assert.equal(line, "stopped", `the script did not finish its work: ${script.errors()}`);
  const stoppedAt = realNow();
  const exited = await within(script.exited, 3_000, "still running" as const);
  assert.notEqual(exited, "still running", "the process is still running 3 s after stopping every node: a handle was left open");
  assert.equal(exited, 0, `the script failed: ${script.errors()}`);
  assert.ok(realNow() - stoppedAt < 3_000);
});
