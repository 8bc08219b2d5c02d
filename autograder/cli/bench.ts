/**
 * npm run bench mN [-- --impl student|reference|PATH --deps reference|student --rounds 5 --slice 500]
 *
 * Measures a milestone's workloads in one process for the baselines, the
 * reference and the chosen implementation (default: implementations.json,
 * normally the student's), alternating which goes first, medians of the
 * rounds (slices of 500 ms: on two cores, 200 ms slices spread m2's ratios
 * over ±0.05). Earlier milestones are the references, as in grading, unless
 * `--deps student`. Prints throughputs, ratios, and whether the reference meets the
 * milestone's bars. A milestone may also report figures (bench/figures.ts:
 * times and rates of one implementation, with goals), printed for the
 * reference and the chosen implementation.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Bar, Baselines } from "../bench/baseline.ts";
import { type Figure, formatFigure } from "../bench/figure.ts";
import { measure, median, perSecond } from "../bench/measure.ts";
import { renderTable } from "../bench/table.ts";
import type { Workload } from "../bench/workload.ts";
import { loadWorkloads } from "../bench/workloads.ts";
import { choiceFor, type Deps, envVariable, hasReference, load, placeImplementation, withDeps } from "../kit/implementations.ts";
import { milestoneFolder, parseMilestone } from "../kit/milestones.ts";
import { readCommandLine } from "./command-line.ts";

const { values, positionals } = readCommandLine(import.meta.url, {
  allowPositionals: true,
  options: {
    impl: { type: "string" },
    deps: { type: "string", default: "reference" },
    rounds: { type: "string", default: "5" },
    slice: { type: "string", default: "500" },
  },
});
const milestone = parseMilestone(positionals[0] ?? "");
if (values.deps !== "reference" && values.deps !== "student") {
  console.error(`Cannot use dependencies "${values.deps}": expected reference or student`);
  process.exit(2);
}
const deps = values.deps as Deps;
const rounds = Number(values.rounds);
const sliceMs = Number(values.slice);
let placed: ReturnType<typeof placeImplementation>;
try {
  placed = placeImplementation(milestone, values.impl);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const choice = placed.choice ?? choiceFor(milestone);
const subjects = [...new Set(hasReference(milestone) ? ["reference", choice] : [choice])];
/** Selects the earlier milestones for everything loaded from here on, child processes included. */
const select = (name: string) => void (process.env[envVariable] = withDeps(milestone, name, deps));
select(choice);
const workloads = await loadWorkloads(milestone);
const figuresFile = join(milestoneFolder(milestone), "bench", "figures.ts");
if (existsSync(figuresFile)) {
  const { figures } = (await import(pathToFileURL(figuresFile).href)) as { figures: (api: unknown) => Promise<Figure[]> };
  for (const name of subjects) {
    console.log(`\n${milestone} figures, ${name}:`);
    select(name);
    try {
      for (const figure of await figures(await load(milestone, name))) console.log(`  ${formatFigure(figure)}`);
    } catch (error) {
      console.log(`  not measured: ${(error as Error).name}: ${(error as Error).message.split("\n")[0]}`);
    }
  }
}
select(choice);
if (workloads.length === 0) process.exit(0);

const baselinesFile = join(milestoneFolder(milestone), "bench", "baselines.ts");
const { baselines = {}, bars = [] } = existsSync(baselinesFile)
  ? ((await import(pathToFileURL(baselinesFile).href)) as { baselines?: Baselines<unknown>; bars?: Bar[] })
  : {};
const candidates = new Map<string, unknown>(Object.entries(baselines).map(([name, { api }]) => [name, api]));
/** Whether an implementation takes part in a workload: all but the baselines that name other workloads do. */
const takesPart = (name: string, workload: Workload<unknown, unknown>) => baselines[name]?.workloads?.includes(workload.name) ?? true;
const broken = new Map<string, string>();
for (const name of subjects) {
  try {
    candidates.set(name, await load(milestone, name));
  } catch (error) {
    broken.set(name, (error as Error).message);
  }
}

