/**
 * Deliberately broken variants of the m4 reference, each one small edit that
 * models a bug students write. `npm run verify m4` checks that the hidden
 * tests catch every one.
 */
import type { Mutant } from "../../autograder/grader/mutant.ts";

export const mutants: Mutant[] = [
  {
    name: "appends-race",
    file: "local-store.ts",
    target: "hidden/local-store.test.ts",
    find: "  const locked = <T>(gid: string, key: string, operation: () => Promise<T>) => lock.run(`${gid}\\u0000${key}`, operation);",
    replace: "  const locked = <T>(_gid: string, _key: string, operation: () => Promise<T>) => operation();",
    bug: "operations on one key interleave, so racing appends lose items",
  },
  {
    name: "undefined-not-found",
    file: "memory-store.ts",
    target: "hidden/group-store.test.ts",
    find: "return map.has(key) ? { found: true, value: map.get(key) } : { found: false };",
    replace: "return map.get(key) !== undefined ? { found: true, value: map.get(key) } : { found: false };",
    bug: "a stored undefined looks like an absent key",
  },
  {
    name: "temporary-files-listed",
    file: "file-store.ts",
    target: "hidden/file-store.test.ts",
    find: '      const keys = await Promise.all(names.filter((name) => name.endsWith(".cell")).map(async (name) => {',
    replace: "      const keys = await Promise.all(names.map(async (name) => {",
    bug: "keys() also reads the temporary files of writes in progress (or cut short by a crash)",
  },
  {
    name: "parent-folders-assumed",
    file: "file-store.ts",
    target: "hidden/file-store.test.ts",
    find: "      await mkdir(where, { recursive: true });",
    replace: "      await mkdir(where).catch(() => undefined);",
    bug: "the store assumes its folder's parents exist",
  },
  {
    name: "key-as-file-name",
    file: "file-store.ts",
    target: "hidden/file-store.test.ts",
    find: "const file = (gid: string, key: string) => join(namespaceFolder(gid), `${sha256(key)}.cell`);",
    replace: "const file = (gid: string, key: string) => join(namespaceFolder(gid), `${key}.cell`);",
    bug: "the key is the file name: ../ escapes the folder and long keys fail",
  },
  {
    name: "namespaces-shared",
    file: "file-store.ts",
    target: "hidden/file-store.test.ts",
    find: "const namespaceFolder = (gid: string) => join(folder, sha256(gid));",
    replace: "const namespaceFolder = (_gid: string) => join(folder, \"all\");",
    bug: "every group's keys share one folder",
  },
  {
    name: "ring-without-wrap",
    file: "placement.ts",
    target: "hidden/placement.test.ts",
    find: "return (points[low % points.length] as [string, string])[1];",
    replace: "return (points[Math.min(low, points.length - 1)] as [string, string])[1];",
    bug: "keys past the last ring point go to the last point instead of wrapping to the first",
  },
  {
    name: "rendezvous-without-key",
    file: "placement.ts",
    target: "hidden/placement.test.ts",
    find: "const weight = keyHash(`${member}|${key}`);",
    replace: "const weight = keyHash(`${member}|${key.length}`);",
    bug: "rendezvous weights ignore most of the key, so keys pile up",
  },
  {
    name: "naive-unsorted",
    file: "placement.ts",
    target: "hidden/placement.test.ts",
    find: "const sorted = [...members].sort();",
    replace: "const sorted = [...members];",
    bug: "naive hashing indexes the members in whatever order the view lists them",
  },
  {
    name: "move-everything",
    file: "group-store.ts",
    target: "hidden/crash-reconfigure.test.ts",
    find: "if (nid !== m2.nodeId(holder)) byOwner.set(nid, [...(byOwner.get(nid) ?? []), key]);",
    replace: "byOwner.set(nid, [...(byOwner.get(nid) ?? []), key]);",
    bug: "a reconfiguration asks for every key to be pulled, moving keys that stay put",
  },
  {
    name: "pulls-uncounted",
    file: "store-service.ts",
    target: "hidden/movement-consistent.test.ts",
    find: "    if (move !== undefined) move.pulled++;\n",
    replace: "",
    bug: "a reconfiguration reports that no key moved",
  },
  {
    name: "no-pull-on-access",
    file: "store-service.ts",
    target: "hidden/reconfigure.test.ts",
    find: "        if (previous !== undefined && previous.length > 0) {",
    replace: "        if (previous !== undefined && previous.length < 0) {",
    bug: "during a move, a read at the new owner misses keys not pulled yet",
  },
  {
    name: "no-forwarding",
    file: "store-service.ts",
    target: "hidden/group-store.test.ts",
    find: "if (ownerId !== node.id && !forwarded) return call(",
    replace: "if (ownerId !== node.id && forwarded) return call(",
    bug: "a node that does not own a key answers from its own store instead of asking the owner",
  },
];
