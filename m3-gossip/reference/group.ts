/**
 * A group addressed as one: a call goes to every member of this node's view,
 * in parallel, each with the node's call timeout, and comes back as each
 * member's value or error. A member that fails does not fail the call.
 */
import type { Group, GroupOutcome, GroupStatus, NodeAddress, Service, StatusReport } from "../api.ts";
import type * as M2 from "../../m2-actors/api.ts";
import type { GroupTable } from "./group-table.ts";
import { m2 } from "../deps.ts";

/** The service through which a group removes a service from its members. */
export const groupRoutesService = "groupRoutes";

/** Calls every member, in parallel; each outcome under the member's node id. */
export async function callAll<T>(
  members: NodeAddress[],
  call: (member: NodeAddress) => Promise<unknown>,
): Promise<GroupOutcome<T>> {
  const outcome: GroupOutcome<T> = { values: new Map(), errors: new Map() };
  await Promise.all(members.map(async (member) => {
    const nid = m2.nodeId(member);
    try {
      outcome.values.set(nid, (await call(member)) as T);
    } catch (error) {
      outcome.errors.set(nid, error instanceof Error ? error : new Error(String(error)));
    }
  }));
  return outcome;
}

export function groupHandle(node: M2.DistNode, table: GroupTable, gid: string): Group {
  const all = <T>(service: string, method: string, args: unknown[], options?: { timeoutMs?: number }) =>
    callAll<T>(table.members(gid) ?? [], (member) => node.comm.send(args, { node: member, service, method }, options));
  return {
    gid,
    comm: { send: (args, remote, options) => callAll(table.members(gid) ?? [], (member) => node.comm.send(args, { node: member, ...remote }, options)) },
    status: {
      get: <K extends keyof StatusReport>(key: K) => all<StatusReport[K]>("status", "get", [key]),
      sum: async (): Promise<GroupStatus> => {
        const { values, errors } = await all<StatusReport>("status", "report", []);
        const reports = [...values.values()];
        const total = (pick: (report: StatusReport) => number) => reports.reduce((sum, report) => sum + pick(report), 0);
        return {
          nodes: reports.length,
          counts: { received: total((report) => report.counts.received), sent: total((report) => report.counts.sent) },
          heapTotal: total((report) => report.heapTotal),
          heapUsed: total((report) => report.heapUsed),
          errors,
        };
      },
    },
    routes: {
      put: (service: Service, name: string) => all<void>("routes", "put", [service, name]),
      // routes.rem would send the removed service back; this asks only whether there was one.
      rem: (name: string) => all<boolean>(groupRoutesService, "rem", [name]),
    },
    groups: {
      put: (id, members) => all<void>("groups", "put", [id, members]),
      add: (id, member) => all<void>("groups", "add", [id, member]),
      rem: (id, member) => all<void>("groups", "rem", [id, member]),
      del: async (id) => {
        const { values, errors } = await all<unknown>("groups", "del", [id]);
        return { values: new Map([...values.keys()].map((nid) => [nid, undefined])), errors };
      },
    },
  };
}
