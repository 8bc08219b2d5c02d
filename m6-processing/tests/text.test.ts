import assert from "node:assert/strict";
import { test } from "node:test";
import { m6 } from "./_engine.ts";

test("pageTitle, snippetOf and finalScore give what api.ts's examples say", () => {
  assert.equal(m6.pageTitle("<title> Fish &amp;\n chips </title>", "http://a/"), "Fish & chips");
  assert.equal(m6.pageTitle("<p>no title</p>", "http://a/b.html"), "http://a/b.html");
  assert.equal(m6.snippetOf("The Vacuum command reclaims storage.", ["vacuum"]), "[Vacuum] command reclaims storage");
  assert.equal(m6.finalScore(2.5, 0.01, 100, 1), 2.5 + Math.LN2);
  assert.equal(m6.finalScore(2.5, 0.01, 100, 0), 2.5);
});
