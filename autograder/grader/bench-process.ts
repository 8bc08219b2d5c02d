/**
 * The grader's side of a benchmark worker (bench-worker.ts): start it, send
 * commands, check each reply, time the work, pause and resume it, stop it.
 *
 * A reply counts only if it arrives on the signed channel (signed-lines.ts),
 * answers the command just sent (its id), has exactly the fields that
 * command's reply has, and comes alone; anything else, and any reply after
 * the process misbehaved once, is an error, raised at once (not when the
 * command's time is up). A worker is started when it says it is ready, with
 * the implementation loaded. Time is the grader's: the wall
 * time from sending a command to its reply, and the CPU time of the worker's
 * process tree read from /proc (cpu-time.ts).
 */
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";
import { repoRoot } from "../kit/milestones.ts";
import type { UserIds } from "../kit/privileges.ts";
import { type RuntimeName, scriptCommand } from "../kit/runtime.ts";
import { treeCpuMs } from "./cpu-time.ts";
import { heldInspectorPort } from "./inspector-port.ts";
import { gradedEnv, heapLimitMb } from "./runtimes.ts";
import { killGroup, signalUser, spawnGroup } from "./processes.ts";
import { newKey, SignedLines } from "./signed-lines.ts";

const workerScript = join(repoRoot, "autograder", "grader", "bench-worker.ts");

/** The fields (besides `id`) of each command's reply, and what each must be. */
const replySchemas: Record<string, Record<string, (value: unknown) => boolean>> = {
  prepare: { failure: (value) => value === null || typeof value === "string" },
  run: { done: (value) => value === true },
  digest: { digest: (value) => typeof value === "string" && /^[0-9a-f]{64}$/.test(value) },
  dispose: { done: (value) => value === true },
  ready: { ready: (value) => value === true },
};

/** How long a worker may take to load the implementation and say it is ready. */
const startupMs = 60_000;

/** What a timed command cost. */
export interface Timing {
  wallMs: number;
  cpuMs: number;
}

export class BenchProcess {
  #child: ChildProcess;
  #next = 1;
  /** Settles the command awaiting its reply, with the reply or with why there is none. */
  #waiting: ((outcome: Record<string, unknown> | Error) => void) | undefined;
  #broken: string | undefined;
  #errorOutput = "";
  #runAs: UserIds | undefined;

  /**
   * Starts a worker and waits until it is ready; `runAs` is the user it becomes before loading the implementation (it then pauses as that user's processes do).
   *
   * @throws Error when the worker exits, breaks the protocol or is not ready within `startupMs`.
   */
  static async start(milestone: string, runtime: RuntimeName, env: NodeJS.ProcessEnv, runAs?: UserIds): Promise<BenchProcess> {
    const { command, args } = scriptCommand(runtime, workerScript, [milestone]);
    const nodeFlags = runtime === "node" ? [`--inspect-port=127.0.0.1:${await heldInspectorPort()}`, `--max-old-space-size=${heapLimitMb.worker}`, "--expose-gc"] : [];
    const worker = new BenchProcess(command, [...nodeFlags, ...args], env, runAs);
    try {
      await worker.#reply(0, "ready", startupMs, `the implementation did not load in the benchmark worker within ${startupMs / 1000} s`);
      return worker;
    } catch (error) {
      worker.stop();
      throw error;
    }
  }

  private constructor(command: string, args: string[], env: NodeJS.ProcessEnv, runAs: UserIds | undefined) {
    this.#runAs = runAs;
    this.#child = spawnGroup(command, args, { cwd: repoRoot, env: { ...env, ...gradedEnv }, stdio: ["pipe", "ignore", "pipe", "pipe"], untrusted: true });
    this.#child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      this.#errorOutput = (this.#errorOutput + chunk).slice(-2000);
    });
    this.#child.stdin?.on("error", () => {});
    const socket = this.#child.stdio[3] as Readable & Writable;
    const key = newKey();
    const reader = new SignedLines(key.key);
    socket.on("error", () => {});
    socket.write(key.bytes);
    socket.setEncoding("utf8").on("data", (chunk: string) => {
      for (const body of reader.push(chunk)) this.#deliver(body);
      if (reader.untrusted) this.#fail(`its replies could not be trusted: ${reader.untrusted}`);
    });
    this.#child.once("exit", (code, signal) => {
      if (/JavaScript heap out of memory|Reached heap limit/.test(this.#errorOutput)) {
        this.#fail(`the benchmark process ran out of its ${heapLimitMb.worker} MB heap (the reference's fits in it)`);
      } else {
        this.#fail(`the benchmark process exited (${signal ?? code})\n${this.#errorOutput}`.trim());
      }
    });
    this.#child.once("error", (error) => this.#fail(`the benchmark process did not start: ${error.message}`));
  }

  /** Marks the worker broken for good, and fails the command awaiting its reply. */
  #fail(why: string): void {
    this.#broken ??= why;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.(new Error(this.#broken));
  }

  #deliver(body: Record<string, unknown>): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting === undefined) this.#fail("it sent a reply nobody asked for");
    else waiting(body);
  }

  /**
   * Waits for the reply to command `id`, checked against the schema of `op`'s reply.
   *
   * @throws Error when the worker breaks, reports an error, answers out of protocol or takes longer than `timeoutMs`.
   */
  async #reply(id: number, op: string, timeoutMs: number, late = `the benchmark took longer than ${(timeoutMs / 1000).toFixed(1)} s`): Promise<Record<string, unknown>> {
    let timer: NodeJS.Timeout | undefined;
    const body = await new Promise<Record<string, unknown>>((resolve, reject) => {
      this.#waiting = (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome));
      timer = setTimeout(() => this.#fail(late), timeoutMs);
    }).finally(() => clearTimeout(timer));
    if (typeof body.error === "string" && Object.keys(body).length === 2 && body.id === id) throw new Error(body.error);
    const schema = replySchemas[op] as Record<string, (value: unknown) => boolean>;
    const keys = Object.keys(body).filter((key) => key !== "id");
    const fits = body.id === id && keys.length === Object.keys(schema).length && keys.every((key) => schema[key]?.(body[key]) === true);
    if (!fits) {
      this.#fail(`it answered "${op}" out of protocol`);
      throw new Error(this.#broken);
    }
    return body;
  }

  /**
   * Sends a command and waits for its reply, timed.
   *
   * @throws Error when the worker exits, breaks the protocol, reports an error or takes longer than `timeoutMs`.
   */
  async request(op: "prepare" | "run" | "digest" | "dispose", fields: Record<string, unknown>, timeoutMs: number): Promise<{ reply: Record<string, unknown>; timing: Timing }> {
    if (this.#broken !== undefined) throw new Error(this.#broken);
    const id = this.#next++;
    const cpuBefore = treeCpuMs(this.#child.pid as number);
    const started = performance.now();
    const reply = this.#reply(id, op, timeoutMs);
    this.#child.stdin?.write(`${JSON.stringify({ id, op, ...fields })}\n`);
    const body = await reply;
    return { reply: body, timing: { wallMs: performance.now() - started, cpuMs: treeCpuMs(this.#child.pid as number) - cpuBefore } };
  }

  /** Stops the worker (and, as another user, every process of that user) until `resume`. */
  pause(): void {
    if (this.#runAs) signalUser(this.#runAs, "SIGSTOP");
    else killGroup(this.#child.pid as number, "SIGSTOP");
  }

  resume(): void {
    if (this.#runAs) signalUser(this.#runAs, "SIGCONT");
    else killGroup(this.#child.pid as number, "SIGCONT");
  }

  stop(): void {
    killGroup(this.#child.pid as number);
  }
}
