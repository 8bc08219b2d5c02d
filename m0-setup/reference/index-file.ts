/**
 * The index on disk: one file, `index.ndjson`, in the index's folder. Line 1
 * counts what follows; then one line per document (its position is its
 * number); then one line per term, sorted, with its postings as pairs of
 * document number and count:
 *
 *     {"documents":2,"terms":3}
 *     ["https://example.org/a.html",3]
 *     ["https://example.org/b.html",1]
 *     ["log",[0,1]]
 *     ["vacuum",[0,2,1,1]]
 *     ["vacuum log",[0,1]]
 *
 * A new version is written beside the old one and renamed over it, so a
 * reader (or a crash) never sees half an index.
 */
import { access, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Index } from "../api.ts";

const fileName = "index.ndjson";

/** An index without documents. */
export function emptyIndex(): Index {
  return { documents: new Map(), terms: new Map() };
}

/**
 * Reads the index in a folder.
 *
 * @throws Error when the folder holds no index, or a damaged one.
 */
export async function readIndex(folder: string): Promise<Index> {
  const path = join(folder, fileName);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new Error(`Cannot read index ${path}: ${(error as Error).message}`, { cause: error });
  }
  const lines = text.split("\n");
  const header = JSON.parse(lines[0] ?? "null") as { documents?: unknown; terms?: unknown } | null;
  const documentCount = Number(header?.documents);
  if (!Number.isInteger(documentCount) || lines.length < documentCount + Number(header?.terms) + 1) {
    throw new Error(`Cannot read index ${path}: it is damaged`);
  }
  const urls: string[] = [];
  const index = emptyIndex();
  for (let i = 1; i <= documentCount; i++) {
    const [url, length] = JSON.parse(lines[i] as string) as [string, number];
    urls.push(url);
    index.documents.set(url, length);
  }
  for (let i = documentCount + 1; i < lines.length; i++) {
    if (lines[i] === "") continue;
    const [term, pairs] = JSON.parse(lines[i] as string) as [string, number[]];
    const postings = new Map<string, number>();
    for (let p = 0; p < pairs.length; p += 2) postings.set(urls[pairs[p] as number] as string, pairs[p + 1] as number);
    index.terms.set(term, postings);
  }
  return index;
}

/** Reads the index in a folder, or an empty index if the folder holds none. */
export async function readIndexIfAny(folder: string): Promise<Index> {
  try {
    await access(join(folder, fileName));
  } catch {
    return emptyIndex();
  }
  return readIndex(folder);
}

/** Writes an index to a folder (created if needed), replacing the one there. */
export async function writeIndex(folder: string, index: Index): Promise<void> {
  await mkdir(folder, { recursive: true });
  const numbers = new Map<string, number>();
  const lines = [JSON.stringify({ documents: index.documents.size, terms: index.terms.size })];
  for (const [url, length] of index.documents) {
    numbers.set(url, numbers.size);
    lines.push(JSON.stringify([url, length]));
  }
  for (const term of [...index.terms.keys()].sort()) {
    const pairs: number[] = [];
    for (const [url, count] of index.terms.get(term) as Map<string, number>) pairs.push(numbers.get(url) as number, count);
    lines.push(JSON.stringify([term, pairs]));
  }
  const path = join(folder, fileName);
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, `${lines.join("\n")}\n`);
  await rename(temporary, path);
}
