/**
 * The jobs and plain-loop answers m5's hidden tests share, with small
 * helpers for outcomes and errors. Nothing here loads code under test, so
 * the black-box tests use it too.
 */
import type * as Api from "../api.ts";
import type { Random } from "../../autograder/harness/random.ts";

/** `ip:port`: how JobError names a node, and how the trace names both ends of a message. */
export const key = (address: Api.NodeAddress): string => `${address.ip}:${address.port}`;

/** Orders strings as `<` does. */
export const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** How many times each item occurs. */
export function tally(items: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

/** The entries of a map sorted by key, for deepEqual on maps built in different orders. */
export const sortedEntries = <V>(map: ReadonlyMap<string, V>): Array<[string, V]> => [...map].sort(([a], [b]) => byString(a, b));

/** The sum of `field` over the members' counts. */
export function total(counts: Map<string, Api.NodeCounts>, field: keyof Api.NodeCounts): number {
  let sum = 0;
  for (const mine of counts.values()) sum += mine[field];
  return sum;
}

/** The words of a text, as the jobs of these tests split it: on single spaces. */
export const wordsOf = (text: string): string[] => text.split(" ").filter((word) => word !== "");

/** How often each word occurs in the texts, by a plain loop. */
export function countWords(texts: Iterable<string>): Map<string, number> {
  return tally([...texts].flatMap(wordsOf));
}

/**
 * `count` short texts of random words from a vocabulary of `vocabulary`
 * words (word i is "w" and i in base 36), drawn from `random`.
 */
export function randomTexts(random: Random, count: number, vocabulary: number, length: [number, number] = [3, 12]): Map<string, string> {
  const texts = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const words = Array.from({ length: random.int(length[0], length[1]) }, () => `w${random.int(0, vocabulary - 1).toString(36)}`);
    texts.set(`doc-${i.toString().padStart(5, "0")}`, words.join(" "));
  }
  return texts;
}

/** Word count, as the handout writes it: [word, 1] per word; counts summed. No combiner: see `summedWordCount`. */
export const wordCount = {
  map: (_name: string, text: unknown): Array<[string, unknown]> => (text as string).split(" ").filter((word) => word !== "").map((word): [string, unknown] => [word, 1]),
  reduce: (_word: string, counts: unknown[]): unknown => (counts as number[]).reduce((sum, count) => sum + count, 0),
};

/** Word count with its combiner: the same sum. */
export const summedWordCount = { ...wordCount, combine: wordCount.reduce };

/** Word count over two rounds: round 1 counts, round 2 maps each word's count to itself and sums it again. */
export const twoRoundWordCount = {
  ...wordCount,
  rounds: 2,
  map: (name: string, value: unknown): Array<[string, unknown]> =>
    typeof value === "number" ? [[name, value]] : (value as string).split(" ").filter((word) => word !== "").map((word): [string, unknown] => [word, 1]),
};

/** An inverted index: a text to [word, [name, count]] per distinct word; each word's postings sorted by name. */
export const invertedIndex = {
  map: (name: string, text: unknown): Array<[string, unknown]> => {
    const counts = new Map<string, number>();
    for (const word of (text as string).split(" ")) if (word !== "") counts.set(word, (counts.get(word) ?? 0) + 1);
    return [...counts].map(([word, count]): [string, unknown] => [word, [name, count]]);
  },
  reduce: (_word: string, postings: unknown[]): unknown => (postings as Array<[string, number]>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
};

/** The inverted index of some texts by a plain loop: each word's [name, count] postings, sorted by name. */
export function indexByLoop(texts: ReadonlyMap<string, string>): Map<string, Array<[string, number]>> {
  const index = new Map<string, Array<[string, number]>>();
  for (const [name, text] of texts) for (const [word, count] of countWords([text])) index.set(word, [...(index.get(word) ?? []), [name, count]]);
  for (const postings of index.values()) postings.sort(([a], [b]) => byString(a, b));
  return index;
}

/** Resolves with how a promise ended, never rejects. */
export function outcome<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/**
 * Waits for a promise on real nodes, failing with `what` if it has not
 * settled within `limitMs` (a bound on a failure, never on speed).
 */
export async function within<T>(promise: Promise<T>, limitMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still pending after ${limitMs} ms`)), limitMs);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A one-line description of a thrown value. */
export function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
