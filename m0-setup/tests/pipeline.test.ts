import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { ndjson, parseNdjson, runSearch, runTool, temporaryFolder } from "./_helpers.ts";

test("the tools work as shell filters, one JSON record per line", async () => {
  const pages = [
    { url: "https://example.org/a.html", html: "<p>The VACUUM command</p>" },
    { url: "https://example.org/b.html", html: "<p>Write-ahead logging</p>" },
  ];
  const text = await runTool(["getText"], ndjson(pages));
  assert.equal(text.status, 0, text.stderr);
  const terms = await runTool(["process"], text.stdout);
  assert.equal(terms.status, 0, terms.stderr);
  assert.deepEqual(parseNdjson(terms.stdout), [
    { url: "https://example.org/a.html", terms: ["vacuum", "command"] },
    { url: "https://example.org/b.html", terms: ["write", "ahead", "logging"] },
  ]);
});

test("search.sh indexes a folder of pages and answers a query", async (t) => {
  const folder = await temporaryFolder(t);
  await writeFile(join(folder, "vacuum.html"), "<h1>VACUUM</h1><p>Vacuuming reclaims storage; vacuum often.</p>");
  await writeFile(join(folder, "wal.html"), "<h1>WAL</h1><p>The write-ahead log records every change.</p>");
  await writeFile(join(folder, "index.html"), '<a href="vacuum.html">Vacuum</a> <a href="wal.html">WAL</a>');
  const result = await runSearch([folder, "vacuuming"]);
  assert.equal(result.status, 0, result.stderr);
  const urls = result.stdout.trim().split("\n").map((line) => line.split("\t")[0]);
  assert.deepEqual(urls.map((url) => url?.split("/").pop()), ["vacuum.html", "index.html"]);
});
