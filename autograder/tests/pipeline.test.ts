/**
 * The demo's pipeline runner (cli/pipeline.ts): steps run after those they
 * name, independent ones at once; a failing step is tried again, then
 * stops the pipeline by name before any step after it starts.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runPipeline, type Step, StepError } from "../cli/pipeline.ts";

/** Steps that note when they start and end, in `events`. */
function noting(events: string[], name: string, after: string[] = [], run: () => Promise<unknown> = async () => {}): Step {
  return {
    name,
    after,
    run: async () => {
      events.push(`${name} starts`);
      await new Promise((resolve) => setImmediate(resolve));
      const outcome = await run();
      events.push(`${name} ends`);
      return outcome;
    },
  };
}

test("each step starts once the steps it names have ended, and steps that do not depend on each other run at once", async () => {
  const events: string[] = [];
  await runPipeline([noting(events, "index", ["crawl"]), noting(events, "rank", ["crawl"]), noting(events, "publish", ["index", "rank"]), noting(events, "crawl")]);
  assert.deepEqual(events, ["crawl starts", "crawl ends", "index starts", "rank starts", "index ends", "rank ends", "publish starts", "publish ends"]);
});

test("a failing step is tried again, and the pipeline goes on once it succeeds; the report says so", async () => {
  const lines: string[] = [];
  let tries = 0;
  await runPipeline([{ name: "crawl", retries: 2, run: async () => { if (++tries < 3) throw new Error("site down"); return "12 pages"; } }], (line) => lines.push(line));
  assert.equal(tries, 3);
  assert.deepEqual(lines.filter((line) => !line.includes("done in")), ["crawl: started", "crawl: failed (site down), trying again", "crawl: started (try 2 of 3)", "crawl: failed (site down), trying again", "crawl: started (try 3 of 3)"]);
  assert.match(lines.at(-1) as string, /^crawl: done in \d+\.\d s: 12 pages$/);
});

test("a step that fails after its retries stops the pipeline with a StepError naming it, and no step after it starts", async () => {
  const events: string[] = [];
  const failing = noting(events, "index", ["crawl"], async () => { throw new Error("disk full"); });
  const error = await runPipeline([noting(events, "crawl"), { ...failing, retries: 1 }, noting(events, "publish", ["index"]), noting(events, "rank", ["crawl"])]).then(() => undefined, (caught: unknown) => caught);
  assert.ok(error instanceof StepError, "a StepError");
  assert.equal(error.step, "index");
  assert.match(error.message, /"index" failed 2 times; last: disk full/);
  assert.ok(!events.includes("publish starts"), "the step after the failing one never starts");
  assert.ok(events.includes("rank ends"), "a step that does not depend on it still runs");
});

test("two steps of one name, a step after an unknown one, or a cycle is a RangeError, and no step runs", async () => {
  const events: string[] = [];
  const pipelines: Step[][] = [
    [noting(events, "a"), noting(events, "a")],
    [noting(events, "a", ["nothing"])],
    [noting(events, "free"), noting(events, "a", ["b"]), noting(events, "b", ["a"])],
  ];
  for (const steps of pipelines) await assert.rejects(runPipeline(steps), RangeError);
  assert.deepEqual(events, []);
});
