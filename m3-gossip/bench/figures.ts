/**
 * m3's figures, counted in simulation (virtual time: exact and repeatable)
 * except the last: broadcast cost and latency, gossip rounds, failure
 * detection under message loss, and how fast 20 real processes start.
 */
import type { Figure } from "../../autograder/bench/figure.ts";
import { median } from "../../autograder/bench/measure.ts";
import { Random } from "../../autograder/harness/random.ts";
import { Simulation } from "../../autograder/harness/sim/simulation.ts";
import type * as Api from "../api.ts";

type M3 = typeof Api;

async function simulatedGroup(m3: M3, sim: Simulation, count: number, gid: string, config: Api.GroupNodeConfig = {}): Promise<Api.GroupNode[]> {
  const nodes: Api.GroupNode[] = [];
  for (let i = 0; i < count; i++) nodes.push(await m3.startNode({ ...config, context: sim.context() }));
  for (const node of nodes) await node.groups.put(gid, nodes.map(({ address }) => address));
  return nodes;
}

/**
 * 25 members, 100 ms links, 100 sends per second for 10 seconds. At the
 * default batchMs, the handout's bar for students (calls per value); at
 * 150 ms, the reference's (messages, replies included, as Maelstrom counts
 * them), both with the same bounds on time.
 */
async function broadcastFigures(m3: M3, batchMs?: number): Promise<Figure[]> {
  const sim = new Simulation({ seed: 1, latency: [100, 100] });
  const nodes = await simulatedGroup(m3, sim, 25, "b", batchMs === undefined ? {} : { broadcast: { batchMs } });
  const sentAt: number[] = [];
  const reached = new Map<number, { count: number; last: number }>();
  for (const node of nodes) {
    node.broadcast.on("b", (value) => {
      const entry = reached.get(value as number) ?? { count: 0, last: 0 };
      reached.set(value as number, { count: entry.count + 1, last: sim.now() });
    });
  }
  const random = new Random(2);
  const before = sim.network.stats.sent;
  for (let value = 0; value < 1000; value++) {
    sentAt.push(sim.now());
    await sim.settle(random.pick(nodes).broadcast.send("b", value));
    await sim.run(10);
  }
  await sim.run(5000);
  const messages = sim.network.stats.sent - before;
  const latencies = sentAt.map((at, value) => (reached.get(value)?.count === 25 ? (reached.get(value)?.last as number) - at : Infinity));
  await Promise.all(nodes.map((node) => node.stop()));
  const label = batchMs === undefined ? "broadcast" : `broadcast, batchMs ${batchMs} (goals reached by batching on a beat, the handout's "going further")`;
  return [
    { name: `${label}, 25 members: values that reached every member`, value: latencies.filter(Number.isFinite).length / 10, unit: "%", goal: { atLeast: 100 } },
    { name: `${label}: calls per value`, value: messages / 2 / 1000, unit: "calls", goal: batchMs === undefined ? { atMost: 20 } : undefined },
    { name: `${label}: network messages per value (calls and responses, as Maelstrom counts them)`, value: messages / 1000, unit: "messages", goal: batchMs === undefined ? undefined : { atMost: 20 } },
    { name: `${label}: median time to reach every member`, value: median(latencies), unit: "ms", goal: { atMost: 400 } },
    { name: `${label}: longest time to reach every member`, value: Math.max(...latencies), unit: "ms", goal: { atMost: 600 } },
  ];
}

