/**
 * handouts/m3.md#membership, its two promises, on 50 members that all watch
 * the group over a network that loses 10 % of messages, with three members
 * crashed one after another: every live member holds each crashed member dead
 * within 2(n − 1)·periodMs + suspicionMs + periodMs of its crash (21.8 s with
 * the defaults), and probes every live member within any 2(n − 1) periods;
 * of the time live members spend observing live members, under 1 % is spent
 * holding them suspect, and no live member is ever declared dead. States
 * are sampled from `view(gid)` every 20 ms of virtual time. The same two
 * seeded runs serve both promises.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import type { Random } from "../../autograder/harness/random.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import { Simulation } from "../../autograder/harness/sim/simulation.ts";
import type * as Api from "../api.ts";
import { key, median, requestsSent, simGroup } from "./_nodes.ts";

const n = 50;
const periodMs = 200;
const suspicionMs = 10 * periodMs;
const boundMs = 2 * (n - 1) * periodMs + suspicionMs + periodMs;
const stepMs = 20;

/** What one lossy run measured. */
interface LossyRun {
  seed: number;
  /** For each crash, each live member's delay until it held the crashed member dead (Infinity: never). */
  detection: number[];
  /** Live members that held a crashed member not dead at the bound, as "observer>crashed". */
  lateAtBound: string[];
  /** Samples of a live member holding another live member suspect, and all samples of live pairs. */
  suspectSamples: number;
  pairSamples: number;
  /** Live members ever held dead, as "observer>member@time". */
  falseDeaths: string[];
  /** The longest time between two requests from a live member to another live member, ms. */
  longestGap: number;
}

/** Starts 50 watching members on a lossy network, crashes three, and samples every view until the last bound has passed. */
async function lossyRun(random: Random, t: TestContext): Promise<LossyRun> {
  const seed = random.uint32();
  const sim = new Simulation({ seed, drop: 0.1 });
  const requests = requestsSent(sim);
  const nodes = await simGroup(t, sim, n, "m");
  for (const node of nodes) await sim.settle(node.membership.watch("m"));
  await sim.run(stepMs - (sim.now() % stepMs));
  const victims = random.shuffle([...nodes]).slice(0, 3);
  const crashAt = new Map<Api.GroupNode, number>();
  const start = sim.now();
  const crashTimes = [start + 3_000, start + 4_000, start + 5_000];
  const end = (crashTimes.at(-1) as number) + boundMs + stepMs;
  const deadAt = new Map<string, number>();
  const result: LossyRun = { seed, detection: [], lateAtBound: [], suspectSamples: 0, pairSamples: 0, falseDeaths: [], longestGap: 0 };
  const live = () => nodes.filter((node) => !crashAt.has(node));
  while (sim.now() < end) {
    await sim.run(stepMs);
    const now = sim.now();
    for (const [i, at] of crashTimes.entries()) {
      const victim = victims[i] as Api.GroupNode;
      if (now >= at && !crashAt.has(victim)) {
        sim.crash(victim.address);
        crashAt.set(victim, now);
      }
    }
    for (const observer of live()) {
      const view = observer.membership.view("m");
      for (const member of nodes) {
        if (member === observer) continue;
        const state = view.get(member.id)?.state;
        if (crashAt.has(member)) {
          if (state === "dead" && !deadAt.has(`${observer.id}>${member.id}`)) deadAt.set(`${observer.id}>${member.id}`, now);
          const crashedAt = crashAt.get(member) as number;
          if (Math.abs(now - (crashedAt + boundMs)) < stepMs / 2 && state !== "dead") result.lateAtBound.push(`${observer.sid}>${member.sid}`);
          continue;
        }
        result.pairSamples++;
        if (state === "suspect") result.suspectSamples++;
        if (state === "dead" && result.falseDeaths.length < 10) result.falseDeaths.push(`${observer.sid}>${member.sid}@${now - start}`);
      }
    }
  }
  for (const [victim, at] of crashAt) {
    for (const observer of live()) result.detection.push((deadAt.get(`${observer.id}>${victim.id}`) ?? Number.POSITIVE_INFINITY) - at);
  }
  const survivors = live().map((node) => key(node.address));
  const last = new Map<string, number>();
  for (const { from, to, at } of requests) {
    if (at < start || !survivors.includes(from) || !survivors.includes(to)) continue;
    const previous = last.get(`${from}>${to}`) ?? start;
    result.longestGap = Math.max(result.longestGap, at - previous);
    last.set(`${from}>${to}`, at);
  }
  for (const from of survivors) for (const to of survivors) {
    if (from !== to) result.longestGap = Math.max(result.longestGap, end - (last.get(`${from}>${to}`) ?? start));
  }
  await Promise.all(nodes.map((node) => node.stop()));
  return result;
}

/** Two lossy runs, made by whichever test asks first and read by both: each takes a long while at half a CPU. */
let shared: Promise<LossyRun[]> | undefined;
function lossyRuns(random: Random, t: TestContext): Promise<LossyRun[]> {
  shared ??= (async () => [await lossyRun(random, t), await lossyRun(random, t)])();
  return shared;
}

test("on 50 members losing 10 % of messages, every live member holds a crashed member dead within 2(n − 1)·periodMs + suspicionMs + periodMs", withSeed(async (random, t) => {
  const figures: string[] = [];
  for (const result of await lossyRuns(random, t)) {
    const worst = Math.max(...result.detection);
    figures.push(`median ${median(result.detection).toFixed(0)} ms, max ${worst.toFixed(0)} ms, longest silence between live members ${result.longestGap.toFixed(0)} ms`);
    assert.deepEqual(result.lateAtBound.slice(0, 5), [], `simulation seed ${result.seed}: ${result.lateAtBound.length} live members did not hold a crashed member dead ${boundMs} ms after its crash (observer>crashed)`);
    assert.ok(worst <= boundMs, `simulation seed ${result.seed}: a crash took ${worst} ms to be detected (bound ${boundMs} ms)`);
    assert.ok(result.longestGap <= 2 * (n - 1) * periodMs + stepMs, `simulation seed ${result.seed}: a live member went ${result.longestGap} ms without sending anything to another live member (every member is probed within 2(n − 1) periods)`);
  }
  t.diagnostic(`detection: ${figures.join("; ")}`);
}));

test("on 50 members losing 10 % of messages, live members are held suspect under 1 % of the time and never declared dead", withSeed(async (random, t) => {
  const fractions: string[] = [];
  for (const result of await lossyRuns(random, t)) {
    const fraction = result.suspectSamples / result.pairSamples;
    fractions.push(`${(100 * fraction).toFixed(3)} %`);
    assert.deepEqual(result.falseDeaths, [], `simulation seed ${result.seed}: live members were declared dead (observer>member@ms)`);
    assert.ok(fraction < 0.01, `simulation seed ${result.seed}: live members were held suspect ${(100 * fraction).toFixed(2)} % of the time observed (expected under 1 %)`);
  }
  t.diagnostic(`false suspicion: ${fractions.join(", ")}`);
}));
