/**
 * What members shuffled to one member for one round of a job, kept there
 * until its reduce takes each key out: in the member's own store, in the
 * round's shuffle namespace (api.ts), or, for a job with `memory`, in a Map
 * beside it. The Map spares each key the store's locked operations, which
 * are most of a job's time when it has many small keys (an inverted index).
 */
import { eachLimited } from "../../autograder/kit/each-limited.ts";
import type * as M4 from "../../m4-storage/api.ts";

export interface ShuffledPairs {
  /** Adds each key's values after those it holds, in order. */
  add(entries: Array<[string, unknown[]]>): Promise<void>;
  /** The keys it holds. */
  keys(): Promise<string[]>;
  /** A key's values, taken out: nothing reads them again. */
  take(key: string): Promise<unknown[]>;
  /** Removes every key left. */
  clear(): Promise<void>;
}

/** Pairs in a namespace of a store, `keysInFlight` keys worked on at once. */
export function inStore(store: M4.LocalStore, ns: string, keysInFlight: number): ShuffledPairs {
  return {
    add: (entries) => eachLimited(entries, keysInFlight, ([key, values]) => store.appendAll(ns, key, values)),
    keys: () => store.keys(ns),
    take: async (key) => {
      const lookup = await store.del(ns, key);
      return lookup.found ? (lookup.value as unknown[]) : [];
    },
    clear: async () => eachLimited(await store.keys(ns), keysInFlight, (key) => store.del(ns, key)),
  };
}

/** Pairs in memory. */
export function inMemory(): ShuffledPairs {
  const pairs = new Map<string, unknown[]>();
  return {
    add: async (entries) => {
      for (const [key, values] of entries) {
        const held = pairs.get(key);
        if (held === undefined) pairs.set(key, values);
        else for (const value of values) held.push(value);
      }
    },
    keys: async () => [...pairs.keys()],
    take: async (key) => {
      const values = pairs.get(key) ?? [];
      pairs.delete(key);
      return values;
    },
    clear: async () => pairs.clear(),
  };
}
