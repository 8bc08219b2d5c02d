/**
 * handouts/m3.md (every timer goes through `node.context.clock`, so that
 * `stop()` cancels it) and #gossip (`gossip.at`; an idle node sets no
 * timer): `gossip.at` ticks on the node's clock, survives a throwing call and
 * stops when cancelled; a node with nothing to do sets no timer; `stop()`
 * leaves no timer behind and sets none after, whatever the node was doing;
 * a process whose nodes did all of it, then stopped, exits on its own.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { withSeed } from "../../autograder/harness/seed.ts";
import { eventually } from "../../autograder/harness/wait.ts";
import { Simulation } from "../../autograder/harness/sim/simulation.ts";
import { withSimulation } from "../../autograder/harness/sim/with-simulation.ts";
import { currentRuntime, scriptCommand } from "../../autograder/kit/runtime.ts";
import { requestsSent, simGroup } from "./_nodes.ts";

const quietScript = fileURLToPath(new URL("../tests/_quiet.ts", import.meta.url));

test("gossip.at calls its function every interval on the node's clock, goes on after a call that throws, and stops when cancelled", withSimulation({}, async (sim, random, t) => {
  const [node] = await simGroup(t, sim, 1, "g");
  assert.ok(node);
  const fast: number[] = [];
  const slow: number[] = [];
  const since = sim.now();
  const cancelFast = node.gossip.at(70, () => {
    fast.push(sim.now() - since);
    if (fast.length % 2 === 1) throw new Error("every other call fails");
  });
  const cancelSlow = node.gossip.at(250, () => slow.push(sim.now() - since));
  await sim.run(1_000);
  assert.deepEqual(fast, Array.from({ length: 14 }, (_, i) => 70 * (i + 1)), "every 70 ms, throwing or not");
  assert.deepEqual(slow, [250, 500, 750, 1_000]);
  cancelFast();
  await sim.run(1_000);
  assert.equal(fast.length, 14, "a cancelled gossip.at went on");
  assert.deepEqual(slow, [250, 500, 750, 1_000, 1_250, 1_500, 1_750, 2_000], "cancelling one gossip.at stopped another");
  cancelSlow();
  cancelSlow();
  await sim.run(1_000);
  assert.equal(slow.length, 8);
}));

test("a node with groups but nothing to spread, send or watch sets no timer and sends nothing", withSimulation({}, async (sim, random, t) => {
  const requests = requestsSent(sim);
  const nodes = await simGroup(t, sim, 5, "g");
  const set = sim.timers().set;
  await sim.run(30_000);
  assert.equal(sim.timers().set - set, 0, "idle nodes set timers");
  assert.equal(requests.length, 0, "idle nodes sent messages");
  for (const node of nodes) assert.equal(sim.timers(node.address).pending, 0);
}));

test("stop() leaves no timer behind and sets none after, whether the node was gossiping, broadcasting, watching or ticking", withSeed(async (random, t) => {
  for (let run = 0; run < 6; run++) {
    const sim = new Simulation({ seed: random.uint32(), latency: [1, 30] });
    const requests = requestsSent(sim);
    const nodes = await simGroup(t, sim, 8, "g");
    const shuffled = random.shuffle([...nodes]);
    sim.network.partition(shuffled.slice(0, 4).map((node) => node.address), shuffled.slice(4).map((node) => node.address));
    let ticks = 0;
    for (const node of nodes) {
      await sim.settle(node.membership.watch("g"));
      node.gossip.at(30, () => ticks++);
      await sim.settle(node.gossip.spread("g", "t", node.id));
      await sim.settle(node.broadcast.send("g", node.id));
    }
    const stopAt = random.int(120, 1_000);
    await sim.run(stopAt);
    await Promise.all(nodes.map((node) => node.stop()));
    for (const [i, node] of nodes.entries()) assert.equal(sim.timers(node.address).pending, 0, `stopped after ${stopAt} ms, node ${i} still holds a timer`);
    const [set, sent, ticked] = [sim.timers().set, requests.length, ticks];
    sim.network.heal();
    await sim.run(20_000);
    assert.equal(sim.timers().set - set, 0, `stopped after ${stopAt} ms, the nodes set timers after stop()`);
    assert.equal(requests.length - sent, 0, `stopped after ${stopAt} ms, the nodes sent messages after stop()`);
    assert.equal(ticks - ticked, 0, "a stopped node's gossip.at went on");
  }
}));

test("a process whose nodes gossiped, broadcast and watched, with calls still in flight, exits on its own once they stop", async (t) => {
  const { command, args } = scriptCommand(currentRuntime(), quietScript);
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], detached: true, env: process.env });
  let output = "";
  let errors = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (errors += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  let timer: ReturnType<typeof setTimeout> | undefined;
  t.after(() => {
    clearTimeout(timer);
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      // The process group is gone already.
    }
    child.stdin.destroy();
    child.stdout.destroy();
    child.stderr.destroy();
  });
  let ended = false;
  void exited.then(() => (ended = true));
  await eventually(() => output.includes("stopped\n") || ended, 25_000);
  assert.ok(output.includes("stopped\n"), `the script did not finish its work: ${errors.slice(-2_000)}`);
  assert.ok(await eventually(() => ended, 10_000), "the process still runs 10 s after every node stopped: a handle (a timer, a socket) was left open");
  assert.equal(await exited, 0, `the script failed: ${errors.slice(-2_000)}`);
});
