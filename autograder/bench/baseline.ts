/**
 * Baselines: other implementations of a milestone's api (the runtime's JSON,
 * a library, a bare HTTP exchange) that `npm run bench` measures beside the
 * reference and the student's code, and the bars the reference must clear.
 */

/** An implementation to measure beside the reference. */
export interface Baseline<Api> {
  api: Api;
  /** The workloads it takes part in, by name (default: all), for a baseline that implements only part of the api. */
  workloads?: string[];
}

/** Baselines by name. */
export type Baselines<Api> = Record<string, Baseline<Api>>;

/**
 * A goal, either relative (`subject`'s throughput ÷ `baseline`'s is at least
 * `atLeast`, on the listed workloads or all) or absolute (one operation of
 * `workload` takes at most `maxMs`).
 */
export type Bar =
  | { subject: string; baseline: string; atLeast: number; workloads?: string[] }
  | { subject: string; workload: string; maxMs: number };
