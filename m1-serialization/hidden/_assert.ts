/**
 * Identity checks for the hidden tests that keep the values out of the
 * failure: node:test sends a failed assertion's `actual` and `expected` from
 * the test process to the reporter, and values that hold functions or an
 * error that is its own cause cannot make that trip (the whole file would be
 * reported as one failure). `assertIsomorphic` already fails with a message only.
 */
import assert from "node:assert/strict";

/** Fails unless `actual` and `expected` are the same object. */
export function assertIdentical(actual: unknown, expected: unknown, message: string): void {
  assert.ok(actual === expected, message);
}
