/**
 * Milestone 6: the search engine, over a group of milestone-5 nodes. An
 * engine crawls a site into the group's stores (each URL fetched by the
 * member that owns it), indexes the pages with MapReduce, ranks them with
 * PageRank by iterated MapReduce, and answers queries by asking the members
 * that hold each query term. Every part is spread over the members: no node
 * holds the whole crawl, index or ranking, and no data passes through the
 * node that starts a step (unless it is a member, with its own share).
 *
 * The engine of group `gid` keeps its data in five stores over the same
 * members, placed as the group's store is:
 *
 * | store             | key             | value                            |
 * |-------------------|-----------------|----------------------------------|
 * | `${gid}-crawl`    | a URL           | its `CrawlRecord` (with a page's links) |
 * | `${gid}-pages`    | an HTML page's URL | its `PageRecord`              |
 * | `${gid}-terms`    | a term          | its `Posting`s, sorted by URL    |
 * | `${gid}-stats`    | "documents", "length" | the number of pages, and the sum of their lengths |
 * | `${gid}-ranks`    | an HTML page's URL | its PageRank                  |
 *
 * Text is milestone 0's: a page's terms are `combine(process(getText(html)).map(stem))`,
 * and a query's are `combine(process(query).map(stem))`; scores are
 * milestone 0's BM25 or TF-IDF, so with `weight: 0` a search ranks as
 * milestone 0's `query` does over the same pages, score for score.
 *
 * @example
 * const nodes = await Promise.all([startNode(), startNode(), startNode()]);
 * for (const node of nodes) await node.groups.put("web", nodes.map((n) => n.address));
 * const engine = nodes[0].engine("web");
 * await engine.crawl("http://127.0.0.1:8080/");
 * await engine.index();
 * await engine.rank();
 * const { hits } = await engine.search("write ahead log"); // [{ url, title, score, … }, …]
 */
import type { ChildNode, MapReduceNode, MapReduceNodeConfig, NodeAddress } from "../m5-mapreduce/api.ts";

export { JobError, RemoteError, TimeoutError, UnreachableError } from "../autograder/kit/errors.ts";
export type { ChildNode, NodeAddress, Placement } from "../m5-mapreduce/api.ts";

/** How politely, and how patiently, a crawl fetches. Each member applies these to its own fetches. */
export interface CrawlOptions {
  /** Fetches a member has in flight at once (default 4): a positive integer. */
  concurrency?: number;
  /** ms between the starts of two fetches by one member (default 0): a number ≥ 0. */
  delayMs?: number;
  /** How long a fetch may take until its whole body has arrived, ms (default 10,000): a positive number. */
  timeoutMs?: number;
  /** The largest body read, bytes (default 1,048,576): a positive integer. A longer body is not kept. */
  maxBytes?: number;
}

/** Why a URL that was met holds no page. */
export type SkipReason =
  /** robots.txt's `User-agent: *` group disallows it: never fetched. */
  | "disallowed"
  /** It answered with a status other than 200 and the redirects 301, 302, 303, 307, 308 (`status` says which). */
  | "status"
  /** It answered 200 with a content type other than text/html. */
  | "not html"
  /** Its whole answer did not arrive within `timeoutMs`. */
  | "timeout"
  /** Its body is longer than `maxBytes`. */
  | "too large"
  /** The connection failed (refused, reset), or a redirect had no Location. */
  | "unreachable";

/** What a crawl knows of a URL, in `${gid}-crawl`. */
export type CrawlRecord =
  /** Met, not yet fetched. */
  | { state: "queued" }
  /**
   * An HTML page (status 200, text/html), kept in `${gid}-pages`, and its
   * links to URLs of the crawl's origin, as milestone 0's `getURLs` returns
   * them, in order: the crawl store is the web's graph.
   */
  | { state: "page"; links: string[] }
  /** A redirect, and where it leads (an absolute URL, without its fragment). */
  | { state: "redirect"; status: number; location: string }
  /** Met and not a page, for `reason`; `status` when the URL answered. */
  | { state: "skipped"; reason: SkipReason; status?: number };

/** An HTML page, in `${gid}-pages`. */
export interface PageRecord {
  /** `pageTitle(html)`. */
  title: string;
  /** `getText(html)` of milestone 0. */
  text: string;
  /** The page's terms and how often each occurs: `invert(combine(process(text).map(stem)))` of milestone 0, as pairs. */
  counts: Array<[term: string, count: number]>;
  /** The number of terms: the sum of `counts`. */
  length: number;
}

