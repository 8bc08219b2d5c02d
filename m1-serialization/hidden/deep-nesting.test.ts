/**
 * "nesting 100,000 levels deep: works both ways (no stack overflow)", for
 * every container kind and for a chain that goes through all of them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { load } from "../../autograder/kit/implementations.ts";
import type * as Api from "../api.ts";
import { assertIsomorphic } from "../../autograder/harness/isomorphic.ts";

const m1 = await load<typeof Api>("m1");

const depth = 100_000;

/** Wraps `innermost` `depth` times with `wrap`. */
function nest(wrap: (inner: unknown, level: number) => unknown, innermost: unknown = "bottom"): unknown {
  let value = innermost;
  for (let level = 0; level < depth; level++) value = wrap(value, level);
  return value;
}

function assertRoundTrip(value: unknown, what: string): void {
  const text = m1.serialize(value);
  assert.equal(typeof text, "string");
  assertIsomorphic(m1.deserialize(text), value, what);
}

test("arrays nested 100,000 levels deep round-trip", () => {
  assertRoundTrip(nest((inner) => [inner]), "arrays");
});

test("objects nested 100,000 levels deep round-trip", () => {
  assertRoundTrip(nest((inner) => ({ next: inner })), "plain objects");
  assertRoundTrip(nest((inner) => Object.assign(Object.create(null), { next: inner })), "null-prototype objects");
});

test("Maps nested 100,000 levels deep round-trip, through values and through keys", () => {
  assertRoundTrip(nest((inner) => new Map([["next", inner]])), "Map values");
  assertRoundTrip(nest((inner) => new Map([[inner, "value"]])), "Map keys");
});

test("Sets nested 100,000 levels deep round-trip", () => {
  assertRoundTrip(nest((inner) => new Set([inner])), "Sets");
});

test("error causes chained 100,000 deep round-trip", () => {
  assertRoundTrip(nest((inner) => {
    const error = new Error("link", { cause: inner });
    Object.defineProperty(error, "stack", { value: "Error: link", writable: true, configurable: true });
    return error;
  }), "error causes");
});

test("a 100,000-level chain through every container kind round-trips, with a cycle back to the top", () => {
  const top: unknown[] = [];
  const chain = nest((inner, level) => {
    switch (level % 7) {
      case 0: return [inner, top];
      case 1: return { inner };
      case 2: return new Map([[1, inner]]);
      case 3: return new Map([[inner, 1]]);
      case 4: return new Set([inner]);
      case 5: return Object.assign(Object.create(null), { inner });
      default: return new AggregateError([inner], "level");
    }
  });
  top.push(chain);
  assertRoundTrip(top, "mixed chain");
});
