/**
 * Static red flags: places in a submission that reach for what graded code
 * has no business with (the test runner, the inspector, heap snapshots, the
 * grader's secrets and results, /proc). They change no score; the grader lists
 * them for the course staff, who decide what they mean.
 *
 * @example
 * redFlags("/autograder/work/m2-actors/stub"); // [{ file: "index.ts", line: 3, what: "imports node:test" }]
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

export interface RedFlag {
  /** Relative to the submission folder. */
  file: string;
  line: number;
  what: string;
}

const patterns: ReadonlyArray<[RegExp, string]> = [
  [/["'](?:node:)?(test|v8|inspector|worker_threads)(?:\/[a-z]+)?["']/, "imports node:$1"],
  [/process\s*\.\s*binding\b|process\s*\.\s*_debugProcess\b/, "reaches for Node's internals"],
  [/["'`][^"'`]*\/(?:reference|hidden|mutants)\//, "names a path under reference/, hidden/ or mutants/"],
  [/["'`]\.\.\/(?:reference|hidden|mutants)\b/, "names a path under reference/, hidden/ or mutants/"],
  [/weights\.json|results\.json|\/autograder\/(?:results|source)/, "names the grader's weights, results or source"],
  [/["'`]\/proc\b/, "reads /proc"],
  [/\/dev\/fd\/|\b(?:writeSync|readSync|closeSync|fstatSync)\s*\(\s*3\b/, "touches file descriptor 3 (the result channel)"],
];

const sourceFile = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/** The red flags in every source file under a folder. */
export function redFlags(folder: string): RedFlag[] {
  const flags: RedFlag[] = [];
  let entries: string[];
  try {
    entries = readdirSync(folder, { recursive: true, encoding: "utf8" });
  } catch {
    return flags;
  }
  for (const entry of entries.filter((name) => sourceFile.test(name)).sort()) {
    let text: string;
    try {
      text = readFileSync(join(folder, entry), "utf8");
    } catch {
      continue;
    }
    text.split("\n").forEach((line, index) => {
      const found = new Set<string>();
      for (const [pattern, what] of patterns) {
        const match = pattern.exec(line);
        if (match) found.add(what.replace("$1", match[1] ?? ""));
      }
      for (const what of found) flags.push({ file: relative(folder, join(folder, entry)), line: index + 1, what });
    });
  }
  return flags;
}
