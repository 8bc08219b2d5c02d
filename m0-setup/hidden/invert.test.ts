import assert from "node:assert/strict";
import { test } from "node:test";
import { withSeed } from "../../autograder/harness/seed.ts";
import { m0 } from "../tests/_helpers.ts";

test("invert() counts terms named like properties of Object.prototype", () => {
  const counts = m0.invert(["constructor", "__proto__", "toString", "hasOwnProperty", "constructor", "valueOf"]);
  assert.deepEqual([...counts], [["constructor", 2], ["__proto__", 1], ["toString", 1], ["hasOwnProperty", 1], ["valueOf", 1]]);
});

test("invert() lists terms in the order of their first occurrence", () => {
  assert.deepEqual([...m0.invert(["c", "a", "c", "b", "a"]).keys()], ["c", "a", "b"]);
});

test("invert() counts n-grams as terms of their own", () => {
  assert.deepEqual([...m0.invert(["write ahead", "write", "write ahead"])], [["write ahead", 2], ["write", 1]]);
});

test("invert() leaves its input as it was", () => {
  const terms = Object.freeze(["a", "b", "a"]);
  m0.invert(terms);
  assert.deepEqual(terms, ["a", "b", "a"]);
});

test("invert() counts add up to the number of terms", withSeed((random) => {
  const terms = Array.from({ length: random.int(1000, 5000) }, () => `w${Math.floor(random.next() ** 3 * 200)}`);
  const counts = m0.invert(terms);
  let total = 0;
  for (const [term, count] of counts) {
    assert.equal(count, terms.filter((t) => t === term).length, term);
    total += count;
  }
  assert.equal(total, terms.length);
}));