/** A term's occurrence in one page, in `${gid}-terms`. */
export type Posting = [url: string, count: number, length: number];

/** How a crawl ended. */
export interface CrawlReport {
  /** The HTML pages the crawl holds. */
  pages: number;
  /** The URLs that redirect. */
  redirects: number;
  /** The URLs skipped, for any reason. */
  skipped: number;
  /** What each member fetched in this call, by node id (robots.txt included). */
  fetched: Map<string, number>;
}

/** How a ranking ended. */
export interface RankReport {
  /** The PageRank rounds run. */
  rounds: number;
  /** The links between pages, redirects followed (each pair of pages once, none from a page to itself). */
  links: number;
}

/** How to rank. */
export interface RankOptions {
  /** The damping factor, in [0, 1) (default 0.85). */
  damping?: number;
  /** Stop when the ranks, which sum to 1, move less than this in total (L1) in a round (default 1e-9); a positive number. */
  tolerance?: number;
  /** Give up after this many rounds (default 200): a positive integer. */
  maxRounds?: number;
}

/** How to search. */
export interface SearchOptions {
  /** How many hits at most (default 10): an integer in [0, 1000]. */
  k?: number;
  /** How many of the best hits to skip (default 0): an integer ≥ 0. */
  offset?: number;
  /** "bm25" (the default) or "tfidf", as in milestone 0. */
  scoring?: "bm25" | "tfidf";
  /** How much PageRank counts, in `finalScore` (default 1): a number ≥ 0; 0 ranks by text alone. */
  weight?: number;
}

/** One result of a search. */
export interface Hit {
  url: string;
  /** The page's title. */
  title: string;
  /** `finalScore(text, rank, pages, weight)`: what hits are ordered by. */
  score: number;
  /** The page's BM25 or TF-IDF score for the query, as milestone 0's `query` gives it. */
  text: number;
  /** The page's PageRank (0 before `rank` has run). */
  rank: number;
  /** `snippetOf(text, terms)` of the page's text and the query's one-word terms. */
  snippet: string;
}

/** What a search found. */
export interface SearchResult {
  /** The hits from `offset` on, best first: by score, highest first, ties by URL. */
  hits: Hit[];
  /** How many pages hold at least one of the query's terms. */
  total: number;
  /** The query's terms, as the index names them. */
  terms: string[];
}

/** Where the engine's HTTP front end listens. */
export interface ServeOptions {
  /** The port (default 0: a free one, chosen by the system): an integer in [0, 65535]. */
  port?: number;
  /** The address to listen on (default "127.0.0.1"). */
  host?: string;
  /** Log each search and each click as events, and show what the engine learnt (part 3; default false): calls `learn` first. */
  learn?: boolean;
}

/** What a group's engine learnt from its users (part 3), as its two stream jobs last gave it. */
export interface Insights {
  /**
   * The queries of the latest minute that "trending-queries" gave a result
   * for (early or on time), each with its count there, most first, then by
   * query (code-unit order); at most k.
   */
  trending: Array<{ query: string; count: number }>;
  /**
   * The pages of the latest hour that "page-views" gave a result for, each
   * with how often it was shown in hits and clicked there, by URL (code-unit order).
   */
  pages: Array<{ url: string; shown: number; clicked: number }>;
}

/** The engine's HTTP front end, listening. */
export interface SearchServer {
  /** Its address, `http://host:port`, with no trailing slash. */
  url: string;
  /** Stops listening and closes its connections; closing twice is harmless. */
  close(): Promise<void>;
}

