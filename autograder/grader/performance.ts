/**
 * Performance points. The implementation under test and the reference each
 * run in a benchmark worker of their own (bench-worker.ts); the grader
 * chooses how many operations a run does, sends the same runs to both, in
 * turns, alternating which goes first, and pauses the worker that is not
 * running, so neither can slow the other.
 *
 * Everything is measured by the grader: the wall time of each run, from
 * command to reply, and the CPU time the worker's processes spent on it
 * (cpu-time.ts). Under a CPU quota wall time moves in steps of the quota's
 * period, so a ratio is the geometric mean of a wall-time ratio and a
 * CPU-time ratio. The score takes the better of two estimates (`scoredRatio`):
 * the ratio of the two sides' fastest rounds (a busy machine, a collection
 * at the wrong moment, slow a round down, so the fastest is the least
 * disturbed), and the median of the rounds' own ratios (each round times
 * both sides back to back, so one side's lucky round, as a burst of
 * batching on a loopback socket gives, does not decide alone); with more
 * rounds for a ratio just short of full marks. After every timed run, the outputs of a
 * few operations picked at random are digested on both sides and must agree:
 * a fast run that skipped the work scores nothing.
 */
import { randomInt } from "node:crypto";
import type { UserIds } from "../kit/privileges.ts";
import { BenchProcess, type Timing } from "./bench-process.ts";
import type { RuntimeName } from "./runtimes.ts";

export interface WorkloadScore {
  name: string;
  points: number;
  maxPoints: number;
  /** Throughput of the implementation under test ÷ the reference's. */
  ratio?: number;
  /** The ratios of single rounds, from wall time and from CPU time (the measurement's own noise). */
  spread?: { wall: number[]; cpu: number[] };
  message?: string;
}

export interface PerformanceOptions {
  milestone: string;
  /** Points per workload name. */
  weights: Record<string, number>;
  runtime: RuntimeName;
  /** Environments that select the implementation under test and the reference. */
  testedEnv: NodeJS.ProcessEnv;
  referenceEnv: NodeJS.ProcessEnv;
  /** The user the implementation under test runs as. */
  runAs?: UserIds;
  /** Measured rounds, after one warm-up round (default 7). */
  rounds?: number;
  /** About how long the reference's run of one round takes, in wall time (default 300). */
  sliceMs?: number;
}

/** A ratio at least this counts in full. */
export const noiseAllowance = 0.8;
/** Below this ratio a workload scores nothing. */
export const floorRatio = 0.25;
/** Measured rounds after which a ratio under half the floor stops the measurement (`measureAgain`). */
export const hopelessAfter = 3;
/** How many operations of each run have their outputs compared. */
const sampled = 4;

/** The points a ratio earns: 0 below the floor, else `max × min(1, ratio / 0.8)`. */
export function performancePoints(ratio: number, maxPoints: number): number {
  return ratio < floorRatio ? 0 : maxPoints * Math.min(1, ratio / noiseAllowance);
}

/** The ratio of a round: how much faster the tested side was, by wall time and by CPU time together. */
export function roundRatio(tested: Timing, reference: Timing): { wall: number; cpu: number; combined: number } {
  const wall = reference.wallMs / tested.wallMs;
  // A run too short to register CPU time (below a clock tick) is judged by wall time alone.
  const cpu = tested.cpuMs > 0 && reference.cpuMs > 0 ? reference.cpuMs / tested.cpuMs : wall;
  return { wall, cpu, combined: Math.sqrt(wall * cpu) };
}

