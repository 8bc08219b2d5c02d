/**
 * handouts/m6.md#search: the pure functions `pageTitle`, `snippetOf` and
 * `finalScore`, on the examples of api.ts and on the edge cases their
 * definitions name: no title or an empty one, entities and whitespace in a
 * title; a snippet without a match, its 30-word cap, Unicode letters, marks
 * and digits, stems; a final score without rank or weight.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { m6 } from "./_engine.ts";
import { m0 } from "./_truth.ts";

const url = "http://127.0.0.1:8080/docs/page.html?view=print";

test("pageTitle gives the first title's text with entities decoded, every run of whitespace one space and the ends trimmed (the example of api.ts)", () => {
  assert.equal(m6.pageTitle("<title> Fish &amp;\n chips </title>", "http://a/"), "Fish & chips");
  assert.equal(m6.pageTitle("<!DOCTYPE html><html><head><title>Write-Ahead\t\tLogging</title></head><body><h1>WAL</h1></body></html>", url), "Write-Ahead Logging");
  assert.equal(m6.pageTitle("<title>a &lt; b &#8212; c &quot;d&quot; &#x41;</title>", url), 'a < b \u2014 c "d" A');
  assert.equal(m6.pageTitle("<title>First</title><title>Second</title>", url), "First");
  assert.equal(m6.pageTitle("<head><title>Café — naïve 日本語</title></head>", url), "Café — naïve 日本語");
});

test("pageTitle gives the URL when the page has no title, or one that is empty or whitespace only", () => {
  for (const html of ["", "<p>No title here</p>", "<title></title><p>text</p>", "<title> \n\t  </title>", "<title>&#32;&#10;</title>"]) {
    assert.equal(m6.pageTitle(html, url), url, JSON.stringify(html));
  }
});

test("pageTitle reads a title element whatever the case of its tag or its attributes", () => {
  assert.equal(m6.pageTitle("<TITLE>Shouting</TITLE>", url), "Shouting");
  assert.equal(m6.pageTitle('<title id="t" lang="en">With attributes</title>', url), "With attributes");
});

test("snippetOf starts at the first word whose stem is a term and wraps every such word in brackets (the example of api.ts)", () => {
  assert.equal(m6.snippetOf("The Vacuum command reclaims storage.", ["vacuum"]), "[Vacuum] command reclaims storage");
  assert.equal(m6.snippetOf("Relational databases store relations; relational algebra queries them.", [m0.stem("relational")]), "[Relational] databases store [relations] [relational] algebra queries them");
  assert.equal(m6.snippetOf("Indexes speed lookups. Vacuuming reclaims; vacuumed tables shrink.", [m0.stem("vacuum"), m0.stem("tables")]), "[Vacuuming] reclaims [vacuumed] [tables] shrink");
});

test("snippetOf starts at the first word when no word's stem is a term, and n-gram terms mark nothing", () => {
  assert.equal(m6.snippetOf("Hello, world! Again...", ["zzz"]), "Hello world Again");
  assert.equal(m6.snippetOf("write ahead log", ["write ahead", "ahead log"]), "write ahead log");
  assert.equal(m6.snippetOf("Storage engines", []), "Storage engines");
  assert.equal(m6.snippetOf("", ["storage"]), "");
  assert.equal(m6.snippetOf("  ...  !!! ", ["storage"]), "");
});

test("snippetOf keeps at most 30 words, from the first match or from the start", () => {
  const words = Array.from({ length: 50 }, (_, i) => `w${i}`);
  const text = `${words.join(", ")}.`;
  assert.equal(m6.snippetOf(text, ["w10"]), ["[w10]", ...words.slice(11, 40)].join(" "));
  assert.equal(m6.snippetOf(text, ["zzz"]), words.slice(0, 30).join(" "));
  assert.equal(m6.snippetOf(text, ["w45"]), ["[w45]", ...words.slice(46)].join(" "));
});

test("snippetOf splits words as process does, on anything but Unicode letters, marks and digits, and matches them lowercased", () => {
  assert.equal(m6.snippetOf("Le CAFÉ ferme; café-crème ouvert!", ["café"]), "[CAFÉ] ferme [café] crème ouvert");
  assert.equal(m6.snippetOf("Une nai\u0308ve question.", ["nai\u0308ve"]), "[nai\u0308ve] question");
  assert.equal(m6.snippetOf("Version 16 of PostgreSQL, released 2023-09-14.", ["16", "2023"]), "[16] of PostgreSQL released [2023] 09 14");
  assert.equal(m6.snippetOf("東京 と 大阪", ["大阪"]), "[大阪]");
});

test("snippetOf shows the text's words as they are, stopwords included", () => {
  assert.equal(m6.snippetOf("Once upon a time, the cat and the dog met.", ["cat"]), "[cat] and the dog met");
});

test("finalScore adds weight × ln(1 + pages × rank) to the text score (the example of api.ts)", () => {
  assert.ok(Math.abs(m6.finalScore(2.5, 0.01, 100, 1) - (2.5 + Math.LN2)) < 1e-12);
  assert.ok(Math.abs(m6.finalScore(1, 0.5, 10, 2) - (1 + 2 * Math.log(6))) < 1e-12);
  assert.ok(Math.abs(m6.finalScore(0, 1 / 300, 300, 0.5) - 0.5 * Math.LN2) < 1e-12, "an average page adds weight × ln 2");
});

test("finalScore is the text score when the weight or the rank is 0", () => {
  assert.equal(m6.finalScore(3.7, 0.2, 50, 0), 3.7);
  assert.equal(m6.finalScore(3.7, 0, 50, 1), 3.7);
  assert.equal(m6.finalScore(0, 0, 0, 1), 0);
});
