/**
 * Differential tests: the implementation against the reference, on random
 * values with values that cannot travel mixed in. The two may use different
 * text formats; what must agree is which values are refused and what comes
 * back.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { withSeed } from "../../autograder/harness/seed.ts";
import { EncodeError } from "../../autograder/kit/errors.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type * as Api from "../api.ts";
import { assertIsomorphic } from "../../autograder/harness/isomorphic.ts";
import { freshFunction, functionSamples, type FunctionSample } from "./_functions.ts";
import { randomValue, unsupportedMakers } from "./_values.ts";

const m1 = await load<typeof Api>("m1");
const reference = await load<typeof Api>("m1", "reference");

type Outcome = { text: string } | { refused: EncodeError };

/** What `serialize` does with a value: a text, or EncodeError; anything else fails the test. */
function encode(api: typeof Api, value: unknown, who: string): Outcome {
  try {
    const text = api.serialize(value);
    assert.equal(typeof text, "string", `${who}: serialize must return a string`);
    return { text };
  } catch (error) {
    if (error instanceof EncodeError) return { refused: error };
    throw error;
  }
}

test("serialize throws EncodeError exactly when the reference does", withSeed((random) => {
  let refused = 0;
  for (let i = 0; i < 1000; i++) {
    const value = randomValue(random, { unsupported: random.pick([0.02, 0.1]) });
    const expected = encode(reference, value, "reference");
    const actual = encode(m1, value, "implementation");
    assert.equal("refused" in actual, "refused" in expected,
      `value ${i}: the reference ${"refused" in expected ? `refused it (${expected.refused.message})` : "serialized it"}`);
    if ("refused" in expected) refused++;
  }
  assert.ok(refused > 100, "the generator must produce values that cannot travel");
}));

test("where both serialize, both round trips give the original value", withSeed((random) => {
  let compared = 0;
  for (let i = 0; i < 1000; i++) {
    const value = randomValue(random, { unsupported: 0.01 });
    const expected = encode(reference, value, "reference");
    const actual = encode(m1, value, "implementation");
    if (!("text" in expected) || !("text" in actual)) continue;
    assertIsomorphic(reference.deserialize(expected.text), value, `value ${i}, reference`);
    assertIsomorphic(m1.deserialize(actual.text), value, `value ${i}, implementation`);
    compared++;
  }
  assert.ok(compared > 500, `only ${compared} values were serialized by both`);
}));

test("EncodeError is thrown wherever an unsupported value is nested", withSeed((random) => {
  for (const [name, make] of unsupportedMakers) {
    for (let i = 0; i < 64; i++) {
      // A random value with the unsupported one put in one random place.
      const value = randomValue(random, { size: random.int(1, 12) });
      const bad = make();
      const holder = random.pick([
        () => [value, bad],
        () => ({ ok: value, bad }),
        () => new Map([[value, bad]]),
        () => new Map([[bad, value]]),
        () => new Set([value, bad]),
        () => new Error("wrapper", { cause: bad }),
        () => new AggregateError([value, bad]),
        () => Object.assign(Object.create(null), { deep: [[{ bad }]] }),
      ])();
      assert.throws(() => m1.serialize(holder), EncodeError, `${name} nested in a value must be refused`);
    }
  }
}));

test("re-created functions return what the reference's copies return", withSeed(async (random) => {
  for (let i = 0; i < 500; i++) {
    // Functions of every form, each also hidden somewhere in a random value.
    const samples: FunctionSample[] = random.shuffle([...functionSamples, freshFunction()]).slice(0, random.int(1, 8));
    const value = { functions: samples.map((sample) => sample.fn), around: randomValue(random, { size: 10 }) };
    const copy = m1.deserialize(m1.serialize(value)) as typeof value;
    const expected = reference.deserialize(reference.serialize(value)) as typeof value;
    for (const [j, sample] of samples.entries()) {
      const fn = copy.functions[j] as Function;
      assert.equal(typeof fn, "function", `${sample.form}: a function must come back as a function`);
      assert.ok(fn !== sample.fn, `${sample.form}: a function must be re-created, not the original`);
      assert.deepEqual(await sample.call(fn), await sample.call(expected.functions[j] as Function), sample.form);
    }
    assertIsomorphic(copy, value, `value ${i}`);
  }
}));
