import assert from "node:assert/strict";
import { test } from "node:test";
import { roundTrip } from "./_round-trip.ts";

test("plain objects survive a round trip, keys in order", () => {
  const copy = roundTrip({ b: 1, a: "two", nested: { list: [1, 2, 3], empty: {} } });
  assert.deepEqual(Object.keys(copy), ["b", "a", "nested"]);
});

test("null-prototype objects keep their null prototype", () => {
  const copy = roundTrip(Object.assign(Object.create(null), { key: "value" }));
  assert.equal(Object.getPrototypeOf(copy), null);
});

test("arrays keep their holes and extra properties", () => {
  const array: unknown[] & { label?: string } = [1, , 3];
  array.label = "extra";
  const copy = roundTrip(array);
  assert.equal(1 in copy, false, "the hole became an element");
  assert.equal(copy.label, "extra");
});

test("Map and Set keep their entries in insertion order", () => {
  const map = roundTrip(new Map<unknown, unknown>([["z", 1], [2, "two"], [{ key: true }, [3]]]));
  assert.deepEqual([...map.keys()].slice(0, 2), ["z", 2]);
  roundTrip(new Set([3, 1, "a", undefined]));
});

test("a Date survives a round trip, even an invalid one", () => {
  assert.equal(roundTrip(new Date(Date.UTC(2026, 0, 1))).toISOString(), "2026-01-01T00:00:00.000Z");
  assert.ok(Number.isNaN(roundTrip(new Date(NaN)).getTime()));
});

test("a RegExp keeps its source, flags and lastIndex", () => {
  const regexp = /wor(l)d/gi;
  regexp.lastIndex = 3;
  const copy = roundTrip(regexp);
  assert.equal(copy.lastIndex, 3);
  assert.equal(copy.test("hello WORLD"), true);
});

test("an error keeps its class, message, stack and cause", () => {
  const error = new TypeError("bad input", { cause: new Error("the cause") });
  const copy = roundTrip(error);
  assert.ok(copy instanceof TypeError);
  assert.equal(copy.stack, error.stack);
  assert.equal((copy.cause as Error).message, "the cause");
});

test("typed arrays, ArrayBuffer and Buffer keep their class and bytes", () => {
  roundTrip(new Uint8Array([1, 2, 255]));
  roundTrip(new Float64Array([Math.PI, -0, NaN]));
  roundTrip(new BigInt64Array([-(2n ** 63n)]));
  roundTrip(new Uint8Array([9, 8, 7]).buffer);
  assert.ok(Buffer.isBuffer(roundTrip(Buffer.from("bytes"))));
});
