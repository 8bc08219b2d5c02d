/**
 * Guards a graded process against the code it is about to load: run once,
 * after the result channel is open and before any code under test runs.
 *
 * - The ways to look inside a running process from JavaScript are closed:
 *   the inspector (a session, `open`, the raw binding, another thread's
 *   `connectToMainThread`, and a debugger started by SIGUSR1, whose port the
 *   grader already holds: `--inspect-port`), and heap snapshots. Through any
 *   of them code could read the channel's key or the test's own source.
 * - The modules tests are written with (`node:test`, `node:assert`) are
 *   frozen, so code under test cannot replace `it` or `assert.equal` for
 *   the test file that loads it.
 *
 * What code under test can still do in-process is written down in
 * autograder/grader/SECURITY.md; the black-box tests bound it.
 */
import { createRequire, syncBuiltinESMExports } from "node:module";

const require = createRequire(import.meta.url);

function refuse(what: string): () => never {
  return () => {
    throw new Error(`Cannot use ${what} in graded code: the grader turns it off`);
  };
}

/** Freezes an object and each function or plain object it holds directly. */
function freezeModule(exports: object): void {
  for (const value of Object.values(exports)) {
    if (typeof value === "function" || (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype)) {
      Object.freeze(value);
    }
  }
  Object.freeze(exports);
}

/** Replaces some exports of a built-in module, then freezes it. */
function lock(name: string, replacements: Record<string, unknown>): void {
  const exports = require(name) as Record<string, unknown>;
  for (const [key, value] of Object.entries(replacements)) exports[key] = value;
  freezeModule(exports);
}

export function guardProcess(): void {
  const noInspector = refuse("the inspector");
  const session = class {
    constructor() {
      noInspector();
    }
  };
  // node:inspector/promises wraps node:inspector's Session when it loads: load it before replacing that.
  require("node:inspector/promises");
  lock("node:inspector", { Session: session, open: noInspector, waitForDebugger: noInspector });
  lock("node:inspector/promises", { Session: session, open: noInspector, waitForDebugger: noInspector });
  lock("node:v8", {
    getHeapSnapshot: refuse("heap snapshots"),
    writeHeapSnapshot: refuse("heap snapshots"),
    setHeapSnapshotNearHeapLimit: refuse("heap snapshots"),
  });
  // A worker thread has an inspector of its own that can attach to this thread.
  lock("node:worker_threads", {
    Worker: class {
      constructor() {
        refuse("worker threads")();
      }
    },
  });
  lock("node:test", {});
  lock("node:assert", {});
  lock("node:assert/strict", {});
  // process.binding is deprecated and untyped, but still reaches the inspector's raw binding.
  const legacy = process as unknown as { binding(name: string): unknown };
  const binding = legacy.binding.bind(process);
  for (const [key, value] of Object.entries({
    binding: (name: string) => (name === "inspector" ? noInspector() : binding(name)),
    _debugProcess: refuse("the inspector"),
    _debugEnd: refuse("the inspector"),
  })) {
    Object.defineProperty(process, key, { value, writable: false, configurable: false });
  }
  syncBuiltinESMExports();
}
