/**
 * handouts/m1.md#hostile-input: for any string whatsoever, `deserialize`
 * returns a value or throws DecodeError, never another error, never a stack
 * overflow, and in time proportional to the text's length. Each test also
 * checks that real serializations still decode, so rejecting everything fails.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { withSeed } from "../../autograder/harness/seed.ts";
import type { Random } from "../../autograder/harness/random.ts";
import { DecodeError } from "../../autograder/kit/errors.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type * as Api from "../api.ts";
import { assertIsomorphic } from "../../autograder/harness/isomorphic.ts";
import { decodesOrRejects, mutate, pump, randomText, splice } from "./_hostile.ts";
import { randomValue } from "./_values.ts";

const m1 = await load<typeof Api>("m1");

/** Serializes a random value and checks that its text decodes; returns the text. */
function realText(random: Random): string {
  const text = m1.serialize(randomValue(random));
  m1.deserialize(text); // an undamaged serialization must decode
  return text;
}

test("deserialize rejects non-string input with DecodeError", () => {
  const inputs = [42, null, undefined, true, 1n, Symbol.for("s"), {}, [], ["["], new String("x"), () => "", new Uint8Array(2)];
  for (const input of inputs) {
    assert.throws(() => m1.deserialize(input as never), DecodeError, `input of type ${typeof input}`);
  }
  // A text that is a serialization, wrapped as an object, is still not a string.
  const text = m1.serialize("real");
  assert.equal(m1.deserialize(text), "real");
  assert.throws(() => m1.deserialize(new String(text) as never), DecodeError, "a String object");
  assert.throws(() => m1.deserialize({ toString: () => text } as never), DecodeError, "an object with toString");
});

test("every truncation of a serialization decodes to a value or throws DecodeError", withSeed((random) => {
  for (let i = 0; i < 100; i++) {
    const text = realText(random);
    // Every cut for texts up to 3,000 characters, an even sample of cuts beyond.
    const step = Math.max(1, Math.ceil(text.length / 3000));
    for (let end = 0; end < text.length; end += step) {
      decodesOrRejects(m1.deserialize, text.slice(0, end), `value ${i} cut at ${end}`);
    }
  }
}));

test("randomly edited serializations decode to a value or throw DecodeError", withSeed((random) => {
  for (let i = 0; i < 500; i++) {
    const text = realText(random);
    for (let j = 0; j < 20; j++) {
      let damaged = mutate(random, text);
      for (let more = random.int(0, 3); more > 0; more--) damaged = mutate(random, damaged);
      decodesOrRejects(m1.deserialize, damaged, `value ${i}, edit ${j}`);
    }
  }
}));

test("spliced serializations decode to a value or throw DecodeError", withSeed((random) => {
  const texts = Array.from({ length: 100 }, () => realText(random));
  for (let i = 0; i < 3000; i++) {
    const spliced = splice(random, random.pick(texts), random.pick(texts));
    decodesOrRejects(m1.deserialize, spliced, `splice ${i}`);
    // The pieces of two texts concatenated whole, and a text doubled.
    const a = random.pick(texts);
    decodesOrRejects(m1.deserialize, a + random.pick(texts), `concatenation ${i}`);
    decodesOrRejects(m1.deserialize, a + a, `doubled text ${i}`);
  }
}));

test("random strings decode to a value or throw DecodeError", withSeed((random) => {
  realText(random);
  for (let i = 0; i < 5000; i++) decodesOrRejects(m1.deserialize, randomText(random), `random text ${i}`);
  for (const text of ["", " ", "\0", "\ud800", "null", "undefined", "{}", "[]", '"', "\\", "__proto__", "-0", "1e999"]) {
    decodesOrRejects(m1.deserialize, text, "a short text");
  }
}));

test("deeply nested hostile text never overflows the stack", () => {
  const million = 1_000_000;
  const texts = [
    "[".repeat(million),
    "{".repeat(million),
    "[".repeat(million) + "]".repeat(million),
    '{"a":'.repeat(million / 5) + "1" + "}".repeat(million / 5),
    '["'.repeat(million / 2),
  ];
  // Every character that opens a real deep serialization, repeated a million times.
  let deep: unknown = 0;
  for (let i = 0; i < 1000; i++) deep = [{ a: new Map([[0, new Set([deep])]]) }];
  const text = m1.serialize(deep);
  assertIsomorphic(m1.deserialize(text), deep);
  for (const char of new Set(text.slice(0, 40))) texts.push(char.repeat(million));
  for (const hostile of texts) decodesOrRejects(m1.deserialize, hostile, "a deep text");
});

test("pumped and edited serializations of 100,000-deep values decode to a value or throw DecodeError", withSeed((random) => {
  const kinds: Array<[string, (inner: unknown) => unknown]> = [
    ["array", (inner) => [inner]],
    ["object", (inner) => ({ inner })],
    ["Map", (inner) => new Map([[inner, inner]])],
    ["Set", (inner) => new Set([inner])],
    ["error", (inner) => Object.defineProperty(new Error("e", { cause: inner }), "stack", { value: "Error: e" })],
  ];
  for (const [kind, wrap] of kinds) {
    const serializeAt = (depth: number) => {
      let value: unknown = "core";
      for (let i = 0; i < depth; i++) value = wrap(value);
      return m1.serialize(value);
    };
    // What one more level adds, repeated up to 100,000 times (a text of at most about 2 MB).
    const [shallow, deeper] = [serializeAt(3), serializeAt(4)];
    const times = Math.min(100_000, Math.floor(2e6 / Math.max(1, deeper.length - shallow.length)));
    const pumped = pump(shallow, deeper, times);
    decodesOrRejects(m1.deserialize, pumped, `${kind} pumped`);
    for (let j = 0; j < 3; j++) decodesOrRejects(m1.deserialize, mutate(random, pumped), `${kind} pumped and edited`);
    if (kind === "error") continue; // 100,000 errors are slow to make; deep-nesting.test.ts has them
    const deep = serializeAt(100_000);
    decodesOrRejects(m1.deserialize, deep.slice(0, deep.length >> 1), `${kind} cut in half`);
    for (let j = 0; j < 3; j++) decodesOrRejects(m1.deserialize, mutate(random, deep), `${kind} edited`);
  }
}));
