/**
 * A member's part of a crawl: it fetches the URLs it owns in the crawl
 * store, one frontier per group, and sends the links it finds to their
 * owners. The coordinator (crawl.ts) drives it through the engine service:
 *
 *   beginCrawl(spec)     begin (or resume) a crawl: queue every URL this
 *                        member recorded "queued" before
 *   startCrawl(gid)      start fetching, once every member has begun (a
 *                        member that fetched at once could ask another
 *                        for robots.txt before that one knew the crawl)
 *   offer(gid, urls)     URLs this member owns, met by someone: each new one
 *                        is recorded "queued" and will be fetched
 *   crawlStatus(gid)     idle or not, offers received, fetches made
 *   robots(gid)          the robots.txt rules, on the member that owns its
 *                        URL, which fetches it once per crawl
 *   endCrawl(gid)        close the crawl's connections
 *
 * A member fetches only the URLs it owns, and records a page before it marks
 * it fetched: a crash at any point leaves the page "queued", to be fetched
 * again when the crawl resumes, and nothing else.
 */
import { Agent } from "node:http";
import type { CrawlRecord, NodeAddress, PageRecord } from "../api.ts";
import type * as M5 from "../../m5-mapreduce/api.ts";
import { isAllowed, parseRobots, type RobotsRules } from "../../m0-setup/reference/robots.ts";
import { m0, m2, m4 } from "../deps.ts";
import { fetchURL, type FetchLimits } from "./fetch-url.ts";
import { Frontier, type Politeness } from "./frontier.ts";
import { pageTitle } from "./page-title.ts";
import { engineServiceName, type Stores, storesOf } from "./stores.ts";

/** What the coordinator tells every member when a crawl starts. */
export interface CrawlSpec {
  gid: string;
  /** The origin every crawled URL shares. */
  origin: string;
  members: NodeAddress[];
  politeness: Politeness;
  limits: Omit<FetchLimits, "type">;
}

/** A member's crawl, as the coordinator sees it. */
export interface CrawlStatus {
  /** Nothing queued, nothing being fetched. */
  idle: boolean;
  /** Offers this member took. */
  received: number;
  /** Fetches this member made. */
  fetched: number;
  /** Why this member's crawl failed, if it did. */
  error?: string;
}

/** One crawl of one group on this member. */
interface Crawl {
  spec: CrawlSpec;
  stores: Stores;
  ids: string[];
  frontier: Frontier;
  agent: Agent;
  received: number;
  fetched: number;
  error?: string;
  /** Cancels the timer that waits for the politeness delay. */
  waiting?: () => void;
  /** The rules, once asked for. */
  rules?: Promise<RobotsRules>;
}

export class CrawlWorker {
  readonly node: M5.MapReduceNode;
  readonly #crawls = new Map<string, Crawl>();

  constructor(node: M5.MapReduceNode) {
    this.node = node;
  }

  async beginCrawl(spec: CrawlSpec): Promise<void> {
    this.endCrawl(spec.gid);
    const crawl: Crawl = {
      spec,
      stores: storesOf(spec.gid),
      ids: spec.members.map((member) => m2.nodeId(member)),
      frontier: new Frontier(spec.politeness),
      agent: new Agent({ keepAlive: true }),
      received: 0,
      fetched: 0,
    };
    this.#crawls.set(spec.gid, crawl);
    for (const url of await this.node.local.keys(crawl.stores.crawl)) {
      const record = await this.node.local.get(crawl.stores.crawl, url);
      if (record.found && (record.value as CrawlRecord).state === "queued") crawl.frontier.add(url);
    }
  }

  startCrawl(gid: string): void {
    this.#pump(this.#crawl(gid));
  }

  async offer(gid: string, urls: string[]): Promise<void> {
    const crawl = this.#crawl(gid);
    crawl.received++;
    for (const url of urls) {
      const queued: CrawlRecord = { state: "queued" };
      if (await this.node.local.putIfAbsent(crawl.stores.crawl, url, queued)) crawl.frontier.add(url);
    }
    this.#pump(crawl);
  }

  crawlStatus(gid: string): CrawlStatus {
    const { frontier, received, fetched, error } = this.#crawl(gid);
    return { idle: frontier.idle, received, fetched, ...(error === undefined ? {} : { error }) };
  }

  /** The robots.txt rules of the crawl (on the owner of its URL: fetched once, when first asked for). */
  robots(gid: string): Promise<RobotsRules> {
    const crawl = this.#crawl(gid);
    crawl.rules ??= this.#fetchRobots(crawl);
    return crawl.rules;
  }

  endCrawl(gid: string): void {
    const crawl = this.#crawls.get(gid);
    crawl?.waiting?.();
    crawl?.agent.destroy();
    this.#crawls.delete(gid);
  }