/** The search engine of one group. */
export interface Engine {
  /**
   * Crawls the site of `start`, from it: every URL of the same origin that a
   * page links to, that a redirect leads to, or that was queued by an
   * earlier crawl of this group, is fetched once, by the member that owns it
   * in `${gid}-crawl`. Each member reads nothing but its own URLs; links go
   * to their owners, one call per owner per page. robots.txt is read once
   * for the whole group, by the owner of its URL, before any other fetch,
   * and a URL it disallows is recorded as skipped, never fetched. Before a
   * member fetches a URL its record is "queued"; a crawl run again on the
   * same stores (after a crash, on the members' folders) fetches every URL
   * still queued that robots.txt allows, and no other one it holds.
   *
   * @param start an absolute http URL; its origin bounds the crawl
   * @returns once no member has a URL left to fetch, with the crawl's counts
   * @throws TypeError when `start` is not an absolute http URL; RangeError for
   *   an option outside its range, or when this node knows no members of the group
   * @example
   * const node = await startNode();
   * await node.groups.put("web", [node.address]);
   * const report = await node.engine("web").crawl("http://127.0.0.1:8080/", { concurrency: 2, delayMs: 10 });
   * report.pages > 0; // true
   */
  crawl(start: string, options?: CrawlOptions): Promise<CrawlReport>;
  /**
   * Indexes every page of `${gid}-pages` with MapReduce jobs of milestone 5:
   * an inverted index into `${gid}-terms` and the collection's figures into
   * `${gid}-stats`, both replaced entirely.
   *
   * @returns once both are written, with the number of distinct terms
   * @throws JobError when a job fails
   */
  index(): Promise<{ terms: number }>;
  /**
   * Ranks every page of `${gid}-pages` with PageRank, by iterated MapReduce
   * jobs of milestone 5, into `${gid}-ranks` (replaced entirely). The graph
   * has an edge u → v when page u links to a URL that is page v or that
   * redirects, in any number of hops, to v; each pair once, none u → u.
   * Each round, a page keeps (1 − d) / n and passes d times its rank along
   * its edges in equal shares; a page without edges spreads d times its rank
   * over all n pages. Ranks start at 1 / n and sum to 1.
   *
   * @throws RangeError for an option outside its range; JobError when a job fails;
   *   RangeError when the ranks do not converge within `maxRounds`
   */
  rank(options?: RankOptions): Promise<RankReport>;
  /**
   * Answers a query from the members that hold its terms (scatter-gather):
   * every page that holds at least one term is a hit, scored as milestone
   * 0 scores it over the whole index, then by `finalScore`.
   *
   * @param query any text; one with no terms (empty, stopwords only) finds nothing
   * @throws RangeError for an option outside its range, or a query longer than 10,000 characters
   */
  search(query: string, options?: SearchOptions): Promise<SearchResult>;
  /**
   * Serves `search` over HTTP on a port of its own, until `close` is called
   * or the node stops. Query parameters name `search`'s arguments: `q` the
   * query (none is the empty query), and `k`, `offset`, `scoring`, `weight`
   * its options, each taking its default when left out; a number is read as
   * JavaScript's `Number` reads it.
   *
   * - `GET /search?q=…&k=…&offset=…&scoring=…&weight=…` answers 200 with the
   *   `SearchResult` as JSON (content type application/json).
   * - `GET /?q=…` answers 200 with the search page (content type text/html):
   *   a form that asks `/` for the query in a text field named `q`, holding
   *   the query asked; and when `q` is not empty, how many pages match, how
   *   long the search took, and the hits in an `<ol id="hits">`, one `<li>`
   *   per hit, in order, whose first link goes to the hit's URL and reads its
   *   title, followed by its snippet with each marked word in a `<mark>`.
   *   Text from the crawled pages and from the query is escaped.
   * - Served with `learn`, a search at /search or / that has terms logs one
   *   event to "queries" and one [1, 0] to "views" per hit it answers with
   *   (before it answers); `POST /click?url=…` logs [0, 1] for that URL to
   *   "views" and answers 204; `GET /insights?k=…` answers `insights(k)` as
   *   JSON; and the search page shows the trending queries in an
   *   `<ol id="trending">`, one `<li>` each with a link to its search; each
   *   hit's link pings /click (its `ping` attribute), and a hit whose page
   *   was shown this hour says how often it was clicked, in a
   *   `<div class="ctr">`.
   * - A query or a parameter that `search` refuses answers 400, and a search
   *   that fails for another reason 500, each with `{ "error": message }` as
   *   JSON at /search and as the page's text at /; another path answers 404,
   *   a request target that is not a URL 400, and a method other than GET and
   *   HEAD 405.
   *
   * @returns once it listens
   * @throws RangeError for an option outside its range; what listening throws (a port in use)
   * @example
   * const node = await startNode();
   * await node.groups.put("web", [node.address]);
   * const server = await node.engine("web").serve();
   * const answer = await fetch(`${server.url}/search?q=vacuum&k=3`);
   * answer.status; // 200
   * await node.stop(); // closes the server too
   */
  serve(options?: ServeOptions): Promise<SearchServer>;
  /**
   * Makes the engine learn from its users (part 3): creates the topics
   * "queries", "views", "trending-queries" and "page-views" of the group's
   * log (4 partitions each; the last two keep 2 hours of events by
   * retainMs), and starts two stream jobs of the group unless they run:
   *
   * - "trending-queries" counts the events of "queries" (key: the query as
   *   searched, lowercased, with each run of whitespace one space and the
   *   ends trimmed; value 1) per key in tumbling windows of 60,000 ms, with
   *   early results every 5,000 ms, into "trending-queries";
   * - "page-views" sums the events of "views" (key: a URL; value [shown,
   *   clicked], [1, 0] for a hit shown and [0, 1] for a click) per URL, pair
   *   by pair, in tumbling windows of 3,600,000 ms, with early results every
   *   5,000 ms, into "page-views".
   *
   * Each event's time is the clock of the node that logs it. In both jobs a
   * partition goes idle after 10,000 ms without a record (idleMs), and
   * every other option keeps its default (exactly once, a checkpoint every
   * 1,000 records and every 1,000 ms).
   *
   * @throws RangeError when this node knows no members of the group
   */
  learn(): Promise<void>;
  /**
   * What the engine learnt, from the results in "trending-queries" and
   * "page-views" (the latest result of each key and window).
   *
   * @param k how many trending queries at most (default 10): an integer in [0, 1000]
   * @throws RangeError for a bad k, or when `learn` never ran for the group
   */
  insights(k?: number): Promise<Insights>;
}

