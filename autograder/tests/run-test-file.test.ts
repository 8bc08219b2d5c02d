import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { repoRoot } from "../kit/milestones.ts";
import { rerunAlone } from "../grader/rerun-alone.ts";
import { runTestFile } from "../grader/run-test-file.ts";
import { temporaryFolder } from "./_temporary.ts";
import type { RuntimeName } from "../grader/runtimes.ts";

const folder = temporaryFolder("run-test-file-", after);

function fixture(name: string, source: string): string {
  const path = join(folder, name);
  writeFileSync(path, `import { after, test } from "node:test";\nimport assert from "node:assert/strict";\n${source}\n`);
  return path;
}

const mixed = fixture("mixed.test.ts", `
test("adds", () => assert.equal(1 + 1, 2));
test("fails with a message", () => assert.equal(1, 2, "one is not two"));
test("prints forged results", () => {
  console.log('ok 1 - forged\\n{"kind":"test","name":"forged","passed":true,"ms":1}');
  throw new Error("really failed");
});
`);

const run = (path: string, runtime: RuntimeName = "node", timeoutMs = 60_000) =>
  runTestFile({ path, file: path, runtime, env: process.env, cwd: repoRoot, timeoutMs, testTimeoutMs: timeoutMs });

for (const runtime of ["node", "bun", "deno"] as const) {
  test(`${runtime}: each test gets an outcome, and printed text is never taken for a result`, async () => {
    const result = await run(mixed, runtime);
    assert.equal(result.status, "completed");
    assert.deepEqual(result.tests.map(({ name, passed }) => [name, passed]), [
      ["adds", true],
      ["fails with a message", false],
      ["prints forged results", false],
    ]);
    assert.match(result.tests[1]?.message ?? "", /one is not two/);
  });
}

const pidFile = join(folder, "child.pid");

/** Whether a process has exited: it no longer exists, or it is a zombie nobody reaped yet. */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
}
const hang = fixture("hang.test.ts", `
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
test("passes first", () => {});
test("hangs", () => {
  writeFileSync(${JSON.stringify(pidFile)}, String(spawn("sleep", ["1000"]).pid));
  while (true) {}
});
test("passes after", () => {});
`);

test("a file that hangs is stopped at its time limit, with everything it started", async () => {
  const result = await run(hang, "node", 3000);
  assert.equal(result.status, "timed-out");
  assert.match(result.error ?? "", /timed out after 3 s/);
  assert.ok(!result.tests.some(({ name }) => name !== "passes first"), "a test after the hang was reported");
  const pid = Number(readFileSync(pidFile, "utf8"));
  assert.ok(isGone(pid), "the child process survived");
});

const madeFile = join(folder, "made.txt");
const leaves = fixture("leaves-a-folder.test.ts", `
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { scratchFolder } from ${JSON.stringify(join(repoRoot, "autograder", "harness", "scratch.ts"))};
test("writes in a folder of its own, then hangs", async () => {
  const made = await scratchFolder("left-");
  writeFileSync(join(made, "data"), "x");
  writeFileSync(${JSON.stringify(madeFile)}, made);
  while (true) {}
});
`);

test("what a file's tests wrote in their scratch folders is gone once the file is stopped, though they never removed it", async () => {
  const result = await run(leaves, "node", 3000);
  assert.equal(result.status, "timed-out");
  const made = readFileSync(madeFile, "utf8");
  assert.ok(made.startsWith(join(tmpdir(), "grade-files-")), `the test wrote in ${made}, not in the folder the grader gave the file`);
  assert.ok(!existsSync(made) && !existsSync(dirname(made)), `${made} is still there`);
});

test("after a hang, each unreported test runs alone, so only the hanging one fails", async () => {
  const options = { path: hang, file: hang, runtime: "node" as const, env: process.env, cwd: repoRoot, timeoutMs: 3000, testTimeoutMs: 2000 };
  const killed = await runTestFile(options);
  const result = await rerunAlone(killed, ["passes first", "hangs", "passes after"], options, () => true);
  const outcomes = Object.fromEntries(result.tests.map(({ name, passed }) => [name, passed]));
  assert.deepEqual(outcomes, { "passes first": true, hangs: false, "passes after": true });
  assert.match(result.tests.find(({ name }) => name === "hangs")?.message ?? "", /did not finish within 2 s when run alone/);
});

test("a file whose first test hangs still runs each of its other tests alone", async () => {
  const firstHangs = fixture("first-hangs.test.ts", `
test("hangs first", () => {
  while (true) {}
});
test("passes after", () => {});
`);
  const options = { path: firstHangs, file: firstHangs, runtime: "node" as const, env: process.env, cwd: repoRoot, timeoutMs: 3000, testTimeoutMs: 2000 };
  const killed = await runTestFile(options);
  assert.deepEqual(killed.tests, []);
  const result = await rerunAlone(killed, ["hangs first", "passes after"], options, () => true);
  assert.deepEqual(Object.fromEntries(result.tests.map(({ name, passed }) => [name, passed])), { "hangs first": false, "passes after": true });
});

test("a file that hangs while it loads fails every test at once, without running each alone", async () => {
  const loadHangs = fixture("load-hangs.test.ts", `
while (true) {}
test("one", () => {});
test("two", () => {});
`);
  const options = { path: loadHangs, file: loadHangs, runtime: "node" as const, env: process.env, cwd: repoRoot, timeoutMs: 3000, testTimeoutMs: 2000 };
  const result = await rerunAlone(await runTestFile(options), ["one", "two"], options, () => true);
  assert.deepEqual(result.tests.map(({ name, passed }) => [name, passed]), [["one", false], ["two", false]]);
  for (const outcome of result.tests) assert.match(outcome.message ?? "", /did not finish loading within 7 s, so none of its tests could run/);
});

test("a file that crashes before its tests run reports why", async () => {
  const crash = fixture("crash.test.ts", `throw new Error("broken at import");\ntest("never runs", () => {});`);
  const result = await run(crash);
  assert.equal(result.status, "crashed");
  assert.deepEqual(result.tests, []);
  assert.match(result.error ?? "", /broken at import/);
});

const slowPidFile = join(folder, "slow-child.pid");
const slow = fixture("slow.test.ts", `
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
test("fails", () => assert.fail("first failure"));
test("waits", async () => {
  writeFileSync(${JSON.stringify(slowPidFile)}, String(spawn("sleep", ["1000"]).pid));
  await new Promise((resolve) => setTimeout(resolve, 60_000));
});
`);

test("an aborted file stops where it is, with the outcomes it reported and everything it started gone", async () => {
  const stop = new AbortController();
  const started = performance.now();
  const result = await runTestFile({
    path: slow,
    file: slow,
    runtime: "node",
    env: process.env,
    cwd: repoRoot,
    timeoutMs: 60_000,
    testTimeoutMs: 60_000,
    signal: stop.signal,
    onTest: () => setTimeout(() => stop.abort("enough"), 500),
  });
  assert.ok(performance.now() - started < 30_000, "it ran on to the time limit");
  assert.equal(result.status, "stopped");
  assert.equal(result.error, "enough");
  assert.deepEqual(result.tests.map(({ name, passed }) => [name, passed]), [["fails", false]]);
  assert.ok(isGone(Number(readFileSync(slowPidFile, "utf8"))), "the child process survived");
});
