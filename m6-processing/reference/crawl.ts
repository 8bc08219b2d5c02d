/**
 * `engine.crawl(start, options)` on the node that calls it: it checks the
 * options, begins the crawl on every member, then starts it on every
 * member (each fetches what it had queued), offers the start URL to its
 * owner, and waits until the crawl is over: every member idle, with the
 * same offers received, at two looks in a row (an offer can only make an
 * idle member busy by arriving, which the second look would see).
 */
import type { CrawlOptions, CrawlReport } from "../api.ts";
import type { CrawlSpec, CrawlStatus } from "./crawl-worker.ts";
import { crawlName } from "./fetch-url.ts";
import type { Group } from "./group.ts";

/** How often the coordinator looks at the members, ms. */
const lookEveryMs = 20;

/** What a crawl's spec says besides its group, the options checked. */
export function checkCrawl(start: string, options: CrawlOptions): Omit<CrawlSpec, "gid" | "members"> {
  const url = URL.canParse(start) ? new URL(start) : undefined;
  if (url?.protocol !== "http:") throw new TypeError(`Cannot crawl from ${JSON.stringify(start)}: expected an absolute http URL`);
  const { concurrency = 4, delayMs = 0, timeoutMs = 10_000, maxBytes = 1_048_576 } = options;
  const check = (name: string, value: number, valid: boolean, expected: string) => {
    if (!valid) throw new RangeError(`Cannot crawl with ${name} ${value}: expected ${expected}`);
  };
  check("concurrency", concurrency, Number.isInteger(concurrency) && concurrency > 0, "a positive integer");
  check("delayMs", delayMs, Number.isFinite(delayMs) && delayMs >= 0, "a number ≥ 0");
  check("timeoutMs", timeoutMs, Number.isFinite(timeoutMs) && timeoutMs > 0, "a positive number");
  check("maxBytes", maxBytes, Number.isInteger(maxBytes) && maxBytes > 0, "a positive integer");
  return { origin: url.origin, politeness: { concurrency, delayMs }, limits: { timeoutMs, maxBytes } };
}

export async function crawl(group: Group, start: string, checked: Omit<CrawlSpec, "gid" | "members">): Promise<CrawlReport> {
  const { node, stores } = group;
  const spec: CrawlSpec = { gid: group.gid, members: group.members, ...checked };
  const first = crawlName(new URL(start));
  try {
    await group.everyMember("beginCrawl", [spec]);
    await group.everyMember("startCrawl", [spec.gid]);
    await group.call(group.ownerOf(first), "offer", [spec.gid, [first]]);
    let before: CrawlStatus[] = [];
    for (;;) {
      const now = await group.everyMember<CrawlStatus>("crawlStatus", [spec.gid]);
      const failed = now.find((status) => status.error !== undefined);
      if (failed !== undefined) throw new Error(`Cannot crawl from ${start}: member ${failed.error}`);
      const over = now.every((status, i) => status.idle && before[i]?.idle && status.received === before[i]?.received);
      if (over) {
        const counts = { pages: 0, redirects: 0, skipped: 0 };
        for (const held of await group.everyMember<typeof counts>("crawlCounts", [stores.crawl])) {
          counts.pages += held.pages;
          counts.redirects += held.redirects;
          counts.skipped += held.skipped;
        }
        return { ...counts, fetched: new Map(group.ids.map((id, i) => [id, now[i]?.fetched ?? 0])) };
      }
      before = now;
      await new Promise<void>((resolve) => node.context.clock.after(lookEveryMs, resolve));
    }
  } finally {
    await group.everyMember("endCrawl", [spec.gid]).catch(() => undefined);
  }
}
