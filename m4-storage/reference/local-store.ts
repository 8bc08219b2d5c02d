/**
 * The operations of a local store, on top of any way to keep cells (in
 * memory, in files): each key's operations run one at a time, so an append
 * or a put-if-absent reads and writes without another operation between.
 */
import type { LocalStore, Lookup } from "../api.ts";
import { KeyLock } from "./key-lock.ts";

/** What a cell holds: a value, or nothing. */
export type Cell = Lookup;

/** Where cells are kept. */
export interface Cells {
  read(gid: string, key: string): Promise<Cell>;
  write(gid: string, key: string, value: unknown): Promise<void>;
  remove(gid: string, key: string): Promise<void>;
  keys(gid: string): Promise<string[]>;
}

export function localStore(cells: Cells): LocalStore {
  const lock = new KeyLock();
  const locked = <T>(gid: string, key: string, operation: () => Promise<T>) => lock.run(`${gid}\u0000${key}`, operation);
  return {
    get: (gid, key) => locked(gid, key, () => cells.read(gid, key)),
    put: (gid, key, value) => locked(gid, key, () => cells.write(gid, key, value)),
    putIfAbsent: (gid, key, value) =>
      locked(gid, key, async () => {
        if ((await cells.read(gid, key)).found) return false;
        await cells.write(gid, key, value);
        return true;
      }),
    del: (gid, key) =>
      locked(gid, key, async () => {
        const cell = await cells.read(gid, key);
        if (cell.found) await cells.remove(gid, key);
        return cell;
      }),
    append: (gid, key, value) =>
      locked(gid, key, async () => {
        const cell = await cells.read(gid, key);
        const list = cell.found ? cell.value : [];
        if (!Array.isArray(list)) throw new TypeError(`Cannot append to "${key}": it holds something that is not an array`);
        await cells.write(gid, key, [...list, value]);
        return list.length + 1;
      }),
    keys: (gid) => cells.keys(gid),
  };
}
