import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { choiceFor, configFile, envVariable, implementationFolder, load, parseChoices } from "../kit/implementations.ts";
import { milestoneFolder, parseMilestone, repoRoot } from "../kit/milestones.ts";

function withEnv(value: string | undefined, body: () => void): void {
  const saved = process.env[envVariable];
  if (value === undefined) delete process.env[envVariable];
  else process.env[envVariable] = value;
  try {
    body();
  } finally {
    if (saved === undefined) delete process.env[envVariable];
    else process.env[envVariable] = saved;
  }
}

test("DIST_IMPL pairs name a choice per milestone, * for all", () => {
  assert.deepEqual(parseChoices("m1=reference, m0=student"), { m1: "reference", m0: "student" });
  assert.deepEqual(parseChoices("*=reference"), { "*": "reference" });
  assert.deepEqual(parseChoices(""), {});
  assert.throws(() => parseChoices("m1"), RangeError);
  assert.throws(() => parseChoices("m12=student"), RangeError);
});

test("the environment overrides the configuration file, a milestone overrides *", () => {
  withEnv("*=reference,m1=some/folder", () => {
    assert.equal(choiceFor("m1"), "some/folder");
    assert.equal(choiceFor("m0"), "reference");
  });
  const configured = (JSON.parse(readFileSync(configFile, "utf8")) as Record<string, string>).m1;
  withEnv(undefined, () => assert.equal(choiceFor("m1"), configured));
});

test("a choice names a folder: the stub, the reference, or a path from the repository root", () => {
  assert.equal(implementationFolder("m1", "student"), join(milestoneFolder("m1"), "stub"));
  assert.equal(implementationFolder("m1", "reference"), join(milestoneFolder("m1"), "reference"));
  assert.equal(implementationFolder("m1", "elsewhere/m1"), join(repoRoot, "elsewhere/m1"));
  assert.equal(implementationFolder("m1", "/abs/m1"), "/abs/m1");
});

test("loading a folder without index.ts fails with a message that names it", async () => {
  await assert.rejects(load("m1", "no/such/folder"), /no\/such\/folder\/index\.ts does not exist/);
});

test("milestones can be named m1, 1 or by folder", () => {
  assert.equal(parseMilestone("m1"), "m1");
  assert.equal(parseMilestone("1"), "m1");
  assert.equal(parseMilestone("m1-serialization"), "m1");
  assert.throws(() => parseMilestone("m9"), RangeError);
});
