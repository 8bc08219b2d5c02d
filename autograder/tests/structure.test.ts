/**
 * Keeps every milestone the same shape, so that knowing one is knowing all:
 * the parts each folder holds, imports of runtime code, the contract in
 * api.ts implemented exactly by the stub and the reference, its examples
 * true of the reference, and stubs that point students to the right handout
 * section.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { withGradingTable } from "../grader/grading-table.ts";
import { isBlackBoxFile } from "../grader/test-files.ts";
import { readWeights } from "../grader/weights.ts";
import { NotImplemented } from "../kit/errors.ts";
import { type MilestoneId, milestoneFolder, presentMilestones, repoRoot } from "../kit/milestones.ts";
import { envVariable, hasReference, withDeps } from "../kit/implementations.ts";
import { scriptCommand } from "../kit/runtime.ts";

/** The milestones students work on here; a release may also hold others' references alone, as dependencies. */
const milestones = presentMilestones().filter((id) => existsSync(join(milestoneFolder(id), "stub")));

function filesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The names api.ts exports as values (functions, classes, constants), as opposed to types. */
function apiValueNames(id: MilestoneId): string[] {
  const source = readFileSync(join(milestoneFolder(id), "api.ts"), "utf8");
  const declared = [...source.matchAll(/^export declare (?:async )?(?:function|class|const|let) (\w+)/gm)].map((m) => m[1] as string);
  const reexported = [...source.matchAll(/^export \{([^}]*)\} from/gm)]
    .flatMap((m) => (m[1] as string).split(","))
    .map((name) => name.trim())
    .filter((name) => name !== "" && !name.startsWith("type "));
  return [...declared, ...reexported].sort();
}

/** GitHub's anchor for a Markdown heading. */
function anchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, "").replace(/\s/g, "-");
}

test("milestones exist and each has its contract, stub, visible tests, weights and handout", () => {
  assert.ok(milestones.length > 0);
  for (const id of milestones) {
    const folder = milestoneFolder(id);
    for (const part of ["stub/index.ts", "tests", "weights.json"]) {
      assert.ok(existsSync(join(folder, part)), `${id} has no ${part}`);
    }
    assert.ok(existsSync(join(repoRoot, "handouts", `${id}.md`)), `${id} has no handout`);
  }
});

test("a milestone with a reference also has hidden tests and mutants", () => {
  for (const id of milestones.filter((id) => existsSync(join(milestoneFolder(id), "reference")))) {
    for (const part of ["reference/index.ts", "hidden", "mutants/index.ts"]) {
      assert.ok(existsSync(join(milestoneFolder(id), part)), `${id} has a reference but no ${part}`);
    }
  }
});

test("runtime code imports only node: built-ins and files of this repository", () => {
  const runtimeFiles = [
    ...milestones.flatMap((id) => [
      join(milestoneFolder(id), "api.ts"),
      ...filesUnder(join(milestoneFolder(id), "stub")),
      ...filesUnder(join(milestoneFolder(id), "reference")),
    ]),
    ...filesUnder(join(repoRoot, "autograder", "kit")),
    ...filesUnder(join(repoRoot, "autograder", "harness")),
  ].filter((file) => file.endsWith(".ts"));
  const imports = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
  for (const file of runtimeFiles) {
    for (const match of readFileSync(file, "utf8").matchAll(imports)) {
      const specifier = (match[1] ?? match[2]) as string;
      assert.ok(specifier.startsWith("node:") || specifier.startsWith("./") || specifier.startsWith("../"),
        `${relative(repoRoot, file)} imports "${specifier}"`);
    }
  }
});

test("index files name their exports: no export * from implementation files", () => {
  for (const id of milestones) {
    for (const file of filesUnder(milestoneFolder(id)).filter((path) => path.endsWith("index.ts"))) {
      assert.doesNotMatch(readFileSync(file, "utf8"), /export \*/, `${relative(repoRoot, file)} uses export *`);
    }
  }
});

