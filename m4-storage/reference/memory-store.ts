/**
 * A local store in memory (see local-store.ts for the operations' rules).
 * Arrays that appends grow belong to the store: an append pushes onto one in
 * place (constant time), so the store never pushes onto an array a caller
 * put or was given, and hands out copies of its own.
 */
import type { LocalStore, Lookup } from "../api.ts";
import { localStore } from "./local-store.ts";

export function memoryStore(): LocalStore {
  const namespaces = new Map<string, Map<string, unknown>>();
  const grown = new WeakSet<unknown[]>();
  const namespace = (gid: string) => {
    let map = namespaces.get(gid);
    if (map === undefined) namespaces.set(gid, (map = new Map()));
    return map;
  };
  const cells = {
    read: async (gid: string, key: string): Promise<Lookup> => {
      const map = namespace(gid);
      if (!map.has(key)) return { found: false };
      const value = map.get(key);
      return { found: true, value: Array.isArray(value) && grown.has(value) ? [...value] : value };
    },
    write: async (gid: string, key: string, value: unknown) => void namespace(gid).set(key, value),
    remove: async (gid: string, key: string) => void namespace(gid).delete(key),
    append: async (gid: string, key: string, values: unknown[]) => {
      const map = namespace(gid);
      const current = map.has(key) ? map.get(key) : [];
      if (!Array.isArray(current)) return undefined;
      const list = grown.has(current) ? current : [...current];
      grown.add(list);
      for (const value of values) list.push(value);
      map.set(key, list);
      return list.length;
    },
    keys: async (gid: string) => [...namespace(gid).keys()],
  };
  return localStore(cells);
}
