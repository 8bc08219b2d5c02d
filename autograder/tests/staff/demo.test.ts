/**
 * `npm run demo`, as the README shows it, on a small web: its pipeline
 * crawls, indexes, ranks, starts the stream jobs and serves; simulated
 * users' searches then show up as trending queries; Ctrl-C stops it all.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { repoRoot } from "../../kit/milestones.ts";

/** How long the demo may take to show trending queries: it only bounds a failure. */
const limitMs = 180_000;

test("the demo runs its pipeline, serves the search page, prints the trending queries of its simulated users, and stops on Ctrl-C", async () => {
  const { NODE_OPTIONS: _hooks, NODE_TEST_CONTEXT: _context, ...env } = process.env;
  const demo = spawn(process.execPath, ["--import", "tsx", "autograder/cli/demo.ts", "--pages", "60", "--nodes", "2"], { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise<number | null>((resolve) => demo.once("exit", (code) => resolve(code)));
  const trending = new Promise<boolean>((resolve) => {
    const limit = setTimeout(() => resolve(false), limitMs);
    demo.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (/trending this minute: [^(\n][^\n]* \(\d+\)/.test(output)) {
        clearTimeout(limit);
        resolve(true);
      }
    });
    demo.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(() => resolve(false));
  });
  try {
    assert.ok(await trending, `no trending queries in the demo's output:\n${output}`);
  } finally {
    demo.kill("SIGINT");
  }
  assert.equal(await exited, 0, output);
  for (const step of ["crawl", "index", "rank", "learn", "serve", "users"]) assert.match(output, new RegExp(`^${step}: done in `, "m"), `step ${step}`);
  assert.match(output, /^search: open http:\/\/127\.0\.0\.1:\d+\/ /m);
});