/** A node of milestone 6. */
export interface EngineNode extends MapReduceNode {
  /** The search engine of the group `gid` (placed by milestone 4's default placement). */
  engine(gid: string): Engine;
  /** The event log of the group `gid` (part 2: streams). */
  log(gid: string): Log;
  /** The stream jobs of the group `gid` (part 3: stream processing). */
  streams(gid: string): Streams;
}

// Part 2: streams. The event log of a group: topics of partitions spread
// over its members, appended to by producers and read by consumers, who
// share a topic's partitions in consumer groups (handouts/m6.md#the-log).
//
// Partition p of topic t lives on the member that owns the key `${t}/${p}`
// in `${gid}-log` (milestone 4's default placement over the members of this
// node's view of `gid`): that member gives the partition's records their
// offsets and keeps them in its own store (`node.local`), in namespace
// `${gid}-log`, under keys that start with `${t}/${p}/`. A consumer group's
// committed offsets for a topic, and who is in it and holds which partition,
// live on the owner of `${group}/${t}`, in the same namespace. A topic's
// settings are on every member. So all of it survives a member restarted on
// its folder.

/** An event, as a producer appends it. */
export interface LogEvent {
  /** Decides the partition (`partitionOf`): events with one key go to one partition, in the order appended. */
  key: string;
  /** Any value milestone 1 serializes. */
  value: unknown;
  /** When the event happened, ms (its event time, which may be out of order): a finite number. */
  time: number;
}

/** Where an appended event is: its partition, and its offset there (0 for the first event a partition ever held, then 1, 2, …). */
export interface LogPosition {
  partition: number;
  offset: number;
}

/** An event as the log holds it. */
export interface LoggedEvent extends LogEvent, LogPosition {}

/** A topic's settings. */
export interface TopicOptions {
  /** How many partitions (default 4): an integer in [1, 256]. */
  partitions?: number;
  /** Keep the last this many events of each partition (default: all): a positive integer. */
  retainEvents?: number;
  /** Keep events appended less than this long ago, ms by the clock of the partition's member (default: all): a positive number. */
  retainMs?: number;
}

/** What a read found. */
export interface LogRead {
  /** The events from the offset asked for (or from `start`, if that is later), in offset order, at most as many as asked. */
  events: LoggedEvent[];
  /** The partition's first offset still kept: every offset below it was removed by retention. */
  start: number;
  /** The offset the next event appended will get. */
  end: number;
}

