import assert from "node:assert/strict";
import { test } from "node:test";
import { withSeed } from "../../autograder/harness/seed.ts";
import { m0 } from "../tests/_helpers.ts";

const page = "https://example.org/docs/intro.html";
const links = (html: string, url = page) => m0.getURLs(html, url);

test("getURLs() normalizes the scheme, host, default port and dot segments", () => {
  assert.deepEqual(links('<a href="HTTP://Example.ORG:80/a/./b/../c.html">x</a><a href="https://EXAMPLE.org:443/d/">y</a>'), [
    "http://example.org/a/c.html",
    "https://example.org/d/",
  ]);
});

test("getURLs() resolves protocol-relative and query-only links", () => {
  assert.deepEqual(links('<a href="//cdn.example.net/lib.html">x</a><a href="?page=2">y</a>'), [
    "https://cdn.example.net/lib.html",
    "https://example.org/docs/intro.html?page=2",
  ]);
});

test("getURLs() turns a fragment-only link into the page itself", () => {
  assert.deepEqual(links('<a href="#top">Top</a>'), [page]);
});

test("getURLs() treats links that differ only in their fragment as one", () => {
  assert.deepEqual(links('<a href="a.html#x">1</a><a href="a.html#y">2</a><a href="a.html">3</a>'), [
    "https://example.org/docs/a.html",
  ]);
});

test("getURLs() decodes character references in href", () => {
  assert.deepEqual(links('<a href="search.html?q=wal&amp;page=2">x</a><a href="a&#46;html">y</a>'), [
    "https://example.org/docs/search.html?q=wal&page=2",
    "https://example.org/docs/a.html",
  ]);
});

test("getURLs() reads href quoted either way, unquoted, and in any case", () => {
  const html = `<A HREF='a.html'>a</A><a href=b.html>b</a><a  href = "c.html" >c</a><a class="x" Href="d.html" id=y>d</a>`;
  assert.deepEqual(links(html), ["a", "b", "c", "d"].map((name) => `https://example.org/docs/${name}.html`));
});

test("getURLs() ignores links inside comments and scripts", () => {
  const html = '<!-- <a href="comment.html">x</a> --><script>document.write(\'<a href="script.html">y</a>\')</script><a href="real.html">z</a>';
  assert.deepEqual(links(html), ["https://example.org/docs/real.html"]);
});

test("getURLs() follows only http, https and file links", () => {
  const html = ["mailto:someone@example.org", "javascript:alert(1)", "data:text/html,<p>x</p>", "tel:+15555555", "ftp://example.org/f",
    "http://example.org/ok.html"].map((href) => `<a href="${href}">x</a>`).join("");
  assert.deepEqual(links(html), ["http://example.org/ok.html"]);
  assert.deepEqual(links('<a href="b.html">b</a>', "file:///srv/docs/a.html"), ["file:///srv/docs/b.html"]);
});

test("getURLs() resolves links against the page's base element", () => {
  const html = '<head><base href="https://mirror.example.net/pg/15/"></head><body><a href="wal.html">x</a><a href="/top.html">y</a></body>';
  assert.deepEqual(links(html), ["https://mirror.example.net/pg/15/wal.html", "https://mirror.example.net/top.html"]);
});

test("getURLs() returns the href of area elements too", () => {
  const html = '<map name="m"><area shape="rect" coords="0,0,9,9" href="area.html" alt="x"><AREA HREF="../up.html"></map><a href="a.html">a</a>';
  assert.deepEqual(links(html), ["https://example.org/docs/area.html", "https://example.org/up.html", "https://example.org/docs/a.html"]);
});

test("getURLs() resolves links against the first base element only", () => {
  const html = '<base href="https://one.example.net/pg/"><base href="https://two.example.net/"><a href="wal.html">x</a>';
  assert.deepEqual(links(html), ["https://one.example.net/pg/wal.html"]);
});

test("getURLs() skips links that cannot be parsed, without throwing", () => {
  assert.deepEqual(links('<a href="http://[bad">x</a><a href="https://exa mple.org/">y</a><a href="ok.html">z</a>'), [
    "https://example.org/docs/ok.html",
  ]);
});

test("getURLs() trims href and percent-encodes spaces and non-ASCII characters", () => {
  assert.deepEqual(links('<a href=" next.html\n">x</a><a href="my page.html">y</a><a href="café.html">z</a>'), [
    "https://example.org/docs/next.html",
    "https://example.org/docs/my%20page.html",
    "https://example.org/docs/caf%C3%A9.html",
  ]);
});

test("getURLs() ignores the href of elements that are not links", () => {
  const html = '<link rel="stylesheet" href="style.css"><img src="i.png"><a name="anchor">x</a><div href="div.html">y</div>';
  assert.deepEqual(links(html), []);
});

test("getURLs() treats > inside a quoted attribute as part of the value", () => {
  assert.deepEqual(links('<a title="a > b" href="t.html">t</a>'), ["https://example.org/docs/t.html"]);
});

test("getURLs() finds the links of broken and binary pages without throwing", withSeed((random) => {
  assert.deepEqual(links('<a href="ok.html">ok</a><p><a href="cut'), ["https://example.org/docs/ok.html"]);
  const bytes = Uint8Array.from({ length: 1 << 18 }, () => random.int(0, 255));
  assert.ok(Array.isArray(links(new TextDecoder("latin1").decode(bytes))));
  assert.ok(Array.isArray(links(new TextDecoder().decode(bytes))));
}));

test("getURLs() rejects a page URL that is not absolute", () => {
  assert.throws(() => links('<a href="a.html">a</a>', "docs/intro.html"), TypeError);
});

test("getURLs() finds every link of a generated page", withSeed((random) => {
  const targets = ["a.html", "../up.html", "/root.html", "sub/deep.html", "?q=1", "https://other.example.net/x.html", "b.html?x=1&y=2"];
  const parts: string[] = [];
  const expected = new Set<string>();
  for (let i = random.int(20, 80); i > 0; i--) {
    const target = random.pick(targets).replace(".html", `${random.int(0, 9)}.html`);
    const href = random.bool(0.4) ? `${target}#s${random.int(0, 9)}` : target;
    const escaped = href.replaceAll("&", random.bool() ? "&amp;" : "&");
    const quoted = random.pick([`"${escaped}"`, `'${escaped}'`]);
    const before = random.bool(0.3) ? ` class="c${i}"` : "";
    parts.push(`<p>text ${i} <a${before} href=${quoted}${random.bool(0.3) ? " title='t > u'" : ""}>link</a></p>`);
    const url = new URL(href, page);
    url.hash = "";
    expected.add(url.href);
    if (random.bool(0.1)) parts.push(`<!-- <a href="hidden${i}.html"> -->`);
  }
  assert.deepEqual(links(parts.join("\n")), [...expected]);
}));
