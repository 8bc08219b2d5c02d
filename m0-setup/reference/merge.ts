import type { Index, TermCounts } from "../api.ts";
import { readIndexIfAny, writeIndex } from "./index-file.ts";

/**
 * Merges documents into the index in a folder: reads the index (if any),
 * removes every document that arrives again, adds the new versions, and
 * writes the index back. Within one call, the last version of a URL wins.
 */
export async function merge(
  folder: string,
  documents: Iterable<TermCounts> | AsyncIterable<TermCounts>,
): Promise<void> {
  const batch = new Map<string, ReadonlyMap<string, number>>();
  for await (const { url, counts } of documents) batch.set(url, counts);
  const index = await readIndexIfAny(folder);
  removeDocuments(index, new Set([...batch.keys()].filter((url) => index.documents.has(url))));
  for (const [url, counts] of batch) addDocument(index, url, counts);
  await writeIndex(folder, index);
}

/** Removes documents and their postings; a term left without postings goes too. */
function removeDocuments(index: Index, urls: ReadonlySet<string>): void {
  if (urls.size === 0) return;
  for (const url of urls) index.documents.delete(url);
  for (const [term, postings] of index.terms) {
    for (const url of urls) postings.delete(url);
    if (postings.size === 0) index.terms.delete(term);
  }
}

/** Adds a document: its length is the number of its terms, the sum of its counts. */
function addDocument(index: Index, url: string, counts: ReadonlyMap<string, number>): void {
  let length = 0;
  for (const [term, count] of counts) {
    if (!(count > 0)) continue;
    length += count;
    let postings = index.terms.get(term);
    if (postings === undefined) index.terms.set(term, (postings = new Map()));
    postings.set(url, count);
  }
  index.documents.set(url, length);
}
