/** A local store in memory (see local-store.ts for the operations' rules). */
import type { LocalStore } from "../api.ts";
import { type Cell, localStore } from "./local-store.ts";

export function memoryStore(): LocalStore {
  const namespaces = new Map<string, Map<string, unknown>>();
  const namespace = (gid: string) => {
    let map = namespaces.get(gid);
    if (map === undefined) namespaces.set(gid, (map = new Map()));
    return map;
  };
  const cells = {
    read: async (gid: string, key: string): Promise<Cell> => {
      const map = namespace(gid);
      return map.has(key) ? { found: true, value: map.get(key) } : { found: false };
    },
    write: async (gid: string, key: string, value: unknown) => void namespace(gid).set(key, value),
    remove: async (gid: string, key: string) => void namespace(gid).delete(key),
    keys: async (gid: string) => [...namespace(gid).keys()],
  };
  return localStore(cells);
}
