/**
 * Deliberately broken variants of the m5 reference, each one small edit that
 * models a bug students write. `npm run verify m5` checks that the hidden
 * tests catch every one.
 */
import type { Mutant } from "../../autograder/grader/mutant.ts";

export const mutants: Mutant[] = [
  {
    name: "combiner-ignored",
    file: "worker.ts",
    target: "hidden/shuffle.test.ts",
    find: "      if (combine !== undefined) {",
    replace: "      if (combine === null) {",
    bug: "the combiner never runs, so every pair a map emits is shuffled",
  },
  {
    name: "one-key-per-batch",
    file: "worker.ts",
    target: "hidden/shuffle.test.ts",
    find: "const batchKeys = 5_000;",
    replace: "const batchKeys = 1;",
    bug: "the shuffle sends one call per key instead of one per batch",
  },
  {
    name: "own-batch-sent-twice",
    file: "worker.ts",
    target: "hidden/exec.test.ts",
    find: "          await take(spec.id, round, batch);\n          continue;",
    replace: "          await take(spec.id, round, batch);",
    bug: "a member keeps the pairs it owns and also sends them to itself, so they are reduced twice",
  },
  {
    name: "shuffle-ignores-placement",
    file: "worker.ts",
    target: "hidden/placement-of-work.test.ts",
    find: "const nid = m4.owner(entry[0], ids, spec.placement);",
    replace: "const nid = m4.owner(entry[0], ids);",
    bug: "the shuffle places keys by the default placement, not the group's, so keys are reduced where their output store does not look",
  },
  {
    name: "keys-ignored",
    file: "worker.ts",
    target: "hidden/options.test.ts",
    find: "const wanted = round === 1 && spec.keys !== undefined ? new Set(spec.keys) : undefined;",
    replace: "const wanted: Set<string> | undefined = undefined;",
    bug: "the keys option is ignored: every key of the store is mapped",
  },
  {
    name: "memory-mode-ignored",
    file: "worker.ts",
    target: "hidden/intermediate.test.ts",
    find: "const intermediate = (spec: JobSpec) => (spec.memory ? scratch : node.local);",
    replace: "const intermediate = (_spec: JobSpec) => node.local;",
    bug: "memory: true still keeps intermediate data in the members' own stores",
  },
  {
    name: "distance-race",
    file: "worker.ts",
    target: "hidden/rounds.test.ts",
    find: "          const moved = await run(spec, \"distance\", key, () => distance(key, before.found ? before.value : undefined, result));\n          change += moved;",
    replace: "          change += await run(spec, \"distance\", key, () => distance(key, before.found ? before.value : undefined, result));",
    bug: "a round's change adds each distance with `change += await …` while other keys are reduced, so most distances are lost",
  },
  {
    name: "error-names-no-key",
    file: "worker.ts",
    target: "hidden/failures.test.ts",
    find: "{ cause: error, job: spec.id, step, node: here, key });",
    replace: "{ cause: error, job: spec.id, step, node: here });",
    bug: "a failing user function's JobError does not say on which key it failed",
  },
  {
    name: "intermediate-kept",
    file: "worker.ts",
    target: "hidden/failures.test.ts",
    find: "        await clear({ store: intermediate(spec), ns: shuffleNamespace(id, round) });\n",
    replace: "",
    bug: "the shuffled pairs stay on the members after a job that failed before its reduce took them",
  },
  {
    name: "failed-output-kept",
    file: "worker.ts",
    target: "hidden/failures.test.ts",
    find: "      if (failed) await clear({ store: node.local, ns: spec.out });\n",
    replace: "",
    bug: "a failed job leaves the output it wrote before failing",
  },
  {
    name: "tolerance-ignored",
    file: "coordinator.ts",
    target: "hidden/rounds.test.ts",
    find: "          if (change !== undefined && job.tolerance !== undefined && change <= job.tolerance) break;\n",
    replace: "",
    bug: "the rounds go on after the change falls below the tolerance",
  },
  {
    name: "output-not-checked",
    file: "coordinator.ts",
    target: "hidden/options.test.ts",
    find: "      if (existing.length > 0) throw new RangeError(",
    replace: "      if (existing.length < 0) throw new RangeError(",
    bug: "a job writes into an output store that already holds keys, mixing its output with them",
  },
  {
    name: "job-ids-repeat",
    file: "coordinator.ts",
    target: "hidden/concurrency.test.ts",
    find: "  return `mr-${node.sid}-${Math.floor(node.context.random() * 2 ** 32).toString(16).padStart(8, \"0\")}`;",
    replace: "  return `mr-${node.sid}`;",
    bug: "job ids are the node's short id only, so two jobs of one node share their namespaces",
  },
];
