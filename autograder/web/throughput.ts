/**
 * How fast the local web serves generated pages: pages per second over
 * loopback, with a keep-alive node:http client in a child process (so that
 * client and server each have a core), several requests in flight; and the
 * server's CPU time, which says what one free core would sustain when other
 * work shares the machine.
 *
 * @example
 * const { pagesPerSecond, requests, serverCpuSeconds } = await measureThroughput({ requests: 20_000 });
 * console.log(pagesPerSecond, requests / serverCpuSeconds);
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { factsOf, pagePath } from "./page-facts.ts";
import { startWeb } from "./server.ts";
import type { ThroughputJob, ThroughputMessage } from "./throughput-client.ts";

/** What to measure. */
export interface ThroughputOptions {
  /** The size of the generated web (default 100,000 pages). */
  pages?: number;
  /** Its seed (default 1). */
  seed?: number;
  /** How many page requests to time (default 20,000), after a tenth as many untimed. */
  requests?: number;
  /** How many requests are in flight at once (default 8). */
  concurrency?: number;
}

/** What was measured. */
export interface Throughput {
  pagesPerSecond: number;
  requests: number;
  concurrency: number;
  seconds: number;
  /** Body bytes received in the timed requests. */
  bytes: number;
  /**
   * CPU time (user + system) the server's process spent during the timed
   * requests. `requests / serverCpuSeconds` is the rate one free core would
   * sustain, a figure that other load on the machine does not change much.
   */
  serverCpuSeconds: number;
}

const clientFile = fileURLToPath(new URL("./throughput-client.ts", import.meta.url));

/**
 * Serves a generated web (slow pages not delayed) and times a client that
 * fetches `requests` distinct HTML pages spread over all ids.
 *
 * @throws RangeError on a bad count; Error when a request fails or the client process dies.
 */
export async function measureThroughput(options: ThroughputOptions = {}): Promise<Throughput> {
  const { pages = 100_000, seed = 1, requests = 20_000, concurrency = 8 } = options;
  if (!Number.isInteger(requests) || requests < 1 || !Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`Cannot measure ${requests} requests, ${concurrency} at a time: expected positive integers`);
  }
  const server = await startWeb({ pages, seed, slowMs: 0, countHits: false });
  try {
    const web = server.web;
    if (!web) throw new Error("Cannot measure throughput: no generated web");
    const paths: string[] = [];
    for (let i = 0; paths.length < requests + Math.ceil(requests / 10); i++) {
      const facts = factsOf(web, (i * 7919) % pages);
      if (facts.kind !== "missing") paths.push(pagePath(web, facts));
    }
    const job: ThroughputJob = { url: server.url, paths: paths.slice(0, requests), warmup: paths.slice(requests), concurrency };
    const { seconds, bytes, cpu } = await runClient(job);
    return { pagesPerSecond: requests / seconds, requests, concurrency, seconds, bytes, serverCpuSeconds: (cpu.user + cpu.system) / 1e6 };
  } finally {
    await server.close();
  }
}

/** Runs the client process on a job; resolves with its timing and this process's CPU use meanwhile. */
function runClient(job: ThroughputJob): Promise<{ seconds: number; bytes: number; cpu: NodeJS.CpuUsage }> {
  return new Promise((resolve, reject) => {
    const child = fork(clientFile, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let started = process.cpuUsage();
    let outcome: Error | { seconds: number; bytes: number; cpu: NodeJS.CpuUsage } | undefined;
    child.on("message", (message: ThroughputMessage) => {
      if ("timing" in message) started = process.cpuUsage();
      else if ("error" in message) outcome = new Error(message.error);
      else outcome = { ...message, cpu: process.cpuUsage(started) };
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (outcome instanceof Error) reject(outcome);
      else if (outcome) resolve(outcome);
      else reject(new Error(`Cannot measure throughput: the client exited with code ${code}`));
    });
    child.send(job);
  });
}
