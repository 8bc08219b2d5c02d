/**
 * npm run rehearse mN [-- --runs 10 --parallel 2 --cpus 0.5 --memory 768 --impl reference|PATH]
 *
 * Grades a milestone as Gradescope would, on this machine: packages the
 * autograder zip, unpacks it on a temporary root, and runs run_autograder on
 * the reference (or the folder given) as root with an unprivileged user,
 * under a CPU and memory quota (Gradescope's default: half a CPU, 768 MB)
 * where this machine allows one; it says plainly where it does not. Each run
 * gets a fresh seed; `--parallel` runs go at once, each under its own quota
 * and user. Prints each run's score, time, slowest files and tests, and the
 * performance ratios with their spread, then a summary. Exits non-zero unless
 * every run earned full marks.
 */
import { randomInt } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Graded, SimulatedRoot } from "../gradescope/simulated-root.ts";
import type { GradescopeResults } from "../grader/results-json.ts";
import { milestoneFolder, parseMilestone } from "../kit/milestones.ts";
import { placeImplementation } from "../kit/implementations.ts";
import { readCommandLine } from "./command-line.ts";

const { values, positionals } = readCommandLine(import.meta.url, {
  allowPositionals: true,
  options: {
    runs: { type: "string", default: "1" },
    parallel: { type: "string", default: "1" },
    cpus: { type: "string", default: "0.5" },
    memory: { type: "string", default: "768" },
    impl: { type: "string", default: "reference" },
  },
});
const milestone = parseMilestone(positionals[0] ?? "");
const runs = Number(values.runs);
const parallel = Math.max(1, Math.min(runs, Number(values.parallel)));
const quota = { cpus: Number(values.cpus), memoryMB: Number(values.memory) };
const placed = placeImplementation(milestone, values.impl === "reference" ? undefined : values.impl);
const submission = placed.choice ?? join(milestoneFolder(milestone), "reference");

const round = (value: number) => Math.round(value * 100) / 100;

/**
 * What the grader's log (root's only; students see none of it) says about a
 * failed test: the lines under its FAIL line in its file's part of the log
 * (test names repeat across files), or under the failure before it when the
 * log gives "the same reason".
 */
function whyInLog(log: string, entry: GradescopeResults["tests"][number]): string[] {
  const file = String(entry.extra_data.file ?? "");
  const name = entry.name.slice(`${file.replace(/\.test\.ts$/, "")}: `.length);
  const lines = log.split("\n");
  const section = lines.indexOf(file);
  const failLine = new RegExp(`^\\s+FAIL\\s+\\S+\\s+${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(\\d+ ms\\)`);
  let at = lines.findIndex((line, i) => i > section && failLine.test(line));
  if (section < 0 || at < 0) return [];
  while (at > section && lines[at]?.endsWith("(the same reason)")) at = lines.slice(0, at).findLastIndex((line) => /^\s+FAIL\s/.test(line));
  const why: string[] = [];
  for (const line of lines.slice(at + 1, at + 7)) {
    if (!/^\s{6,}\S/.test(line)) break;
    why.push(`    ${line.trim()}`);
  }
  return why;
}

/** One run's report lines. */
function describe(run: number, seed: number, graded: Graded): string[] {
  const { results, seconds } = graded;
  const max = results.tests.reduce((sum, entry) => sum + entry.max_score, 0);
  const files = new Map<string, number>();
  for (const entry of results.tests) {
    const file = String(entry.extra_data.file ?? "performance");
    files.set(file, (files.get(file) ?? 0) + Number(entry.extra_data.duration_ms ?? 0));
  }
  const byTime = [...files].sort((a, b) => b[1] - a[1]);
  const inFiles = byTime.reduce((sum, [, ms]) => sum + ms, 0) / 1000;
  const slowTests = [...results.tests].filter((entry) => entry.extra_data.duration_ms !== undefined)
    .sort((a, b) => Number(b.extra_data.duration_ms) - Number(a.extra_data.duration_ms)).slice(0, 5);
  const lost = results.tests.filter((entry) => entry.score < entry.max_score);
  return [
    `run ${run} (seed ${seed}): ${round(results.score)}/${round(max)} in ${seconds.toFixed(0)} s, quota ${graded.quota}`,
    `  time per file (${inFiles.toFixed(0)} s in all; the other ${(seconds - inFiles).toFixed(0)} s start the grader and each file's process, and measure performance): ${byTime.map(([file, ms]) => `${file} ${(ms / 1000).toFixed(1)} s`).join(", ")}`,
    `  slowest tests: ${slowTests.map((entry) => `${entry.name} ${(Number(entry.extra_data.duration_ms) / 1000).toFixed(1)} s`).join("; ")}`,
    ...results.tests.filter((entry) => entry.tags.includes("performance")).map((entry) => `  ${entry.name}: ${entry.output}`),
    ...lost.flatMap((entry) => [`  LOST ${round(entry.max_score - entry.score)}: ${entry.name}: ${entry.output.split("\n")[0]}`, ...whyInLog(graded.log, entry)]),
    ...(graded.leftovers.length > 0 ? [`  LEFT BEHIND: processes ${graded.leftovers.join(", ")}`] : []),
  ];
}

