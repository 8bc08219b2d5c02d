import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { after, test } from "node:test";
import { pathToFileURL } from "node:url";
import { corpusForTests } from "../../autograder/corpus/for-tests.ts";
import type { Index } from "../api.ts";
import { m0, words } from "../tests/_helpers.ts";
import { scratchFolder } from "../../autograder/harness/scratch.ts";

// The PostgreSQL 15 manual (npm run corpus -- get postgres): about 1,170 linked pages
// (the count depends on the package's version: each minor release adds release notes).
const postgres = await corpusForTests("postgres");
const skip = postgres.skip;
const scratch = await scratchFolder("m0-corpus-");
after(() => rm(scratch, { recursive: true, force: true }));

function pages(): Array<{ file: string; html: string }> {
  const folder = postgres.folder as string;
  return readdirSync(folder)
    .filter((file) => file.endsWith(".html"))
    .sort()
    .map((file) => ({ file, html: readFileSync(join(folder, file), "utf8") }));
}

const built = new Map<string, Promise<Index>>();

/** The manual's index, by file name, with or without stemming; built once per file. */
function manualIndex(stemmed: boolean): Promise<Index> {
  const key = stemmed ? "stemmed" : "plain";
  if (!built.has(key)) {
    built.set(key, (async () => {
      const documents = pages().map(({ file, html }) => {
        const terms = m0.process(m0.getText(html));
        return { url: file, counts: m0.invert(stemmed ? terms.map((term) => m0.stem(term)) : terms) };
      });
      await m0.merge(join(scratch, key), documents);
      return m0.readIndex(join(scratch, key));
    })());
  }
  return built.get(key) as Promise<Index>;
}

async function top3(text: string, stemmed = false): Promise<string[]> {
  const terms = m0.process(text).map((term) => (stemmed ? m0.stem(term) : term));
  return m0.query(await manualIndex(stemmed), terms, { limit: 3 }).map((hit) => hit.url);
}

test("BM25 ranks wal.html, wal-intro.html, functions-admin.html first for \"write ahead log\"", { skip }, async () => {
  assert.deepEqual(await top3("write ahead log"), ["wal.html", "wal-intro.html", "functions-admin.html"]);
});

test("BM25 ranks sql-vacuum.html, routine-vacuuming.html, runtime-config-autovacuum.html first for \"vacuum\"", { skip }, async () => {
  assert.deepEqual(await top3("vacuum"), ["sql-vacuum.html", "routine-vacuuming.html", "runtime-config-autovacuum.html"]);
});

test("with stemming, \"vacuuming\" ranks sql-vacuum.html first", { skip }, async () => {
  assert.equal((await top3("vacuuming", true))[0], "sql-vacuum.html");
});

test("the manual's text holds between 1.0 and 1.2 million words", { skip }, () => {
  const count = pages().reduce((sum, { html }) => sum + words(m0.getText(html)).length, 0);
  assert.ok(count > 1_000_000 && count < 1_200_000, `${count} words`);
});

test("the manual's links connect every one of its pages from index.html", { skip }, () => {
  const folder = postgres.folder as string;
  const html = new Map(pages().map(({ file, html }) => [pathToFileURL(join(folder, file)).href, html]));
  const start = pathToFileURL(join(folder, "index.html")).href;
  const seen = new Set([start]);
  for (const url of seen) {
    for (const link of m0.getURLs(html.get(url) as string, url)) {
      if (html.has(link)) seen.add(link);
    }
  }
  const all = pages().length;
  assert.ok(all > 1_100, `${all} pages`);
  assert.equal(seen.size, all, "pages that no link reaches from index.html");
});
