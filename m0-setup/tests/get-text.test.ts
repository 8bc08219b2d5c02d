import assert from "node:assert/strict";
import { test } from "node:test";
import { m0, words } from "./_helpers.ts";

test("getText() keeps the text and drops the tags", () => {
  const html = '<html><head><title>VACUUM</title></head><body><h1 class="title">VACUUM</h1>' +
    "<p>garbage-collect and optionally analyze a database</p></body></html>";
  assert.deepEqual(words(m0.getText(html)), ["VACUUM", "VACUUM", "garbage-collect", "and", "optionally", "analyze", "a", "database"]);
});

test("getText() separates the text of different paragraphs", () => {
  assert.deepEqual(words(m0.getText("<p>one</p><p>two</p><div>three<br>four</div>")), ["one", "two", "three", "four"]);
});

test("getText() drops scripts and styles", () => {
  const html = "<style>p { color: red }</style><p>visible</p><script>var hidden = 1;</script>";
  assert.deepEqual(words(m0.getText(html)), ["visible"]);
});

test("getText() drops comments", () => {
  assert.deepEqual(words(m0.getText("<p>kept <!-- dropped --> too</p>")), ["kept", "too"]);
});

test("getText() decodes character references", () => {
  assert.equal(m0.getText("<p>Fish &amp; chips &lt;3 &quot;caf&eacute;&quot; &#169; &#x263A;</p>"), 'Fish & chips <3 "café" © ☺');
});

test("getText() of an empty page is empty", () => {
  assert.deepEqual(words(m0.getText("")), []);
});
