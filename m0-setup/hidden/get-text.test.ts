import assert from "node:assert/strict";
import { test } from "node:test";
import { withSeed } from "../../autograder/harness/seed.ts";
import type { Random } from "../../autograder/harness/random.ts";
import { assertLinearGrowth } from "../../autograder/harness/growth.ts";
import { m0, words } from "../tests/_helpers.ts";

test("getText() joins the text on each side of an inline tag", () => {
  assert.deepEqual(words(m0.getText("<p>Postgre<b>SQL</b> and <code>pg_</code>dump, <em>re</em><i>index</i></p>")), [
    "PostgreSQL", "and", "pg_dump,", "reindex",
  ]);
});

test("getText() separates the text on each side of a block tag or line break", () => {
  const html = "<ul><li>one</li><li>two</li></ul><table><tr><td>three</td><td>four</td></tr></table>five<br/>six<h2>seven</h2>eight";
  assert.deepEqual(words(m0.getText(html)), ["one", "two", "three", "four", "five", "six", "seven", "eight"]);
});

test("getText() decodes each character reference once", () => {
  assert.equal(m0.getText("&amp;lt; &amp;amp; &amp;#60;"), "&lt; &amp; &#60;");
});

test("getText() keeps escaped markup as text", () => {
  assert.equal(m0.getText("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"), "<script>alert(1)</script>");
});

test("getText() decodes named, decimal and hexadecimal references", () => {
  assert.equal(m0.getText("&eacute;&Eacute;&nbsp;&mdash;&hellip;&copy;&euro;&alpha;&#65;&#x42;&#X43;&#233"), "éÉ\u00a0—…©€αABCé");
});

test("getText() decodes the named references the handout lists, and only with their ;", () => {
  assert.equal(
    m0.getText("&amp;&lt;&gt;&quot;&apos; &iexcl;&copy;&szlig;&times;&divide;&yuml; &Alpha;&alpha;&Omega;&omega; " +
      "&ndash;&mdash;&lsquo;&rsquo;&ldquo;&rdquo;&hellip;&bull;&trade;&euro;"),
    "&<>\"' ¡©ß×÷ÿ ΑαΩω –—‘’“”…•™€",
  );
  assert.equal(m0.getText("&copy 2024, caf&eacute au lait, AT&amp T, &ltp&gt;"), "&copy 2024, caf&eacute au lait, AT&amp T, &ltp>");
});

test("getText() turns a numeric reference to no character into U+FFFD", () => {
  assert.equal(m0.getText("a&#0;b&#xD800;c&#x110000;d&#99999999999999999999;e"), "a\uFFFDb\uFFFDc\uFFFDd\uFFFDe");
});

test("getText() leaves unknown references and lone ampersands alone", () => {
  assert.equal(m0.getText("AT&T &bogus; a & b &; &#; &#x;"), "AT&T &bogus; a & b &; &#; &#x;");
});

test("getText() drops scripts and styles whatever their case and attributes", () => {
  const html = '<SCRIPT type="text/javascript">if (a < b && c > d) { x = "<p>no</p>"; }</SCRIPT>one' +
    '<style media="print">p > em { color: red }</style>two<Script src="x.js"></Script >three';
  assert.deepEqual(words(m0.getText(html)), ["one", "two", "three"]);
});

test("getText() treats a < that starts no tag as text", () => {
  assert.deepEqual(words(m0.getText("<p>1 < 2 and 3 > 2, a <= b, <3</p>")), ["1", "<", "2", "and", "3", ">", "2,", "a", "<=", "b,", "<3"]);
});

test("getText() drops doctypes, processing instructions and comments holding markup", () => {
  const html = '<?xml version="1.0"?><!DOCTYPE html><!-- <p>not</p> a > b --><p>text</p><!---->more';
  assert.deepEqual(words(m0.getText(html)), ["text", "more"]);
});

test("getText() ignores > inside quoted attribute values", () => {
  assert.deepEqual(words(m0.getText(`<a title="x > y" href='z>w'>link</a> <img alt="a>b">after`)), ["link", "after"]);
});

