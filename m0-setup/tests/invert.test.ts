import assert from "node:assert/strict";
import { test } from "node:test";
import { m0 } from "./_helpers.ts";

test("invert() counts how often each term occurs", () => {
  const counts = m0.invert(["vacuum", "full", "vacuum", "analyze", "vacuum"]);
  assert.deepEqual(Object.fromEntries(counts), { vacuum: 3, full: 1, analyze: 1 });
});

test("invert() of no terms is empty", () => {
  assert.equal(m0.invert([]).size, 0);
});
