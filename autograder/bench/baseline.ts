/**
 * Baselines: other implementations of a milestone's api (the runtime's JSON,
 * a library, a sequential program) that `npm run bench` measures beside the
 * reference and the student's code, and the bars the reference must clear.
 */

/** Implementations by name. */
export type Baselines<Api> = Record<string, Api>;

/** A goal: `subject`'s throughput ÷ `baseline`'s must be at least `atLeast` on every workload. */
export interface Bar {
  subject: string;
  baseline: string;
  atLeast: number;
}
