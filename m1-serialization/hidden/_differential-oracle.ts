/**
 * The oracle of differential.test.ts: runs its cases through the reference,
 * in a process of its own (harness/oracle.ts), and answers what it did.
 */
import { answerOracle } from "../../autograder/harness/oracle.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type * as Api from "../api.ts";
import { callResult, type Expected, functionCases, names, randomFor, refusal, refusalCases, roundTripCases } from "./_differential.ts";

await answerOracle<{ seed: number }, Expected>(async ({ seed }) => {
  const reference = await load<typeof Api>("m1", "reference");
  const refusals = [...refusalCases(randomFor(seed, names.refusals))].map((value) => refusal(reference, value));
  const roundTrips = [...roundTripCases(randomFor(seed, names.roundTrips))].map((value) => refusal(reference, value) === null);
  const functions: string[][] = [];
  for (const { samples, value } of functionCases(randomFor(seed, names.functions))) {
    const copy = reference.deserialize(reference.serialize(value)) as typeof value;
    functions.push(await Promise.all(samples.map((sample, j) => callResult(sample, copy.functions[j] as Function))));
  }
  return { refusals, roundTrips, functions };
});
