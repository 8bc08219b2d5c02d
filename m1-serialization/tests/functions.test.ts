import assert from "node:assert/strict";
import { readFile } from "node:fs";
import { test } from "node:test";
import { m1, roundTrip } from "./_round-trip.ts";

test("a function is re-created from its source and can be called", () => {
  const add = roundTrip((a: number, b: number) => a + b);
  assert.equal(add(2, 3), 5);
  const greet = roundTrip(function greet(name: string) {
    return `hello ${name}`;
  });
  assert.equal(greet("kit"), "hello kit");
});

test("a method is re-created from its source", () => {
  const double = roundTrip({ double(x: number) { return x * 2; } }.double);
  assert.equal(double(21), 42);
});

test("a captured variable does not travel with its function", () => {
  let base = 10;
  const addBase = (x: number) => x + base;
  base = 20;
  const copy = m1.deserialize(m1.serialize(addBase)) as typeof addBase;
  assert.throws(() => copy(1), ReferenceError);
});

test("built-in functions come back as the identical function", () => {
  for (const builtIn of [console.log, Math.max, JSON.parse, readFile]) {
    assert.equal(m1.deserialize(m1.serialize(builtIn)), builtIn);
  }
});