/** How a consumer takes part in its group. */
export interface ConsumerOptions {
  /** A consumer that has not polled for this long, ms, is out of the group and its partitions go to others (default 10,000): a positive number. */
  sessionMs?: number;
}

/**
 * A member of a consumer group: it reads the partitions the group gives it,
 * each from the group's committed offset (or from the partition's start
 * when none is committed), and commits how far it has processed.
 */
export interface Consumer {
  /** Unique among every consumer of every node. */
  readonly id: string;
  /**
   * Tells the group it is alive (joining it at the first poll, or again
   * after its session ran out), learns its partitions, and reads up to
   * `max` events from them, from its position in each, which it then moves
   * past what it returns. The group's consumers, sorted by id, hold the
   * partitions in turn: partition p goes to consumer p mod n. A partition
   * moves to its new consumer only once the one before has polled again
   * (and learnt that it lost it), left, or run out of session: no two
   * consumers of a group read a partition between two polls of theirs. A
   * consumer that joins again after its session ran out reads every
   * partition it gets from the group's committed offset.
   *
   * @param max an integer ≥ 1 (default 100)
   */
  poll(max?: number): Promise<LoggedEvent[]>;
  /** The partitions this consumer held at its last poll, ascending. */
  assignment(): number[];
  /**
   * Commits, for each partition it held at its last poll, its position
   * there: the offset after the last event poll returned from it. A
   * committed offset never moves back: a lower one leaves it as it is.
   *
   * @throws RangeError naming the partitions the consumer no longer holds (they went to another consumer since its last poll); the others are committed
   */
  commit(): Promise<void>;
  /** Leaves the group: its partitions go to the others at their next poll. Polling after close is a RangeError. */
  close(): Promise<void>;
}

/** The event log of one group. */
export interface Log {
  /**
   * Creates a topic on every member. Creating it again with the same
   * settings does nothing.
   *
   * @param topic a non-empty name without "/"
   * @throws RangeError for a bad name or setting, or when the topic exists with other settings
   */
  createTopic(topic: string, options?: TopicOptions): Promise<void>;
  /**
   * Appends events, each to partition `partitionOf(key, partitions)`, in the
   * order given within a partition; one call per partition's member, and
   * that member writes the events of the appends that reach it while it is
   * writing in one store write (appends are batched, never a rewrite of the
   * partition per event). Resolves once every event is in its member's store.
   *
   * @returns each event's position, in the order given
   * @throws RangeError for an unknown topic or an event that is not a LogEvent
   */
  append(topic: string, events: readonly LogEvent[]): Promise<LogPosition[]>;
  /**
   * Reads a partition from `offset`: at most `max` events (default 100, an
   * integer ≥ 1). An offset below `start` (removed by retention) reads from
   * `start`, and the answer's `start` says so.
   *
   * @throws RangeError for an unknown topic or partition, or an offset that is not an integer in [0, end]
   */
  read(topic: string, partition: number, offset: number, max?: number): Promise<LogRead>;
  /**
   * A new consumer of the topic in consumer group `group` (created at its
   * first consumer; a non-empty name without "/").
   *
   * @throws RangeError for an unknown topic, a bad group name or option
   */
  consumer(group: string, topic: string, options?: ConsumerOptions): Promise<Consumer>;
  /**
   * The group's committed offsets for the topic, one per partition
   * (undefined where none is committed).
   *
   * @throws RangeError for an unknown topic
   */
  committed(group: string, topic: string): Promise<Array<number | undefined>>;
}

/**
 * The partition of a key among `partitions`: the first four bytes of the
 * SHA-256 of the key (UTF-8), as an unsigned big-endian integer, modulo `partitions`.
 *
 * @example
 * partitionOf("user-17", 4); // 2
 */
export declare function partitionOf(key: string, partitions: number): number;

// Part 3: stream processing. Jobs that read a topic of the log, group its
// events by key into event-time windows, and append each window's result
// to another topic, with event-time semantics (watermarks, allowed
// lateness, a late output) and exactly-once results across crashes
// (handouts/m6.md#the-processor). `windowOperator` and `watermarks` are the
// pure cores of a job, driven by the caller: no clock, no I/O.

/** A record flowing through a job: a log event's key, value and event time. */
export interface StreamRecord {
  key: string;
  value: unknown;
  /** Event time, ms: a finite number. */
  time: number;
}

