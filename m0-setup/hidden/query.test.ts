import assert from "node:assert/strict";
import { test } from "node:test";
import { withSeed } from "../../autograder/harness/seed.ts";
import type { Random } from "../../autograder/harness/random.ts";
import type { Hit, Index } from "../api.ts";
import { m0, plain } from "../tests/_helpers.ts";

/** An index of documents given as term lists, in the order given. */
function indexOf(documents: Array<[url: string, terms: string[]]>): Index {
  const index: Index = { documents: new Map(), terms: new Map() };
  for (const [url, terms] of documents) {
    index.documents.set(url, terms.length);
    for (const term of terms) {
      const postings = index.terms.get(term) ?? new Map<string, number>();
      postings.set(url, (postings.get(url) ?? 0) + 1);
      index.terms.set(term, postings);
    }
  }
  return index;
}

/** The hits of a query, scored here with the formulas of handouts/m0.md#query. */
function expectedHits(index: Index, terms: string[], scoring: "bm25" | "tfidf", limit = 10): Hit[] {
  const n = index.documents.size;
  const average = [...index.documents.values()].reduce((sum, length) => sum + length, 0) / n;
  const scores = new Map<string, number>();
  for (const term of new Set(terms)) {
    const postings = index.terms.get(term) ?? new Map<string, number>();
    for (const [url, f] of postings) {
      const length = index.documents.get(url) as number;
      const score = scoring === "bm25"
        ? (Math.log(1 + (n - postings.size + 0.5) / (postings.size + 0.5)) * f * 2.2) / (f + 1.2 * (0.25 + (0.75 * length) / average))
        : (f / length) * Math.log(n / postings.size);
      scores.set(url, (scores.get(url) ?? 0) + score);
    }
  }
  return [...scores]
    .map(([url, score]) => ({ url, score }))
    .sort((a, b) => b.score - a.score || (a.url < b.url ? -1 : 1))
    .slice(0, limit);
}

/** Checks hits: the same URLs in the same order, and scores within 1e-9. */
function assertHits(actual: Hit[], expected: Hit[]): void {
  assert.deepEqual(actual.map((hit) => hit.url), expected.map((hit) => hit.url));
  actual.forEach((hit, i) => {
    const want = expected[i]?.score as number;
    assert.ok(Math.abs(hit.score - want) < 1e-9 * Math.max(1, Math.abs(want)), `${hit.url}: expected score ${want}, got ${hit.score}`);
  });
}

function randomIndex(random: Random): Index {
  const documents: Array<[string, string[]]> = [];
  for (let d = random.int(5, 80); d > 0; d--) {
    const terms = Array.from({ length: random.int(1, 200) }, () => `t${Math.floor(random.next() ** 2 * 50)}`);
    documents.push([`https://example.org/${random.int(0, 1e6)}-${d}.html`, terms]);
  }
  return indexOf(random.shuffle(documents));
}

test("query() breaks ties by URL", () => {
  const index = indexOf([["c.html", ["x", "y"]], ["a.html", ["x", "y"]], ["b.html", ["x", "y"]], ["d.html", ["z"]]]);
  assert.deepEqual(m0.query(index, ["x"]).map((hit) => hit.url), ["a.html", "b.html", "c.html"]);
  assert.deepEqual(m0.query(index, ["x"], { scoring: "tfidf" }).map((hit) => hit.url), ["a.html", "b.html", "c.html"]);
});

test("query() counts a query term given twice once", () => {
  const index = indexOf([["a.html", ["x", "x", "x", "q"]], ["b.html", ["y", "q", "q", "q"]], ["c.html", ["z"]]]);
  assertHits(m0.query(index, ["x", "y", "y", "y"]), expectedHits(index, ["x", "y"], "bm25"));
  assertHits(m0.query(index, ["y", "y"], { scoring: "tfidf" }), expectedHits(index, ["y"], "tfidf"));
});

