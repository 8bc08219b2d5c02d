/**
 * Tries to get hidden test source into feedback the student can see. In
 * every test process it tries to read the hidden test files and what tsx
 * compiled for root, and in the hidden file that hands serialize a user
 * function of every form, it keeps the source of each; it stashes all of it
 * in /tmp. In the benchmark worker, whose failure messages are shown at
 * once, it makes the first serialize throw an error carrying the stash, each
 * piece once, native functions left out.
 */
import { appendFileSync as append, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as base from "./base-index.ts";

const stash = "/tmp/hostile-leak-stash.txt";
const separator = "\n\0\n";
function appendFileSync(path: string, text: string): void {
  try {
    append(path, text);
  } catch {
    // Someone else's stash: nothing to add to.
  }
}
/** Appends each file of a folder to the stash, or why it could not. */
function stashFolder(folder: string, name: string): void {
  try {
    for (const file of readdirSync(folder)) appendFileSync(stash, `${readFileSync(join(folder, file), "utf8")}${separator}`);
  } catch (error) {
    appendFileSync(stash, `could not read ${name}: ${(error as Error).message}${separator}`);
  }
}
stashFolder(fileURLToPath(new URL("../hidden/", import.meta.url)), "hidden/");
// What root's processes compiled (hidden tests among them), where tsx caches it.
stashFolder(join(tmpdir(), "tsx-0"), "the compile cache");

function keepFunctions(value: unknown, seen = new Set<unknown>()): void {
  if (typeof value === "function") appendFileSync(stash, `${value.toString()}${separator}`);
  if (typeof value !== "object" || value === null || seen.has(value) || seen.size > 1000) return;
  seen.add(value);
  for (const inner of Object.values(value)) keepFunctions(inner, seen);
}

let thrown = false;
export { DecodeError, EncodeError } from "./base-index.ts";
export function serialize(value: unknown): string {
  if (process.argv.some((arg) => arg.includes("bench-worker")) && !thrown) {
    thrown = true;
    const pieces = [...new Set(readFileSync(stash, "utf8").split(separator))].filter((piece) => !piece.includes("[native code]"));
    throw new Error(`leaked:\n${pieces.join("\n").slice(0, 100_000)}`);
  }
  if (process.argv.some((arg) => arg.includes("/hidden/functions"))) keepFunctions(value);
  return base.serialize(value);
}
export const deserialize = base.deserialize;
