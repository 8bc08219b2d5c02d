/**
 * A benchmark worker: one process that holds one implementation of a
 * milestone, chosen by the implementation switch, and times its workloads on
 * command. The grader runs two, the student's and the reference, and takes
 * turns between them, pausing the one that is not being timed.
 *
 * Commands arrive as JSON lines on stdin; replies leave as JSON lines on file
 * descriptor 3, apart from whatever the tested code prints:
 *
 *   {"op":"prepare"}                        → {"failures":{"workload":"why"}}
 *   {"op":"run","workload":"…","ms":200}    → {"ops":1234,"ms":200.4}
 *
 * Usage: bench-worker.ts m1
 */
import { writeSync } from "node:fs";
import { createInterface } from "node:readline";
import { measure } from "../bench/measure.ts";
import { loadWorkloads } from "../bench/workloads.ts";
import { load } from "../kit/implementations.ts";
import { parseMilestone } from "../kit/milestones.ts";

const reply = (message: object) => writeSync(3, `${JSON.stringify(message)}\n`);

const milestone = parseMilestone(process.argv[2] ?? "");
const api = await load<unknown>(milestone);
const workloads = await loadWorkloads(milestone);
const inputs = new Map<string, unknown>();

async function prepare(): Promise<Record<string, string>> {
  const failures: Record<string, string> = {};
  for (const workload of workloads) {
    try {
      const input = await workload.prepare(api);
      await workload.check(api, input, await workload.run(api, input));
      inputs.set(workload.name, input);
    } catch (error) {
      failures[workload.name] = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  }
  return failures;
}

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as { op: string; workload?: string; ms?: number };
  if (command.op === "prepare") {
    reply({ failures: await prepare() });
  } else if (command.op === "run") {
    const workload = workloads.find(({ name }) => name === command.workload);
    if (workload === undefined || !inputs.has(workload.name)) {
      reply({ error: `no prepared workload "${command.workload}"` });
      continue;
    }
    const input = inputs.get(workload.name);
    reply(await measure(() => workload.run(api, input), command.ms ?? 200));
  }
}