test("getText() keeps the text before broken markup at the end of a page", () => {
  assert.deepEqual(words(m0.getText("text <!-- never closed <p>hidden")), ["text"]);
  assert.deepEqual(words(m0.getText("text <script>never closed")), ["text"]);
  assert.deepEqual(words(m0.getText('text <p class="never closed>hidden')), ["text"]);
  assert.deepEqual(words(m0.getText("</div></p>stray<p>unclosed<p>paragraphs")), ["stray", "unclosed", "paragraphs"]);
});

test("getText() returns a string for binary input, without throwing", withSeed((random) => {
  const bytes = Uint8Array.from({ length: 1 << 20 }, () => random.int(0, 255));
  for (const html of [new TextDecoder("latin1").decode(bytes), new TextDecoder().decode(bytes), "\0".repeat(1000)]) {
    assert.equal(typeof m0.getText(html), "string");
  }
}));

test("getText() handles a 10 MB page", () => {
  const html = `<html><body>${"<p>lorem <b>ipsum</b> dolor</p>\n".repeat(300_000)}</body></html>`;
  const found = words(m0.getText(html));
  assert.equal(found.length, 900_000);
  assert.deepEqual(found.slice(-3), ["lorem", "ipsum", "dolor"]);
});

test("getText() takes linear time on pathological markup", () => {
  const shapes: Array<[string, number]> = [["<", 1], ["<a ", 1], ["x=1 ", 1], ["<!--", 1], ['<a href="', 1], ["&#", 1], ["<script></script>", 8]];
  for (const [piece, per] of shapes) {
    const html = (size: number) => (piece === "x=1 " ? `<a ${piece.repeat(size)}` : piece.repeat(Math.ceil(size / per)));
    assertLinearGrowth(`getText on ${JSON.stringify(piece)} repeated`, (size) => {
      const text = html(size);
      return () => m0.getText(text);
    }, 200_000);
  }
});

test("getText() returns the words of a generated page", withSeed((random) => {
  const { html, expected } = generatePage(random);
  assert.deepEqual(words(m0.getText(html)), expected);
}));

/** A random page and the words its text must have. */
function generatePage(random: Random): { html: string; expected: string[] } {
  const blocks = ["p", "div", "li", "h2", "td", "section", "pre", "blockquote"];
  const inlines = ["b", "i", "em", "code", "span", "strong", "a"];
  const escapes: Array<[string, string]> = [["&amp;", "&"], ["&lt;", "<"], ["&gt;", ">"], ["&eacute;", "é"], ["&#246;", "ö"], ["&#x263A;", "☺"]];
  const word = () => Array.from({ length: random.int(2, 8) }, () => String.fromCharCode(random.int(97, 122))).join("");
  const parts: string[] = [];
  const expected: string[] = [];
  for (let b = random.int(20, 60); b > 0; b--) {
    const block = random.pick(blocks);
    parts.push(`<${block}${random.bool(0.3) ? ` class="c${random.int(1, 9)}"` : ""}>`);
    for (let w = random.int(1, 12); w > 0; w--) {
      let html = word();
      let text = html;
      if (random.bool(0.2)) {
        const tag = random.pick(inlines);
        const tail = word();
        html += `<${tag}>${tail}</${tag}>`; // an inline tag inside a word
        text += tail;
      }
      if (random.bool(0.15)) {
        const [escape, character] = random.pick(escapes);
        html += escape;
        text += character;
      }
      parts.push(html, random.pick([" ", "\n", "  ", "\t", " \r\n"]));
      expected.push(text);
    }
    parts.push(`</${block}>`);
    if (random.bool(0.2)) parts.push(`<script>var ${word()} = "<p>${word()}</p>";</script>`);
    if (random.bool(0.2)) parts.push(`<style>.${word()} { color: red }</style>`);
    if (random.bool(0.2)) parts.push(`<!-- ${word()} <b>${word()}</b> -->`);
  }
  return { html: `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${parts.join("")}</body></html>`, expected };
}
