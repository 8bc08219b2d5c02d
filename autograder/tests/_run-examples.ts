/**
 * `_run-examples.ts mN`: runs every `@example` of milestone N's api.ts
 * against the reference (the structure test runs it, in a process where
 * every milestone is the reference), and exits non-zero naming each one
 * that failed. Each example becomes a module of its own.
 *
 * An example is a small program. It may start nodes (each is stopped after
 * it), use files under `/tmp/` (each example gets a fresh folder instead),
 * and crawl `http://127.0.0.1:8080/` (a small generated web served for it).
 * A line `expression; // result` is checked when its comment, or the part of
 * it before a colon, is itself an expression (`// 64`, `// "hello kit"`,
 * `// true: one object`); other comments are prose.
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { milestoneFolder, parseMilestone } from "../kit/milestones.ts";
import { startWeb } from "../web/index.ts";

/** One `@example` of an api.ts: where it starts, and its lines of code. */
interface Example {
  line: number;
  code: string[];
}

/** The examples in the doc comments of a source file. */
function examplesOf(source: string): Example[] {
  const examples: Example[] = [];
  let current: Example | undefined;
  for (const [i, text] of source.split("\n").entries()) {
    const comment = /^\s*\*(?: (.*))?$/.exec(text);
    if (current !== undefined && (comment === null || /^\s*@\w+/.test(comment[1] ?? "") || /^\s*\*\/\s*$/.test(text))) {
      examples.push(current);
      current = undefined;
    }
    if (comment !== null && /^@example\s*$/.test(comment[1] ?? "")) current = { line: i + 1, code: [] };
    else if (current !== undefined && comment !== null) current.code.push(comment[1] ?? "");
  }
  return examples;
}

/** Whether a text is a JavaScript expression (it is compiled, never run). */
function isExpression(text: string): boolean {
  try {
    new Function(`return (${text});`);
    return true;
  } catch {
    return false;
  }
}

/** The result a line's comment states, if it states one as an expression. */
function statedResult(comment: string): string | undefined {
  const text = comment.trim();
  if (isExpression(text)) return text;
  const before = text.split(": ")[0] as string;
  return before !== text && isExpression(before) ? before : undefined;
}

/** An example's code with its stated results checked. */
function checked(code: string[]): string[] {
  return code.map((line) => {
    const match = /^(\s*)(.+?);\s*\/\/ (.+)$/.exec(line);
    const expected = match === null ? undefined : statedResult(match[3] as string);
    if (match === null || expected === undefined || /^(const|let|await\s+Promise\.all)\b/.test(match[2] as string)) return line;
    return `${match[1]}assert.deepEqual(await (${match[2]}), ${expected}, ${JSON.stringify(line.trim())});`;
  });
}

/**
 * A module whose default export runs the example against the implementation
 * at `entry` (a file URL), whose exports are `names`.
 */
function exampleModule(example: Example, entry: string, names: readonly string[]): string {
  const plain = names.filter((name) => name !== "startNode" && name !== "spawnNode");
  const body = checked(example.code).map((line) => line.replaceAll('"/tmp/', 'folder + "/').replaceAll('"http://127.0.0.1:8080/', 'web + "'));
  const starters = names.filter((name) => name === "startNode" || name === "spawnNode").map((name) =>
    `  const ${name} = async (...args: any[]) => { const node = await (implementation.${name} as any)(...args); started.push(node); return node; };`
  );
  return [
    `import assert from "node:assert/strict";`,
    `import * as implementation from ${JSON.stringify(entry)};`,
    `const { ${plain.join(", ")} } = implementation as any;`,
    `export default async function run(started: Array<{ stop(): Promise<void> }>, folder: string, web: string): Promise<void> {`,
    ...starters,
    ...body.map((line) => `  ${line}`),
    `}`,
  ].join("\n");
}

const id = parseMilestone(process.argv[2] ?? "");
const entry = pathToFileURL(join(milestoneFolder(id), "reference", "index.ts")).href;
const names = Object.keys(await import(entry));
const web = await startWeb({ pages: 10, seed: 1 });
const scratch = mkdtempSync(join(tmpdir(), "api-examples-"));
const failures: string[] = [];
for (const example of examplesOf(readFileSync(join(milestoneFolder(id), "api.ts"), "utf8"))) {
  const module = join(scratch, `example-${example.line}.mts`);
  writeFileSync(module, exampleModule(example, entry, names));
  const started: Array<{ stop(): Promise<void> }> = [];
  try {
    const { default: run } = (await import(pathToFileURL(module).href)) as { default: (started: unknown[], folder: string, web: string) => Promise<void> };
    await run(started, mkdtempSync(join(scratch, "folder-")), `${web.url}/`);
  } catch (error) {
    failures.push(`the example at line ${example.line}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await Promise.all(started.map((node) => node.stop()));
  }
}
await web.close();
rmSync(scratch, { recursive: true, force: true });
if (failures.length > 0) {
  console.log(failures.join("\n"));
  process.exit(1);
}
