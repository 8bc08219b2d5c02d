import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot } from "../../autograder/kit/milestones.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import { m0 } from "./_helpers.ts";

/** Checks stems, reporting every word that differs. */
function assertStems(expected: Record<string, string>): void {
  const actual = Object.fromEntries(Object.keys(expected).map((word) => [word, m0.stem(word)]));
  assert.deepEqual(actual, expected);
}

test("stem() removes plural endings (step 1a)", () => {
  assertStems({ caresses: "caress", ponies: "poni", ties: "ti", caress: "caress", cats: "cat" });
});

test("stem() removes -ed and -ing and tidies what is left (step 1b)", () => {
  assertStems({
    feed: "feed", agreed: "agre", plastered: "plaster", bled: "bled", motoring: "motor", sing: "sing",
    conflated: "conflat", troubled: "troubl", sized: "size", hopping: "hop", falling: "fall",
    hissing: "hiss", fizzed: "fizz", failing: "fail", filing: "file",
  });
});

test("stem() turns a final y into i when the stem has a vowel (step 1c)", () => {
  assertStems({ happy: "happi", sky: "sky" });
});

test("stem() reduces double suffixes (steps 2 and 3)", () => {
  assertStems({
    relational: "relat", conditional: "condit", rational: "ration", digitizer: "digit",
    operator: "oper", feudalism: "feudal", hopefulness: "hope", formaliti: "formal",
    triplicate: "triplic", formalize: "formal", electrical: "electr", goodness: "good",
  });
});

test("stem() removes suffixes from long stems (steps 4 and 5)", () => {
  assertStems({
    revival: "reviv", allowance: "allow", airliner: "airlin", adjustable: "adjust", replacement: "replac",
    adoption: "adopt", communism: "commun", effective: "effect", probate: "probat", rate: "rate",
    controll: "control", roll: "roll",
  });
});

test("stem() leaves words of one or two letters as they are", () => {
  assertStems({ a: "a", is: "is", as: "as", ys: "ys" });
});

test("stem() matches a random sample of Porter's word and stem pairs", withSeed((random) => {
  // Martin Porter's 23,531 test pairs, from the npm package porter-stemmer.
  const folder = join(repoRoot, "node_modules", "porter-stemmer", "test");
  const words = readFileSync(join(folder, "input.txt"), "utf8").split("\n");
  const stems = readFileSync(join(folder, "output.txt"), "utf8").split("\n");
  const sample = Array.from({ length: 500 }, () => random.int(0, words.length - 1)).filter((i) => words[i] !== "");
  assertStems(Object.fromEntries(sample.map((i) => [words[i] as string, stems[i] as string])));
}));
