/**
 * Reads the JUnit XML that `bun test` and `deno test` write: one outcome per
 * <testcase>. Only what the grader needs is parsed: the name, the time, and
 * the failure message if any.
 *
 * @example
 * parseJUnit('<testcase name="a" time="0.1"/>'); // [{ name: "a", passed: true, ms: 100 }]
 */
import { cap, type TestOutcome } from "./outcomes.ts";

const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Replaces XML character and entity references by the characters. */
export function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, ref: string) => {
    if (ref[0] !== "#") return entities[ref.toLowerCase()] as string;
    return String.fromCodePoint(ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : Number(ref.slice(1)));
  });
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match ? unescapeXml(match[1] as string) : undefined;
}

/** The outcomes listed in a JUnit XML document. */
export function parseJUnit(xml: string): TestOutcome[] {
  const outcomes: TestOutcome[] = [];
  const testcase = /<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g;
  for (const match of xml.matchAll(testcase)) {
    const tag = match[1] as string;
    const body = match[3] ?? "";
    const failure = /<(failure|error)\b([^>]*?)(?:\/>|>([\s\S]*?)<\/\1>)/.exec(body);
    const skipped = /<skipped\b/.test(body);
    const outcome: TestOutcome = {
      name: attribute(tag, "name") ?? "",
      passed: failure === null && !skipped,
      ms: Number(attribute(tag, "time") ?? 0) * 1000,
    };
    if (failure !== null) {
      outcome.message = cap((attribute(failure[2] as string, "message") ?? unescapeXml(failure[3] ?? "")).trim());
    } else if (skipped) {
      outcome.message = "skipped";
    }
    outcomes.push(outcome);
  }
  return outcomes;
}
