/**
 * What m6's hidden tests compare the engine with, computed here from the
 * contract alone: the crawl a polite crawler makes of a generated web
 * (autograder/web's `crawlTruth`, with URLs made absolute), each page's
 * record by milestone 0's reference (the grader's own copy: getText,
 * getURLs, process, stem, combine, invert), milestone 0's index and `query`
 * for search, autograder/web's `pageRank` for ranks, and milestone 4's
 * default placement recomputed with node:crypto for owners. Nothing here
 * loads code under test, so the black-box tests use it too.
 */
import { isDeepStrictEqual } from "node:util";
import type * as M0 from "../../m0-setup/api.ts";
import { load } from "../../autograder/kit/implementations.ts";
import { crawlTruth, pageRank, respond, type Web } from "../../autograder/web/index.ts";
import { Placer } from "../../m4-storage/hidden/_placement.ts";
import type { CrawlRecord, PageRecord, Posting } from "../api.ts";

export const m0 = await load<typeof M0>("m0", "reference");

const placer = new Placer();

/** The member (node id) that owns `key` among `members`, by milestone 4's default placement. */
export const ownerId = (key: string, members: readonly string[]): string => placer.owner(key, members);

/** The five stores of group `gid`'s engine. */
export const storesOf = (gid: string) => ({
  crawl: `${gid}-crawl`,
  pages: `${gid}-pages`,
  terms: `${gid}-terms`,
  stats: `${gid}-stats`,
  ranks: `${gid}-ranks`,
});

/** Orders strings as `<` does. */
export const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** What a correct crawl of a site from `start` ends with. */
export interface Expected {
  /** The site's origin, e.g. "http://127.0.0.1:41234". */
  origin: string;
  /** The start URL. */
  start: string;
  /** Every URL met (absolute, no fragment), with its record. */
  records: Map<string, CrawlRecord>;
  /** The HTML of each page, by URL: what the site serves to a client that sends Host `host`. */
  html: Map<string, string>;
  /** The links between pages, redirects followed, each pair once, none u → u. */
  edges: Array<[string, string]>;
}

/** The URLs of the pages, in the order they were found. */
export const pagesOf = (expected: Expected): string[] => [...expected.html.keys()];

/** The paths (path and query) that a crawl fetches, each once: every URL met but the disallowed ones. */
export function fetchedPaths(expected: Expected): string[] {
  return [...expected.records].filter(([, record]) => !(record.state === "skipped" && record.reason === "disallowed")).map(([url]) => pathOf(url));
}

/** The path and query of an absolute URL. */
export const pathOf = (url: string): string => {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
};

/** The ground truth of a crawl of the generated web served at `origin` (its "/"): records, pages' HTML and edges. */
export function webExpected(web: Web, origin: string): Expected {
  const truth = crawlTruth(web);
  const host = new URL(origin).host;
  const at = (path: string) => origin + path;
  const html = new Map(truth.pages.map((path) => [at(path), respond(web, path, host).body as string]));
  const records = new Map<string, CrawlRecord>();
  for (const [path, outcome] of truth.fetched) {
    const page = html.get(at(path));
    if (outcome.location !== undefined) records.set(at(path), { state: "redirect", status: outcome.status, location: at(outcome.location) });
    else if (outcome.status !== 200) records.set(at(path), { state: "skipped", reason: "status", status: outcome.status });
    else if (page !== undefined) records.set(at(path), { state: "page", links: linksOf(page, at(path)) });
    else records.set(at(path), { state: "skipped", reason: "not html", status: 200 });
  }
  for (const path of truth.blocked) records.set(at(path), { state: "skipped", reason: "disallowed" });
  return { origin, start: at("/"), records, html, edges: truth.edges.map(([from, to]) => [at(from), at(to)]) };
}

/**
 * `pageTitle` as api.ts defines it, computed here: the text of the first
 * `<title>` element through getText, whitespace runs made one space, the
 * ends trimmed; the URL when that leaves nothing.
 */
