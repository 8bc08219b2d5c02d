import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { repoRoot } from "../../kit/milestones.ts";
import { trackedFiles } from "../../release/repo-files.ts";
import { temporaryFolder } from "../_temporary.ts";
import { kit, run } from "./_cli.ts";

const out = join(temporaryFolder("release-", after), "student-repo");
const built = kit("release", ["--out", out, "--milestones", "m1"]);
const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

test("the release tool writes a student repository", () => {
  assert.equal(built.status, 0, built.stderr);
  assert.ok(existsSync(join(out, "m1-serialization", "stub", "index.ts")));
  assert.ok(existsSync(join(out, "handouts", "m1.md")));
});

test("no hidden test, mutant, reference or staff tool leaks into a release, by name or by content", () => {
  const released = run("find", [out, "-type", "f", "-not", "-path", "*/node_modules/*"]).stdout.trim().split("\n");
  const leaks = released.filter((path) =>
    /\/(hidden|mutants|reference|\.mutant-[^/]*)\//.test(path) ||
    /autograder\/(tests\/staff|gradescope|release)\/|autograder\/cli\/(verify|release|package-gradescope)\.ts$/.test(path)
  );
  assert.deepEqual(leaks, []);
  const secret = new Set(trackedFiles()
    .filter((file) => /^m\d-[^/]+\/(hidden|mutants|reference)\//.test(file))
    .map((file) => sha(join(repoRoot, file))));
  assert.deepEqual(released.filter((path) => secret.has(sha(path))), [], "a released file has the content of a secret one");
});

test("a release of m1 alone holds no other milestone", () => {
  assert.equal(existsSync(join(out, "m0-setup")), false);
  assert.equal(existsSync(join(out, "handouts", "m0.md")), false);
});

test("inside the release, npm test passes and grading the stub scores 0 with pointers to the handout", () => {
  symlinkSync(join(repoRoot, "node_modules"), join(out, "node_modules"));
  const tests = run("npm", ["test"], { cwd: out });
  const failures = tests.stdout.split("\n").filter((line) => /^\s*not ok\b/.test(line));
  assert.equal(tests.status, 0, `${failures.join("\n")}\n${tests.stdout.slice(-3000)}\n${tests.stderr.slice(-2000)}`);
  const graded = run("npm", ["run", "grade", "m1"], { cwd: out });
  assert.equal(graded.status, 0, graded.stderr);
  assert.match(graded.stdout, /Total: 0\/\d+/);
  assert.match(graded.stdout, /see handouts\/m1\.md#serialize/);
  assert.doesNotMatch(graded.stdout, /^hidden\//m);
});

test("a release with a dependency's reference ships it alone, chosen in implementations.json, and grades against it", (t) => {
  const withDeps = join(temporaryFolder("release-", (fn) => t.after(fn)), "student-repo");
  const made = kit("release", ["--out", withDeps, "--milestones", "m2", "--with-references", "m1"]);
  assert.equal(made.status, 0, made.stderr);
  assert.ok(existsSync(join(withDeps, "m1-serialization", "reference", "index.ts")));
  for (const absent of ["m1-serialization/stub", "m1-serialization/tests", "m2-actors/reference", "m2-actors/hidden", "handouts/m1.md"]) {
    assert.equal(existsSync(join(withDeps, absent)), false, `${absent} is in the release`);
  }
  const choices = JSON.parse(readFileSync(join(withDeps, "implementations.json"), "utf8")) as Record<string, string>;
  assert.equal(choices.m1, "reference");
  assert.equal(choices.m2, "student");
  symlinkSync(join(repoRoot, "node_modules"), join(withDeps, "node_modules"));
  const graded = run("npm", ["run", "grade", "m2"], { cwd: withDeps });
  assert.equal(graded.status, 0, graded.stderr);
  assert.match(graded.stdout, /Total: 0\/\d+/);
  assert.match(graded.stdout, /see handouts\/m2\.md#startnode/);
  assert.match(graded.stdout, /Performance: not scored here/);
});
