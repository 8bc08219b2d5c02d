/**
 * The local web: what every crawling milestone crawls, without touching the
 * internet. A server (`startWeb`) serves either a deterministic generated web
 * of 10 to 1,000,000 pages or a folder of real pages; the generated web's
 * ground truth (`crawlTruth`, `pageRank`, `termIndex`) says what a correct
 * crawler, ranker or indexer must find, with no server involved.
 *
 * @example
 * const server = await startWeb({ pages: 500, seed: 7 });
 * const truth = crawlTruth(server.web!);
 * // … crawl server.url, then compare with truth.fetched, truth.edges …
 * const ranks = pageRank(truth.edges, { nodes: truth.pages });
 * await server.close();
 */
export { type CrawlTruth, crawlTruth, type Outcome } from "./crawl-truth.ts";
export { folderResponder } from "./folder.ts";
export { createWeb, pageLimits, type Topic, type Web, type WebOptions } from "./generated-web.ts";
export { factsOf, type PageFacts, type PageKind, pagePath } from "./page-facts.ts";
export { pageRank, type PageRankOptions } from "./page-rank.ts";
export type { Reply, Responder } from "./reply.ts";
export { respond } from "./respond.ts";
export { disallowedPrefixes, isAllowed, robotsTxt } from "./robots.ts";
export { startWeb, type StartWebOptions, type WebServer } from "./server.ts";
export { termIndex, visibleWords } from "./term-truth.ts";
export { measureThroughput, type Throughput, type ThroughputOptions } from "./throughput.ts";
