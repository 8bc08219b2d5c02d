import assert from "node:assert/strict";
import { test } from "node:test";
import { DecodeError, EncodeError } from "../../autograder/kit/errors.ts";
import { m1 } from "./_round-trip.ts";

test("deserialize throws DecodeError on text that is not a serialization", () => {
  const text = m1.serialize({ list: [1, 2, 3], when: new Date(0) });
  for (const bad of ["", text.slice(0, -1), `${text}}}`]) {
    assert.throws(() => m1.deserialize(bad), DecodeError, `accepted ${JSON.stringify(bad)}`);
  }
});

test("a key named __proto__ stays an own property and changes no prototype", () => {
  const value = JSON.parse('{"__proto__": {"polluted": true}}');
  const copy = m1.deserialize(m1.serialize(value)) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(copy), Object.prototype);
  assert.deepEqual(Object.keys(copy), ["__proto__"]);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test("serialize throws EncodeError on values that cannot travel", () => {
  for (const value of [new WeakMap(), Promise.resolve(1), Symbol("unique"), new (class Point {})()]) {
    assert.throws(() => m1.serialize(value), EncodeError);
  }
});
