/**
 * The cases of the differential tests (differential.test.ts), made the same
 * way in the test and in its oracle (_differential-oracle.ts), which runs
 * them through the reference in a process of its own: each test's values
 * come from a generator seeded with the run's seed and the test's name.
 */
import { Random } from "../../autograder/harness/random.ts";
import { EncodeError } from "../../autograder/kit/errors.ts";
import type * as Api from "../api.ts";
import { freshFunction, type FunctionSample, functionSamples } from "./_functions.ts";
import { randomValue } from "./_values.ts";

export const names = {
  refusals: "serialize throws EncodeError exactly when the reference does",
  roundTrips: "where both serialize, both round trips give the original value",
  functions: "re-created functions return what the reference's copies return",
} as const;

/** What the reference did with each case. */
export interface Expected {
  /** Per value of the refusal test: the reference's EncodeError message, or null where it serialized the value. */
  refusals: Array<string | null>;
  /** Per value of the round-trip test: whether the reference serialized it. */
  roundTrips: boolean[];
  /** Per case of the function test: what each re-created function returned, as JSON. */
  functions: string[][];
}

/** A random generator for one test, as `withSeed` makes it. */
export function randomFor(seed: number, test: string): Random {
  return Random.from(seed, test);
}

export function* refusalCases(random: Random): Generator<unknown> {
  for (let i = 0; i < 1000; i++) yield randomValue(random, { unsupported: random.pick([0.02, 0.1]) });
}

export function* roundTripCases(random: Random): Generator<unknown> {
  for (let i = 0; i < 1000; i++) yield randomValue(random, { unsupported: 0.01 });
}

/** Functions of every form, each also hidden somewhere in a random value. */
export function* functionCases(random: Random): Generator<{ samples: FunctionSample[]; value: { functions: Function[]; around: unknown } }> {
  for (let i = 0; i < 500; i++) {
    const samples = random.shuffle([...functionSamples, freshFunction()]).slice(0, random.int(1, 8));
    yield { samples, value: { functions: samples.map((sample) => sample.fn), around: randomValue(random, { size: 10 }) } };
  }
}

/** The EncodeError message `serialize` throws, or null when it returns a text. */
export function refusal(api: typeof Api, value: unknown): string | null {
  try {
    api.serialize(value);
    return null;
  } catch (error) {
    if (error instanceof EncodeError) return error.message;
    throw error;
  }
}

/** What a function sample's call gives, as JSON text (for comparing across processes). */
export async function callResult(sample: FunctionSample, fn: Function): Promise<string> {
  return JSON.stringify((await sample.call(fn)) ?? null);
}
