/**
 * Milestone 0: a search engine in one process, as small Unix-style tools.
 *
 * Each tool is a function here, and (through m0-setup/bin/tool.ts) a filter in
 * the shell that reads one JSON record per line and writes one per line, so a
 * whole corpus flows through one pipeline:
 *
 *     crawl | getText | process | stem | combine | invert | merge INDEX
 *     echo "write ahead log" | lines | process | stem | combine | query INDEX
 *
 * The functions work on one document at a time; the shell adapter applies
 * them to every record. The line format and the exact rules are in
 * handouts/m0.md.
 *
 * @example
 * const terms = combine(process(getText("<p>Vacuuming reclaims storage</p>")).map(stem));
 * await merge("/tmp/index", [{ url: "https://example.org/a.html", counts: invert(terms) }]);
 * query(await readIndex("/tmp/index"), [stem("vacuum")]); // [{ url: "https://example.org/a.html", score: 0.28… }]
 */
export { stopwords } from "./stopwords.ts";

/** A web page: where it was found and its HTML. What `crawl` yields. */
export interface Page {
  url: string;
  html: string;
}

/** Options of `crawl`. */
export interface CrawlOptions {
  /** Stop after this many pages (default: no limit). */
  maxPages?: number;
}

/** One document's term counts, as `merge` takes them. */
export interface TermCounts {
  /** The document's URL, its identity in the index. */
  url: string;
  /** How often each term occurs in the document, as `invert` returns them. */
  counts: ReadonlyMap<string, number>;
}

/** An inverted index, as `readIndex` returns it. */
export interface Index {
  /** Every document's length, by URL: the number of terms it was indexed with (the sum of its counts). */
  documents: Map<string, number>;
  /** Every term's postings: for each document that contains the term, by URL, how often. */
  terms: Map<string, Map<string, number>>;
}

/** How `query` scores documents. */
export interface QueryOptions {
  /** "bm25" (the default) or "tfidf"; the formulas are in handouts/m0.md#query. */
  scoring?: "bm25" | "tfidf";
  /** How many hits to return at most (default 10). */
  limit?: number;
}

/** One ranked result of `query`. */
export interface Hit {
  url: string;
  score: number;
}

/**
 * Crawls a site: reads its robots.txt, then fetches the start page, every
 * page it links to on the same site (same origin), and so on, each URL once
 * (fragments dropped), never one that the `User-agent: *` rules disallow,
 * following redirects within the site. A URL that fails is skipped.
 *
 * @param start the absolute http(s) URL of the first page
 * @param options limits of the crawl
 * @returns the HTML pages (status 200, text/html), as they arrive
 * @throws TypeError when `start` is not an absolute http or https URL
 * @example
 * const urls: string[] = [];
 * for await (const page of crawl("http://127.0.0.1:8080/")) urls.push(page.url);
 */
export declare function crawl(start: string, options?: CrawlOptions): AsyncIterable<Page>;

/**
 * Extracts the links of an HTML page: the `href` of every `a` and `area`
 * element, resolved against the page's URL (or its `<base href>`), normalized,
 * without fragments. Links that cannot be parsed, and links to anything but
 * http, https and file URLs (mailto:, javascript:, …), are left out.
 *
 * @param html the page, any text at all
 * @param url the page's absolute URL
 * @returns the absolute URLs, each once, in the order they first appear
 * @throws TypeError when `url` is not an absolute URL
 * @example
 * getURLs('<a href="../b.html#top">B</a>', "https://example.org/docs/a.html"); // ["https://example.org/b.html"]
 */
export declare function getURLs(html: string, url: string): string[];

/**
 * Extracts the text of an HTML page: no tags, comments, scripts or styles;
 * character references decoded. Tags of inline elements (`b`, `code`, `span`,
 * …) join the text on each side; all other tags separate words. Never throws,
 * and takes time linear in the length of the input, whatever it holds.
 *
 * @param html the page, any text at all (broken, binary, huge)
 * @returns the text; how much whitespace separates words is up to you
 * @example
 * getText("<p>Fish &amp; chips</p><script>track()</script><p>Postgre<b>SQL</b></p>"); // "Fish & chips\nPostgreSQL"
 */
