/**
 * The coordinator: `node.mr(gid).exec(job)` on the node that calls it. It
 * checks the job, then steps the members through it (worker.ts) with
 * control messages only: begin; for each round, map (and shuffle) on every
 * member at once, then reduce on every member at once; publish when the
 * job stopped early; end. A step waits for every member, so a round's output
 * is complete before the next round reads it, and before exec resolves.
 * Whatever fails, every member it can reach ends the job and removes all of
 * it, output included.
 */
import { type CallError, EncodeError, JobError } from "../../autograder/kit/errors.ts";
import type { Job, JobResult, MapReduce, NodeAddress, NodeCounts, Placement } from "../api.ts";
import type * as M4 from "../../m4-storage/api.ts";
import { m1, m2 } from "../deps.ts";
import { jobSpec } from "./job-spec.ts";
import { type MapCounts, type ReduceCounts, workerServiceName } from "./worker.ts";

/** How long cleaning up after a failure may take on each member, ms. */
const cleanupMs = 10_000;

const addressText = (address: NodeAddress) => `${address.ip}:${address.port}`;

/** A unique job id: this node's short id and 32 random bits. */
function jobId(node: M4.StoreNode): string {
  return `mr-${node.sid}-${Math.floor(node.context.random() * 2 ** 32).toString(16).padStart(8, "0")}`;
}

/** The JobError a member's failure stands for: the one it threw (rebuilt, its class lost on the way), or one naming the member. */
function jobError(id: string, member: NodeAddress, error: unknown): JobError {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error && cause.name === "JobError") {
    const { job, step, node, key } = cause as Error & Pick<JobError, "job" | "step" | "node" | "key">;
    return new JobError(cause.message, { cause: cause.cause, job, step, node, key });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new JobError(`Cannot run job ${id}: member ${addressText(member)} failed: ${reason}`, { cause: error, job: id, step: "member", node: addressText(member) });
}

export function coordinator(node: M4.StoreNode, gid: string, placement: Placement): MapReduce {
  return {
    async exec(job: Job): Promise<JobResult> {
      const members = (await node.groups.get(gid)) ?? [];
      if (members.length === 0) throw new RangeError(`Cannot run a job on group "${gid}": this node knows no members of it`);
      const spec = jobSpec(job, jobId(node), gid, placement, members);
      try {
        m1.serialize(spec);
      } catch (error) {
        throw new EncodeError(`Cannot run job ${spec.id}: its functions cannot travel: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      await node.groups.put(spec.out, members);
      const existing = await node.store(spec.out, placement).keys().catch((error: unknown) => {
        throw jobError(spec.id, (error as CallError).site?.node ?? (members[0] as NodeAddress), error);
      });
      if (existing.length > 0) throw new RangeError(`Cannot run job ${spec.id}: its output store "${spec.out}" is not empty`);

      /** Calls a method of every member's worker at once; each member's answer, by node id. */
      const everyMember = async <T>(method: string, args: unknown[], timeoutMs = spec.timeoutMs): Promise<Map<string, T>> => {
        const outcomes = await Promise.allSettled(members.map((member) =>
          node.comm.send(args, { node: member, service: workerServiceName, method }, { timeoutMs })
        ));
        const answers = new Map<string, T>();
        for (const [i, outcome] of outcomes.entries()) {
          const member = members[i] as NodeAddress;
          if (outcome.status === "rejected") throw jobError(spec.id, member, outcome.reason);
          answers.set(m2.nodeId(member), outcome.value as T);
        }
        return answers;
      };

      const counts = new Map<string, NodeCounts>(members.map((member) => [m2.nodeId(member), { maps: 0, emitted: 0, shuffled: 0, bytes: 0, reduces: 0 }]));
      let round = 0;
      let change: number | undefined;
      try {
        const views = await node.group(gid).groups.put(spec.out, members);
        const [unset] = views.errors;
        if (unset !== undefined) throw jobError(spec.id, members.find((member) => m2.nodeId(member) === unset[0]) as NodeAddress, unset[1]);
        await everyMember("begin", [spec]);
        while (round < spec.rounds) {
          round++;
          for (const [nid, mapped] of await everyMember<MapCounts>("map", [spec.id, round])) {
            const mine = counts.get(nid) as NodeCounts;
            mine.maps += mapped.maps;
            mine.emitted += mapped.emitted;
            mine.shuffled += mapped.shuffled;
            mine.bytes += mapped.bytes;
          }
          change = job.distance === undefined ? undefined : 0;
          for (const [nid, reduced] of await everyMember<ReduceCounts>("reduce", [spec.id, round])) {
            (counts.get(nid) as NodeCounts).reduces += reduced.reduces;
            if (change !== undefined) change += reduced.change;
          }
          if (change !== undefined && job.tolerance !== undefined && change <= job.tolerance) break;
        }
        if (round < spec.rounds) await everyMember("publish", [spec.id, round]);
        await everyMember("end", [spec.id, false]);
      } catch (error) {
        await Promise.allSettled(members.map((member) =>
          node.comm.send([spec.id, true], { node: member, service: workerServiceName, method: "end" }, { timeoutMs: cleanupMs })
        ));
        throw error;
      }
      return { id: spec.id, out: spec.out, rounds: round, ...(change === undefined ? {} : { change }), counts };
    },
  };
}