  /** Ends every crawl (the node stops). */
  endAll(): void {
    for (const gid of this.#crawls.keys()) this.endCrawl(gid);
  }

  #crawl(gid: string): Crawl {
    const crawl = this.#crawls.get(gid);
    if (crawl === undefined) throw new RangeError(`Cannot crawl for group "${gid}": no crawl has begun on this member`);
    return crawl;
  }

  /** Starts every fetch the frontier allows now, and a timer for the next one the delay holds back. */
  #pump(crawl: Crawl): void {
    for (;;) {
      const next = crawl.frontier.next(this.node.context.clock.now());
      if (next === undefined) return;
      if ("waitMs" in next) {
        crawl.waiting ??= this.node.context.clock.after(next.waitMs, () => {
          crawl.waiting = undefined;
          this.#pump(crawl);
        });
        return;
      }
      this.#visit(crawl, next.url)
        .catch((error: unknown) => {
          crawl.error ??= `${this.node.address.ip}:${this.node.address.port} failed on ${next.url}: ${error instanceof Error ? error.message : String(error)}`;
        })
        .finally(() => {
          crawl.frontier.done();
          this.#pump(crawl);
        });
    }
  }

  /** Fetches one URL this member owns, records what it is, and offers its links to their owners. */
  async #visit(crawl: Crawl, url: string): Promise<void> {
    const { local } = this.node;
    const { stores } = crawl;
    const rules = await this.#rules(crawl);
    const target = new URL(url);
    if (!isAllowed(rules, target.pathname + target.search)) {
      return local.put(stores.crawl, url, { state: "skipped", reason: "disallowed" } satisfies CrawlRecord);
    }
    const fetched = await fetchURL(url, { ...crawl.spec.limits, type: "text/html" }, crawl.agent);
    crawl.fetched++;
    if (fetched.kind === "skipped") {
      const { reason, status } = fetched;
      return local.put(stores.crawl, url, { state: "skipped", reason, ...(status === undefined ? {} : { status }) } satisfies CrawlRecord);
    }
    if (fetched.kind === "redirect") {
      await this.#spread(crawl, [fetched.location]);
      return local.put(stores.crawl, url, { state: "redirect", status: fetched.status, location: fetched.location } satisfies CrawlRecord);
    }
    const html = fetched.text;
    const text = m0.getText(html);
    const counts = m0.invert(m0.combine(m0.process(text).map(m0.stem)));
    let length = 0;
    for (const count of counts.values()) length += count;
    const page: PageRecord = { title: pageTitle(html, url), text, counts: [...counts], length };
    await local.put(stores.pages, url, page);
    const links = m0.getURLs(html, url).filter((link) => sameOrigin(link, crawl.spec.origin));
    await this.#spread(crawl, links);
    await local.put(stores.crawl, url, { state: "page", links } satisfies CrawlRecord);
  }

  /** Offers URLs of the crawl's origin to their owners: one call per owner, this member's own taken here. */
  async #spread(crawl: Crawl, urls: string[]): Promise<void> {
    const byOwner = new Map<string, string[]>();
    for (const url of new Set(urls.filter((url) => sameOrigin(url, crawl.spec.origin)))) {
      const owner = m4.owner(url, crawl.ids);
      byOwner.set(owner, [...(byOwner.get(owner) ?? []), url]);
    }
    await Promise.all([...byOwner].map(([owner, owned]) =>
      owner === this.node.id
        ? this.offer(crawl.spec.gid, owned)
        : this.node.comm.send([crawl.spec.gid, owned], { node: this.#member(crawl, owner), service: engineServiceName, method: "offer" })
    ));
  }

  /** The rules, from the member that owns robots.txt's URL (this one, maybe). */
  #rules(crawl: Crawl): Promise<RobotsRules> {
    const owner = m4.owner(robotsURL(crawl.spec.origin), crawl.ids);
    if (owner === this.node.id) return this.robots(crawl.spec.gid);
    crawl.rules ??= this.node.comm.send([crawl.spec.gid], { node: this.#member(crawl, owner), service: engineServiceName, method: "robots" }) as Promise<RobotsRules>;
    return crawl.rules;
  }

  async #fetchRobots(crawl: Crawl): Promise<RobotsRules> {
    const fetched = await fetchURL(robotsURL(crawl.spec.origin), { ...crawl.spec.limits, type: "text/plain" }, crawl.agent);
    crawl.fetched++;
    return parseRobots(fetched.kind === "body" ? fetched.text : "");
  }

  #member(crawl: Crawl, id: string): NodeAddress {
    return crawl.spec.members[crawl.ids.indexOf(id)] as NodeAddress;
  }
}

function robotsURL(origin: string): string {
  return `${origin}/robots.txt`;
}

function sameOrigin(url: string, origin: string): boolean {
  return URL.canParse(url) && new URL(url).origin === origin;
}
