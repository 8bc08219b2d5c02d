/** status: what a node knows about itself. */
import type { Status, StatusReport } from "../api.ts";

export interface StatusSource {
  nid: string;
  sid: string;
  ip: string;
  port: number;
  startedAt: number;
  now: () => number;
  counts: () => { received: number; sent: number };
}

export function statusService(source: StatusSource): Status {
  const fields: { [K in keyof StatusReport]: () => StatusReport[K] } = {
    nid: () => source.nid,
    sid: () => source.sid,
    ip: () => source.ip,
    port: () => source.port,
    counts: () => source.counts(),
    heapTotal: () => process.memoryUsage().heapTotal,
    heapUsed: () => process.memoryUsage().heapUsed,
    uptime: () => source.now() - source.startedAt,
  };
  return {
    get: async (key) => {
      if (!Object.hasOwn(fields, key)) {
        throw new RangeError(`Cannot get status "${String(key)}": expected one of ${Object.keys(fields).join(", ")}`);
      }
      return fields[key]();
    },
    report: async () => {
      const { heapTotal, heapUsed } = process.memoryUsage();
      const { nid, sid, ip, port, counts, uptime } = fields;
      return { nid: nid(), sid: sid(), ip: ip(), port: port(), counts: counts(), heapTotal, heapUsed, uptime: uptime() };
    },
  };
}
