/**
 * A local store in memory (see local-store.ts for the operations' rules).
 * An array that appends grow is the store's own, kept wrapped in a `Grown`
 * so the store knows it as such: an append pushes onto it in place
 * (constant time), the store never pushes onto an array a caller put or was
 * given, and it hands out copies of its own.
 */
import type { LocalStore, Lookup } from "../api.ts";
import { localStore } from "./local-store.ts";

/** An array that appends grew, owned by the store. */
class Grown {
  readonly list: unknown[];

  constructor(list: unknown[]) {
    this.list = list;
  }
}

export function memoryStore(): LocalStore {
  const namespaces = new Map<string, Map<string, unknown>>();
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
      return { found: true, value: value instanceof Grown ? [...value.list] : value };
    },
    write: async (gid: string, key: string, value: unknown) => void namespace(gid).set(key, value),
    remove: async (gid: string, key: string) => void namespace(gid).delete(key),
    append: async (gid: string, key: string, values: unknown[]) => {
      const map = namespace(gid);
      const current = map.has(key) ? map.get(key) : [];
      if (!(current instanceof Grown) && !Array.isArray(current)) return undefined;
      const grown = current instanceof Grown ? current : new Grown([...current]);
      for (const value of values) grown.list.push(value);
      map.set(key, grown);
      return grown.list.length;
    },
    keys: async (gid: string) => [...namespace(gid).keys()],
  };
  return localStore(cells);
}
