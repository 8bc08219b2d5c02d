/**
 * Keeps each milestone's rules table (rules.md, autograder/grader/rules.ts)
 * honest: every rule quotes its handout word for word and names hidden tests
 * and mutants that exist, and every hidden test checks some rule. A rule the
 * handout states that no test checks shows up as a rule with an empty tests
 * cell, which fails here.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import type { Mutant } from "../../grader/mutant.ts";
import { parseRules, plainText } from "../../grader/rules.ts";
import { readWeights } from "../../grader/weights.ts";
import { milestoneFolder, presentMilestones, repoRoot } from "../../kit/milestones.ts";

const graded = presentMilestones().filter((id) => existsSync(join(milestoneFolder(id), "hidden")));

for (const id of graded) {
  test(`${id}: each rule of the handout is quoted exactly and checked by hidden tests that exist, and each hidden test checks a rule`, async () => {
    const folder = milestoneFolder(id);
    const tablePath = join(folder, "rules.md");
    assert.ok(existsSync(tablePath), `${id} has no rules.md`);
    const rules = parseRules(readFileSync(tablePath, "utf8"));
    assert.ok(rules.length > 0, `${id}/rules.md has no rules`);
    const handout = plainText(readFileSync(join(repoRoot, "handouts", `${id}.md`), "utf8"));
    const hidden = Object.entries(readWeights(folder).tests)
      .filter(([file]) => file.startsWith("hidden/"))
      .flatMap(([file, tests]) => Object.keys(tests).map((name) => `${file}: ${name}`));
    const { mutants } = (await import(pathToFileURL(join(folder, "mutants", "index.ts")).href)) as { mutants: Mutant[] };
    const mutantNames = new Set(mutants.map((mutant) => mutant.name));
    const checked = new Set<string>();
    for (const rule of rules) {
      const where = `rules.md line ${rule.line}`;
      assert.ok(handout.includes(plainText(rule.quote)), `${where}: the handout does not say "${rule.quote}"`);
      assert.ok(rule.tests.length > 0, `${where}: no hidden test checks "${rule.quote}"`);
      for (const named of rule.tests) {
        assert.ok(hidden.includes(named), `${where}: no hidden test "${named}" in weights.json`);
        checked.add(named);
      }
      for (const name of rule.mutants) assert.ok(mutantNames.has(name), `${where}: no mutant "${name}"`);
    }
    const unchecked = hidden.filter((name) => !checked.has(name));
    assert.deepEqual(unchecked, [], `hidden tests that rules.md does not name`);
  });
}
