import assert from "node:assert/strict";
import { test } from "node:test";
import { m0 } from "./_helpers.ts";

const page = "https://example.org/docs/intro.html";

test("getURLs() resolves relative links against the page's URL", () => {
  const html = '<a href="next.html">Next</a> <a href="../index.html">Up</a> <a href="/about.html">About</a>';
  assert.deepEqual(m0.getURLs(html, page), [
    "https://example.org/docs/next.html",
    "https://example.org/index.html",
    "https://example.org/about.html",
  ]);
});

test("getURLs() keeps absolute links as they are", () => {
  const html = '<p>See <a href="https://www.postgresql.org/docs/">the manual</a>.</p>';
  assert.deepEqual(m0.getURLs(html, page), ["https://www.postgresql.org/docs/"]);
});

test("getURLs() drops the fragment of a link", () => {
  const html = '<a href="next.html#section-2">Section 2</a>';
  assert.deepEqual(m0.getURLs(html, page), ["https://example.org/docs/next.html"]);
});

test("getURLs() returns each link once, in order of first appearance", () => {
  const html = '<a href="b.html">B</a><a href="a.html">A</a><a href="b.html">B again</a>';
  assert.deepEqual(m0.getURLs(html, page), ["https://example.org/docs/b.html", "https://example.org/docs/a.html"]);
});

test("getURLs() of a page without links is empty", () => {
  assert.deepEqual(m0.getURLs("<p>No links here.</p>", page), []);
});
