/**
 * Local stores for the hidden tests: a memory store or a file store in a
 * temporary folder deleted when the test ends, the keys a store must survive,
 * values of every kind milestone 1 carries, and a listing of a folder tree
 * (to prove a file store writes nowhere else).
 */
import { Buffer } from "node:buffer";
import { mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { TestContext } from "node:test";
import type * as Api from "../api.ts";
import { m4 } from "./_group.ts";
import { sha256 } from "./_placement.ts";
import { scratchFolder } from "../../autograder/harness/scratch.ts";

export type StoreKind = "memory" | "file";
export const storeKinds: readonly StoreKind[] = ["memory", "file"];

/** A temporary folder, deleted (with all it holds) when the test ends. */
export async function tempFolder(t: TestContext, prefix = "m4-hidden-"): Promise<string> {
  const folder = await scratchFolder(prefix);
  t.after(() => rm(folder, { recursive: true, force: true }));
  return folder;
}

/**
 * A folder for a file store (which the store creates), four levels down in a
 * temporary folder, so that a store that wrongly uses keys as paths still
 * writes inside the temporary folder (the hostile keys below climb at most
 * three levels).
 */
export async function storeFolder(t: TestContext): Promise<string> {
  const parent = join(await tempFolder(t), "a", "b", "c");
  await mkdir(parent, { recursive: true });
  return join(parent, "store");
}

/** A fresh store of a kind (a file store in a fresh folder that is deleted after the test). */
export async function freshStore(t: TestContext, kind: StoreKind): Promise<Api.LocalStore> {
  if (kind === "memory") return m4.memoryStore();
  return m4.fileStore(await storeFolder(t));
}

/**
 * Keys that break naive stores: paths, NUL, unicode, long keys, names of
 * Object.prototype, and names a file store might give its own files. (The
 * paths climb at most three levels and name no real absolute path, so that
 * even a store that uses them as file names writes nothing that matters.)
 */
export function hostileKeys(gid: string): string[] {
  const keys = [
    "", ".", "..", "../", "../../etc/passwd", "../../../escape", "/", "/tmp", "a/b/c", "a/../../b", "a\\b", "C:\\Windows",
    "\u0000", "nul\u0000byte", "\u0000".repeat(3), "line\nbreak", "tab\tkey", " ", "ünïcødé 🗝", "中文キー", "\u202eRTL", "\ufeffbom",
    "x".repeat(10_240), "ü".repeat(5_000), "__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf",
    "a", sha256("a"), `${sha256("a")}.tmp`, sha256(gid), sha256(sha256("a")), ".tmp", "a.tmp", "tmp", "~a", ".git", "CON", "NUL",
    "keys", "index", "index.json", "meta", ".lock", gid, `${gid}/`, "0", "1", "-1", "NaN", "undefined", "null",
  ];
  return [...new Set(keys)];
}

/** Group ids (namespaces) that break naive stores. */
export const hostileGids: readonly string[] = ["", "../", "../../g", "/g", "g/h", "g\u0000h", "__proto__", "constructor", "名前", "y".repeat(5_000)];

/** A named value of each kind milestone 1 carries (handouts/m1.md#values). */
export function valuesOfEveryKind(): Array<[name: string, value: unknown]> {
  const shared = { shared: true };
  const cyclic: Record<string, unknown> = { name: "cycle" };
  cyclic.self = cyclic;
  const sparse: unknown[] = [1, , 3];
  (sparse as unknown as { label: string }).label = "x";
  const regexp = /a+b/gi;
  regexp.lastIndex = 2;
  const nullProto = Object.create(null) as Record<string, unknown>;
  nullProto.k = 1;
  const withProtoKey = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as unknown;
  const error = new RangeError("out of range", { cause: new Error("inner") });
  (error as RangeError & { code: string }).code = "E_RANGE";
  return [
    ["undefined", undefined],
    ["null", null],
    ["false", false],
    ["NaN", Number.NaN],
    ["-0", -0],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["a big BigInt", 2n ** 100n + 7n],
    ["the empty string", ""],
    ["a string with NUL and a lone surrogate", "a\u0000b\ud800c"],
    ["a registered symbol", Symbol.for("m4.hidden")],
    ["a well-known symbol", Symbol.iterator],
    ["a Date", new Date(1_700_000_000_000)],
    ["an invalid Date", new Date(Number.NaN)],
    ["a RegExp", regexp],
    ["an Error with cause and code", error],
    ["a sparse array with a property", sparse],
    ["a null-prototype object", nullProto],
    ["an object with a __proto__ key", withProtoKey],
    ["a Map with object keys", new Map<unknown, unknown>([[{ k: 1 }, "object key"], [2n, [1, 2]], [Number.NaN, undefined]])],
    ["a Set", new Set([1, "1", shared, null])],
    ["shared references", { a: shared, b: shared, list: [shared] }],
    ["a cycle", cyclic],
    ["a Uint8Array", new Uint8Array([0, 1, 255])],
    ["a Float64Array", new Float64Array([Math.PI, -0, Number.NaN])],
    ["a BigInt64Array", new BigInt64Array([-1n, 2n ** 62n])],
    ["an ArrayBuffer", new Uint16Array([1, 2, 3]).buffer],
    ["a DataView", new DataView(new ArrayBuffer(8), 2, 4)],
    ["a Buffer", Buffer.from("buffered")],
    ["a function", function twice(x: number) { return 2 * x; }],
    ["an arrow function", (a: number, b: number) => a + b],
    ["a deep object", { a: { b: { c: { d: [1, { e: new Map([["f", new Set([new Date(0)])]]) }] } } } }],
  ];
}

/** Values of about 1 MB: a string, bytes, and a list. */
export function megabyteValues(seed: number): Array<[name: string, value: unknown]> {
  const bytes = new Uint8Array(1 << 20);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < bytes.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  const text = Array.from({ length: 1 << 14 }, (_, i) => `${(i * 2_654_435_761 + seed) >>> 0}`.padStart(64, "·")).join("");
  return [
    ["a 1 MB string", text],
    ["1 MB of bytes", bytes],
    ["a list of 100,000 numbers", Array.from({ length: 100_000 }, (_, i) => i * 1.5)],
  ];
}

/** Every file and folder under `root`, relative to it (folders end with "/"). */
export async function listTree(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (relative: string) => {
    for (const entry of await readdir(join(root, relative), { withFileTypes: true })) {
      const path = relative === "" ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        found.push(`${path}/`);
        await walk(path);
      } else {
        found.push(path);
      }
    }
  };
  await walk("");
  return found.sort();
}
