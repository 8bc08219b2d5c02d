/**
 * What every black-box test file shares (hidden/black-box*.test.ts): a
 * scope for clean-ups that outlive single tests, the reference node every
 * call to a node under test goes from, and the steps of a harness walk
 * (node-host.ts). Each milestone's hidden/_black-box.ts builds on these.
 */
import type { TestContext } from "node:test";
import type * as M2 from "../../m2-actors/api.ts";
import { load } from "../kit/implementations.ts";

/** One step of a harness walk: a property, or a method call. */
export type Step = [string] | [string, unknown[]];

/** A scope for the whole file: `end()` runs its clean-ups, the last registered first. */
export function fileScope(): { context: TestContext; end: () => Promise<void> } {
  const cleanups: Array<() => unknown> = [];
  return {
    context: { after: (fn: () => unknown) => void cleanups.push(fn) } as unknown as TestContext,
    end: async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
      cleanups.length = 0;
    },
  };
}

/** The test's own node, milestone 2's reference, started when first asked for; `stop` ends it. */
export function referenceClient(callTimeoutMs: number): { get: () => Promise<M2.DistNode>; stop: () => Promise<void> } {
  let node: Promise<M2.DistNode> | undefined;
  return {
    get: () => {
      node ??= load<typeof M2>("m2", "reference").then((m2) => m2.startNode({ callTimeoutMs }));
      return node;
    },
    stop: async () => {
      const started = node;
      node = undefined;
      if (started) await (await started.catch(() => undefined))?.stop();
    },
  };
}
