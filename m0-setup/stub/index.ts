/**
 * Milestone 0: a search engine as small tools. Replace each `throw` with your
 * implementation; the contract is in ../api.ts and the guide in
 * handouts/m0.md. You may add files to this folder and import them from here.
 */
import { NotImplemented } from "../../autograder/kit/errors.ts";
import type { CrawlOptions, Hit, Index, Page, QueryOptions, TermCounts } from "../api.ts";

export { stopwords } from "../stopwords.ts";
export type { CrawlOptions, Hit, Index, Page, QueryOptions, TermCounts } from "../api.ts";

/** Crawls a site from a start page. See ../api.ts. */
export function crawl(start: string, options?: CrawlOptions): AsyncIterable<Page> {
  throw new NotImplemented("m0 crawl: see handouts/m0.md#crawl");
}

/** Extracts the links of an HTML page. See ../api.ts. */
export function getURLs(html: string, url: string): string[] {
  throw new NotImplemented("m0 getURLs: see handouts/m0.md#geturls");
}

/** Extracts the text of an HTML page. See ../api.ts. */
export function getText(html: string): string {
  throw new NotImplemented("m0 getText: see handouts/m0.md#gettext");
}

/** Lowercases, splits into words, drops stopwords. See ../api.ts. */
export function process(text: string): string[] {
  throw new NotImplemented("m0 process: see handouts/m0.md#process");
}

/** Stems a word with Porter's algorithm. See ../api.ts. */
export function stem(word: string): string {
  throw new NotImplemented("m0 stem: see handouts/m0.md#stem");
}

/** Forms the 1- to n-grams of a list of terms. See ../api.ts. */
export function combine(terms: readonly string[], n = 3): string[] {
  throw new NotImplemented("m0 combine: see handouts/m0.md#combine");
}

/** Counts the terms of one document. See ../api.ts. */
export function invert(terms: readonly string[]): Map<string, number> {
  throw new NotImplemented("m0 invert: see handouts/m0.md#invert");
}

/** Merges documents into the index in a folder. See ../api.ts. */
export async function merge(
  folder: string,
  documents: Iterable<TermCounts> | AsyncIterable<TermCounts>,
): Promise<void> {
  throw new NotImplemented("m0 merge: see handouts/m0.md#merge");
}

/** Reads the index in a folder. See ../api.ts. */
export async function readIndex(folder: string): Promise<Index> {
  throw new NotImplemented("m0 readIndex: see handouts/m0.md#merge");
}

/** Ranks the documents of an index for a query. See ../api.ts. */
export function query(index: Index, terms: readonly string[], options?: QueryOptions): Hit[] {
  throw new NotImplemented("m0 query: see handouts/m0.md#query");
}
