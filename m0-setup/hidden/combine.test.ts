import assert from "node:assert/strict";
import { test } from "node:test";
import { withSeed } from "../../autograder/harness/seed.ts";
import { m0 } from "../tests/_helpers.ts";

test("combine() includes the last n-gram of every size", () => {
  assert.deepEqual(m0.combine(["a1", "b2", "c3"]), ["a1", "b2", "c3", "a1 b2", "b2 c3", "a1 b2 c3"]);
});

test("combine() of fewer terms than n stops at the longest n-gram that fits", () => {
  assert.deepEqual(m0.combine(["vacuum", "full"]), ["vacuum", "full", "vacuum full"]);
  assert.deepEqual(m0.combine(["vacuum"], 3), ["vacuum"]);
});

test("combine() keeps repeated n-grams", () => {
  assert.deepEqual(m0.combine(["no", "no", "no"]), ["no", "no", "no", "no no", "no no", "no no no"]);
});

test("combine() forms longer n-grams when n is larger than 3", () => {
  assert.deepEqual(m0.combine(["a", "b", "c", "d"], 5), ["a", "b", "c", "d", "a b", "b c", "c d", "a b c", "b c d", "a b c d"]);
});

test("combine() never joins the terms of two separate calls", () => {
  m0.combine(["end", "of", "first"]);
  assert.deepEqual(m0.combine(["second", "document"]), ["second", "document", "second document"]);
});

test("combine() rejects an n that is not a positive integer", () => {
  for (const n of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => m0.combine(["a", "b"], n), RangeError, `n = ${n}`);
  }
});

test("combine() leaves its input as it was", () => {
  const terms = Object.freeze(["write", "ahead", "log"]);
  m0.combine(terms);
  assert.deepEqual(terms, ["write", "ahead", "log"]);
});

test("combine() forms L − k + 1 k-grams of L terms, in order", withSeed((random) => {
  for (let round = 0; round < 50; round++) {
    const terms = Array.from({ length: random.int(0, 30) }, () => `t${random.int(0, 9)}`);
    const n = random.int(1, 6);
    const expected: string[] = [];
    for (let k = 1; k <= n; k++) {
      for (let i = 0; i + k <= terms.length; i++) expected.push(terms.slice(i, i + k).join(" "));
    }
    assert.deepEqual(m0.combine(terms, n), expected, `terms ${JSON.stringify(terms)}, n = ${n}`);
  }
}));
