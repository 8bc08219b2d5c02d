/**
 * Child processes for the crash tests: a script of tests/ run under the
 * current runtime (it reaches the implementation through the switch, which
 * it inherits through DIST_IMPL), in a process group of its own, whose output
 * the test reads line by line, and which the test can kill with SIGKILL at
 * any moment. Every child dies when its test ends (and when its stdin closes,
 * so none outlives the test file).
 *
 * A test whose children write into a temporary folder kills them itself
 * before it ends (`Children.killAll` in a `finally`): hooks run in the order
 * they were registered, so the folder's removal would otherwise come first,
 * and a child still writing could create it again.
 */
import { spawn, type ChildProcess } from "node:child_process";
import type { TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import { currentRuntime, scriptCommand } from "../../autograder/kit/runtime.ts";

export interface Script {
  readonly child: ChildProcess;
  /** Lines printed so far. */
  readonly lines: string[];
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  /** Waits until `count` lines have been printed; throws if the process exits first or `limitMs` pass. */
  waitForLines(count: number, limitMs: number): Promise<void>;
  /** Kills the whole process group at once (SIGKILL) and waits for the exit. */
  kill(): Promise<void>;
  /** The end of what it printed on stderr. */
  errors(): string;
}

/** Runs `./<name>` with `args` in a child process; it is killed when the test ends. */
export function runScript(t: TestContext, name: string, args: string[]): Script {
  const file = fileURLToPath(new URL(`../tests/${name}`, import.meta.url));
  const { command, args: argv } = scriptCommand(currentRuntime(), file, args);
  const child = spawn(command, argv, { stdio: ["pipe", "pipe", "pipe"], detached: true, env: process.env });
  const lines: string[] = [];
  let partial = "";
  let stderr = "";
  let exitedNow = false;
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of waiters) waiter();
  };
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    const parts = (partial + chunk).split("\n");
    partial = parts.pop() as string;
    lines.push(...parts);
    wake();
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr = (stderr + chunk).slice(-4_000)));
  const exited = new Promise<void>((resolve) => {
    const end = () => {
      exitedNow = true;
      wake();
      resolve();
    };
    child.on("exit", end);
    child.on("error", (error) => {
      stderr += `\n${error.message}`;
      end();
    });
  });
  const killGroup = () => {
    try {
      if (child.pid !== undefined && !exitedNow) process.kill(-child.pid, "SIGKILL");
    } catch {
      // The group is gone already.
    }
  };
  t.after(async () => {
    killGroup();
    await exited;
    child.stdin?.destroy();
    child.stdout?.destroy();
    child.stderr?.destroy();
  });
  return {
    child,
    lines,
    exited,
    errors: () => stderr,
    kill: async () => {
      killGroup();
      await exited;
    },
    waitForLines: (count, limitMs) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (lines.length >= count) finish(undefined);
          else if (exitedNow) finish(new Error(`Cannot read ${count} lines from ${name}: it exited after ${lines.length}; stderr: ${stderr}`));
        };
        const finish = (error: Error | undefined) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (error) reject(error);
          else resolve();
        };
        const timer = setTimeout(() => finish(new Error(`Cannot read ${count} lines from ${name} within ${limitMs} ms: got ${lines.length}; stderr: ${stderr}`)), limitMs);
        waiters.add(check);
        check();
      }),
  };
}

/** The children of one test, killed together. */
export class Children {
  readonly #t: TestContext;
  readonly #scripts: Script[] = [];

  constructor(t: TestContext) {
    this.#t = t;
  }

  /** Runs `./<name>` with `args` (see runScript). */
  run(name: string, args: string[]): Script {
    const script = runScript(this.#t, name, args);
    this.#scripts.push(script);
    return script;
  }

  /** Kills every child started so far and waits until they have exited. */
  async killAll(): Promise<void> {
    await Promise.all(this.#scripts.map((script) => script.kill()));
  }
}
