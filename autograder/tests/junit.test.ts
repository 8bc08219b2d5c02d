import assert from "node:assert/strict";
import { test } from "node:test";
import { parseJUnit, unescapeXml } from "../grader/junit.ts";

// Shapes as Bun and Deno write them.
const bun = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="bun test" tests="3" failures="1">
  <testsuite name="a.test.ts" file="a.test.ts" tests="3">
    <testcase name="passes &amp; stays" classname="" time="0.001541" file="a.test.ts" line="3" />
    <testcase name="fails" classname="" time="0.25" file="a.test.ts" line="4">
      <failure type="AssertionError" message="one is not two&#10;&#10;1 !== 2">AssertionError: …</failure>
    </testcase>
    <testcase name="skipped one" time="0"><skipped /></testcase>
  </testsuite>
</testsuites>`;

const deno = `<testsuites name="deno test"><testsuite name="./a.test.ts">
        <testcase name="fails" classname="./a.test.ts" time="0.001" line="4" col="1">
            <failure message="Uncaught AssertionError: &quot;x&quot; &lt; 2">AssertionError</failure>
        </testcase>
        <testcase name="passes" classname="./a.test.ts" time="0.303" line="5" col="1">
        </testcase>
</testsuite></testsuites>`;

test("each testcase becomes an outcome with its name, time and pass/fail", () => {
  assert.deepEqual(parseJUnit(bun).map(({ name, passed }) => [name, passed]), [
    ["passes & stays", true],
    ["fails", false],
    ["skipped one", false],
  ]);
  assert.equal(parseJUnit(bun)[1]?.ms, 250);
});

test("a failure's message is kept, unescaped", () => {
  assert.equal(parseJUnit(bun)[1]?.message, "one is not two\n\n1 !== 2");
  assert.equal(parseJUnit(deno)[0]?.message, 'Uncaught AssertionError: "x" < 2');
  assert.equal(parseJUnit(deno)[1]?.passed, true);
});

test("XML references decode to their characters", () => {
  assert.equal(unescapeXml("&lt;a&gt; &amp; &#65;&#x42; &quot;&apos;"), `<a> & AB "'`);
});

test("a missing or empty report gives no outcomes", () => {
  assert.deepEqual(parseJUnit(""), []);
});
