/**
 * crawl: a polite, breadth-first crawler of one site. It reads robots.txt
 * first and never fetches what its `User-agent: *` group disallows; it
 * follows links (getURLs) and redirects only within the start page's origin;
 * it fetches each URL once, a few at a time; it yields the HTML pages (status
 * 200, text/html) as they arrive. A URL that fails (refused, reset, timed
 * out) is skipped: one bad page does not stop a crawl.
 */
import type { CrawlOptions, Page } from "../api.ts";
import { fetcher } from "./fetch-page.ts";
import { getURLs } from "./get-urls.ts";
import { isAllowed, parseRobots, type RobotsRules } from "./robots.ts";

/** Requests in flight at once. */
const concurrency = 4;

/** The URL without its fragment, as the crawl names it. */
function withoutFragment(url: URL): string {
  const copy = new URL(url);
  copy.hash = "";
  return copy.href;
}

export async function* crawl(start: string, options: CrawlOptions = {}): AsyncIterable<Page> {
  const first = new URL(start);
  if (first.protocol !== "http:" && first.protocol !== "https:") {
    throw new TypeError(`Cannot crawl ${start}: only http and https sites can be crawled`);
  }
  const maxPages = options.maxPages ?? Infinity;
  const http = fetcher();
  try {
    const robots: RobotsRules = await http
      .get(new URL("/robots.txt", first.origin))
      .then((answer) => (answer.status === 200 ? parseRobots(answer.body.toString("utf8")) : parseRobots("")))
      .catch(() => parseRobots(""));
    const seen = new Set<string>();
    const queue: URL[] = [];
    const enqueue = (url: URL) => {
      const name = withoutFragment(url);
      if (url.origin !== first.origin || seen.has(name)) return;
      seen.add(name);
      if (isAllowed(robots, url.pathname + url.search)) queue.push(new URL(name));
    };
    enqueue(first);
    let yielded = 0;
    let next = 0;
    /** Fetches in flight, each resolving to its own number; a page when it is one. */
    const inFlight = new Map<number, Promise<number>>();
    const pages = new Map<number, Page>();
    const fetchOne = (url: URL, number: number): Promise<number> =>
      http.get(url).then(
        (answer) => {
          if ([301, 302, 303, 307, 308].includes(answer.status) && answer.location !== undefined) {
            enqueue(new URL(answer.location, url));
          } else if (answer.status === 200 && answer.type === "text/html") {
            const html = answer.body.toString("utf8");
            for (const link of getURLs(html, url.href)) enqueue(new URL(link));
            pages.set(number, { url: url.href, html });
          }
          return number;
        },
        () => number,
      );
    while ((queue.length > 0 || inFlight.size > 0) && yielded < maxPages) {
      while (queue.length > 0 && inFlight.size < concurrency) {
        const number = next++;
        inFlight.set(number, fetchOne(queue.shift() as URL, number));
      }
      const done = await Promise.race(inFlight.values());
      inFlight.delete(done);
      const page = pages.get(done);
      pages.delete(done);
      if (page !== undefined) {
        yielded++;
        yield page;
      }
    }
  } finally {
    http.close();
  }
}
