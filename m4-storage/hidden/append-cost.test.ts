/**
 * handouts/m4.md#local-stores: "An append costs the same on a list of 10
 * elements as on one of 10,000". Each test times the same number of appends
 * onto lists of 10, 100, 1,000 and 10,000 elements, in one run, in CPU time
 * (harness/growth.ts), so that neither a slow machine nor a busy one
 * changes the verdict. The lists are stored before the timing starts, in a
 * store of their own, and each gets a fixed number of appends (10 or 20 on a
 * file store, so that every timing appends to lists of about its size; 1,000
 * in memory, where one append is too quick to time alone). Measured on a loaded 2-core machine:
 * a store that appends takes at most 2 times as long on the longest lists as
 * on the shortest; one that copies or rewrites the whole list on each append
 * takes 5 to 16 times as long in memory, 8 to 17 times on the real disk and
 * 27 to 41 times on a simulated one.
 */
import { test, type TestContext } from "node:test";
import { join } from "node:path";
import { assertConstantCost } from "../../autograder/harness/growth.ts";
import { withSimulation } from "../../autograder/harness/sim/with-simulation.ts";
import type * as Api from "../api.ts";
import { m4 } from "./_group.ts";
import { tempFolder } from "./_stores.ts";

/** The lengths of the lists appended to, each ten times the last. */
const sizes = [10, 100, 1_000, 10_000];

/** The most a longer list may multiply the time of the appends (in memory, 3). */
const maxGrowth = 4;

/** An element of a list: small, as MapReduce's values are. */
const element = (i: number) => ({ url: `https://example.org/pages/${i}/index.html`, title: `Page ${i} of the example site`, count: i % 7 });

/** A list of `size` elements. */
const distinct = (size: number): unknown[] => Array.from({ length: size }, (_, i) => element(i));

/** A list of `size` times the same element, which holds many long lists in little memory. */
const repeated = (size: number): unknown[] => new Array(size).fill(element(0));

/** How many lists a timing appends to, how many elements to each, and how the lists are made. */
interface Workload {
  lists: number;
  perList: number;
  list?: (size: number) => unknown[];
}

/**
 * Work that appends `perList` elements, one at a time, to each of `lists`
 * lists of `size` elements, in turn, in a store that `open` makes; the lists
 * are stored (with put) before the work is returned. `run` drives each
 * operation to its end.
 */
function appends(open: () => Promise<Api.LocalStore>, { lists, perList, list = distinct }: Workload, run: <T>(operation: Promise<T>) => Promise<T> = (operation) => operation) {
  return async (size: number) => {
    const store = await open();
    for (let key = 0; key < lists; key++) await run(store.put("g", `list ${key}`, list(size)));
    return async () => {
      for (let i = 0; i < perList; i++) {
        for (let key = 0; key < lists; key++) await run(store.append("g", `list ${key}`, element(size + i)));
      }
    };
  };
}

/** The times measured, as a diagnostic line of the test. */
function report(t: TestContext, times: Array<{ size: number; ms: number }>): void {
  t.diagnostic(`ms of CPU by list length: ${times.map(({ size, ms }) => `${size}: ${ms.toFixed(1)}`).join(", ")}`);
}

test("a memory store's append costs the same on a list of 10 elements as on one of 10,000", async (t) => {
  // Copying a list in memory is cheap: a store that does took 5 to 16 times as long at 10,000, hence a tighter bound.
  const workload = { lists: 20, perList: 1_000, list: repeated };
  report(t, await assertConstantCost("20,000 appends to a memory store's lists", appends(async () => m4.memoryStore(), workload), sizes, { maxGrowth: 3 }));
});

test("a file store's append on a simulated disk costs the same on a list of 10 elements as on one of 10,000", withSimulation({}, async (sim, _random, t: TestContext) => {
  const disk = sim.context().disk;
  let stores = 0;
  const open = async () => m4.fileStore(`/stores/${stores++}`, disk);
  const workload = { lists: 10, perList: 20 };
  report(t, await assertConstantCost("200 appends to a file store's lists on a simulated disk", appends(open, workload, (operation) => sim.settle(operation)), sizes, { maxGrowth }));
}));

test("a file store's append on the real disk costs the same on a list of 10 elements as on one of 10,000", async (t) => {
  const folder = await tempFolder(t);
  let stores = 0;
  const open = async () => m4.fileStore(join(folder, String(stores++)));
  const workload = { lists: 10, perList: 10 };
  report(t, await assertConstantCost("100 appends to a file store's lists on the real disk", appends(open, workload), sizes, { maxGrowth }));
});