test("every export of api.ts has a doc comment", () => {
  for (const id of milestones) {
    const lines = readFileSync(join(milestoneFolder(id), "api.ts"), "utf8").split("\n");
    lines.forEach((line, i) => {
      if (!/^export declare /.test(line)) return;
      const before = lines.slice(0, i).reverse().find((candidate) => candidate.trim() !== "");
      assert.equal(before?.trim(), "*/", `${id}/api.ts line ${i + 1} has no doc comment: ${line}`);
    });
  }
});

test("the stub and the reference export exactly what api.ts declares", async () => {
  for (const id of milestones) {
    const expected = apiValueNames(id);
    for (const impl of ["stub", "reference"]) {
      const entry = join(milestoneFolder(id), impl, "index.ts");
      if (!existsSync(entry)) continue;
      const names = Object.keys(await import(pathToFileURL(entry).href)).sort();
      assert.deepEqual(names, expected, `${id}/${impl} exports differ from api.ts`);
    }
  }
});

test("each handout's grading table matches the milestone's weights (npm run handouts)", () => {
  for (const id of milestones) {
    const handout = readFileSync(join(repoRoot, "handouts", `${id}.md`), "utf8");
    assert.equal(withGradingTable(handout, readWeights(milestoneFolder(id))), handout, `handouts/${id}.md has a stale grading table`);
  }
});

test("every stub function throws NotImplemented naming a section of the handout that exists", async () => {
  for (const id of milestones) {
    const handout = readFileSync(join(repoRoot, "handouts", `${id}.md`), "utf8");
    const anchors = new Set([...handout.matchAll(/^#+\s+(.+)$/gm)].map((m) => anchor(m[1] as string)));
    const stub = (await import(pathToFileURL(join(milestoneFolder(id), "stub", "index.ts")).href)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(stub)) {
      if (typeof value !== "function" || /^class\s/.test(Function.prototype.toString.call(value))) continue;
      let thrown: unknown;
      try {
        await (value as () => unknown)();
      } catch (error) {
        thrown = error;
      }
      assert.ok(thrown instanceof NotImplemented, `${id} stub ${name} does not throw NotImplemented`);
      const section = new RegExp(`^${id} \\S+: see handouts/${id}\\.md#([\\w-]+)$`).exec(thrown.message)?.[1];
      assert.ok(section !== undefined && anchors.has(section), `${id} stub ${name}: "${thrown.message}" names no section of handouts/${id}.md`);
    }
  }
});

test("in every node milestone the black-box tests carry at least half of the points (grader/SECURITY.md)", () => {
  for (const id of milestones.filter((id) => Number(id.slice(1)) >= 2 && existsSync(join(milestoneFolder(id), "hidden")))) {
    const weights = readWeights(milestoneFolder(id));
    const sum = (values: number[]) => values.reduce((total, points) => total + points, 0);
    const total = sum([...Object.values(weights.tests).flatMap((tests) => Object.values(tests)), ...Object.values(weights.performance)]);
    const blackBox = sum(Object.entries(weights.tests).filter(([file]) => isBlackBoxFile(file)).flatMap(([, tests]) => Object.values(tests)));
    // Points are given in hundredths: compare those, not the sums' floating-point error.
    assert.ok(Math.round(blackBox * 100) >= Math.round(total * 100) / 2, `${id}: black-box tests carry ${blackBox} of ${total} points`);
  }
});

test("every @example of every api.ts runs against the reference and gives the results it states", async () => {
  for (const id of milestones.filter(hasReference)) {
    // In a process of its own, where every milestone is the reference (this one has loaded others already).
    const { command, args } = scriptCommand("node", join(repoRoot, "autograder", "tests", "_run-examples.ts"), [id]);
    const run = spawnSync(command, args, { encoding: "utf8", env: { ...process.env, [envVariable]: withDeps(id, "reference", "reference") }, timeout: 120_000 });
    assert.equal(run.status, 0, `${id}/api.ts examples:\n${run.stdout}${run.stderr}`);
  }
});
