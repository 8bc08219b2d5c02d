/**
 * The jobs m5's benchmarks run: word count (with its combiner) and an
 * inverted index, each as plain functions that travel to the members.
 */
import type { Job, Pair } from "../api.ts";

/** Word count: a text to [word, 1] pairs; counts summed (also the combiner). */
export const wordCount: Job = {
  map: (_path: string, text: unknown) => {
    const pairs: Pair[] = [];
    for (const word of (text as string).split(/\s+/)) if (word !== "") pairs.push([word, 1]);
    return pairs;
  },
  reduce: (_word: string, counts: unknown[]) => (counts as number[]).reduce((total, count) => total + count, 0),
  combine: (_word: string, counts: unknown[]) => (counts as number[]).reduce((total, count) => total + count, 0),
};

/** Inverted index: a text to [word, [path, count]] per distinct word; each word's postings sorted by path. */
export const invertedIndex: Job = {
  map: (path: string, text: unknown) => {
    const counts = new Map<string, number>();
    for (const word of (text as string).split(/\s+/)) if (word !== "") counts.set(word, (counts.get(word) ?? 0) + 1);
    return [...counts].map(([word, count]): Pair => [word, [path, count]]);
  },
  reduce: (_word: string, postings: unknown[]) =>
    (postings as Array<[string, number]>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
};