test("query() gives a positive BM25 score to a term that most documents contain", () => {
  const index = indexOf([["a.html", ["common", "rare"]], ["b.html", ["common"]], ["c.html", ["common", "x"]]]);
  const hits = m0.query(index, ["common"]);
  assert.equal(hits.length, 3);
  for (const hit of hits) assert.ok(hit.score > 0, `${hit.url} scored ${hit.score}`);
  assertHits(hits, expectedHits(index, ["common"], "bm25"));
});

test("query() favours the shorter of two documents with the same count under BM25", () => {
  const index = indexOf([["long.html", ["vacuum", ...Array(40).fill("filler")]], ["short.html", ["vacuum", "filler"]], ["other.html", ["x"]]]);
  assertHits(m0.query(index, ["vacuum"]), expectedHits(index, ["vacuum"], "bm25"));
  assert.equal(m0.query(index, ["vacuum"])[0]?.url, "short.html");
});

test("query() computes exact BM25 scores on a random index", withSeed((random) => {
  const index = randomIndex(random);
  for (let q = 0; q < 20; q++) {
    const terms = Array.from({ length: random.int(1, 4) }, () => `t${random.int(0, 55)}`);
    assertHits(m0.query(index, terms), expectedHits(index, terms, "bm25"));
  }
}));

test("query() computes exact TF-IDF scores on a random index", withSeed((random) => {
  const index = randomIndex(random);
  for (let q = 0; q < 20; q++) {
    const terms = Array.from({ length: random.int(1, 4) }, () => `t${random.int(0, 55)}`);
    assertHits(m0.query(index, terms, { scoring: "tfidf", limit: 25 }), expectedHits(index, terms, "tfidf", 25));
  }
}));

test("query() sorts every hit by score before it applies the limit", withSeed((random) => {
  const documents: Array<[string, string[]]> = Array.from({ length: 50 }, (_, i) => [
    `https://example.org/${String(i).padStart(2, "0")}.html`,
    [...Array(random.int(1, 9)).fill("hit"), ...Array(random.int(1, 30)).fill("pad")],
  ]);
  const index = indexOf(random.shuffle(documents));
  assertHits(m0.query(index, ["hit"], { limit: 1 }), expectedHits(index, ["hit"], "bm25", 1));
  assertHits(m0.query(index, ["hit"], { limit: 7 }), expectedHits(index, ["hit"], "bm25", 7));
}));

test("query() still returns documents whose TF-IDF score is 0, by URL", () => {
  const index = indexOf([["b.html", ["everywhere"]], ["a.html", ["everywhere", "x"]]]);
  assert.deepEqual(m0.query(index, ["everywhere"], { scoring: "tfidf" }), [{ url: "a.html", score: 0 }, { url: "b.html", score: 0 }]);
});

test("query() ignores terms that no document contains", () => {
  const index = indexOf([["a.html", ["x", "y"]], ["b.html", ["y"]]]);
  assertHits(m0.query(index, ["x", "missing", "also missing"]), expectedHits(index, ["x"], "bm25"));
});

test("query() of an empty index or an empty query has no hits", () => {
  assert.deepEqual(m0.query({ documents: new Map(), terms: new Map() }, ["x"]), []);
  assert.deepEqual(m0.query(indexOf([["a.html", ["x"]]]), []), []);
});

test("query() with limit 0 has no hits, and a large limit returns every hit", () => {
  const index = indexOf(Array.from({ length: 15 }, (_, i): [string, string[]] => [`${i}.html`, ["x", `y${i}`]]));
  assert.deepEqual(m0.query(index, ["x"], { limit: 0 }), []);
  assert.equal(m0.query(index, ["x"], { limit: 100 }).length, 15);
  assert.equal(m0.query(index, ["x"]).length, 10);
});

test("query() leaves the index as it was", withSeed((random) => {
  const index = randomIndex(random);
  const before = plain(index);
  m0.query(index, ["t1", "t2", "t3"]);
  m0.query(index, ["t1", "t4"], { scoring: "tfidf" });
  assert.deepEqual(plain(index), before);
}));
