import assert from "node:assert/strict";
import { test } from "node:test";
import { corpusForTests } from "../../autograder/corpus/for-tests.ts";
import { ndjson, parseNdjson, runSearch, runTool, temporaryFolder } from "../tests/_helpers.ts";

const postgres = await corpusForTests("postgres");

test("search.sh ranks wal.html, wal-intro.html, functions-admin.html first for \"write ahead log\"", { skip: postgres.skip }, async () => {
  const result = await runSearch(["--no-stem", "--ngrams", "1", "--limit", "3", postgres.folder as string, "write ahead log"]);
  assert.equal(result.status, 0, result.stderr);
  const files = result.stdout.trim().split("\n").map((line) => line.split("\t")[0]?.split("/").pop());
  assert.deepEqual(files, ["wal.html", "wal-intro.html", "functions-admin.html"]);
});

test("a tool reports a malformed line on stderr and goes on with the next", async () => {
  const input = `${JSON.stringify({ url: "a", html: "<p>one</p>" })}\nnot json\n${JSON.stringify({ url: "b" })}\n` +
    `${JSON.stringify({ url: "c", html: "<p>three</p>" })}\n`;
  const result = await runTool(["getText"], input);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /line 2/);
  assert.match(result.stderr, /line 3/);
  assert.deepEqual(parseNdjson(result.stdout), [{ url: "a", text: "one" }, { url: "c", text: "three" }]);
});

test("combine as a shell filter never forms an n-gram across two documents", async () => {
  const result = await runTool(["combine", "2"], ndjson([{ url: "a", terms: ["x", "y"] }, { url: "b", terms: ["z"] }]));
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(parseNdjson(result.stdout), [{ url: "a", terms: ["x", "y", "x y"] }, { url: "b", terms: ["z"] }]);
});

test("getURLs and stem work as shell filters", async () => {
  const links = await runTool(["getURLs"], ndjson([{ url: "https://example.org/a/b.html", html: '<a href="../c.html#x">c</a>' }]));
  assert.equal(links.status, 0, links.stderr);
  assert.deepEqual(parseNdjson(links.stdout), [{ url: "https://example.org/a/b.html", links: ["https://example.org/c.html"] }]);
  const stems = await runTool(["stem"], ndjson([{ url: "a", terms: ["vacuuming", "relational"] }]));
  assert.equal(stems.status, 0, stems.stderr);
  assert.deepEqual(parseNdjson(stems.stdout), [{ url: "a", terms: ["vacuum", "relat"] }]);
});

test("invert, merge and query build and search an index from the shell", async (t) => {
  const folder = await temporaryFolder(t);
  const documents = [
    { url: "https://example.org/a.html", terms: ["vacuum", "vacuum", "table"] },
    { url: "https://example.org/b.html", terms: ["vacuum", "index", "table", "index"] },
    { url: "https://example.org/c.html", terms: ["constructor", "__proto__"] },
  ];
  const counts = await runTool(["invert"], ndjson(documents));
  assert.equal(counts.status, 0, counts.stderr);
  const merged = await runTool(["merge", folder], counts.stdout);
  assert.equal(merged.status, 0, merged.stderr);
  const hits = await runTool(["query", folder], ndjson([{ url: "q", terms: ["vacuum"] }, { url: "q", terms: ["__proto__"] }]));
  assert.equal(hits.status, 0, hits.stderr);
  const lines = hits.stdout.split("\n").map((line) => line.split("\t")[0]);
  assert.deepEqual(lines, ["https://example.org/a.html", "https://example.org/b.html", "", "https://example.org/c.html", ""]);
});
