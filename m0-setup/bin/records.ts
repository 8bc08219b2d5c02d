/**
 * The line format of the m0 tools: one JSON object per line (NDJSON), each
 * about one document and naming it by `url`. A stage reads one kind of record
 * and writes the next:
 *
 * | record | fields                                    | written by          |
 * |--------|-------------------------------------------|---------------------|
 * | page   | `{"url", "html"}`                         | pages, crawl        |
 * | links  | `{"url", "links": [url, …]}`              | getURLs             |
 * | text   | `{"url", "text"}`                         | getText, lines      |
 * | terms  | `{"url", "terms": [term, …]}`             | process, stem, combine |
 * | counts | `{"url", "counts": [[term, count], …]}`   | invert              |
 *
 * A line that is not such a record is reported on stderr with its number and
 * skipped; the tool goes on with the next line and exits with status 1.
 */
import { once } from "node:events";
import { createInterface } from "node:readline";

export type Kind = "page" | "text" | "terms" | "counts";

export interface PageRecord {
  url: string;
  html: string;
}
export interface TextRecord {
  url: string;
  text: string;
}
export interface TermsRecord {
  url: string;
  terms: string[];
}
export interface CountsRecord {
  url: string;
  /** A Map's entries: `new Map(counts)` makes the Map. */
  counts: Array<[string, number]>;
}

/** The record of each kind. */
export interface Records {
  page: PageRecord;
  text: TextRecord;
  terms: TermsRecord;
  counts: CountsRecord;
}

const isString = (value: unknown) => typeof value === "string";
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isCount = (pair: unknown) =>
  Array.isArray(pair) && pair.length === 2 && isString(pair[0]) && Number.isInteger(pair[1]);

/** What each kind of record looks like, as text for error messages and as a check. */
const shapes: Record<Kind, { text: string; check: (record: Record<string, unknown>) => boolean }> = {
  page: { text: '{"url": string, "html": string}', check: (r) => isString(r.url) && isString(r.html) },
  text: { text: '{"url": string, "text": string}', check: (r) => isString(r.url) && isString(r.text) },
  terms: {
    text: '{"url": string, "terms": [string, …]}',
    check: (r) => isString(r.url) && Array.isArray(r.terms) && r.terms.every(isString),
  },
  counts: {
    text: '{"url": string, "counts": [[term, count], …]}',
    check: (r) => isString(r.url) && Array.isArray(r.counts) && r.counts.every(isCount),
  },
};

/** Yields each line of stdin. */
export async function* lines(): AsyncGenerator<string> {
  yield* createInterface({ input: process.stdin, crlfDelay: Infinity });
}

/** Yields the records of one kind on stdin, reporting and skipping lines of any other shape. */
export async function* readRecords<K extends Kind>(kind: K, report: (problem: string) => void): AsyncGenerator<Records[K]> {
  let number = 0;
  for await (const line of lines()) {
    number++;
    if (line.trim() === "") continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      record = undefined;
    }
    if (isObject(record) && shapes[kind].check(record)) yield record as unknown as Records[K];
    else report(`Cannot read line ${number} of stdin: expected ${shapes[kind].text}`);
  }
}

/** Writes one record (or any text) as a line on stdout, waiting when the reader is slower. */
export async function write(record: object | string): Promise<void> {
  const line = typeof record === "string" ? record : JSON.stringify(record);
  if (!process.stdout.write(`${line}\n`)) await once(process.stdout, "drain");
}
