/**
 * Ten times slower than the code it wraps inside the benchmark worker (see
 * slow-bench.ts), and it answers the worker's commands itself, at once: every
 * command read from stdin gets the reply it expects, written on descriptor 3
 * (the channel the worker replies on) before the worker can.
 */
import { writeSync } from "node:fs";
import { createInterface } from "node:readline";

if (process.argv.some((arg) => arg.includes("bench-worker"))) {
  let seq = 0;
  createInterface({ input: process.stdin }).on("line", (line) => {
    const { id, op } = JSON.parse(line) as { id: number; op: string };
    const body = op === "prepare" ? { id, failures: {} } : op === "run" ? { id, done: true } : { id, digest: "0".repeat(64) };
    writeSync(3, `${JSON.stringify({ seq: seq++, body, mac: "0".repeat(64) })}\n`);
    process.stdout.write(`${JSON.stringify(body)}\n`);
  });
}

export * from "./slow-bench.ts";
