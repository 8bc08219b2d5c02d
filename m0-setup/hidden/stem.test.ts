import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { assertLinearGrowth } from "../../autograder/harness/growth.ts";
import { repoRoot } from "../../autograder/kit/milestones.ts";
import { m0 } from "../tests/_helpers.ts";

test("stem() matches all 23,531 of Porter's word and stem pairs", () => {
  // Martin Porter's test vocabulary and its stems, from the npm package porter-stemmer.
  const folder = join(repoRoot, "node_modules", "porter-stemmer", "test");
  const words = readFileSync(join(folder, "input.txt"), "utf8").split("\n");
  const stems = readFileSync(join(folder, "output.txt"), "utf8").split("\n");
  const wrong: string[] = [];
  let checked = 0;
  words.forEach((word, i) => {
    if (word === "") return;
    checked++;
    const actual = m0.stem(word);
    if (actual !== stems[i]) wrong.push(`${word} → ${actual} (expected ${stems[i]})`);
  });
  assert.equal(checked, 23_531);
  assert.equal(wrong.length, 0, `${wrong.length} wrong stems, for example:\n${wrong.slice(0, 20).join("\n")}`);
});

test("stem() applies the BLI → BLE and LOGI → LOG rules of Porter's published version", () => {
  assert.deepEqual(["possibly", "sensibly", "archaeology", "apology"].map((word) => m0.stem(word)), ["possibl", "sensibl", "archaeolog", "apolog"]);
});

test("stem() leaves words with characters outside a to z as they are", () => {
  for (const word of ["Running", "naïve", "vacuums2", "pg_dump", "running ", "日本語", "ελληνικά", ""]) {
    assert.equal(m0.stem(word), word);
  }
});

test("stem() handles very long words quickly", () => {
  const words: Array<(size: number) => string> = [(size) => "y".repeat(size), (size) => `${"ab".repeat(size / 2)}ational`, (size) => `${"s".repeat(size)}es`];
  for (const word of words) {
    assertLinearGrowth(`stem on ${word(4)}…`, (size) => {
      const text = word(size);
      return () => assert.equal(typeof m0.stem(text), "string");
    }, 100_000);
  }
  const stemmed = m0.stem(`${"ab".repeat(50_000)}ational`); // ational → ate (step 2), then ate → (step 4)
  assert.ok(stemmed === "ab".repeat(50_000), `expected ab… (100,000 letters), got …${stemmed.slice(-20)}`);
});