/**
 * How records are grouped in event time. Every size is a positive number, ms.
 *
 * - `{ tumbling: size }`: the windows [k·size, (k+1)·size) for every integer k;
 *   a record is in the one that holds its time.
 * - `{ sliding: size, every }`: the windows [k·every, k·every + size); a
 *   record is in each one that holds its time.
 * - `{ session: gap }`: per key, a record makes the window [time, time + gap),
 *   which merges with every window of its key that it overlaps or touches;
 *   their values merge with `reduce`, the earlier window's first.
 */
export type WindowSpec = { tumbling: number } | { sliding: number; every: number } | { session: number };

/** How a job groups and combines its records, and when it gives results. */
export interface WindowingOptions {
  window: WindowSpec;
  /**
   * Combines two values of one key and window into one (a sum, a max): a
   * window's value is its records' values combined in the order they were
   * added, `reduce(reduce(v1, v2), v3)`, … (one record: its value).
   */
  reduce: (a: unknown, b: unknown) => unknown;
  /** How long after a window's end, in event time, records still update it (default 0): a number ≥ 0. */
  allowedLatenessMs?: number;
  /**
   * Early results (default: none): once a window of a key gets a record
   * before its on-time result, an early result is due `earlyMs` later in
   * processing time; a positive number.
   */
  earlyMs?: number;
  /**
   * Late results (default 0): once a window of a key gets a record after its
   * on-time result, a late result is due `lateMs` later in processing time
   * (0: at once); a number ≥ 0.
   */
  lateMs?: number;
}

/** A window's result for one key. */
export interface WindowResult {
  key: string;
  /** The window, [start, end) in event time. */
  start: number;
  end: number;
  /** Every record the window has had so far, combined by `reduce` (results accumulate). */
  value: unknown;
  /** "early" before the watermark reached `end`, "on time" when it did, "late" after. */
  timing: "early" | "on time" | "late";
  /** How many results this key and window (and the session windows merged into it) had before: 0, 1, … */
  pane: number;
  /** True when no later result of this key and window can follow: the watermark has reached `end` plus the allowed lateness. */
  final: boolean;
}

/** What a window operator gives out: a result, or a record too late for every window it falls in. */
export type WindowOutput = { result: WindowResult } | { late: StreamRecord };

/**
 * The keyed window operator of a job: its state is the windows it holds,
 * each with the combined value of its records and its pending results.
 * The watermark starts at -Infinity.
 *
 * A window of a key [start, end) with allowed lateness L:
 * - gets each record in it whose window has not expired (its time may be
 *   behind the watermark: until the watermark reaches `end`, that is not late);
 * - gives its **on-time** result when the watermark reaches `end`, always,
 *   once; early results before it when `earlyMs` is set; **late** results
 *   after it for the records it gets while end ≤ watermark < end + L (a
 *   window that gets its first record then gives late results only);
 * - **expires** when the watermark reaches end + L: a late result still due
 *   is given then, as final, and the window is gone from the state.
 *
 * A record whose every window has expired is given out as `late`, untouched.
 * Each call returns what it gave out: results ordered by `end`, then
 * `start`, then key (code-unit order), late records where they came.
 */
export interface WindowOperator {
  /**
   * Adds a record at processing time `now` (ms, never less than at the call before).
   *
   * @throws RangeError when the record is not a StreamRecord
   */
  add(record: StreamRecord, now: number): WindowOutput[];
  /** Moves the watermark to `watermark` (a lower one changes nothing): on-time results, then expiries. */
  watermark(watermark: number): WindowOutput[];
  /** Processing time has reached `now`: the early and late results due by then, in the order they fell due. */
  time(now: number): WindowOutput[];
  /** The windows held, over all keys: each is gone once it expires. */
  held(): number;
  /** The whole state (windows, values, pending results, watermark) as a value milestone 1 serializes. */
  snapshot(): unknown;
}

/**
 * A window operator, empty or restored from a snapshot of one with the same options.
 *
 * @throws RangeError for an option outside its range
 * @example
 * const op = windowOperator({ window: { tumbling: 10 }, reduce: (a, b) => (a as number) + (b as number) });
 * op.add({ key: "red", value: 3, time: 1 }, 0);
 * op.add({ key: "red", value: 4, time: 9 }, 0);
 * op.watermark(10); // [{ result: { key: "red", start: 0, end: 10, value: 7, timing: "on time", pane: 0, final: true } }]
 * op.add({ key: "red", value: 5, time: 2 }, 0); // [{ late: { key: "red", value: 5, time: 2 } }]
 */
