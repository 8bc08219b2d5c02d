import assert from "node:assert/strict";
import { test } from "node:test";
import { withSeed } from "../../autograder/harness/seed.ts";
import { stopwords } from "../stopwords.ts";
import { m0 } from "../tests/_helpers.ts";

test("process() keeps the letters of any script, accents included", () => {
  assert.deepEqual(m0.process("Café NAÏVE Ελληνικά Русский 日本語"), ["café", "naïve", "ελληνικά", "русский", "日本語"]);
});

test("process() keeps combining marks with their letter", () => {
  assert.deepEqual(m0.process("cafe\u0301 re\u0301sume\u0301"), ["cafe\u0301", "re\u0301sume\u0301"]);
});

test("process() treats letters beyond the Basic Multilingual Plane as letters and emoji as separators", () => {
  assert.deepEqual(m0.process("𝒜lgebra smile😀face"), ["𝒜lgebra", "smile", "face"]);
});

test("process() splits on apostrophes and drops the pieces that are stopwords", () => {
  assert.deepEqual(m0.process("Don't! It's PostgreSQL's; you'll"), ["postgresql"]);
});

test("process() drops every stopword of the list, in any case", () => {
  const text = [...stopwords].map((word, i) => (i % 2 === 0 ? word.toUpperCase() : word)).join(" ");
  assert.deepEqual(m0.process(text), []);
});

test("process() keeps words that only contain a stopword", () => {
  assert.deepEqual(m0.process("theory island another ours2 isn"), ["theory", "island", "another", "ours2"]);
});

test("process() splits on underscores, symbols and punctuation", () => {
  assert.deepEqual(m0.process("pg_dump --jobs=4 x+z w/v {k:1} [e] #5 @u"), ["pg", "dump", "jobs", "4", "x", "z", "w", "v", "k", "1", "e", "5", "u"]);
});

test("process() keeps numbers, including digits inside words", () => {
  assert.deepEqual(m0.process("Version 15.4 of UTF8, ipv6 and 2023-10-01"), ["version", "15", "4", "utf8", "ipv6", "2023", "10", "01"]);
});

test("process() of an empty text is empty", () => {
  assert.deepEqual(m0.process(""), []);
});

test("process() finds every word of a generated text", withSeed((random) => {
  const separators = [" ", "  ", "\n", "\t", ", ", ". ", "; ", " — ", "-", "/", "(", ")", "'", "\"", "_", "…"];
  const expected: string[] = [];
  const parts: string[] = [];
  for (let i = random.int(500, 2000); i > 0; i--) {
    const word = Array.from({ length: random.int(1, 10) }, () => random.pick([..."abcdefghijklmnopqrstuvwxyz0123456789éü"])).join("");
    parts.push(random.bool(0.3) ? word.toUpperCase() : word, random.pick(separators));
    if (!stopwords.has(word)) expected.push(word);
  }
  assert.deepEqual(m0.process(parts.join("")), expected);
}));