export function titleOf(html: string, url: string): string {
  const found = /<title(?:\s[^>]*)?>([\s\S]*?)<\/title\s*>/i.exec(html);
  const title = found ? m0.getText(found[1] as string).replace(/\s+/g, " ").trim() : "";
  return title === "" ? url : title;
}

/** A page's terms as api.ts computes them. */
export const termsOf = (text: string): string[] => m0.combine(m0.process(text).map(m0.stem));

/** A query's terms as api.ts computes them. */
export const queryTerms = (query: string): string[] => m0.combine(m0.process(query).map(m0.stem));

/** A page's links to URLs of its origin, as getURLs returns them, in order: what its crawl record holds. */
export function linksOf(html: string, url: string): string[] {
  const origin = new URL(url).origin;
  return m0.getURLs(html, url).filter((link) => new URL(link).origin === origin);
}

/** The PageRecord of a page, by milestone 0's reference. */
export function pageRecordOf(html: string, url: string): PageRecord {
  const text = m0.getText(html);
  const terms = termsOf(text);
  return { title: titleOf(html, url), text, counts: [...m0.invert(terms)], length: terms.length };
}

/** The expected PageRecords of a crawl, by URL. */
export function pageRecords(expected: Expected): Map<string, PageRecord> {
  return new Map([...expected.html].map(([url, html]) => [url, pageRecordOf(html, url)]));
}

/** Milestone 0's index of some pages. */
export function indexOf(pages: ReadonlyMap<string, PageRecord>): M0.Index {
  const documents = new Map<string, number>();
  const terms = new Map<string, Map<string, number>>();
  for (const [url, page] of pages) {
    documents.set(url, page.length);
    for (const [term, count] of page.counts) {
      let postings = terms.get(term);
      if (postings === undefined) terms.set(term, (postings = new Map()));
      postings.set(url, count);
    }
  }
  return { documents, terms };
}

/** `${gid}-terms` as it must be: each term's postings [url, count, length], sorted by URL. */
export function termStore(index: M0.Index): Map<string, Posting[]> {
  const store = new Map<string, Posting[]>();
  for (const [term, postings] of index.terms) {
    store.set(term, [...postings].sort(([a], [b]) => byString(a, b)).map(([url, count]): Posting => [url, count, index.documents.get(url) as number]));
  }
  return store;
}

/** `${gid}-stats` as it must be. */
export function statsStore(index: M0.Index): Map<string, number> {
  let length = 0;
  for (const value of index.documents.values()) length += value;
  return new Map([["documents", index.documents.size], ["length", length]]);
}

/** The PageRank of the crawl's pages, by URL. */
export function ranksOf(expected: Expected, damping = 0.85): Map<string, number> {
  return pageRank(expected.edges, { nodes: pagesOf(expected), damping });
}

// ---------------------------------------------------------------------------
// Comparing what a store holds with what it must hold.

/** A record with only the fields api.ts gives its state (so that extra fields of an implementation do not count). */
export function recordFields(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  const record = value as { state?: unknown; status?: unknown; location?: unknown; reason?: unknown; links?: unknown };
  switch (record.state) {
    case "queued":
      return { state: record.state };
    case "page":
      return { state: record.state, links: record.links };
    case "redirect":
      return { state: "redirect", status: record.status, location: record.location };
    case "skipped":
      return record.status === undefined ? { state: "skipped", reason: record.reason } : { state: "skipped", reason: record.reason, status: record.status };
    default:
      return value;
  }
}

/**
 * Whether a crawl record matches the expected one, field by field. A URL
 * skipped as timeout, too large or unreachable may or may not have had a
 * status (its headers may have arrived): only its reason is compared.
 */
export function sameRecord(actual: unknown, expected: CrawlRecord): string | undefined {
  let fields = recordFields(actual);
  if (expected.state === "skipped" && ["timeout", "too large", "unreachable"].includes(expected.reason) && typeof fields === "object" && fields !== null) {
    const { state, reason } = fields as { state?: unknown; reason?: unknown };
    fields = { state, reason };
  }
  return isDeepStrictEqual(fields, recordFields(expected)) ? undefined : `holds ${preview(fields)}, expected ${preview(expected)}`;
}