export declare function getText(html: string): string;

/**
 * Turns text into terms: lowercases it, splits it into words (maximal runs of
 * Unicode letters, marks and digits) and drops the words in `stopwords`.
 *
 * @param text any text
 * @returns the words that remain, in order, repeats included
 * @example
 * process("The VACUUM command, in 2 words"); // ["vacuum", "command", "2", "words"]
 */
export declare function process(text: string): string[];

/**
 * Stems a word with Martin Porter's algorithm (1980), including the two
 * changes of his published version (BLI → BLE, LOGI → LOG in step 2). Words of
 * one or two letters, and words with any character outside a–z, come back as
 * they are.
 *
 * @param word a word, as `process` returns them
 * @returns its stem
 * @example
 * stem("relational"); // "relat"
 */
export declare function stem(word: string): string;

/**
 * Forms the n-grams of a list of terms: every run of 1 to `n` consecutive
 * terms, joined by one space. First all 1-grams in order, then all 2-grams,
 * and so on.
 *
 * @param terms a document's terms, in order
 * @param n the longest n-gram (default 3)
 * @returns the n-grams
 * @throws RangeError when `n` is not a positive integer
 * @example
 * combine(["write", "ahead", "log"]); // ["write", "ahead", "log", "write ahead", "ahead log", "write ahead log"]
 */
export declare function combine(terms: readonly string[], n?: number): string[];

/**
 * Counts the terms of one document.
 *
 * @param terms the document's terms
 * @returns how often each term occurs, in the order of first occurrence
 * @example
 * invert(["vacuum", "full", "vacuum"]); // new Map([["vacuum", 2], ["full", 1]])
 */
export declare function invert(terms: readonly string[]): Map<string, number>;

/**
 * Merges documents into the inverted index kept in a folder, creating it if
 * needed. Merging is incremental: merging A and then B leaves the same index
 * as merging A and B at once, and a document merged again (same URL) replaces
 * its earlier version entirely. The on-disk format is yours.
 *
 * @param folder where the index lives
 * @param documents the documents to add, in any number
 * @returns once the index on disk includes them
 * @example
 * await merge("/tmp/index", [{ url: "https://example.org/a.html", counts: new Map([["vacuum", 2]]) }]);
 */
export declare function merge(
  folder: string,
  documents: Iterable<TermCounts> | AsyncIterable<TermCounts>,
): Promise<void>;

/**
 * Reads the inverted index that `merge` keeps in a folder.
 *
 * @param folder where the index lives
 * @returns the index
 * @throws Error when the folder holds no index
 * @example
 * await merge("/tmp/index", [{ url: "https://example.org/a.html", counts: new Map([["vacuum", 2]]) }]);
 * const index = await readIndex("/tmp/index");
 * index.terms.get("vacuum"); // new Map([["https://example.org/a.html", 2]])
 */
export declare function readIndex(folder: string): Promise<Index>;

/**
 * Ranks the documents of an index for a query. Every document that contains
 * at least one of the terms is a hit; hits come by score, highest first, ties
 * by URL (ascending); a term given twice counts once.
 *
 * @param index the index, as `readIndex` returns it
 * @param terms the query's terms, processed as the documents' were
 * @param options the scoring and the number of hits
 * @returns the best hits
 * @example
 * await merge("/tmp/index", [{ url: "https://example.org/a.html", counts: new Map([["vacuum", 2]]) }]);
 * query(await readIndex("/tmp/index"), ["vacuum"], { scoring: "tfidf", limit: 3 }); // [{ url: "https://example.org/a.html", score: … }]
 */
export declare function query(index: Index, terms: readonly string[], options?: QueryOptions): Hit[];
