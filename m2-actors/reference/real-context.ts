/** The real context: HTTP, timers, Math.random, node:fs. */
import type { Clock, NodeContext } from "../api.ts";
import { realDisk } from "../../autograder/kit/real-disk.ts";
import { HttpTransport, type HttpTransportOptions } from "./http-transport.ts";

export const realClock: Clock = {
  now: () => Date.now(),
  after: (ms, callback) => {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
};

/** A fresh real context; its transport has connections of its own, and accepts bodies up to `bodyLimitBytes`. */
export function realContext(options: HttpTransportOptions = {}): NodeContext {
  return { transport: new HttpTransport(options), clock: realClock, random: Math.random, disk: realDisk };
}