export declare function windowOperator(options: WindowingOptions, snapshot?: unknown): WindowOperator;

/**
 * A job's watermark over the partitions of its source: for each partition,
 * the largest event time read from it minus `outOfOrderMs`; the watermark is
 * the least of those over the partitions that are not idle (once every
 * partition is idle, the largest of them), -Infinity until every partition
 * has had a record or gone idle. It moves with each `observe` and `idle`,
 * whether `current` is called in between or not, and never moves back.
 */
export interface Watermarks {
  /**
   * A record of `partition` was read, with event time `time`; an idle partition is idle no more.
   *
   * @throws RangeError for a partition out of range, changing nothing
   */
  observe(partition: number, time: number): void;
  /**
   * `partition` has had no record for a while (the job's `idleMs`): leave it
   * out of the least until its next record. That record may then be behind
   * the watermark, which does not move back for it.
   *
   * @throws RangeError for a partition out of range, changing nothing
   */
  idle(partition: number): void;
  /** The watermark now. */
  current(): number;
  /** The state, as a value milestone 1 serializes. */
  snapshot(): unknown;
}

/**
 * Watermarks over `partitions` partitions, empty or restored from a snapshot.
 *
 * @example
 * const marks = watermarks(2, 5);
 * marks.observe(0, 100);
 * marks.current(); // -Infinity: partition 1 has had no record
 * marks.observe(1, 50);
 * marks.current(); // 45
 * marks.idle(1);
 * marks.current(); // 95: partition 1 is left out
 * marks.observe(1, 60);
 * marks.current(); // 95: it is back, and holds the watermark where it was
 * marks.observe(0, 300);
 * marks.idle(0);
 * marks.current(); // 95: partition 1, at 60, holds it
 * marks.idle(1);
 * marks.current(); // 295: every partition is idle, the largest time minus 5
 */
export declare function watermarks(partitions: number, outOfOrderMs: number, snapshot?: unknown): Watermarks;

/** What a job does to each record before windowing, in the order listed; each function uses its argument only (it travels as source). */
export type Step =
  /** Replaces the record's value. */
  | { map: (record: StreamRecord) => unknown }
  /** Keeps the record only when it returns true. */
  | { filter: (record: StreamRecord) => boolean }
  /** Replaces the record's key (a string). */
  | { keyBy: (record: StreamRecord) => string };

/** A stream job. */
export interface StreamJob extends WindowingOptions {
  /** Names the job in the group and its checkpoints: a non-empty name without "/". */
  name: string;
  /** The topic it reads, every partition from offset 0 (or from its last checkpoint). */
  source: string;
  /** Applied to each record read, in order (default none). */
  steps?: Step[];
  /**
   * The topic its results go to, one event per `WindowResult`: key the
   * result's key, value the result, time its `end` − 1. The job must be the
   * topic's only writer.
   */
  sink: string;
  /** The topic its late records go to, as they left the steps (default: none; they are only counted). The job must be its only writer. */
  lateSink?: string;
  /** The bound on out-of-orderness of its watermarks (default 0): a number ≥ 0. */
  outOfOrderMs?: number;
  /**
   * A partition of the source goes idle in the job's watermarks once every
   * record its reader handed over is processed (a partition held at a
   * checkpoint's barrier is not idle) and this many ms of the job's node's
   * clock have passed since the job processed its last record, or since
   * the job (re)started for none yet: a positive number, and Infinity, the
   * default, never. Without it, a partition that gets no record holds the
   * watermark back for ever.
   */
  idleMs?: number;
  /**
   * Begin a checkpoint each time it has processed this many records since it
   * began the last one, unless that one is not complete yet: one at a time
   * (default 1000); a positive integer.
   */
  checkpointEvery?: number;
  /**
   * And every this many ms on its node's clock, if since it began the last
   * one it has processed a record or given out a result (early, on time or
   * late) or a late record (default 1000): a positive number.
   */
  checkpointMs?: number;
  /**
   * "exactly-once" (the default): each result and late record reaches its
   * topic once, even when the job's node crashes; they are appended once
   * the checkpoint that covers them is complete. "at-least-once": they are
   * appended at once, and after a crash the records since the last
   * checkpoint are processed again, so results may be appended twice.
   */
  guarantee?: "exactly-once" | "at-least-once";
}

