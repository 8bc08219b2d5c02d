/**
 * handouts/m5.md#workflows on the PostgreSQL manual (about 1,170 pages,
 * a million words): word count and an inverted index over its pages' terms,
 * as milestone 0 extracts them (`getText`, then `process`), compared key by
 * key with milestone 0's `invert` and a plain loop. Where the manual cannot
 * be had, the tests are skipped with the reason, as m0's corpus tests are.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { corpusForTests } from "../../autograder/corpus/for-tests.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type * as M0 from "../../m0-setup/api.ts";
import { byString, countWords, fill, invertedIndex, misplacedOutput, realCluster, summedWordCount, total, within } from "./_mr.ts";

const postgres = await corpusForTests("postgres");
const skip = postgres.skip;

/** Each page's terms as milestone 0 makes them, joined by single spaces, by file name; read once. */
let terms: Map<string, string> | undefined;
async function manualTerms(): Promise<Map<string, string>> {
  if (terms === undefined) {
    const m0 = await load<typeof M0>("m0");
    const folder = postgres.folder as string;
    terms = new Map(readdirSync(folder).filter((file) => file.endsWith(".html")).sort().map((file) => [file, m0.process(m0.getText(readFileSync(join(folder, file), "utf8"))).join(" ")]));
  }
  return terms;
}

test("word count over the PostgreSQL manual, with its combiner, equals a plain loop", { skip }, async (t) => {
  const texts = await manualTerms();
  const cluster = await realCluster(t, 4, "manual");
  await fill(cluster, "manual", texts);
  const result = await within(cluster.outsider.mr("manual").exec(summedWordCount), 240_000, "word count over the manual");
  const expected = countWords(texts.values());
  t.diagnostic(`${total(result.counts, "emitted")} words, ${expected.size} distinct`);
  assert.ok(expected.size > 10_000);
  assert.equal(await misplacedOutput(cluster, result.out, expected), "");
  assert.equal(total(result.counts, "emitted"), [...expected.values()].reduce((a, b) => a + b, 0));
});

test("an inverted index of the PostgreSQL manual gives each term its pages, sorted, with the counts milestone 0's invert gives", { skip }, async (t) => {
  const m0 = await load<typeof M0>("m0");
  const texts = await manualTerms();
  const cluster = await realCluster(t, 4, "manual");
  await fill(cluster, "manual", texts);
  const result = await within(cluster.outsider.mr("manual").exec(invertedIndex), 240_000, "an inverted index of the manual");
  const expected = new Map<string, Array<[string, number]>>();
  for (const [file, text] of texts) {
    for (const [word, count] of m0.invert(text === "" ? [] : text.split(" "))) expected.set(word, [...(expected.get(word) ?? []), [file, count]]);
  }
  for (const postings of expected.values()) postings.sort(([a], [b]) => byString(a, b));
  assert.equal(await misplacedOutput(cluster, result.out, expected), "");
  const vacuum = await cluster.outsider.store(result.out).get("vacuum");
  assert.ok(vacuum.found && (vacuum.value as Array<[string, number]>).some(([file]) => file === "sql-vacuum.html"), "vacuum is on sql-vacuum.html");
});
