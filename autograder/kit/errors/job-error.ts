import { DistributionError } from "./distribution-error.ts";

/** Where a job failed: in a user function, or in the job's machinery. */
export type JobStep = "map" | "combine" | "reduce" | "distance" | "shuffle" | "member";

/**
 * Thrown by a MapReduce job that failed (milestone 5): a user function that
 * threw on a key, or a member that failed or did not answer in time. It names
 * the job, the step, the node, and the key where there is one; the error
 * underneath is the `cause`.
 *
 * @example
 * throw new JobError('Cannot run job mr-1f3a: map threw on key "a.html" at 127.0.0.1:7001: x is not defined', { cause, job: "mr-1f3a", step: "map", node: "127.0.0.1:7001", key: "a.html" });
 */
export class JobError extends DistributionError {
  override name = "JobError" as const;
  readonly job: string;
  readonly step: JobStep;
  /** The node where it failed, as "ip:port". */
  readonly node: string;
  readonly key: string | undefined;

  constructor(message: string, options: ErrorOptions & { job: string; step: JobStep; node: string; key?: string }) {
    super(message, options);
    this.job = options.job;
    this.step = options.step;
    this.node = options.node;
    this.key = options.key;
  }
}
