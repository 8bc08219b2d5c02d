/**
 * Assertions for the hidden tests that keep the values out of the failure.
 *
 * node:test sends a failed assertion's `actual` and `expected` from the test
 * process to the reporter; values that hold functions or an error that is its
 * own cause cannot make that trip, and the whole file is then reported as one
 * failure. So failures here carry a message only.
 */
import assert, { AssertionError } from "node:assert/strict";
import { assertIsomorphic } from "../../autograder/harness/isomorphic.ts";

/** `assertIsomorphic(actual, expected)`, failing with its message only. */
export function assertSame(actual: unknown, expected: unknown, message?: string): void {
  try {
    assertIsomorphic(actual, expected, message);
  } catch (error) {
    if (error instanceof AssertionError) throw new AssertionError({ message: error.message });
    throw error;
  }
}

/** Fails unless `actual` and `expected` are the same object. */
export function assertIdentical(actual: unknown, expected: unknown, message: string): void {
  assert.ok(actual === expected, message);
}