/** Where a job is. */
export interface JobStatus {
  name: string;
  /** The member that runs it: the owner of its name in `${gid}-streams`. */
  node: NodeAddress;
  /** Whether it runs now (false once stopped, once it failed, or before a restarted member has started it again). */
  running: boolean;
  /** The checkpoints it completed over its whole life (0: none); a restart goes on from the last. */
  checkpoints: number;
  /** For each partition of the source, the offset of the next record to process. */
  offsets: number[];
  /** The watermark its operator has reached (Infinity once drained). */
  watermark: number;
  /** The windows its operator holds now. */
  held: number;
  /**
   * The results and the late records its operator gave out over its whole
   * life: as of its last checkpoint, plus what it gave out since while it runs.
   */
  results: number;
  late: number;
  /** Why it stopped by itself, when it did: what a step or its reduce threw, as "Name: message". */
  error?: string;
}

/**
 * The stream jobs of one group. A job runs on one member, the owner of its
 * name in `${gid}-streams` (milestone 4's default placement over the
 * group's view), which keeps its checkpoints in its own store, namespace
 * `${gid}-streams`: so a job survives a restart of its member on its
 * folder, and goes on from its last completed checkpoint when started again.
 * Stopping a node stops its jobs where they are, without a checkpoint, as a
 * crash would; none starts again by itself.
 */
export interface Streams {
  /**
   * Starts a job on its member: from its last completed checkpoint if it has
   * one, from offset 0 of every partition if not.
   *
   * @returns its status once it runs
   * @throws RangeError for a bad name or option, an unknown topic, or when it runs already
   */
  start(job: StreamJob): Promise<JobStatus>;
  /**
   * A job's status, running or not.
   *
   * @throws RangeError when the group has no job of that name (never started)
   */
  status(name: string): Promise<JobStatus>;
  /**
   * Stops a running job after a last checkpoint. With `drain`, it first
   * processes every partition up to its end as of the call, then moves its
   * watermark to Infinity (every window gives its results and expires).
   *
   * @returns its status once stopped and its last results are appended
   * @throws RangeError when the job does not run
   */
  stop(name: string, options?: { drain?: boolean }): Promise<JobStatus>;
}

/** How to start a milestone-6 node: as a milestone-5 node. */
export type EngineNodeConfig = MapReduceNodeConfig;

/**
 * Starts a node with a search engine (on top of milestone 5).
 *
 * @example
 * const node = await startNode({ folder: "/tmp/engine-1" });
 */
export declare function startNode(config?: EngineNodeConfig): Promise<EngineNode>;

/**
 * Starts a milestone-6 node in a child process.
 *
 * @throws Error when the child fails to start within 10 seconds
 */
export declare function spawnNode(config?: Omit<EngineNodeConfig, "context">): Promise<ChildNode>;

/**
 * A page's title: the text of its first `<title>` element (through
 * milestone 0's getText), with every run of whitespace made one space and
 * the ends trimmed; the URL when that leaves nothing.
 *
 * @example
 * pageTitle("<title> Fish &amp;\n chips </title>", "http://a/"); // "Fish & chips"
 */
export declare function pageTitle(html: string, url: string): string;

/**
 * A snippet of a page's text: its words (maximal runs of Unicode letters,
 * marks and digits, as milestone 0's `process` splits them) from the first
 * word whose stem is one of `terms` (or from the first word, when none is),
 * at most 30 of them, joined by one space, with each word whose stem is one
 * of `terms` wrapped in `[` and `]`.
 *
 * @example
 * snippetOf("The Vacuum command reclaims storage.", ["vacuum"]); // "[Vacuum] command reclaims storage"
 */
export declare function snippetOf(text: string, terms: readonly string[]): string;

/**
 * What a hit is ranked by: its text score plus `weight` times
 * ln(1 + pages × rank), where `pages` is the number of pages ranked (an
 * average page has pages × rank = 1).
 *
 * @example
 * finalScore(2.5, 0.01, 100, 1); // 2.5 + Math.LN2
 */
export declare function finalScore(text: number, rank: number, pages: number, weight: number): number;
