/**
 * The operations of a local store, on top of any way to keep cells (in
 * memory, in files): each key's operations run one at a time, in the order
 * they were called, so an update reads and writes with no other operation
 * on the key in between.
 */
import type { LocalStore, Lookup } from "../api.ts";
import { KeyLock } from "./key-lock.ts";

/** Where cells are kept. */
export interface Cells {
  read(gid: string, key: string): Promise<Lookup>;
  write(gid: string, key: string, value: unknown): Promise<void>;
  remove(gid: string, key: string): Promise<void>;
  /**
   * Adds values to the array at the key (an absent key starts as []), in
   * time that does not grow with the array; returns the new length, or
   * undefined, changing nothing, when the key holds something else.
   */
  append(gid: string, key: string, values: unknown[]): Promise<number | undefined>;
  keys(gid: string): Promise<string[]>;
}

export function localStore(cells: Cells): LocalStore {
  const lock = new KeyLock();
  const locked = <T>(gid: string, key: string, operation: () => Promise<T>) => lock.run(`${gid}\u0000${key}`, operation);
  const update: LocalStore["update"] = (gid, key, fn) =>
    locked(gid, key, async () => {
      const current = await cells.read(gid, key);
      const next = await fn(current);
      if (next.found) {
        if (next !== current) await cells.write(gid, key, next.value);
      } else if (current.found) {
        await cells.remove(gid, key);
      }
      return current;
    });
  const appendAll: LocalStore["appendAll"] = (gid, key, values) =>
    locked(gid, key, async () => {
      const length = await cells.append(gid, key, values);
      if (length === undefined) throw new TypeError(`Cannot append to "${key}": it holds something that is not an array`);
      return length;
    });
  return {
    get: (gid, key) => locked(gid, key, () => cells.read(gid, key)),
    put: (gid, key, value) => locked(gid, key, () => cells.write(gid, key, value)),
    putIfAbsent: async (gid, key, value) => !(await update(gid, key, (current) => (current.found ? current : { found: true, value }))).found,
    del: (gid, key) => update(gid, key, () => ({ found: false })),
    update,
    append: (gid, key, value) => appendAll(gid, key, [value]),
    appendAll,
    keys: (gid) => cells.keys(gid),
  };
}
