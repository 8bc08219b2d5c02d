/**
 * handouts/m5.md#rounds and the options `rounds`, `distance` and
 * `tolerance`: each round's output, keys and values, is the next round's
 * input, read where the previous round wrote it; a round's change is the
 * sum of `distance` over its output keys; a tolerance stops the job after
 * the first round whose change is at most it, with that round's output in
 * `out`. Rigged functions report each call; rounds are told apart by the
 * order of the calls (every reduce of a round comes after every map of it).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { withSimulation } from "../../autograder/harness/sim/with-simulation.ts";
import {
  byString, type Call, fill, leftovers, misplacedOutput, Probe, type Report, simCluster, traceFrom,
} from "./_mr.ts";

/** The calls of each round: a map after a reduce starts a new round. */
function byRound(calls: Call[]): Array<{ maps: Call[]; reduces: Call[]; distances: Call[] }> {
  const rounds: Array<{ maps: Call[]; reduces: Call[]; distances: Call[] }> = [];
  let previous = "";
  for (const call of calls) {
    if (call.step === "map" && previous !== "map") rounds.push({ maps: [], reduces: [], distances: [] });
    const round = rounds[rounds.length - 1];
    if (round === undefined) throw new Error(`a ${call.step} before any map`);
    if (call.step === "map") round.maps.push(call);
    else if (call.step === "reduce") round.reduces.push(call);
    else if (call.step === "distance") round.distances.push(call);
    if (call.step === "map" || call.step === "reduce") previous = call.step;
  }
  return rounds;
}

/** [key, data] of some calls, sorted by key. */
const entries = (calls: Call[]) => calls.map((call): [string, unknown] => [call.key, call.data]).sort(([a], [b]) => byString(a, b));

test("each round maps the previous round's output, keys and values: map gets what reduce returned", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 4, "numbers");
  const input = Array.from({ length: 40 }, (_, i) => [`n${i}`, random.int(1, 1_000)] as const);
  await fill(cluster, "numbers", input);
  const probe = new Probe(t, cluster.now);
  const result = await cluster.settle(cluster.outsider.mr("numbers").exec({
    // Round 1 gets numbers; later rounds get the Maps that reduce returned.
    map: (name: string, value: unknown) => {
      (globalThis as unknown as Record<symbol, Report>)[Symbol.for("m5.test.log")]?.("map", name, value);
      const n = value instanceof Map ? (value.get("n") as number) : (value as number);
      if (n % 7 === 0) return [];
      return [[`${name}>`, n * 3], [`parity ${n % 2}`, n]];
    },
    reduce: (name: string, values: unknown[]) => {
      const n = (values as number[]).reduce((sum, value) => sum + value, 0) % 100_003;
      const output = new Map<string, unknown>([["n", n], ["from", values.length]]);
      (globalThis as unknown as Record<symbol, Report>)[Symbol.for("m5.test.log")]?.("reduce", name, output);
      return output;
    },
    rounds: 3,
  }));
  assert.equal(result.rounds, 3);
  const rounds = byRound(probe.calls);
  assert.equal(rounds.length, 3, "three rounds of maps");
  assert.deepEqual(entries(rounds[0]!.maps), [...input].sort(([a], [b]) => byString(a, b)), "round 1 maps the store");
  for (const r of [1, 2]) {
    assert.deepEqual(entries(rounds[r]!.maps), entries(rounds[r - 1]!.reduces), `round ${r + 1} maps exactly round ${r}'s output`);
  }
  const last = new Map(entries(rounds[2]!.reduces));
  assert.equal(await misplacedOutput(cluster, result.out, last), "", "out holds the last round's output, and nothing of earlier rounds");
}));

test("later rounds map each key where the previous round wrote it: no round's output crosses the network", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 5, "numbers");
  const input = Array.from({ length: 200 }, (_, i) => [`n${i}`, random.int(1, 1_000)] as const);
  await fill(cluster, "numbers", input);
  const messages = traceFrom(sim);
  const result = await cluster.settle(cluster.outsider.mr("numbers").exec({
    // Each output is a marked text ("zr<key>zr <n>") that the next round's map reads without sending it.
    map: (name: string, value: unknown) => {
      const n = typeof value === "number" ? value : Number((value as string).split(" ")[1]);
      return [[name, n + 1], [`sum ${name.length}`, n]];
    },
    reduce: (name: string, values: unknown[]) => `zr${name}zr ${(values as number[]).reduce((sum, value) => sum + value, 0)}`,
    rounds: 3,
  }));
  assert.equal(result.rounds, 3);
  const carriers = messages.filter((message) => /zr(n\d+|sum \d+)zr/.test(message.body));
  assert.deepEqual(carriers.slice(0, 3).map((message) => `${message.kind} ${message.path} ${message.from} → ${message.to}`), [], `${carriers.length} messages carry a round's output`);
}));

