import assert from "node:assert/strict";
import { test } from "node:test";
import { assertConstantCost, assertLinearGrowth } from "../harness/growth.ts";

/** Sums 0 … n − 1 with `passes` passes over them: linear for a fixed count, quadratic for passes = n. */
const summing = (passes: (size: number) => number) => (size: number) => () => {
  let total = 0;
  for (let pass = passes(size); pass > 0; pass--) for (let i = 0; i < size; i++) total += i;
  return total;
};

test("assertLinearGrowth accepts linear work and names the step where quadratic work grows a hundredfold", () => {
  assertLinearGrowth("a linear sum", summing(() => 1), 30_000_000);
  assert.throws(() => assertLinearGrowth("a quadratic sum", summing((size) => size), 20_000), /a quadratic sum: size 20000 took \d+ times as long as size 2000 .*not linear/);
});

/** Adds 1,000 numbers to a list of `size`, one by one, each with an await: by push, or by copying the list each time. */
const adding = (copy: boolean) => async (size: number) => {
  let list = Array.from({ length: size }, (_, i) => i);
  return async () => {
    for (let i = 0; i < 1_000; i++) {
      list = copy ? [...list, i] : (list.push(i), list);
      await null;
    }
  };
};

test("assertConstantCost accepts work that does not grow with its input and names the size where copying work grows", async () => {
  await assertConstantCost("pushes", adding(false), [10, 100, 10_000]);
  await assert.rejects(assertConstantCost("copies", adding(true), [10, 100, 10_000]), /copies: size \d+ took \d+ times as long as size 10 .*its cost grows with the size/);
});
