import assert from "node:assert/strict";
import { test } from "node:test";
import type { Index } from "../api.ts";
import { m0 } from "./_helpers.ts";

/** An index of documents given as term lists. */
function indexOf(documents: Record<string, string[]>): Index {
  const index: Index = { documents: new Map(), terms: new Map() };
  for (const [url, terms] of Object.entries(documents)) {
    index.documents.set(url, terms.length);
    for (const term of terms) {
      const postings = index.terms.get(term) ?? new Map<string, number>();
      postings.set(url, (postings.get(url) ?? 0) + 1);
      index.terms.set(term, postings);
    }
  }
  return index;
}

const index = indexOf({
  "a.html": ["vacuum", "vacuum", "vacuum", "table"],
  "b.html": ["vacuum", "index", "index", "table"],
  "c.html": ["analyze", "table", "index", "statistics"],
});

test("query() ranks the document where a term occurs most first", () => {
  assert.deepEqual(m0.query(index, ["vacuum"]).map((hit) => hit.url), ["a.html", "b.html"]);
});

test("query() returns only documents that contain a query term", () => {
  assert.deepEqual(m0.query(index, ["statistics"]).map((hit) => hit.url), ["c.html"]);
  assert.deepEqual(m0.query(index, ["nothing"]), []);
});

test("query() scores with BM25 (k1 = 1.2, b = 0.75) by default", () => {
  // "vacuum" in a.html: N = 3 documents, n = 2 contain it, f = 3, length 4 = the average.
  const idf = Math.log(1 + (3 - 2 + 0.5) / (2 + 0.5));
  const expected = (idf * 3 * 2.2) / (3 + 1.2);
  const [best] = m0.query(index, ["vacuum"]);
  assert.equal(best?.url, "a.html");
  assert.ok(Math.abs((best?.score ?? 0) - expected) < 1e-9, `expected ${expected}, got ${best?.score}`);
});

test("query() scores with TF-IDF when asked", () => {
  // "index" in b.html: f = 2, length 4, N = 3, n = 2.
  const expected = (2 / 4) * Math.log(3 / 2);
  const [best] = m0.query(index, ["index"], { scoring: "tfidf" });
  assert.equal(best?.url, "b.html");
  assert.ok(Math.abs((best?.score ?? 0) - expected) < 1e-9, `expected ${expected}, got ${best?.score}`);
});

test("query() adds up the scores of several terms", () => {
  const single = (term: string) => m0.query(index, [term]).find((hit) => hit.url === "c.html")?.score ?? 0;
  const both = m0.query(index, ["analyze", "statistics"]).find((hit) => hit.url === "c.html")?.score ?? 0;
  assert.ok(Math.abs(both - (single("analyze") + single("statistics"))) < 1e-9);
});

test("query() returns at most limit hits", () => {
  assert.equal(m0.query(index, ["table"], { limit: 2 }).length, 2);
  assert.equal(m0.query(index, ["table"]).length, 3);
});
