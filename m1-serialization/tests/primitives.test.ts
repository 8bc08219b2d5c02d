import assert from "node:assert/strict";
import { test } from "node:test";
import { roundTrip } from "./_round-trip.ts";

test("undefined, null and booleans survive a round trip", () => {
  for (const value of [undefined, null, true, false]) roundTrip(value);
});

test("numbers survive a round trip, including NaN, ±Infinity and -0", () => {
  for (const value of [0, 1, -1, 0.1, 1e308, 5e-324, Number.MAX_SAFE_INTEGER, NaN, Infinity, -Infinity, -0]) {
    assert.ok(Object.is(roundTrip(value), value), `${value} changed`);
  }
});

test("BigInts survive a round trip, however large", () => {
  for (const value of [0n, -1n, 2n ** 64n, -(10n ** 100n)]) assert.equal(roundTrip(value), value);
});

test("strings survive a round trip, including NUL and lone surrogates", () => {
  for (const value of ["", "hello", "tab\tnewline\n", "\u0000", "\ud800", "a\udc00b", "emoji 🚀", '"quoted" \\ back']) {
    assert.equal(roundTrip(value), value);
  }
});

test("registered and well-known symbols survive a round trip", () => {
  assert.equal(roundTrip(Symbol.for("kit")), Symbol.for("kit"));
  assert.equal(roundTrip(Symbol.iterator), Symbol.iterator);
});
