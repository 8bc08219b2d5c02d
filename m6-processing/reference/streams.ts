/**
 * `node.streams(gid)`: the stream jobs of a group, from any node (api.ts,
 * part 3). It checks a job here, fills in its defaults, and sends it (its
 * functions travel as source) to the member that owns its name in
 * `${gid}-streams`, whose "streams" service runs it (streams-service.ts);
 * a member's RangeError is thrown as this node's.
 */
import type { JobStatus, Step, StreamJob, Streams } from "../api.ts";
import type * as M5 from "../../m5-mapreduce/api.ts";
import { Group } from "./group.ts";
import { asOwn, checkName } from "./log.ts";
import type { CheckedJob } from "./stream-job.ts";
import { streamsServiceName } from "./streams-service.ts";
import { checkWindowing } from "./window-operator.ts";

function checkStep(step: Step, i: number): void {
  const kinds = Object.keys(step ?? {});
  const fn = (step as Record<string, unknown> | undefined)?.[kinds[0] as string];
  if (kinds.length !== 1 || !["map", "filter", "keyBy"].includes(kinds[0] as string) || typeof fn !== "function") {
    throw new RangeError(`Cannot use step ${i}: expected { map }, { filter } or { keyBy }, with a function`);
  }
}

/** @throws RangeError for a bad name or option */
export function checkJob(job: StreamJob): CheckedJob {
  const { name, source, sink, lateSink, steps = [], outOfOrderMs = 0, idleMs = Infinity, checkpointEvery = 1000, checkpointMs = 1000, guarantee = "exactly-once" } = job ?? {};
  checkName("job", name);
  checkName("topic", source);
  checkName("topic", sink);
  if (lateSink !== undefined) checkName("topic", lateSink);
  checkWindowing(job);
  if (!Array.isArray(steps)) throw new RangeError("Cannot use steps: expected a list");
  steps.forEach(checkStep);
  if (!(typeof outOfOrderMs === "number" && outOfOrderMs >= 0 && Number.isFinite(outOfOrderMs))) throw new RangeError(`Cannot use outOfOrderMs ${outOfOrderMs}: expected a number ≥ 0`);
  if (!(typeof idleMs === "number" && idleMs > 0)) throw new RangeError(`Cannot use idleMs ${idleMs}: expected a positive number`);
  if (!(Number.isInteger(checkpointEvery) && checkpointEvery >= 1)) throw new RangeError(`Cannot checkpoint every ${checkpointEvery} records: expected a positive integer`);
  if (!(typeof checkpointMs === "number" && checkpointMs > 0 && Number.isFinite(checkpointMs))) throw new RangeError(`Cannot checkpoint every ${checkpointMs} ms: expected a positive number`);
  if (guarantee !== "exactly-once" && guarantee !== "at-least-once") throw new RangeError(`Cannot give the guarantee ${JSON.stringify(guarantee)}: expected "exactly-once" or "at-least-once"`);
  return { ...job, steps, outOfOrderMs, idleMs, checkpointEvery, checkpointMs, guarantee };
}

export function streams(node: M5.MapReduceNode, gid: string): Streams {
  const call = async <T>(name: string, method: string, args: unknown[]): Promise<T> => {
    const group = await Group.of(node, gid);
    return asOwn(node.comm.send([gid, ...args], { node: group.ownerOf(name), service: streamsServiceName, method }) as Promise<T>);
  };
  return {
    async start(job: StreamJob) {
      const checked = checkJob(job);
      return call<JobStatus>(checked.name, "start", [checked]);
    },
    async status(name: string) {
      checkName("job", name);
      return call<JobStatus>(name, "status", [name]);
    },
    async stop(name: string, { drain = false }: { drain?: boolean } = {}) {
      checkName("job", name);
      return call<JobStatus>(name, "stop", [name, drain === true]);
    },
  };
}
