/**
 * A job as its members get it: the user's functions and options, settled,
 * with the group it runs on. The coordinator checks the options and fills
 * in the defaults; the members only read them.
 */
import type { Job, NodeAddress, Placement } from "../api.ts";

export interface JobSpec {
  id: string;
  /** The input store's group id. */
  gid: string;
  placement: Placement;
  /** The group's members, as the coordinator sees them: every member shuffles by the same owners. */
  members: NodeAddress[];
  map: Job["map"];
  reduce: Job["reduce"];
  combine: Job["combine"];
  distance: Job["distance"];
  keys: string[] | undefined;
  out: string;
  memory: boolean;
  rounds: number;
  timeoutMs: number;
}

/** Where round `round` of a job keeps its shuffled pairs. */
export const shuffleNamespace = (id: string, round: number): string => `${id}-shuffle-${round}`;

/** Where round `round` of a job keeps its output, unless it is the last. */
export const roundNamespace = (id: string, round: number): string => `${id}-round-${round}`;

/** A positive integer, or a RangeError that names the option. */
function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`Cannot run a job with ${name} ${value}: expected a positive integer`);
  return value;
}

/**
 * The spec of a job, its defaults filled in.
 *
 * @throws RangeError for options out of range
 */
export function jobSpec(job: Job, id: string, gid: string, placement: Placement, members: NodeAddress[]): JobSpec {
  if (typeof job.map !== "function" || typeof job.reduce !== "function") throw new TypeError("Cannot run a job without map and reduce functions");
  if (job.tolerance !== undefined && job.distance === undefined) throw new RangeError("Cannot run a job with a tolerance but no distance: the change of a round is the sum of its distances");
  return {
    id,
    gid,
    placement,
    members,
    map: job.map,
    reduce: job.reduce,
    combine: job.combine,
    distance: job.distance,
    keys: job.keys,
    out: job.out ?? `${id}-out`,
    memory: job.memory ?? false,
    rounds: positive("rounds", job.rounds ?? 1),
    timeoutMs: positive("timeoutMs", job.timeoutMs ?? 60_000),
  };
}