/** Whether a page record matches the expected one: title, text, counts (in any order) and length. */
export function samePage(actual: unknown, expected: PageRecord): string | undefined {
  if (typeof actual !== "object" || actual === null) return `holds ${preview(actual)}, not a PageRecord`;
  const page = actual as Partial<PageRecord>;
  for (const field of ["title", "text", "length"] as const) {
    if (page[field] !== expected[field]) return `has ${field} ${preview(page[field])}, expected ${preview(expected[field])}`;
  }
  const counts = Array.isArray(page.counts) ? [...page.counts].sort(([a], [b]) => byString(a, b)) : page.counts;
  const wanted = [...expected.counts].sort(([a], [b]) => byString(a, b));
  if (!isDeepStrictEqual(counts, wanted)) return `has counts ${preview(counts)}, expected ${preview(wanted)}`;
  return undefined;
}

/** Whether two numbers agree within `tolerance`. */
export const near = (tolerance: number) => (actual: unknown, expected: number): string | undefined =>
  typeof actual === "number" && Math.abs(actual - expected) <= tolerance ? undefined : `holds ${preview(actual)}, expected ${expected} (±${tolerance})`;

/** Exact equality (deep). */
export const exactly = (actual: unknown, expected: unknown): string | undefined =>
  isDeepStrictEqual(actual, expected) ? undefined : `holds ${preview(actual)}, expected ${preview(expected)}`;

/** Where each key of a namespace is, on the members' own stores: its value and the members (node ids) that hold it. */
export type Holdings = Map<string, { value: unknown; holders: string[] }>;

/**
 * Compares a store, as the members' own stores hold it, with `expected`:
 * each key once, on its owner (unless `owner` is undefined), with a value
 * `same` accepts. Returns the first few differences, or "" when there are none.
 */
export function storeProblems<V>(found: Holdings, expected: ReadonlyMap<string, V>, owner: ((key: string) => string) | undefined, same: (actual: unknown, expected: V) => string | undefined): string {
  const problems: string[] = [];
  for (const [key, value] of expected) {
    const entry = found.get(key);
    if (entry === undefined) {
      problems.push(`${show(key)} is missing`);
      continue;
    }
    if (owner !== undefined && (entry.holders.length !== 1 || entry.holders[0] !== owner(key))) {
      problems.push(`${show(key)} is on [${entry.holders.map((id) => id.slice(0, 6)).join(", ")}], its owner is ${owner(key).slice(0, 6)}`);
    }
    const wrong = same(entry.value, value);
    if (wrong !== undefined) problems.push(`${show(key)} ${wrong}`);
  }
  for (const key of found.keys()) if (!expected.has(key)) problems.push(`${show(key)} should not be there`);
  return problems.length === 0 ? "" : `${problems.length} of ${expected.size} keys wrong, e.g. ${problems.slice(0, 5).join("; ")}`;
}

/** Compares the keys each member holds with the keys it owns; "" when they agree. */
export function keyProblems(held: ReadonlyMap<string, readonly string[]>, expected: Iterable<string>, owner: (key: string) => string): string {
  const wanted = new Map<string, Set<string>>([...held.keys()].map((id) => [id, new Set()]));
  for (const key of expected) wanted.get(owner(key))?.add(key);
  const problems: string[] = [];
  for (const [id, keys] of held) {
    const mine = wanted.get(id) as Set<string>;
    const have = new Set(keys);
    const missing = [...mine].filter((key) => !have.has(key));
    const extra = [...have].filter((key) => !mine.has(key));
    if (missing.length > 0 || extra.length > 0 || have.size !== keys.length) {
      problems.push(`member ${id.slice(0, 6)} lacks ${missing.length} keys it owns (e.g. ${missing.slice(0, 3).map(show).join(", ")}) and holds ${extra.length} it does not own (e.g. ${extra.slice(0, 3).map(show).join(", ")})`);
    }
  }
  return problems.join("; ");
}

