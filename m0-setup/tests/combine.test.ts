import assert from "node:assert/strict";
import { test } from "node:test";
import { m0 } from "./_helpers.ts";

test("combine() forms 1-, 2- and 3-grams by default, shortest first", () => {
  assert.deepEqual(m0.combine(["write", "ahead", "log", "file"]), [
    "write", "ahead", "log", "file",
    "write ahead", "ahead log", "log file",
    "write ahead log", "ahead log file",
  ]);
});

test("combine() with n = 1 returns the terms themselves", () => {
  assert.deepEqual(m0.combine(["vacuum", "full"], 1), ["vacuum", "full"]);
});

test("combine() with n = 2 forms 1- and 2-grams", () => {
  assert.deepEqual(m0.combine(["vacuum", "full", "analyze"], 2), ["vacuum", "full", "analyze", "vacuum full", "full analyze"]);
});

test("combine() of no terms is empty", () => {
  assert.deepEqual(m0.combine([]), []);
});