/** One rumor in a group of 100, on 30 seeds: rounds until the last member hears it. */
async function gossipFigures(m3: M3): Promise<Figure[]> {
  const rounds: number[] = [];
  for (let seed = 1; seed <= 30; seed++) {
    const sim = new Simulation({ seed });
    const nodes = await simulatedGroup(m3, sim, 100, "g");
    let heard = 0;
    let last = 0;
    for (const node of nodes) {
      node.gossip.on("t", () => {
        heard++;
        last = sim.now();
      });
    }
    const start = sim.now();
    await sim.settle(nodes[0]!.gossip.spread("g", "t", seed));
    await sim.runUntil(() => heard === 100, 20_000);
    rounds.push(heard === 100 ? (last - start) / 100 : Infinity);
    await Promise.all(nodes.map((node) => node.stop()));
  }
  const bound = 2 * Math.log2(100);
  return [
    { name: "gossip, 100 members: median rounds to reach all", value: median(rounds), unit: "rounds" },
    { name: "gossip: seeds within 2·log2(100) rounds", value: (100 * rounds.filter((r) => r <= bound).length) / rounds.length, unit: "%", goal: { atLeast: 99 } },
  ];
}

/** 50 members, 10 % of messages lost, 3 crashes after 20 s, 40 s more. */
async function membershipFigures(m3: M3): Promise<Figure[]> {
  const sim = new Simulation({ seed: 3, latency: [1, 10], drop: 0.1 });
  const nodes = await simulatedGroup(m3, sim, 50, "m");
  for (const node of nodes) await sim.settle(node.membership.watch("m"));
  const crashed = new Set(nodes.slice(0, 3).map(({ id }) => id));
  let crashedAt = Infinity;
  const deadFor = new Map<string, Set<string>>();
  const detected: number[] = [];
  const suspectedSince = new Map<string, number>();
  let suspectedMs = 0;
  for (const node of nodes) {
    node.membership.on((_gid, nid, view) => {
      const pair = `${node.id}>${nid}`;
      if (!crashed.has(nid) || sim.now() < crashedAt) {
        if (view.state === "suspect") suspectedSince.set(pair, sim.now());
        else if (suspectedSince.has(pair)) {
          suspectedMs += sim.now() - (suspectedSince.get(pair) as number);
          suspectedSince.delete(pair);
        }
      }
      if (view.state === "dead" && crashed.has(nid)) {
        const by = deadFor.get(nid) ?? new Set();
        by.add(node.id);
        deadFor.set(nid, by);
        if (by.size === nodes.length - crashed.size) detected.push(sim.now() - crashedAt);
      }
    });
  }
  await sim.run(20_000);
  crashedAt = sim.now();
  for (const node of nodes.slice(0, 3)) sim.crash(node.address);
  await sim.run(40_000);
  for (const since of suspectedSince.values()) suspectedMs += sim.now() - since;
  const falseDeaths = nodes.slice(3).some((node) => [...node.membership.view("m")].some(([nid, view]) => !crashed.has(nid) && view.state === "dead"));
  await Promise.all(nodes.map((node) => node.stop()));
  const bound = 2 * 49 * 200 + 10 * 200 + 200;
  return [
    { name: "membership, 50 members, 10 % loss: slowest crash known to every live member", value: detected.length === 3 ? Math.max(...detected) : Infinity, unit: "ms", goal: { atMost: bound } },
    { name: "membership: time live members are held suspect", value: (100 * suspectedMs) / (60_000 * 50 * 49), unit: "% of observer time", goal: { atMost: 1 } },
    { name: "membership: live members declared dead", value: falseDeaths ? 1 : 0, unit: "", goal: { atMost: 0 } },
  ];
}

/** 20 child processes, started at once. */
async function launchFigures(m3: M3): Promise<Figure[]> {
  const started = performance.now();
  const children = await Promise.all(Array.from({ length: 20 }, () => m3.spawnNode()));
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(children.map((child) => child.stop()));
  return [{ name: "20 process nodes launched", value: seconds, unit: "s", goal: { atMost: 10 } }];
}

export async function figures(m3: M3): Promise<Figure[]> {
  return [...(await broadcastFigures(m3)), ...(await broadcastFigures(m3, 150)), ...(await gossipFigures(m3)), ...(await membershipFigures(m3)), ...(await launchFigures(m3))];
}
