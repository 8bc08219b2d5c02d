import assert, { AssertionError } from "node:assert/strict";
import { test } from "node:test";
import { assertIsomorphic } from "../harness/isomorphic.ts";

const rejects = (actual: unknown, expected: unknown, pattern: RegExp) =>
  assert.throws(() => assertIsomorphic(actual, expected), (error: unknown) => error instanceof AssertionError && pattern.test(error.message));

test("equal values of every supported kind are isomorphic", () => {
  const shared = { s: 1 };
  const make = () => {
    const cycle: Record<string, unknown> = { n: 1 };
    cycle.self = cycle;
    return [undefined, null, NaN, -0, 1n, "x", new Date(5), /a/g, new Map([[1, shared]]), new Set([shared]), [1, , 3], new Uint8Array([1]), cycle, Object.create(null), new TypeError("t")];
  };
  const original = make();
  const copy = make();
  (copy[14] as Error).stack = (original[14] as Error).stack;
  (copy[8] as Map<number, unknown>).set(1, (copy[9] as Set<unknown>).values().next().value);
  assertIsomorphic(copy, original);
});

test("a primitive that differs by Object.is is reported with its path", () => {
  rejects({ a: [0] }, { a: [-0] }, /value\["a"\]\["0"\].*expected -0, got 0/);
  rejects(NaN, 1, /expected 1, got NaN/);
});

test("a hole is not an undefined element", () => {
  rejects([undefined], [, ], /keys/);
});

test("two distinct objects may not collapse into one, nor one split into two", () => {
  const shared = {};
  rejects([{}, {}], [shared, shared], /shared references/);
  const one = {};
  rejects([one, one], [{}, {}], /shared references/);
});

test("prototypes, key order, Map order and error classes count", () => {
  rejects({}, Object.create(null), /expected null-prototype object/);
  rejects({ b: 1, a: 2 }, { a: 2, b: 1 }, /keys/);
  rejects(new Map([[2, 0], [1, 0]]), new Map([[1, 0], [2, 0]]), /keys\(\)\[\d\]/);
  const error = new TypeError("m");
  const other = new RangeError("m");
  other.stack = error.stack;
  rejects(other, error, /expected a TypeError, got a RangeError/);
});

test("a function matches by identity or by source", () => {
  const f = (x: number) => x + 1;
  assertIsomorphic(f, f);
  assertIsomorphic(new Function("return (x => x + 1)")(), new Function("return (x => x + 1)")());
  rejects(() => 2, () => 1, /source differs/);
});

test("a structure 100,000 levels deep is compared without overflowing the stack", () => {
  const deep = () => {
    let value: unknown = 0;
    for (let i = 0; i < 100_000; i++) value = [value];
    return value;
  };
  assertIsomorphic(deep(), deep());
});
