/**
 * A pipeline as a small DAG: each step names the steps it runs after, runs
 * as soon as they are done (steps that do not depend on each other at
 * once), and is tried again up to `retries` times when it fails; a step
 * that still fails stops the pipeline with its name, and no step after it
 * starts.
 *
 * @example
 * await runPipeline([
 *   { name: "crawl", run: () => engine.crawl(start) },
 *   { name: "index", after: ["crawl"], run: () => engine.index() },
 *   { name: "rank", after: ["crawl"], run: () => engine.rank() },
 * ], console.log);
 */

export interface Step {
  name: string;
  /** The steps it runs after (default none). */
  after?: readonly string[];
  /** How many more times it is tried when it fails (default 2). */
  retries?: number;
  /** Does the step; what it resolves with, if text, is reported. */
  run(): Promise<unknown>;
}

/** A step that failed after its retries. */
export class StepError extends Error {
  readonly step: string;

  constructor(step: string, attempts: number, cause: unknown) {
    super(`Step "${step}" failed ${attempts} times; last: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "StepError";
    this.step = step;
  }
}

/**
 * Runs the steps, each after those it names.
 *
 * @param report told of each step's start, retries and end
 * @throws RangeError for a step named twice, an unknown step after, or a cycle; StepError for a step that fails after its retries
 */
export async function runPipeline(steps: readonly Step[], report: (line: string) => void = () => {}): Promise<void> {
  const byName = new Map(steps.map((step) => [step.name, step]));
  if (byName.size !== steps.length) throw new RangeError("Cannot run a pipeline with two steps of one name");
  const beforesOf = (step: Step): Step[] =>
    (step.after ?? []).map((name) => {
      const before = byName.get(name);
      if (before === undefined) throw new RangeError(`Cannot run step "${step.name}" after "${name}": there is no such step`);
      return before;
    });
  // Every step in an order where each comes after those it names (depth first), or a RangeError at a cycle.
  const ordered: Step[] = [];
  const state = new Map<Step, "visiting" | "placed">();
  const place = (step: Step): void => {
    if (state.get(step) === "placed") return;
    if (state.get(step) === "visiting") throw new RangeError(`Cannot run a pipeline with a cycle through "${step.name}"`);
    state.set(step, "visiting");
    beforesOf(step).forEach(place);
    state.set(step, "placed");
    ordered.push(step);
  };
  steps.forEach(place);
  const running = new Map<Step, Promise<void>>();
  for (const step of ordered) {
    running.set(step, Promise.all(beforesOf(step).map((before) => running.get(before))).then(() => attempt(step, report)));
  }
  const all = [...running.values()];
  await Promise.all(all.map((run) => run.catch(() => undefined)));
  await Promise.all(all);
}

async function attempt(step: Step, report: (line: string) => void): Promise<void> {
  const tries = (step.retries ?? 2) + 1;
  for (let attempt = 1; ; attempt++) {
    const started = performance.now();
    report(`${step.name}: started${attempt > 1 ? ` (try ${attempt} of ${tries})` : ""}`);
    try {
      const outcome = await step.run();
      report(`${step.name}: done in ${((performance.now() - started) / 1000).toFixed(1)} s${typeof outcome === "string" ? `: ${outcome}` : ""}`);
      return;
    } catch (error) {
      if (attempt >= tries) throw new StepError(step.name, attempt, error);
      report(`${step.name}: failed (${error instanceof Error ? error.message : String(error)}), trying again`);
    }
  }
}
