/**
 * Differential tests: the implementation against the reference, on random
 * values with values that cannot travel mixed in. The two may use different
 * text formats; what must agree is which values are refused and what comes
 * back. What the reference does comes from an oracle, run in a process of its
 * own before the implementation loads (harness/oracle.ts).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { askOracle } from "../../autograder/harness/oracle.ts";
import { runSeed, withSeed } from "../../autograder/harness/seed.ts";
import { EncodeError } from "../../autograder/kit/errors.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type * as Api from "../api.ts";
import { assertIsomorphic } from "../../autograder/harness/isomorphic.ts";
import { callResult, type Expected, functionCases, names, refusal, refusalCases, roundTripCases } from "./_differential.ts";
import { randomValue, unsupportedMakers } from "./_values.ts";

const expected = await askOracle<Expected>(new URL("./_differential-oracle.ts", import.meta.url), { seed: runSeed });
const m1 = await load<typeof Api>("m1");

/** `serialize`'s refusal message or null; anything but a string or EncodeError fails the test. */
function refusalOf(value: unknown): string | null {
  const outcome = refusal(m1, value);
  if (outcome === null) assert.equal(typeof m1.serialize(value), "string", "serialize must return a string");
  return outcome;
}

test(names.refusals, withSeed((random) => {
  let i = 0;
  for (const value of refusalCases(random)) {
    const reference = expected.refusals[i] as string | null;
    assert.equal(refusalOf(value) !== null, reference !== null,
      `value ${i}: the reference ${reference !== null ? `refused it (${reference})` : "serialized it"}`);
    i++;
  }
  assert.ok(expected.refusals.filter((message) => message !== null).length > 100, "the generator must produce values that cannot travel");
}));

test(names.roundTrips, withSeed((random) => {
  let compared = 0;
  let i = 0;
  for (const value of roundTripCases(random)) {
    if (expected.roundTrips[i++] && refusalOf(value) === null) {
      assertIsomorphic(m1.deserialize(m1.serialize(value)), value, `value ${i - 1}, implementation`);
      compared++;
    }
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

test(names.functions, withSeed(async (random) => {
  let i = 0;
  for (const { samples, value } of functionCases(random)) {
    const copy = m1.deserialize(m1.serialize(value)) as typeof value;
    for (const [j, sample] of samples.entries()) {
      const fn = copy.functions[j] as Function;
      assert.equal(typeof fn, "function", `${sample.form}: a function must come back as a function`);
      assert.ok(fn !== sample.fn, `${sample.form}: a function must be re-created, not the original`);
      assert.equal(await callResult(sample, fn), expected.functions[i]?.[j], sample.form);
    }
    assertIsomorphic(copy, value, `value ${i}`);
    i++;
  }
}));
