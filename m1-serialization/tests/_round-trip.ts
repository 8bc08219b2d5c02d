/**
 * Shared by the visible tests: the implementation under test, and a helper
 * that sends a value through it and checks what comes back.
 */
import assert from "node:assert/strict";
import type * as Api from "../api.ts";
import { assertIsomorphic } from "../../autograder/harness/isomorphic.ts";
import { load } from "../../autograder/kit/implementations.ts";

export const m1 = await load<typeof Api>("m1");

/** Serializes and deserializes a value, asserts the copy is the same, and returns it. */
export function roundTrip<T>(value: T): T {
  const text = m1.serialize(value);
  assert.equal(typeof text, "string", "serialize must return a string");
  const copy = m1.deserialize(text) as T;
  assertIsomorphic(copy, value);
  return copy;
}