test("a round's change is the sum of distance over its output keys, from the key's value in the round's input (undefined for a new key) to its output", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 4, "numbers");
  const input = new Map(Array.from({ length: 30 }, (_, i) => [`k${i}`, random.int(0, 1_000)] as const));
  await fill(cluster, "numbers", input);
  const probe = new Probe(t, cluster.now);
  const result = await cluster.settle(cluster.outsider.mr("numbers").exec({
    // Each key moves by a step of its own; a key seen for the first time begets a new key ending in "+".
    map: (name: string, value: unknown) => {
      (globalThis as unknown as Record<symbol, Report>)[Symbol.for("m5.test.log")]?.("map", name, value);
      const n = value as number;
      const pairs: Array<[string, unknown]> = [[name, n + (n % 5) - 2]];
      if (!name.endsWith("+")) pairs.push([`${name}+`, n]);
      return pairs;
    },
    reduce: (name: string, values: unknown[]) => {
      const output = name.endsWith("+") && values.length === 2 ? (values as number[])[0]! + (values as number[])[1]! : (values as number[])[0];
      (globalThis as unknown as Record<symbol, Report>)[Symbol.for("m5.test.log")]?.("reduce", name, output);
      return output;
    },
    distance: (name: string, before: unknown, after: unknown) => {
      (globalThis as unknown as Record<symbol, Report>)[Symbol.for("m5.test.log")]?.("distance", name, [before, after]);
      return before === undefined ? 1_000_000 : Math.abs((after as number) - (before as number));
    },
    rounds: 3,
  }));
  const rounds = byRound(probe.calls);
  assert.equal(rounds.length, 3);
  assert.equal(result.rounds, 3, "without a tolerance every round runs");
  let roundInput = new Map<string, unknown>(input);
  let change = 0;
  for (const [r, round] of rounds.entries()) {
    const outputs = new Map(round.reduces.map((call) => [call.key, call.data]));
    const expected = [...outputs].map(([name, after]): [string, unknown] => [name, [roundInput.get(name), after]]).sort(([a], [b]) => byString(a, b));
    assert.deepEqual(entries(round.distances), expected, `round ${r + 1}: distance once per output key, with its value before and after the round`);
    change = [...outputs].reduce((sum, [name, after]) => sum + (roundInput.has(name) ? Math.abs((after as number) - (roundInput.get(name) as number)) : 1_000_000), 0);
    roundInput = outputs;
  }
  assert.equal(result.change, change, "the result's change is the last round's");
}));

/** Halving: each round halves every value; a round's change is the sum of what the values lost. */
const halving = {
  map: (name: string, value: unknown): Array<[string, unknown]> => {
    (globalThis as unknown as Record<symbol, Report>)[Symbol.for("m5.test.log")]?.("map", name, value);
    return [[name, (value as number) / 2]];
  },
  reduce: (_name: string, values: unknown[]) => values[0],
  distance: (_name: string, before: unknown, after: unknown) => Math.abs((before as number) - (after as number)),
};

test("with a tolerance, the job stops after the first round whose change is at most the tolerance, and that round's output is in out", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 4, "numbers");
  const input = new Map(Array.from({ length: 25 }, (_, i) => [`k${i}`, 1_024 * random.int(1, 64)] as const));
  const sum = [...input.values()].reduce((a, b) => a + b, 0);
  await fill(cluster, "numbers", input);
  const probe = new Probe(t, cluster.now);
  // Round r moves the values by sum / 2^r in all: exactly the tolerance in round 5.
  const result = await cluster.settle(cluster.outsider.mr("numbers").exec({ ...halving, rounds: 20, tolerance: sum / 32 }));
  assert.equal(result.rounds, 5, "the first round whose change is at most the tolerance is the last");
  assert.equal(result.change, sum / 32);
  assert.equal(probe.of("map").length, 5 * input.size, "no map runs after the last round");
  const expected = new Map([...input].map(([name, value]) => [name, value / 32]));
  assert.equal(await misplacedOutput(cluster, result.out, expected), "");
  assert.deepEqual(await leftovers(cluster, result.id, 20), []);

  const first = await cluster.settle(cluster.outsider.mr("numbers").exec({ ...halving, rounds: 20, tolerance: sum }));
  assert.equal(first.rounds, 1, "a tolerance met by round 1 stops after round 1");
  assert.equal(first.change, sum / 2);
  assert.equal(await misplacedOutput(cluster, first.out, new Map([...input].map(([name, value]) => [name, value / 2]))), "");
}));

test("without a tolerance every round runs, and the change is the last round's", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cluster = await simCluster(t, sim, 3, "numbers");
  const input = new Map(Array.from({ length: 20 }, (_, i) => [`k${i}`, 1_024 * random.int(1, 64)] as const));
  const sum = [...input.values()].reduce((a, b) => a + b, 0);
  await fill(cluster, "numbers", input);
  new Probe(t, cluster.now);
  const result = await cluster.settle(cluster.outsider.mr("numbers").exec({ ...halving, rounds: 4 }));
  assert.equal(result.rounds, 4);
  assert.equal(result.change, sum / 16);
  assert.equal(await misplacedOutput(cluster, result.out, new Map([...input].map(([name, value]) => [name, value / 16]))), "");
}));
