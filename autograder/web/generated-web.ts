/**
 * A generated web: its size, seed and the few constants every page derives
 * from (the vocabulary, the topics, who is popular). Nothing per page is
 * stored: a page's content and links are computed from (seed, page id) when
 * asked for, so a million-page web costs the same memory as a ten-page one.
 *
 * @example
 * const web = createWeb({ pages: 300, seed: 7 });
 * web.topics[0].slug; // a pseudo-word, e.g. "komu"; its hub is /komu/
 */
import { Random } from "../harness/random.ts";
import { permutation } from "./permutation.ts";
import { makeVocabulary, wordAt } from "./vocabulary.ts";
import { type Sampler, zipf } from "./zipf.ts";

/** How to generate a web. */
export interface WebOptions {
  /** How many pages: 10 to 1,000,000 (default 1,000). */
  pages?: number;
  /** Any unsigned 32-bit integer (default 1). */
  seed?: number;
  /** How long a slow page makes its client wait, in milliseconds: 0 to 60,000 (default 20). */
  slowMs?: number;
}

/** A subject that pages are about; pages of a topic use its words far more often. */
export interface Topic {
  /** The topic's main word; its hub is `/<slug>/`. */
  slug: string;
  /** The topic's words, most frequent first (the slug is the first). */
  words: readonly string[];
  /** How many page ids have this topic. */
  size: number;
  /** The page id of the topic's `rank`-th most linked page, rank in [0, size). */
  popular(rank: number): number;
  /** Draws a popularity rank among the topic's pages, Zipf-distributed. */
  readonly drawRank: Sampler;
}

/** A generated web; see createWeb. */
export interface Web {
  readonly pages: number;
  readonly seed: number;
  readonly slowMs: number;
  /** The language, most frequent word first. */
  readonly vocabulary: readonly string[];
  /** Page id `id` has topic `topics[id % topics.length]`. */
  readonly topics: readonly Topic[];
  /** The page id of the web's `rank`-th most linked page, rank in [0, pages). */
  popular(rank: number): number;
  /** Draws a vocabulary rank, Zipf-distributed. */
  readonly drawWord: Sampler;
  /** Draws a rank among a topic's words, Zipf-distributed. */
  readonly drawTopicWord: Sampler;
  /** Draws a popularity rank among all pages, Zipf-distributed. */
  readonly drawRank: Sampler;
}

/** The smallest and largest number of pages a web can have. */
export const pageLimits = { min: 10, max: 1_000_000 } as const;

const vocabularySize = 20_000;
const wordsPerTopic = 40;
const firstTopicRank = 150;

/**
 * Creates a web. Cheap (a few milliseconds) whatever the size.
 *
 * @throws RangeError when `pages`, `seed` or `slowMs` is out of range.
 */
export function createWeb(options: WebOptions = {}): Web {
  const { pages = 1000, seed = 1, slowMs = 20 } = options;
  if (!Number.isInteger(pages) || pages < pageLimits.min || pages > pageLimits.max) {
    throw new RangeError(`Cannot create a web of ${pages} pages: expected an integer from ${pageLimits.min} to ${pageLimits.max}`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`Cannot create a web with seed ${seed}: expected an unsigned 32-bit integer`);
  }
  if (!(slowMs >= 0 && slowMs <= 60_000)) {
    throw new RangeError(`Cannot create a web with slow pages of ${slowMs} ms: expected 0 to 60000`);
  }
  const random = Random.from(seed, "web");
  const vocabulary = makeVocabulary(seed, vocabularySize);
  const count = Math.max(2, Math.min(64, Math.round(Math.sqrt(pages) / 2)));
  const topicRank = permutation(random, count * wordsPerTopic);
  const topics = Array.from({ length: count }, (_, t): Topic => {
    const words = Array.from({ length: wordsPerTopic }, (_, k) => wordAt(vocabulary, firstTopicRank + topicRank(t + count * k)));
    const size = Math.ceil((pages - t) / count);
    const scatter = permutation(random, size);
    return { slug: wordAt(words, 0), words, size, popular: (rank) => t + count * scatter(rank), drawRank: zipf(size) };
  });
  return {
    pages,
    seed,
    slowMs,
    vocabulary,
    topics,
    popular: permutation(random, pages),
    drawWord: zipf(vocabularySize),
    drawTopicWord: zipf(wordsPerTopic),
    drawRank: zipf(pages),
  };
}

/**
 * The topic at index `topic` of `web.topics`.
 *
 * @throws RangeError when `topic` is not an index of `web.topics`.
 */
export function topicOf(web: Web, topic: number): Topic {
  const found = web.topics[topic];
  if (found === undefined) throw new RangeError(`Cannot find topic ${topic}: expected an index from 0 to ${web.topics.length - 1}`);
  return found;
}
