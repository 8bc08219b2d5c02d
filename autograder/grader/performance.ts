/**
 * Performance points. The implementation under test and the reference each
 * run in a benchmark process of their own; the grader times every workload
 * in turns, alternating which goes first, and pauses the process that is not
 * being timed, so neither can slow the other. Each round gives a ratio of two
 * slices measured back to back, so a machine that gets busier or quieter
 * during grading affects both sides alike; the score uses the median ratio.
 */
import { median, perSecond, type Throughput } from "../bench/measure.ts";
import { BenchProcess } from "./bench-process.ts";
import type { RunAs } from "./processes.ts";
import type { RuntimeName } from "./runtimes.ts";

export interface WorkloadScore {
  name: string;
  points: number;
  maxPoints: number;
  /** Throughput of the implementation under test ÷ the reference's. */
  ratio?: number;
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
  runAs?: RunAs;
  /** Measured rounds, after one warm-up round (default 7). */
  rounds?: number;
  sliceMs?: number;
}

/** A ratio at least this counts in full: slices measured back to back still vary by ±15 % on a busy machine. */
export const noiseAllowance = 0.8;
/** Below this ratio a workload scores nothing. */
export const floorRatio = 0.25;

/** The points a ratio earns: 0 below the floor, else `max × min(1, ratio / 0.8)`. */
export function performancePoints(ratio: number, maxPoints: number): number {
  return ratio < floorRatio ? 0 : maxPoints * Math.min(1, ratio / noiseAllowance);
}

export async function scorePerformance(options: PerformanceOptions): Promise<WorkloadScore[]> {
  const { rounds = 7, sliceMs = 150 } = options;
  const names = Object.keys(options.weights);
  const tested = new BenchProcess(options.milestone, options.runtime, options.testedEnv, options.runAs);
  const reference = new BenchProcess(options.milestone, options.runtime, options.referenceEnv);
  const failures = new Map<string, string>();
  const ratios = new Map<string, number[]>(names.map((name) => [name, []]));
  try {
    const [testedPrep, referencePrep] = await Promise.all([
      tested.request<{ failures: Record<string, string> }>({ op: "prepare" }, 120_000),
      reference.request<{ failures: Record<string, string> }>({ op: "prepare" }, 120_000),
    ]);
    for (const name of names) {
      const why = testedPrep.failures[name] ?? (referencePrep.failures[name] && `the reference failed: ${referencePrep.failures[name]}`);
      if (why) failures.set(name, `incorrect result: ${why}`);
    }
    for (let round = 0; round <= rounds; round++) {
      for (const name of names.filter((candidate) => !failures.has(candidate))) {
        const order = round % 2 === 0 ? [tested, reference] : [reference, tested];
        const rates = new Map<BenchProcess, number>();
        for (const worker of order) {
          const other = worker === tested ? reference : tested;
          other.pause();
          try {
            rates.set(worker, perSecond(await worker.request<Throughput>({ op: "run", workload: name, ms: sliceMs }, sliceMs + 60_000)));
          } finally {
            other.resume();
          }
        }
        if (round > 0) ratios.get(name)?.push((rates.get(tested) as number) / (rates.get(reference) as number));
      }
    }
  } catch (error) {
    for (const name of names) if (!failures.has(name)) failures.set(name, (error as Error).message);
  } finally {
    tested.stop();
    reference.stop();
  }
  return names.map((name) => {
    const maxPoints = options.weights[name] as number;
    const failure = failures.get(name);
    if (failure !== undefined) return { name, points: 0, maxPoints, message: failure };
    const ratio = median(ratios.get(name) as number[]);
    return { name, points: performancePoints(ratio, maxPoints), maxPoints, ratio, message: `${ratio.toFixed(2)}× the reference` };
  });
}