interface Outcome {
  full: boolean;
  seconds: number;
  ratios: Map<string, number>;
}

/** Where a rehearsal notes which users it holds: a file per user, holding its process id. */
const claims = join(tmpdir(), "distribution-rehearse-users");

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * A user for one lane, `rehearseN` for the first N that no running
 * rehearsal holds (another terminal's included): the grader kills every
 * process of its user after each test file, so two lanes must never share
 * one. The claim ends with this process.
 */
function claimUser(): string {
  mkdirSync(claims, { recursive: true });
  for (let n = 1; ; n++) {
    const claim = join(claims, `rehearse${n}`);
    try {
      writeFileSync(claim, String(process.pid), { flag: "wx" });
      process.once("exit", () => rmSync(claim, { force: true }));
      return `rehearse${n}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (isRunning(Number(readFileSync(claim, "utf8")))) continue;
      rmSync(claim, { force: true });
      n--;
    }
  }
}

async function lane(queue: number[]): Promise<Outcome[]> {
  const root = await SimulatedRoot.create(milestone, claimUser());
  const outcomes: Outcome[] = [];
  try {
    for (let run = queue.shift(); run !== undefined; run = queue.shift()) {
      const seed = randomInt(1, 1_000_000_000);
      const graded = await root.submit({ folder: submission, id: seed, quota });
      console.log(describe(run, seed, graded).join("\n"));
      const max = graded.results.tests.reduce((sum, entry) => sum + entry.max_score, 0);
      const ratios = new Map(graded.results.tests.filter((entry) => typeof entry.extra_data.ratio === "number").map((entry) => [entry.name, entry.extra_data.ratio as number]));
      outcomes.push({ full: graded.results.score >= max - 1e-9 && graded.leftovers.length === 0, seconds: graded.seconds, ratios });
    }
  } finally {
    root.remove();
  }
  return outcomes;
}

console.log(`Rehearsing ${milestone}: ${runs} run${runs === 1 ? "" : "s"}, ${parallel} at a time, ${quota.cpus} CPU and ${quota.memoryMB} MB each, submission ${submission}`);
const queue = Array.from({ length: runs }, (_, i) => i + 1);
const outcomes = (await Promise.all(Array.from({ length: parallel }, () => lane(queue)))).flat();
placed.remove();

const seconds = outcomes.map((outcome) => outcome.seconds);
console.log(`\n${milestone}: ${outcomes.filter((outcome) => outcome.full).length}/${outcomes.length} runs earned full marks; ${Math.min(...seconds).toFixed(0)}–${Math.max(...seconds).toFixed(0)} s each`);
const workloads = [...new Set(outcomes.flatMap((outcome) => [...outcome.ratios.keys()]))];
for (const workload of workloads) {
  const ratios = outcomes.map((outcome) => outcome.ratios.get(workload)).filter((ratio): ratio is number => ratio !== undefined).sort((a, b) => a - b);
  console.log(`  ${workload}: self-ratio ${round(ratios[0] as number)}–${round(ratios.at(-1) as number)} (median ${round(ratios[Math.floor(ratios.length / 2)] as number)})`);
}
process.exit(outcomes.every((outcome) => outcome.full) ? 0 : 1);
