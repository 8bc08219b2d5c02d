/**
 * What the m0 tests share: the implementation under test (chosen by DIST_IMPL
 * or implementations.json), temporary folders, and running the shell tools
 * as child processes on the runtime that runs the tests.
 */
import { spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { load } from "../../autograder/kit/implementations.ts";
import { repoRoot } from "../../autograder/kit/milestones.ts";
import type * as Api from "../api.ts";
import { runPrefix, scriptCommand, searchScript, toolScript } from "../bin/runtime.ts";
import { scratchFolder } from "../../autograder/harness/scratch.ts";

/** The m0 implementation under test. */
export const m0: typeof Api = await load<typeof Api>("m0");

/** The words of a text, which is what tests compare `getText` results by. */
export function words(text: string): string[] {
  return text.split(/\s+/).filter((word) => word !== "");
}

/** A new, empty temporary folder, removed when the test ends. */
export async function temporaryFolder(t: TestContext): Promise<string> {
  const folder = await scratchFolder("m0-test-");
  t.after(() => rm(folder, { recursive: true, force: true }));
  return folder;
}

/** What a child process did. */
export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command with `input` on its stdin, from the repository's root. */
export function run(command: string[], input = "", env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const [program, ...args] = command as [string, ...string[]];
    const child = spawn(program, args, { cwd: repoRoot, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
    child.stdin.on("error", () => undefined); // a tool that exits early closes its stdin
    child.stdin.end(input);
  });
}

/** Runs one m0 tool (m0-setup/bin/tool.ts) as a shell filter. */
export function runTool(args: string[], input = ""): Promise<Run> {
  return run([...scriptCommand(toolScript), ...args], input);
}

/** Runs m0-setup/bin/search.sh, the whole pipeline over a folder, on this runtime. */
export function runSearch(args: string[]): Promise<Run> {
  return run(["bash", searchScript, ...args], "", { DIST_RUN: runPrefix().join(" ") });
}

/** Records as NDJSON text, one per line. */
export function ndjson(records: object[]): string {
  return records.map((record) => `${JSON.stringify(record)}\n`).join("");
}

/** The records of NDJSON text. */
export function parseNdjson(text: string): Array<Record<string, unknown>> {
  return text.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line));
}

/** An index's postings as sorted plain data, for comparing two indexes whatever their order. */
export function plain(index: Api.Index): { documents: Array<[string, number]>; terms: Array<[string, Array<[string, number]>]> } {
  const sorted = <T>(entries: Array<[string, T]>) => entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    documents: sorted([...index.documents]),
    terms: sorted([...index.terms].map(([term, postings]) => [term, sorted([...postings])])),
  };
}
