/**
 * npm run release -- --out DIR [--milestones m0,m1] [--with-references m0]
 *
 * Writes the student repository to DIR (which must not exist or be empty):
 * see release/student-release.ts for what it holds. Inside it,
 * `npm ci && npm test` passes and `npm run grade m1` grades the stub.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { hasReference } from "../kit/implementations.ts";
import { type MilestoneId, parseMilestone, presentMilestones, repoRoot } from "../kit/milestones.ts";
import { trackedFiles, untrackedInMilestones } from "../release/repo-files.ts";
import { inRelease, releaseImplementations, releasePackage, releaseWeights } from "../release/student-release.ts";
import { readCommandLine } from "./command-line.ts";

const { values } = readCommandLine(import.meta.url, {
  options: {
    out: { type: "string" },
    milestones: { type: "string" },
    "with-references": { type: "string", default: "" },
  },
});
const list = (text: string): Set<MilestoneId> => new Set(text.split(",").filter(Boolean).map(parseMilestone));

if (values.out === undefined) {
  console.error("Usage: npm run release -- --out DIR [--milestones m0,m1] [--with-references m0]");
  process.exit(1);
}
const out = resolve(values.out);
if (existsSync(out) && readdirSync(out).length > 0) {
  console.error(`Cannot write the release to ${out}: it is not empty`);
  process.exit(1);
}
const milestones = values.milestones === undefined ? new Set(presentMilestones()) : list(values.milestones);
const withReferences = list(values["with-references"] as string);
for (const id of withReferences) {
  if (!hasReference(id)) {
    console.error(`Cannot include the ${id} reference: it is not in this checkout`);
    process.exit(1);
  }
}

const untracked = untrackedInMilestones();
if (untracked.length > 0) {
  console.error(`Cannot release: these files are not tracked by git, so the release would leave them out (commit or remove them):\n  ${untracked.slice(0, 20).join("\n  ")}`);
  process.exit(1);
}
const files = trackedFiles().filter((file) => inRelease(file, { milestones, withReferences }));
for (const file of files) {
  const target = join(out, file);
  mkdirSync(dirname(target), { recursive: true });
  const content = readFileSync(join(repoRoot, file));
  const rewritten = file === "README.md"
    ? readFileSync(join(repoRoot, "autograder", "release", "README.student.md"))
    : file === "package.json"
    ? releasePackage(content.toString("utf8"))
    : file.endsWith("/weights.json")
    ? releaseWeights(content.toString("utf8"))
    : file === "implementations.json"
    ? releaseImplementations(content.toString("utf8"), { milestones, withReferences })
    : content;
  writeFileSync(target, rewritten);
}
console.log(`Wrote the student release to ${out}: ${files.length} files.`);
console.log(`Milestones: ${[...milestones].join(", ")}; references included: ${[...withReferences].join(", ") || "none"}.`);
console.log(`Next: cd ${out} && git init && npm ci && npm test`);
