/**
 * The grader's side of a benchmark worker (bench-worker.ts): start it, send
 * commands with a time limit, pause and resume it, stop it.
 */
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { repoRoot } from "../kit/milestones.ts";
import { killGroup, type RunAs, spawnGroup } from "./processes.ts";
import { type RuntimeName, scriptCommand } from "../kit/runtime.ts";

const workerScript = join(repoRoot, "autograder", "grader", "bench-worker.ts");

export class BenchProcess {
  #child: ChildProcess;
  #replies: Array<(line: string) => void> = [];
  #exited: Promise<string>;
  #errorOutput = "";

  constructor(milestone: string, runtime: RuntimeName, env: NodeJS.ProcessEnv, runAs?: RunAs) {
    const { command, args } = scriptCommand(runtime, workerScript, [milestone]);
    this.#child = spawnGroup(command, args, { cwd: repoRoot, env, runAs, stdio: ["pipe", "ignore", "pipe", "pipe"] });
    this.#child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      this.#errorOutput = (this.#errorOutput + chunk).slice(-2000);
    });
    const replies = this.#child.stdio[3] as NodeJS.ReadableStream;
    createInterface({ input: replies }).on("line", (line) => this.#replies.shift()?.(line));
    this.#exited = new Promise((resolve) => {
      this.#child.once("exit", (code, signal) => resolve(`the benchmark process exited (${signal ?? code})`));
      this.#child.once("error", (error) => resolve(`the benchmark process did not start: ${error.message}`));
    });
  }

  /**
   * Sends a command and waits for its reply.
   *
   * @throws Error when the worker exits, answers nonsense or takes longer than `timeoutMs`.
   */
  async request<Reply>(command: object, timeoutMs: number): Promise<Reply> {
    let timer: NodeJS.Timeout | undefined;
    const reply = new Promise<string>((resolve) => this.#replies.push(resolve));
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the benchmark took longer than ${timeoutMs / 1000} s`)), timeoutMs);
    });
    const exit = this.#exited.then((why) => Promise.reject(new Error(`${why}\n${this.#errorOutput}`.trim())));
    this.#child.stdin?.write(`${JSON.stringify(command)}\n`);
    try {
      const line = await Promise.race([reply, timeout, exit]);
      const parsed = JSON.parse(line) as Reply & { error?: string };
      if (parsed.error !== undefined) throw new Error(parsed.error);
      return parsed;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops the worker's whole process group until `resume`. */
  pause(): void {
    killGroup(this.#child.pid as number, "SIGSTOP");
  }

  resume(): void {
    killGroup(this.#child.pid as number, "SIGCONT");
  }

  stop(): void {
    killGroup(this.#child.pid as number);
  }
}
