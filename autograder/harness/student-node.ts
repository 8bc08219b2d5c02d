/**
 * Nodes under test for black-box tests: each is a child process (node-host.ts)
 * that runs the implementation under test, as the student's user when the
 * grader names one, while the test process itself loads references only and
 * sees the node through the network alone. Whatever runs in the child, the
 * test's assertions run here, where it cannot reach them.
 *
 * A test drives a node with the reference's comm (a node of its own) or raw
 * HTTP, and reaches the node's api through its `harness` service (`call`,
 * `log`: see node-host.ts). Nodes die with the test that started them.
 *
 * @example
 * const node = await startStudentNode(t, "m4", { folder: await studentFolder(t) });
 * await client.comm.send([[["store", ["kv"]], ["put", ["a", 1]]]], harnessOf(node, "call"));
 * await node.kill(); // SIGKILL, as a crash
 */
import { type ChildProcess, spawn } from "node:child_process";
import { chown, rm } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import type { NodeAddress } from "../kit/context.ts";
import { envVariable } from "../kit/implementations.ts";
import type { MilestoneId } from "../kit/milestones.ts";
import { blackBoxVariable, runAsVariable, studentIds } from "../kit/privileges.ts";
import { currentRuntime, scriptCommand } from "../kit/runtime.ts";
import { scratchFolder } from "./scratch.ts";

const host = fileURLToPath(new URL("./node-host.ts", import.meta.url));

/** How long a node may take to say it listens (half a CPU, tsx compiling on the way). */
export const startLimitMs = 30_000;

/** A node under test in a child process. */
export interface StudentNode {
  readonly id: string;
  readonly address: NodeAddress;
  /** What the process printed (the last 16 KB), for failure messages. */
  readonly output: () => string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  /** Ends the process with SIGKILL (a crash) and waits for it. */
  kill(): Promise<void>;
  /** Closes its stdin, so the node stops itself; kills it if it has not exited within 5 s. */
  stop(): Promise<void>;
}

/** The implementation choices of the nodes under test: the grader's, or this process's own outside the grader. */
function choices(): string | undefined {
  return process.env[blackBoxVariable] ?? process.env[envVariable];
}

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-(child.pid as number), "SIGKILL");
  } catch {
    // Already gone.
  }
}

/** The node being started: the last in the queue of starts. */
let starting: Promise<unknown> = Promise.resolve();

/**
 * Starts a node under test with `config` (JSON) and waits until it listens.
 * Nodes start one at a time, even when asked for together: each then has the
 * grader's CPU (half a CPU on Gradescope) to itself while it compiles and
 * loads, and its `startLimitMs` counts from its own start. (Six at once
 * missed the limit on a rehearsal whose host was busier than its quota.)
 *
 * @throws Error when it exits first, or does not listen within `startLimitMs`.
 */
export function startStudentNode(t: TestContext, milestone: MilestoneId, config: Record<string, unknown> = {}): Promise<StudentNode> {
  const started = starting.then(() => launch(t, milestone, config));
  starting = started.catch(() => undefined);
  return started;
}

async function launch(t: TestContext, milestone: MilestoneId, config: Record<string, unknown>): Promise<StudentNode> {
  const { command, args } = scriptCommand(currentRuntime(), host, [milestone, JSON.stringify(config)]);
  const env: NodeJS.ProcessEnv = { ...process.env, [envVariable]: choices() };
  delete env[blackBoxVariable];
  delete env[runAsVariable];
  const ids = studentIds();
  const child = spawn(command, args, { env, stdio: ["pipe", "pipe", "pipe"], detached: true, uid: ids?.uid, gid: ids?.gid });
  let output = "";
  const keep = (chunk: string) => void (output = (output + chunk).slice(-16_384));
  child.stderr.setEncoding("utf8").on("data", keep);
  child.stdin.on("error", () => {});
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  t.after(async () => {
    killGroup(child);
    await exited;
  });
  let early: ((code: number | null, signal: NodeJS.Signals | null) => void) | undefined;
  const ready = await new Promise<{ ip: string; port: number; id: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Cannot start a ${milestone} node: not listening within ${startLimitMs / 1000} s\n${output}`)), startLimitMs);
    early = (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Cannot start a ${milestone} node: it exited (${signal ?? code}) before listening\n${output}`));
    };
    child.once("exit", early);
    createInterface({ input: child.stdout }).on("line", (line) => {
      keep(`${line}\n`);
      const found = /^\{"harnessReady":/.test(line) ? (JSON.parse(line) as { harnessReady: { ip: string; port: number; id: string } }).harnessReady : undefined;
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
  });
  child.off("exit", early as NonNullable<typeof early>);
  return {
    id: ready.id,
    address: { ip: ready.ip, port: ready.port },
    output: () => output,
    exited,
    kill: async () => {
      killGroup(child);
      await exited;
    },
    stop: async () => {
      child.stdin.end();
      const killer = setTimeout(() => killGroup(child), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** The remote that reaches a method of a node's harness service (`call` or `log`). */
export function harnessOf(node: { address: NodeAddress }, method: "call" | "log"): { node: NodeAddress; service: string; method: string } {
  return { node: node.address, service: "harness", method };
}

/** A fresh folder that a node under test may write to (its user owns it); removed when the test ends. */
export async function studentFolder(t: TestContext): Promise<string> {
  const folder = await scratchFolder("black-box-");
  const ids = studentIds();
  if (ids !== undefined && process.getuid?.() === 0) await chown(folder, ids.uid, ids.gid);
  t.after(() => rm(folder, { recursive: true, force: true }));
  return folder;
}
