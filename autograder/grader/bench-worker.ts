/**
 * A benchmark worker: one process that holds one implementation of a
 * milestone, chosen by the implementation switch, and runs its workloads on
 * command. The grader runs two, the student's and the reference, takes turns
 * between them, and times every run itself, with its own clock and from
 * /proc (performance.ts): the worker reports no figures at all.
 *
 * Before it loads the implementation, the worker takes the result channel's
 * key and guards itself, exactly as a test process does (host/channel.ts,
 * host/guard.ts): its replies are signed, so code under test cannot answer
 * for it.
 *
 * Once the implementation is loaded, the worker says so on descriptor 3; then
 * commands arrive as JSON lines on stdin, and each gets exactly one signed
 * reply there:
 *
 *   (ready)                                                    → {"id":0,"ready":true}
 *   {"id":1,"op":"prepare","workload":"…"}                     → {"id":1,"failure":null} or {"id":1,"failure":"why"}
 *   {"id":2,"op":"run","workload":"…","count":40,"keep":[3,17]} → {"id":2,"done":true}
 *   {"id":3,"op":"digest"}                                     → {"id":3,"digest":"…"}
 *   {"id":4,"op":"dispose","workload":"…"}                     → {"id":4,"done":true}
 *
 * `prepare` builds a workload's input and checks one operation's result;
 * `run` does the operation `count` times, one after another, keeping the
 * results of the operations numbered in `keep`; `digest` is the digest of
 * those results' outputs (bench/digest.ts), which the grader compares with
 * the reference's, followed by a full garbage collection (the worker runs
 * with --expose-gc), so that every timed run starts from a clean heap and
 * no run pays for an earlier one's garbage; `dispose` frees the input (one
 * workload is held at a time, so that two workers fit in the grader's
 * memory). A failure of `run` or `digest` is `{"id":…,"error":"…"}`.
 *
 * Usage: bench-worker.ts m1
 */
import { createInterface } from "node:readline";
import { Digest } from "../bench/digest.ts";
import type { Workload } from "../bench/workload.ts";
import { loadWorkloads } from "../bench/workloads.ts";
import { load } from "../kit/implementations.ts";
import { parseMilestone } from "../kit/milestones.ts";
import { claimChannel, openChannel } from "./host/channel.ts";
import { guardProcess } from "./host/guard.ts";

openChannel();
guardProcess();
const channel = claimChannel();
/** The full collection after each digest, taken before code under test can replace it (runtimes other than Node have none). */
const collectGarbage = (globalThis as { gc?: () => void }).gc ?? (() => {});

const milestone = parseMilestone(process.argv[2] ?? "");
const api = await load<unknown>(milestone);
const workloads = await loadWorkloads(milestone);
const inputs = new Map<string, unknown>();
let kept: { workload: Workload<unknown, unknown>; results: unknown[] } | undefined;
channel.send({ id: 0, ready: true });

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function find(name: unknown): Workload<unknown, unknown> {
  const workload = workloads.find((candidate) => candidate.name === name);
  if (workload === undefined) throw new Error(`no workload "${String(name)}"`);
  return workload;
}

/** Prepares a workload; returns why it failed, or null. */
async function prepare(name: unknown): Promise<string | null> {
  const workload = find(name);
  try {
    const input = await workload.prepare(api);
    inputs.set(workload.name, input);
    await workload.check(api, input, await workload.run(api, input));
    return null;
  } catch (error) {
    return describe(error);
  }
}

async function dispose(name: unknown): Promise<void> {
  const workload = find(name);
  if (inputs.has(workload.name)) await workload.dispose?.(api, inputs.get(workload.name));
  inputs.delete(workload.name);
  kept = undefined;
}

async function run(name: unknown, count: unknown, keep: unknown): Promise<void> {
  const workload = find(name);
  if (!inputs.has(workload.name)) throw new Error(`workload "${workload.name}" is not prepared`);
  if (!Number.isSafeInteger(count) || (count as number) < 1 || !Array.isArray(keep)) throw new Error("a run needs a count and the operations to keep");
  const input = inputs.get(workload.name);
  const wanted = new Set(keep);
  const results: unknown[] = [];
  for (let i = 0; i < (count as number); i++) {
    const result = await workload.run(api, input);
    if (wanted.has(i)) results.push(result);
  }
  kept = { workload, results };
}

function digest(): string {
  if (kept === undefined) throw new Error("there is no run to digest");
  const { workload, results } = kept;
  const input = inputs.get(workload.name);
  const digest = new Digest();
  for (const result of results) digest.add(workload.output(api, input, result));
  kept = undefined;
  collectGarbage();
  return digest.hex();
}

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as { id: number; op: string; workload?: unknown; count?: unknown; keep?: unknown };
  try {
    if (command.op === "prepare") channel.send({ id: command.id, failure: await prepare(command.workload) });
    else if (command.op === "run") {
      await run(command.workload, command.count, command.keep);
      channel.send({ id: command.id, done: true });
    } else if (command.op === "digest") channel.send({ id: command.id, digest: digest() });
    else if (command.op === "dispose") {
      await dispose(command.workload);
      channel.send({ id: command.id, done: true });
    }
    else throw new Error(`unknown command "${command.op}"`);
  } catch (error) {
    channel.send({ id: command.id, error: describe(error) });
  }
}