async function prepared(workload: Workload<unknown, unknown>): Promise<Map<string, unknown>> {
  const inputs = new Map<string, unknown>();
  for (const [name, api] of candidates) {
    if (!takesPart(name, workload)) continue;
    let input: unknown;
    try {
      input = await workload.prepare(api);
      await workload.check(api, input, await workload.run(api, input));
      inputs.set(name, input);
    } catch (error) {
      if (!broken.has(name)) broken.set(name, `${workload.name}: ${(error as Error).name}: ${(error as Error).message.split("\n")[0]}`);
      if (input !== undefined) await dispose(workload, name, input);
    }
  }
  return inputs;
}

async function dispose(workload: Workload<unknown, unknown>, name: string, input: unknown): Promise<void> {
  try {
    await workload.dispose?.(candidates.get(name), input);
  } catch (error) {
    if (!broken.has(name)) broken.set(name, `${workload.name}: cleaning up: ${(error as Error).message.split("\n")[0]}`);
  }
}

console.log(`${milestone} benchmark: operations per second, median of ${rounds} alternating ${sliceMs} ms slices, one process`);
const names = [...candidates.keys()];
const throughput = new Map<string, Map<string, number>>();
for (const workload of workloads) {
  const inputs = await prepared(workload);
  const samples = new Map<string, number[]>([...inputs.keys()].map((name) => [name, []]));
  for (let round = 0; round <= rounds; round++) {
    const order = [...inputs.keys()];
    for (let turn = 0; turn < order.length; turn++) {
      const name = order[(turn + round) % order.length] as string;
      const result = await measure(() => workload.run(candidates.get(name), inputs.get(name)), sliceMs);
      if (round > 0) samples.get(name)?.push(perSecond(result));
    }
  }
  throughput.set(workload.name, new Map([...samples].map(([name, list]) => [name, median(list)])));
  for (const [name, input] of inputs) await dispose(workload, name, input);
  process.stdout.write(".");
}
console.log("\n");

const cell = (workload: string, name: string) => {
  const value = throughput.get(workload)?.get(name);
  return value === undefined ? "—" : Math.round(value).toLocaleString("en-US");
};
console.log(renderTable(["workload", ...names], workloads.map(({ name }) => [name, ...names.map((impl) => cell(name, impl))])));

const ratio = (workload: string, subject: string, baseline: string) => {
  const a = throughput.get(workload)?.get(subject);
  const b = throughput.get(workload)?.get(baseline);
  return a === undefined || b === undefined ? undefined : a / b;
};
const ratioBars = bars.filter((bar) => "baseline" in bar);
/** One column per pair compared; a cell shows the goal that applies to its workload, if one does. */
const comparisons = [...new Map([
  ...ratioBars.map(({ subject, baseline }) => [`${subject} ÷ ${baseline}`, { subject, baseline }] as const),
  ...(choice !== "reference" && hasReference(milestone) ? [[`${choice} ÷ reference`, { subject: choice, baseline: "reference" }] as const] : []),
])];
const barOf = (workload: string, subject: string, baseline: string) =>
  ratioBars.find((bar) => bar.subject === subject && bar.baseline === baseline && (bar.workloads === undefined || bar.workloads.includes(workload)));
if (comparisons.length > 0) {
  console.log("\nRatios (throughput ÷ throughput, same run), beside their goals");
  const rows = workloads.map(({ name }) => [
    name,
    ...comparisons.map(([, { subject, baseline }]) => {
      const value = ratio(name, subject, baseline);
      if (value === undefined) return "—";
      const bar = barOf(name, subject, baseline);
      return bar === undefined ? value.toFixed(2) : `${value.toFixed(2)} (goal ≥ ${bar.atLeast}) ${value >= bar.atLeast ? "ok" : "MISSED"}`;
    }),
  ]);
  console.log(renderTable(["workload", ...comparisons.map(([label]) => label)], rows));
}
for (const bar of bars) {
  if ("baseline" in bar) continue;
  const rate = throughput.get(bar.workload)?.get(bar.subject);
  const ms = rate === undefined ? undefined : 1000 / rate;
  const verdict = ms === undefined ? "not measured" : `${ms.toFixed(1)} ms (goal ≤ ${bar.maxMs} ms) ${ms <= bar.maxMs ? "ok" : "MISSED"}`;
  console.log(`${bar.subject}, ${bar.workload}: ${verdict}`);
}
for (const [name, why] of broken) console.log(`\n${name}: not measured where it failed (first failure: ${why})`);
// An implementation that leaks handles (a server, a timer) would keep the process alive: the measuring is over.
process.exit(0);
