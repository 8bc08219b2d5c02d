/**
 * The client side of measureThroughput, run in a child process so that
 * client and server do not share one core. It gets a job by IPC, fetches
 * every path over keep-alive connections with `concurrency` requests in
 * flight (a warm-up round first, untimed), and sends back the timing.
 */
import { Agent, get } from "node:http";

/** What the parent asks for. */
export interface ThroughputJob {
  url: string;
  paths: string[];
  warmup: string[];
  concurrency: number;
}

/** What the client sends: a mark when the timed round starts, then its duration and bytes, or why it failed. */
export type ThroughputMessage = { timing: true } | { seconds: number; bytes: number } | { error: string };

/** Fetches all paths with `concurrency` in flight; resolves to the bytes received. */
async function fetchAll(url: string, paths: string[], concurrency: number, agent: Agent): Promise<number> {
  let next = 0;
  let bytes = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const received = await fetchOne(url + paths[next++], agent);
      bytes += received;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return bytes;
}

function fetchOne(url: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent }, (response) => {
      let bytes = 0;
      response.on("data", (chunk: Uint8Array) => (bytes += chunk.byteLength));
      response.on("end", () => (response.statusCode === 200 ? resolve(bytes) : reject(new Error(`Cannot fetch ${url}: status ${response.statusCode}`))));
      response.on("error", reject);
    }).on("error", reject);
  });
}

async function run(job: ThroughputJob): Promise<ThroughputMessage> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  try {
    await fetchAll(job.url, job.warmup, job.concurrency, agent);
    process.send?.({ timing: true });
    const start = performance.now();
    const bytes = await fetchAll(job.url, job.paths, job.concurrency, agent);
    return { seconds: (performance.now() - start) / 1000, bytes };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    agent.destroy();
  }
}

if (process.send) {
  process.once("message", (job: ThroughputJob) => {
    void run(job).then((result) => process.send?.(result, () => process.disconnect?.()));
  });
}
