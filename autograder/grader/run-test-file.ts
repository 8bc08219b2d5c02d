/**
 * Runs one test file in a process of its own, with a time limit, and collects
 * an outcome per test. Results travel on a channel the tested code does not
 * write to (the runner's reporter, or a JUnit file), so whatever the code
 * prints cannot pass for a result. On timeout, or when the caller aborts, the
 * whole process group dies.
 */
import { chown, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FileRun, maxMessage, type TestOutcome } from "./outcomes.ts";
import { parseJUnit } from "./junit.ts";
import { killGroup, killGroupAndWait, type RunAs, spawnGroup } from "./processes.ts";
import { type RuntimeName, testCommand } from "./runtimes.ts";

/** The most output kept per file, in characters. */
const maxOutput = 64 * 1024;

export interface RunTestFileOptions {
  /** Absolute path of the test file. */
  path: string;
  /** How to name it in results ("hidden/hostile.test.ts"). */
  file: string;
  runtime: RuntimeName;
  /** Environment for the test process (the implementation switch, the seed). */
  env: NodeJS.ProcessEnv;
  /** Limit for the whole file, in milliseconds. */
  timeoutMs: number;
  /** Limit per test, in milliseconds, where the runtime supports one. */
  testTimeoutMs: number;
  /** Run only the test of this name. */
  only?: string;
  cwd: string;
  runAs?: RunAs;
  /** Called as each test finishes (on runtimes that stream results). */
  onTest?: (outcome: TestOutcome) => void;
  /** Aborting it stops the file where it is: the run ends `stopped`, with the tests reported so far. */
  signal?: AbortSignal;
}

interface ReporterLine {
  kind: "test" | "output";
  name?: string;
  passed?: boolean;
  ms?: number;
  message?: string;
  text?: string;
}

export async function runTestFile(options: RunTestFileOptions): Promise<FileRun> {
  const started = performance.now();
  const scratch = await mkdtemp(join(tmpdir(), "grade-"));
  const junitFile = join(scratch, "results.xml");
  const { command, args, results } = testCommand(options.runtime, options.path, options.testTimeoutMs, junitFile, options.only);
  const tests: TestOutcome[] = [];
  let output = "";
  let startError: string | undefined;
  const keep = (text: string) => {
    if (output.length < maxOutput) output += text.slice(0, maxOutput - output.length);
  };

  if (options.runAs) await chown(scratch, options.runAs.uid, options.runAs.gid);
  // A test runner that finds NODE_TEST_CONTEXT thinks it is a runner's child
  // and reports to its parent instead of to us: drop it when the grader
  // itself runs under a test runner.
  const { NODE_TEST_CONTEXT: _, ...env } = options.env;
  const child = spawnGroup(command, args, {
    cwd: options.cwd,
    env,
    runAs: options.runAs,
    stdio: ["ignore", "pipe", "pipe"],
  });

  let pending = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    if (results !== "stream") return keep(chunk);
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop() as string;
    for (const line of lines) {
      const event = parseLine(line);
      if (event?.kind === "test") {
        const outcome: TestOutcome = { name: String(event.name), passed: event.passed === true, ms: Number(event.ms) || 0 };
        if (event.message !== undefined) outcome.message = event.message;
        tests.push(outcome);
        options.onTest?.(outcome);
      } else if (event?.kind === "output") {
        keep(event.text ?? "");
      }
    }
  });
  child.stderr?.setEncoding("utf8").on("data", keep);

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid as number);
  }, options.timeoutMs);
  const stop = () => killGroup(child.pid as number);
  options.signal?.addEventListener("abort", stop, { once: true });
  if (options.signal?.aborted) stop();
  const exitCode = await new Promise<number | null>((resolve) => {
    child.once("error", (error) => {
      startError = `Cannot start ${command}: ${error.message}`;
      resolve(null);
    });
    child.once("close", (code) => resolve(code));
  });
  clearTimeout(timer);
  options.signal?.removeEventListener("abort", stop);
  await killGroupAndWait(child.pid as number);

  if (results !== "stream") {
    const xml = await readFile(results.junit, "utf8").catch(() => "");
    for (const outcome of parseJUnit(xml)) tests.push(outcome);
  }
  await rm(scratch, { recursive: true, force: true });

  const stopped = options.signal?.aborted === true && exitCode !== 0;
  const crashed = !timedOut && !stopped && tests.length === 0 && exitCode !== 0;
  const run: FileRun = {
    file: options.file,
    status: timedOut ? "timed-out" : stopped ? "stopped" : crashed ? "crashed" : "completed",
    tests,
    output,
    ms: performance.now() - started,
  };
  if (timedOut) run.error = `timed out after ${Math.round(options.timeoutMs / 1000)} s`;
  else if (stopped) run.error = String(options.signal?.reason);
  else if (crashed) run.error = startError ?? (output.trim().slice(-maxMessage) || `exited with code ${exitCode}`);
  return run;
}

function parseLine(line: string): ReporterLine | undefined {
  try {
    return JSON.parse(line) as ReporterLine;
  } catch {
    return undefined;
  }
}
