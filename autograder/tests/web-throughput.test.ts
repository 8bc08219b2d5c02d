/**
 * measureThroughput(): a client in a child process fetches generated pages
 * over keep-alive connections and reports pages per second. (The figure
 * itself is a benchmark's business; this checks that the measurement works.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { measureThroughput } from "../web/index.ts";

test("measureThroughput() fetches the pages it was asked for and reports a rate", async () => {
  const result = await measureThroughput({ pages: 1000, requests: 300, concurrency: 4 });
  assert.equal(result.requests, 300);
  assert.equal(result.concurrency, 4);
  assert.ok(result.pagesPerSecond > 0 && Number.isFinite(result.pagesPerSecond));
  assert.ok(result.serverCpuSeconds > 0 && result.serverCpuSeconds < 10 * result.seconds);
  assert.ok(result.bytes > 300 * 500, `${result.bytes} bytes for 300 pages`);
});
