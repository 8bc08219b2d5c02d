/**
 * Runs one test file in a process of its own, with a time limit, and collects
 * an outcome per test. On Node, results travel signed on a channel of their
 * own (signed-lines.ts), and the grader accepts them only if every line
 * checks out, each test reports once, each name is one the grader expects
 * (`expected`), and the file's own count of its tests matches what it
 * reported; otherwise the file's results "could not be trusted" and all its
 * tests fail. Whatever the code under test prints is kept as output, never
 * read as a result.
 *
 * On timeout, or when the caller aborts, the whole process group dies; when
 * code under test runs as a user of its own, every process of that user dies
 * with it, before the next file starts. Then the folder the file's tests
 * wrote in (harness/scratch.ts) goes too.
 */
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";
import { scratchVariable } from "../harness/scratch.ts";
import type { UserIds } from "../kit/privileges.ts";
import { heldInspectorPort } from "./inspector-port.ts";
import { parseJUnit } from "./junit.ts";
import { type FileRun, maxMessage, type TestOutcome } from "./outcomes.ts";
import { killGroup, killGroupAndWait, killUser, spawnGroup } from "./processes.ts";
import { gradedEnv, type RuntimeName, testCommand } from "./runtimes.ts";
import { newKey, SignedLines } from "./signed-lines.ts";

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
  /** A black-box file: it sees the code under test through the network only (runtimes.ts says what that changes). */
  blackBox?: boolean;
  /** The names of the tests the file should report (from the weights); others make its results untrusted. */
  expected?: readonly string[];
  cwd: string;
  /** The user code under test runs as: every process of it is killed once the file ends. */
  runAs?: UserIds;
  /** Called as each test finishes (on runtimes that stream results). */
  onTest?: (outcome: TestOutcome) => void;
  /** Aborting it stops the file where it is: the run ends `stopped`, with the tests reported so far. */
  signal?: AbortSignal;
}

/** What arrived on the signed channel, checked as it comes. */
class ChannelResults {
  readonly tests: TestOutcome[] = [];
  ended = false;
  #plan: number | undefined;
  #reader: SignedLines;
  #untrusted: string | undefined;
  #expected: ReadonlySet<string> | undefined;

  constructor(reader: SignedLines, expected: readonly string[] | undefined) {
    this.#reader = reader;
    this.#expected = expected === undefined ? undefined : new Set(expected);
  }

  /** Why the results cannot be trusted, if they cannot. */
  get untrusted(): string | undefined {
    return this.#untrusted ?? this.#reader.untrusted;
  }

  take(chunk: string, onTest: (outcome: TestOutcome) => void): void {
    for (const body of this.#reader.push(chunk)) {
      if (this.untrusted !== undefined || this.ended) {
        this.#untrusted ??= "the result channel went on after its end";
        return;
      }
      if (body.kind === "plan") this.#plan = Number(body.count);
      else if (body.kind === "end") this.#finish();
      else if (body.kind === "test") this.#test(body, onTest);
      else this.#untrusted = `the result channel sent an unknown line (${String(body.kind)})`;
    }
  }

  #test(body: Record<string, unknown>, onTest: (outcome: TestOutcome) => void): void {
    const name = String(body.name);
    if (this.tests.some((test) => test.name === name)) {
      this.#untrusted = `test "${name}" reported twice`;
      return;
    }
    if (this.#expected !== undefined && !this.#expected.has(name)) {
      this.#untrusted = `test "${name}" is not one of this file's tests`;
      return;
    }
    const outcome: TestOutcome = { name, passed: body.passed === true, ms: Number(body.ms) || 0 };
    if (typeof body.message === "string") outcome.message = body.message;
    if (typeof body.unavailable === "string") outcome.unavailable = body.unavailable;
    this.tests.push(outcome);
    onTest(outcome);
  }

  #finish(): void {
    this.ended = true;
    if (this.#plan !== undefined && this.#plan !== this.tests.length) {
      this.#untrusted = `the file defined ${this.#plan} tests and reported ${this.tests.length}`;
    }
  }
}

export async function runTestFile(options: RunTestFileOptions): Promise<FileRun> {
  const started = performance.now();
  const scratch = await mkdtemp(join(tmpdir(), "grade-"));
  // The tests' own folder: open to all, sticky, as /tmp is, since a test file may drop to the student's user.
  const files = await mkdtemp(join(tmpdir(), "grade-files-"));
  await chmod(files, 0o1777);
  const { command, args, results } = testCommand(options.runtime, options.path, {
    testTimeoutMs: options.testTimeoutMs,
    junitFile: join(scratch, "results.xml"),
    only: options.only,
    inspectPort: await heldInspectorPort(),
    blackBox: options.blackBox,
  });
  let output = "";
  let startError: string | undefined;
  const keep = (text: string) => {
    if (output.length < maxOutput) output += text.slice(0, maxOutput - output.length);
  };

  // A test runner that finds NODE_TEST_CONTEXT thinks it is a runner's child
  // and reports to its parent instead of to us: drop it when the grader
  // itself runs under a test runner.
  const { NODE_TEST_CONTEXT: _, ...env } = options.env;
  const child = spawnGroup(command, args, {
    cwd: options.cwd,
    env: { ...env, ...gradedEnv, [scratchVariable]: files },
    stdio: ["ignore", "pipe", "pipe", results === "channel" ? "pipe" : "ignore"],
    untrusted: true,
  });
  const key = newKey();
  const channel = new ChannelResults(new SignedLines(key.key), options.only === undefined ? options.expected : undefined);
  const socket = child.stdio[3] as (Readable & Writable) | null;
  if (socket) {
    socket.on("error", () => {});
    socket.write(key.bytes);
    socket.setEncoding("utf8").on("data", (chunk: string) => {
      channel.take(chunk, (outcome) => options.onTest?.(outcome));
      // Every result is in: what the process does from here on does not count.
      if (channel.ended) killGroup(child.pid as number);
    });
  }
  child.stdout?.setEncoding("utf8").on("data", keep);
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
  if (options.runAs) await killUser(options.runAs);

  const tests = results === "channel" ? channel.tests : parseJUnit(await readFile(results.junit, "utf8").catch(() => ""));
  await rm(scratch, { recursive: true, force: true });
  await rm(files, { recursive: true, force: true, maxRetries: 3 });
  const untrusted = results === "channel" ? channel.untrusted : undefined;
  if (untrusted !== undefined) {
    return { file: options.file, status: "untrusted", tests: [], output, ms: performance.now() - started, error: `results could not be trusted: ${untrusted}` };
  }

  // On the channel a file is complete once its end arrives; a JUnit file is all there is.
  const complete = results === "channel" ? channel.ended : tests.length > 0 || exitCode === 0;
  const status = complete ? "completed" : timedOut ? "timed-out" : options.signal?.aborted ? "stopped" : "crashed";
  const run: FileRun = { file: options.file, status, tests, output, ms: performance.now() - started };
  if (status === "timed-out") run.error = `timed out after ${Math.round(options.timeoutMs / 1000)} s`;
  else if (status === "stopped") run.error = String(options.signal?.reason);
  else if (status === "crashed") run.error = startError ?? (output.trim().slice(-maxMessage) || `exited with code ${exitCode} before reporting every test`);
  return run;
}