function format(values: number[]): string {
  return `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;
}

class Pair {
  readonly tested: BenchProcess;
  readonly reference: BenchProcess;

  constructor(tested: BenchProcess, reference: BenchProcess) {
    this.tested = tested;
    this.reference = reference;
  }

  /**
   * One run of `count` operations on each side, the order given, each timed
   * while the other is paused; then their sampled outputs, compared.
   *
   * @throws Error when the tested side fails, is too slow to score, or its outputs differ from the reference's.
   */
  async run(workload: string, count: number, testedFirst: boolean): Promise<{ tested: Timing; reference: Timing }> {
    const keep = [...new Set(Array.from({ length: sampled }, () => randomInt(count)))].sort((a, b) => a - b);
    const timings = new Map<BenchProcess, Timing>();
    for (const side of testedFirst ? [this.tested, this.reference] : [this.reference, this.tested]) {
      const other = side === this.tested ? this.reference : this.tested;
      // The tested side may take up to 1 ÷ floorRatio the reference's time (then it scores 0 anyway).
      const limit = side === this.tested && timings.has(this.reference)
        ? Math.max(10_000, (timings.get(this.reference) as Timing).wallMs * 2 / floorRatio)
        : 120_000;
      other.pause();
      try {
        timings.set(side, (await side.request("run", { workload, count, keep }, limit)).timing);
      } catch (error) {
        if (side === this.reference) throw new Error(`the reference failed: ${(error as Error).message}`);
        throw error;
      } finally {
        other.resume();
      }
    }
    const [tested, reference] = await Promise.all([this.tested, this.reference].map((side) => side.request("digest", {}, 60_000)));
    if (tested?.reply.digest !== reference?.reply.digest) {
      throw new Error("incorrect result: the outputs of a timed run differ from the reference's");
    }
    return { tested: timings.get(this.tested) as Timing, reference: timings.get(this.reference) as Timing };
  }

  stop(): void {
    this.tested.stop();
    this.reference.stop();
  }

  /** A count of operations for which the reference's run takes about `sliceMs`, found by growing runs on both sides. */
  async calibrate(workload: string, sliceMs: number): Promise<number> {
    let count = 1;
    for (let attempt = 0; attempt < 8; attempt++) {
      const { reference } = await this.run(workload, count, attempt % 2 === 0);
      if (reference.wallMs >= sliceMs / 2) break;
      count = Math.max(count + 1, Math.round(count * Math.min(16, sliceMs / Math.max(reference.wallMs, 1))));
    }
    return count;
  }
}

/** The timings of a workload's measured rounds, side by side. */
export interface Rounds {
  tested: Timing[];
  reference: Timing[];
}

/**
 * Whether a workload is measured for another round, after `measured`: up to
 * `rounds` rounds, and a ratio short of full marks (but above the floor)
 * gets up to as many rounds again, while it stays short: noise only ever
 * slows a round down, so more rounds can only find the undisturbed speed of
 * code that has it, and code that is slower stays so. For the same reason a
 * ratio under half the floor after `hopelessAfter` rounds ends the
 * measurement: it would need rounds twice as fast as its fastest to score at
 * all, and each of its rounds takes eight times as long as the reference's,
 * or longer.
 */
export function measureAgain(measured: Rounds, rounds: number): boolean {
  const done = measured.tested.length;
  if (done === 0) return rounds > 0;
  const ratio = scoredRatio(measured);
  const hopeless = done >= hopelessAfter && ratio < floorRatio / 2;
  const short = ratio < noiseAllowance && ratio >= floorRatio;
  return (done < rounds && !hopeless) || (done < 2 * rounds && short);
}

/** Measures a workload after a warm-up round, for as many rounds as `measureAgain` asks. */
async function measureWorkload(pair: Pair, name: string, rounds: number, sliceMs: number): Promise<Rounds> {
  const count = await pair.calibrate(name, sliceMs);
  await pair.run(name, count, true);
  const measured: Rounds = { tested: [], reference: [] };
  while (measureAgain(measured, rounds)) {
    const { tested, reference } = await pair.run(name, count, measured.tested.length % 2 === 1);
    measured.tested.push(tested);
    measured.reference.push(reference);
  }
  return measured;
}

/**
 * The ratio a workload scores: the better of the fastest rounds' ratio and
 * the median of the rounds' ratios. Code that is slower is slower by both,
 * while noise that favours one side in some rounds moves only one of them.
 */
export function scoredRatio(rounds: Rounds): number {
  const fastestRatio = roundRatio(fastest(rounds.tested), fastest(rounds.reference)).combined;
  const each = rounds.tested.map((tested, i) => roundRatio(tested, rounds.reference[i] as Timing).combined).sort((a, b) => a - b);
  const middle = each.length / 2;
  const median = each.length % 2 === 1 ? (each[Math.floor(middle)] as number) : ((each[middle - 1] as number) + (each[middle] as number)) / 2;
  return Math.max(fastestRatio, median);
}

/** A side's fastest wall time and fastest CPU time. */
function fastest(timings: Timing[]): Timing {
  return { wallMs: Math.min(...timings.map(({ wallMs }) => wallMs)), cpuMs: Math.min(...timings.map(({ cpuMs }) => cpuMs)) };
}

/** A workload that failed with both workers still in step: the next workload can use them. */
class PreparationFailed extends Error {
  override name = "PreparationFailed" as const;
}

/** Starts both workers; if either does not start, stops the other. */
async function startPair(options: PerformanceOptions): Promise<Pair> {
  const [tested, reference] = await Promise.allSettled([
    BenchProcess.start(options.milestone, options.runtime, options.testedEnv, options.runAs),
    BenchProcess.start(options.milestone, options.runtime, options.referenceEnv),
  ]);
  if (tested.status === "fulfilled" && reference.status === "fulfilled") return new Pair(tested.value, reference.value);
  for (const side of [tested, reference]) if (side.status === "fulfilled") side.value.stop();
  if (reference.status === "rejected") throw new Error(`the reference failed: ${(reference.reason as Error).message}`);
  throw (tested as PromiseRejectedResult).reason;
}

/**
 * Prepares one workload on both sides, one after the other (two workers must
 * fit in the grader's memory), measures it, and frees it.
 *
 * @throws Error with the reason the workload scores nothing.
 */
async function measurePrepared(pair: Pair, name: string, rounds: number, sliceMs: number): Promise<Rounds> {
  const testedFailure = (await pair.tested.request("prepare", { workload: name }, 120_000)).reply.failure;
  if (typeof testedFailure === "string") {
    await pair.tested.request("dispose", { workload: name }, 60_000);
    throw new PreparationFailed(`incorrect result: ${testedFailure}`);
  }
  const referenceFailure = (await pair.reference.request("prepare", { workload: name }, 120_000)).reply.failure;
  if (typeof referenceFailure === "string") throw new Error(`the reference failed: ${referenceFailure}`);
  const ratios = await measureWorkload(pair, name, rounds, sliceMs);
  for (const side of [pair.tested, pair.reference]) await side.request("dispose", { workload: name }, 60_000);
  return ratios;
}

export async function scorePerformance(options: PerformanceOptions): Promise<WorkloadScore[]> {
  const { rounds = 7, sliceMs = 300 } = options;
  const names = Object.keys(options.weights);
  const failures = new Map<string, string>();
  const measured = new Map<string, Rounds>();
  let pair: Pair | undefined;
  for (const [index, name] of names.entries()) {
    try {
      pair ??= await startPair(options);
    } catch (error) {
      // Workers that do not start (the implementation does not load) will not start for the next workload either.
      for (const rest of names.slice(index)) failures.set(rest, (error as Error).message);
      break;
    }
    try {
      measured.set(name, await measurePrepared(pair, name, rounds, sliceMs));
    } catch (error) {
      failures.set(name, (error as Error).message);
      if (error instanceof PreparationFailed) continue;
      // The workers may be mid-run or out of step: the next workload starts on fresh ones.
      pair?.stop();
      pair = undefined;
    }
  }
  pair?.stop();
  return names.map((name) => {
    const maxPoints = options.weights[name] as number;
    const failure = failures.get(name);
    const rounds = measured.get(name);
    if (failure !== undefined || rounds === undefined) return { name, points: 0, maxPoints, message: failure ?? "not measured" };
    const ratio = scoredRatio(rounds);
    const each = rounds.tested.map((tested, i) => roundRatio(tested, rounds.reference[i] as Timing));
    const spread = { wall: each.map(({ wall }) => wall), cpu: each.map(({ cpu }) => cpu) };
    return {
      name,
      points: performancePoints(ratio, maxPoints),
      maxPoints,
      ratio,
      spread,
      message: `${ratio.toFixed(2)}× the reference (single rounds: by wall time ${format(spread.wall)}, by CPU time ${format(spread.cpu)})`,
    };
  });
}
