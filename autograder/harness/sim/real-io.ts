/**
 * Catches real I/O inside a simulation. A simulated node that reads a file
 * with node:fs, opens a socket, looks up a name, starts a process or sets a
 * real timer escapes virtual time: the run no longer replays from its seed.
 * The scheduler notes the process's active resources
 * (`process.getActiveResourcesInfo()`) before each event and compares them
 * after it; any that appeared during the event are reported.
 *
 * What it sees: I/O still in progress when the event's turn of the event
 * loop ends, which is so for a file read (measured: 500 of 500), a socket, a
 * DNS lookup, a child process or a timer; a single quick file-system call
 * (a stat) can finish first and go unseen, and so can I/O started while other
 * real I/O of the same kind ends. Immediates are left out (they run within
 * the turn). Under tap, node --test and the grader, the test framework starts
 * nothing during a test (measured: only its two pipes are active), so the
 * check never fires on its own activity; real I/O that a test leaves running
 * while it runs the simulation can be taken for a node's. Node only: Bun's
 * list is always empty and Deno's misses most I/O, so there the check does
 * nothing.
 *
 * @example
 * const check = watchRealIo();
 * event.run();
 * await settle();
 * check(now); // throws if the event started real I/O
 */

/**
 * Node's list of active resources, without immediates. Node is told apart as
 * kit/runtime.ts does, which this file does not import: that would bring
 * `import.meta.url` into every simulation, and Deno's type check of the
 * tests rejects it.
 */
const onNode = process.versions.bun === undefined && process.versions.deno === undefined;
const activeResources = onNode && typeof process.getActiveResourcesInfo === "function"
  ? () => process.getActiveResourcesInfo().filter((resource) => resource !== "Immediate")
  : undefined;

/** How many of each resource type, in `resources`. */
function tally(resources: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const resource of resources) counts.set(resource, (counts.get(resource) ?? 0) + 1);
  return counts;
}

/** The resources in `after` beyond those in `before`: ["FSReqPromise", "2 × Timeout"]. */
function startedBetween(before: string[], after: string[]): string[] {
  const earlier = tally(before);
  const started: string[] = [];
  for (const [resource, count] of tally(after)) {
    const more = count - (earlier.get(resource) ?? 0);
    if (more > 0) started.push(more === 1 ? resource : `${more} × ${resource}`);
  }
  return started;
}

/**
 * Notes the active resources now; the function it returns throws if more
 * are active when it is called, at virtual time `at`.
 */
export function watchRealIo(): (at: number) => void {
  if (activeResources === undefined) return () => {};
  const before = activeResources();
  return (at) => {
    const started = startedBetween(before, activeResources());
    if (started.length > 0) {
      throw new Error(`Cannot simulate virtual time: a node did real I/O (${started.join(", ")}) at ${at.toFixed(1)} ms; use the context's disk, clock and transport`);
    }
  };
}
