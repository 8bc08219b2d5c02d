import assert from "node:assert/strict";
import { test } from "node:test";
import { assertLinearGrowth } from "../harness/growth.ts";

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
