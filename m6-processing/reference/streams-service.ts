/**
 * The "streams" service every member runs: the stream jobs whose names it
 * owns in `${gid}-streams` (api.ts, part 3), each with its checkpoints in
 * this member's store (checkpoint-store.ts).
 *
 *   start(gid, job)          start a job from its last checkpoint; its status
 *   status(gid, name)        a job's status, from its last checkpoint when it does not run here
 *   stop(gid, name, drain)   stop a running job after a last checkpoint; its status
 */
import type { JobStatus, LogRead } from "../api.ts";
import type * as M5 from "../../m5-mapreduce/api.ts";
import { type Checkpoint, CheckpointStore, firstCheckpoint } from "./checkpoint-store.ts";
import { Group } from "./group.ts";
import { eventLog } from "./log.ts";
import { logNamespace, logServiceName } from "./log-service.ts";
import { Outputs, type Topic } from "./outputs.ts";
import type { TopicSettings } from "./partition-log.ts";
import { type CheckedJob, RunningJob } from "./stream-job.ts";

export const streamsServiceName = "streams";

/** A job's status from its checkpoint alone, when it does not run. */
function stoppedStatus(name: string, node: M5.NodeAddress, checkpoint: Checkpoint): JobStatus {
  const operator = checkpoint.operator as { watermark: number; panes: unknown[] } | undefined;
  return {
    name,
    node,
    running: false,
    checkpoints: checkpoint.id,
    offsets: checkpoint.offsets,
    watermark: operator?.watermark ?? -Infinity,
    held: operator?.panes.length ?? 0,
    results: checkpoint.results,
    late: checkpoint.late,
  };
}

/** The service's methods, and what the node calls when it stops (no peer may call that). */
export function streamsService(node: M5.MapReduceNode) {
  const jobs = new Map<string, RunningJob>();
  const keyOf = (gid: string, name: string) => `${gid}\u0000${name}`;

  const topicOf = async (gid: string, name: string): Promise<Topic> => {
    const lookup = await node.local.get(logNamespace(gid), name);
    if (!lookup.found) throw new RangeError(`Cannot use topic ${JSON.stringify(name)} of group "${gid}": it does not exist`);
    return { name, partitions: (lookup.value as TopicSettings).partitions };
  };

  const service = {
    start: async (gid: string, job: CheckedJob): Promise<JobStatus> => {
      const key = keyOf(gid, job.name);
      if (jobs.get(key)?.running) throw new RangeError(`Cannot start job ${JSON.stringify(job.name)}: it runs already`);
      const source = await topicOf(gid, job.source);
      const sink = await topicOf(gid, job.sink);
      const lateSink = job.lateSink === undefined ? undefined : await topicOf(gid, job.lateSink);
      const group = await Group.of(node, gid);
      const log = eventLog(node, gid);
      const checkpoints = new CheckpointStore(node.local, gid, job.name);
      const outputs = new Outputs(log, sink, lateSink);
      let from = await checkpoints.load();
      if (from === undefined) await checkpoints.save((from = firstCheckpoint(source.partitions)));
      if (from.offsets.length !== source.partitions) throw new RangeError(`Cannot start job ${JSON.stringify(job.name)}: its checkpoint is of a source with ${from.offsets.length} partitions`);
      await outputs.publish(from);
      const running = new RunningJob(job, {
        address: node.address,
        now: () => node.context.clock.now(),
        after: (ms, callback) => node.context.clock.after(ms, callback),
        readNext: (partition, offset, max, waitMs) =>
          node.comm.send([gid, source.name, partition, offset, max, waitMs], { node: group.ownerOf(`${source.name}/${partition}`), service: logServiceName, method: "readNext" }) as Promise<LogRead>,
        ends: async () => Promise.all(Array.from({ length: source.partitions }, async (_, p) => (await log.read(source.name, p, 0, 1)).end)),
        checkpoints,
        outputs,
      }, from);
      jobs.set(key, running);
      return running.status();
    },

    status: async (gid: string, name: string): Promise<JobStatus> => {
      const job = jobs.get(keyOf(gid, name));
      if (job !== undefined) return job.status();
      const checkpoint = await new CheckpointStore(node.local, gid, name).load();
      if (checkpoint === undefined) throw new RangeError(`Cannot find job ${JSON.stringify(name)} of group "${gid}": it was never started`);
      return stoppedStatus(name, node.address, checkpoint);
    },

    stop: async (gid: string, name: string, drain: boolean): Promise<JobStatus> => {
      const job = jobs.get(keyOf(gid, name));
      if (!job?.running) throw new RangeError(`Cannot stop job ${JSON.stringify(name)}: it does not run`);
      await job.stop(drain);
      return job.status();
    },
  };
  /** The node stops: every job ends where it is. */
  const killAll = (): void => {
    for (const job of jobs.values()) job.kill();
  };
  return { service, killAll };
}