export const show = (key: string): string => JSON.stringify(key.length > 60 ? `${key.slice(0, 60)}…` : key);

export function preview(value: unknown): string {
  const text = JSON.stringify(value, (_key, item: unknown) => (item instanceof Map ? [...item] : typeof item === "bigint" ? `${item}n` : item)) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

// ---------------------------------------------------------------------------
// Search.

/** A hit as the tests expect it (title and snippet are checked apart). */
export interface ExpectedHit {
  url: string;
  score: number;
  text: number;
  rank: number;
}

/** How a test asks for the expected answer of a query. */
export interface Asked {
  k?: number;
  offset?: number;
  scoring?: "bm25" | "tfidf";
  weight?: number;
}

/**
 * The answer a search must give, from milestone 0's `query` over `index`:
 * every page that holds a term, its text score, its final score (text +
 * weight × ln(1 + n × rank), n the number of pages ranked), ordered by final
 * score then URL; the hits from `offset`, at most `k`; the total.
 */
export function expectedSearch(index: M0.Index, ranks: ReadonlyMap<string, number>, query: string, asked: Asked = {}): { hits: ExpectedHit[]; total: number; terms: string[] } {
  const { k = 10, offset = 0, scoring = "bm25", weight = 1 } = asked;
  const terms = queryTerms(query);
  const all = m0.query(index, terms, { scoring, limit: Number.MAX_SAFE_INTEGER }).map(({ url, score }): ExpectedHit => {
    const rank = ranks.get(url) ?? 0;
    return { url, text: score, rank, score: score + weight * Math.log(1 + ranks.size * rank) };
  });
  all.sort((a, b) => b.score - a.score || byString(a.url, b.url));
  return { hits: all.slice(offset, offset + k), total: all.length, terms };
}

/** A hit as the engine returns it, or as much of one as arrived. */
interface HitLike {
  url?: unknown;
  score?: unknown;
  text?: unknown;
  rank?: unknown;
}

/**
 * Compares hits with the expected ones: as many, position by position the
 * same scores (to `tolerance`) and the same URL, unless the two URLs' scores
 * tie within `tolerance` (their order is then decided by the last bits); and
 * the hits in order: by score, highest first, ties by URL. "" when they agree.
 */
export function hitProblems(actual: readonly HitLike[], expected: readonly ExpectedHit[], tolerance = 1e-9): string {
  const problems: string[] = [];
  if (actual.length !== expected.length) problems.push(`${actual.length} hits, expected ${expected.length}`);
  const byUrl = new Map(expected.map((hit) => [hit.url, hit]));
  for (let i = 0; i < Math.min(actual.length, expected.length); i++) {
    const hit = actual[i] as HitLike;
    const wanted = expected[i] as ExpectedHit;
    const own = byUrl.get(hit.url as string);
    const close = (a: unknown, b: number) => typeof a === "number" && Math.abs(a - b) <= tolerance;
    if (hit.url !== wanted.url && !(own !== undefined && Math.abs(own.score - wanted.score) <= tolerance)) {
      problems.push(`hit ${i} is ${preview(hit.url)} (score ${preview(hit.score)}), expected ${wanted.url} (score ${wanted.score})`);
      continue;
    }
    const mine = own ?? wanted;
    for (const field of ["score", "text", "rank"] as const) {
      if (!close(hit[field], mine[field])) problems.push(`hit ${i} (${mine.url}) has ${field} ${preview(hit[field])}, expected ${mine[field]}`);
    }
  }
  for (let i = 1; i < actual.length; i++) {
    const [a, b] = [actual[i - 1] as HitLike, actual[i] as HitLike];
    const ordered = (a.score as number) > (b.score as number) || (a.score === b.score && (a.url as string) < (b.url as string));
    if (!ordered) problems.push(`hits ${i - 1} and ${i} are out of order: ${preview(a.url)} (${preview(a.score)}) before ${preview(b.url)} (${preview(b.score)})`);
  }
  return problems.slice(0, 5).join("; ");
}

/** Words as api.ts's snippetOf reads them: maximal runs of Unicode letters, marks and digits. */
const wordPattern = /[\p{L}\p{M}\p{N}]+/gu;

/** `snippetOf` as api.ts defines it, computed here. */
export function snippetExpected(text: string, terms: readonly string[]): string {
  const words = text.match(wordPattern) ?? [];
  const wanted = new Set(terms);
  const hit = (word: string) => wanted.has(m0.stem(word.toLowerCase()));
  const first = Math.max(0, words.findIndex(hit));
  return words.slice(first, first + 30).map((word) => (hit(word) ? `[${word}]` : word)).join(" ");
}

/** The one-word terms of a query (its stems), as a hit's snippet marks them. */
export const oneWordTerms = (terms: readonly string[]): string[] => terms.filter((term) => !term.includes(" "));

// ---------------------------------------------------------------------------
// Crawls.

/** The URL of an origin's robots.txt. */
export const robotsOf = (origin: string): string => `${origin}/robots.txt`;

/**
 * A namespace's holdings without the origin's robots.txt: the contract
 * neither asks for a record of it nor forbids one (it is fetched, but not
 * met as a link), so the tests ignore that one key.
 */
export function withoutRobots(found: Holdings, origin: string): Holdings {
  const copy = new Map(found);
  copy.delete(robotsOf(origin));
  return copy;
}

/** The counts a CrawlReport must give for a finished crawl of `expected`. */
export function expectedCounts(expected: Expected): { pages: number; redirects: number; skipped: number } {
  const states = [...expected.records.values()].map((record) => record.state);
  return {
    pages: states.filter((state) => state === "page").length,
    redirects: states.filter((state) => state === "redirect").length,
    skipped: states.filter((state) => state === "skipped").length,
  };
}

/** What each member (node id) fetches when it fetches `urls` and robots.txt once: the URLs it owns. */
export function expectedFetched(urls: Iterable<string>, origin: string, members: readonly string[]): Map<string, number> {
  const counts = new Map(members.map((id) => [id, 0]));
  for (const url of [...urls, robotsOf(origin)]) {
    const id = ownerId(url, members);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** The fetched counts of a report for every member (0 when absent), and whether it names anyone else. */
export function fetchedProblems(fetched: unknown, wanted: ReadonlyMap<string, number>): string {
  if (!(fetched instanceof Map)) return `fetched is ${preview(fetched)}, not a Map`;
  const problems: string[] = [];
  for (const [id, count] of wanted) {
    const got = fetched.get(id) ?? 0;
    if (got !== count) problems.push(`member ${id.slice(0, 6)} fetched ${preview(got)}, expected ${count} (the URLs it owns)`);
  }
  for (const [id, count] of fetched) if (!wanted.has(id) && count !== 0) problems.push(`${preview(id)} is not a member but fetched ${preview(count)}`);
  return problems.join("; ");
}

/** Compares the hits a site got with the paths that must be fetched once each (robots.txt included); "" when they agree. */
export function fetchProblems(hits: ReadonlyMap<string, number>, paths: Iterable<string>, robots: "once" | "at most once" = "once"): string {
  const wanted = new Set(paths);
  const problems: string[] = [];
  for (const path of wanted) {
    const count = hits.get(path) ?? 0;
    if (count !== 1) problems.push(`${show(path)} fetched ${count} times`);
  }
  const robotHits = hits.get("/robots.txt") ?? 0;
  if (robots === "once" ? robotHits !== 1 : robotHits > 1) problems.push(`/robots.txt fetched ${robotHits} times`);
  for (const [path, count] of hits) if (!wanted.has(path) && path !== "/robots.txt") problems.push(`${show(path)} fetched ${count} times, expected never`);
  return problems.length === 0 ? "" : `${problems.length} URLs fetched wrongly, e.g. ${problems.slice(0, 6).join("; ")}`;
}
