/**
 * handouts/m6.md#crawl on sites of the tests' own (./_site.ts), for what a
 * generated web does not hold: robots.txt rules, every redirect status, a
 * redirect loop and one without Location, redirects and links to other
 * origins, any status and content type, pages that never answer or never
 * end, bodies over maxBytes, reset connections, fragments and query
 * strings; and the errors of crawl's arguments. Most tests read one crawl
 * of one site that holds every case, by three members.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { fileScope } from "../../autograder/harness/black-box.ts";
import { currentRuntime } from "../../autograder/kit/runtime.ts";
import type { CrawlRecord, CrawlReport } from "../api.ts";
import { assertThrows, type Cluster, holdings, m6, regroup, startCluster, stepLimitMs, within } from "./_engine.ts";
import { html, links, type Route, type Site, startSite } from "./_site.ts";
import { linksOf, pageRecordOf, pathOf, preview, samePage, sameRecord, storeProblems, storesOf, withoutRobots } from "./_truth.ts";

const shared = fileScope();
after(() => shared.end());

const options = { timeoutMs: 3000, maxBytes: 20_000 };

const robots = `# Test robots
User-agent: BadBot
Disallow: /

User-agent: *
Disallow: /secret/
Disallow: /tmp
Disallow: /a.html?y
Allow: /secret/open.html
`;

/** An HTML page of exactly `bytes` bytes that links to `href`. */
function pageOfSize(bytes: number, title: string, href: string): string {
  const start = `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><p>Padding words follow <a href="${href}">onward</a></p><p>`;
  const end = "</p></body></html>\n";
  const padding = bytes - start.length - end.length;
  return start + "pad ".repeat(Math.floor(padding / 4)) + "x".repeat(padding % 4) + end;
}

/** The site's routes; `other` is another origin. */
function routesOf(other: string, self: string): Record<string, Route> {
  const page = (title: string, ...hrefs: string[]): Route => ({ body: html(title, `<p>${title} has words of its own.</p>\n${links(...hrefs)}`) });
  const redirect = (status: number, location?: string): Route => ({ status, headers: location === undefined ? {} : { location }, body: html("Moved", links(location ?? "/")) });
  return {
    "/robots.txt": { type: "text/plain; charset=utf-8", body: robots },
    "/": {
      body: html("Edge   cases\n of crawling", `<h1>Edge cases</h1>
${links(
  "/a.html", "/a.html#top", "a.html", "./a.html#again", "/a.html?x=1", "/a.html?y=2", "#self", "/",
  "/secret/x.html", "/secret/open.html", "/tmp-notes.html",
  "/r301", "/r302", "/r303", "/r307", "/r308", "/dir/r302rel", "/rfrag", "/loop1", "/noloc", "/away", "/r-secret",
  "/s500", "/s403", "/s404",
  "/notes.txt", "/image.png", "/doc.pdf", "/untyped",
  "/hang", "/trickle", "/huge", "/exact", "/endless", "/reset",
  `${other}/`, `${other}/x`, `${self.replace("127.0.0.1", "localhost")}/a.html`, "mailto:editors@example.invalid",
)}`),
    },
    "/a.html": page("Page A", "/b.html", "/"),
    "/a.html?x=1": page("Page A once more", "/a.html"),
    "/a.html?y=2": page("Never"),
    "/b.html": page("Page B"),
    "/c.html": page("Page C", "/"),
    "/d.html": page("Page D"),
    "/e.html": page("Page E"),
    "/dir/f.html": page("Page F", "../a.html"),
    "/g.html": page("Page G"),
    "/secret/open.html": page("Open secret"),
    "/secret/x.html": page("Secret X", "/never-1.html"),
    "/secret/y.html": page("Secret Y", "/never-2.html"),
    "/tmp-notes.html": page("Notes", "/never-3.html"),
    "/r301": redirect(301, "/a.html"),
    "/r302": redirect(302, "/b.html"),
    "/r303": redirect(303, "/c.html"),
    "/r307": redirect(307, "/d.html"),
    "/r308": redirect(308, `${self}/e.html`),
    "/dir/r302rel": redirect(302, "f.html"),
    "/rfrag": redirect(301, "/g.html#part"),
    "/loop1": redirect(302, "/loop2"),
    "/loop2": redirect(302, "/loop1"),
    "/noloc": redirect(301),
    "/away": redirect(302, `${other}/y`),
    "/r-secret": redirect(301, "/secret/y.html"),
    "/s500": { status: 500, body: html("Failure", links("/from-error.html")) },
    "/s403": { status: 403, body: html("Forbidden", links("/from-error.html")) },
    "/s404": { status: 404, body: html("Not found", links("/from-error.html")) },
    "/notes.txt": { type: "text/plain; charset=utf-8", body: 'Plain text: <a href="/from-text.html">not a link</a>\n' },
    "/image.png": { type: "image/png", body: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]) },
    "/doc.pdf": { type: "application/pdf", body: "%PDF-1.4\n%%EOF\n" },
    "/untyped": { type: null, body: html("No type", links("/from-untyped.html")) },
    "/hang": "hang",
    "/trickle": "trickle",
    "/huge": { body: pageOfSize(50_000, "Huge", "/from-huge.html") },
    "/exact": { body: pageOfSize(options.maxBytes, "Exactly the limit", "/b.html") },
    "/endless": "endless",
    "/reset": "reset",
    "/from-error.html": page("Never"),
    "/from-text.html": page("Never"),
    "/from-untyped.html": page("Never"),
    "/from-huge.html": page("Never"),
    "/never-1.html": page("Never"),
    "/never-2.html": page("Never"),
    "/never-3.html": page("Never"),
  };
}

/** The records a crawl of the site ends with, by path. */
function expectedRecords(site: Site, other: string, routes: Record<string, Route>): Map<string, CrawlRecord> {
  const at = site.url;
  const skipped = (reason: Extract<CrawlRecord, { state: "skipped" }>["reason"], status?: number): CrawlRecord =>
    status === undefined ? { state: "skipped", reason } : { state: "skipped", reason, status };
  const redirect = (status: number, location: string): CrawlRecord => ({ state: "redirect", status, location });
  const page = (path: string): [string, CrawlRecord] => [path, { state: "page", links: linksOf((routes[path] as { body: string }).body, at(path)) }];
  return new Map<string, CrawlRecord>([
    page("/"), page("/a.html"), page("/a.html?x=1"), page("/b.html"), page("/c.html"), page("/d.html"), page("/e.html"),
    page("/dir/f.html"), page("/g.html"), page("/secret/open.html"), page("/exact"),
    ["/a.html?y=2", skipped("disallowed")], ["/secret/x.html", skipped("disallowed")], ["/secret/y.html", skipped("disallowed")], ["/tmp-notes.html", skipped("disallowed")],
    ["/r301", redirect(301, at("/a.html"))], ["/r302", redirect(302, at("/b.html"))], ["/r303", redirect(303, at("/c.html"))],
    ["/r307", redirect(307, at("/d.html"))], ["/r308", redirect(308, at("/e.html"))], ["/dir/r302rel", redirect(302, at("/dir/f.html"))],
    ["/rfrag", redirect(301, at("/g.html"))], ["/loop1", redirect(302, at("/loop2"))], ["/loop2", redirect(302, at("/loop1"))],
    ["/away", redirect(302, `${other}/y`)], ["/r-secret", redirect(301, at("/secret/y.html"))],
    ["/noloc", skipped("unreachable")],
    ["/s500", skipped("status", 500)], ["/s403", skipped("status", 403)], ["/s404", skipped("status", 404)],
    ["/notes.txt", skipped("not html", 200)], ["/image.png", skipped("not html", 200)], ["/doc.pdf", skipped("not html", 200)], ["/untyped", skipped("not html", 200)],
    ["/hang", skipped("timeout")], ["/trickle", skipped("timeout")],
    ["/huge", skipped("too large")], ["/endless", skipped("too large")],
    ["/reset", skipped("unreachable")],
  ].map(([path, record]) => [at(path as string), record as CrawlRecord]));
}

interface Crawled {
  site: Site;
  other: Site;
  cluster: Cluster;
  report: CrawlReport;
  /** The records found, by path (robots.txt left out). */
  records: Map<string, unknown>;
  expected: Map<string, CrawlRecord>;
  hits: Map<string, number>;
  arrivals: string[];
  routes: Record<string, Route>;
}

let crawled: Promise<Crawled> | undefined;
/** The site of every case, crawled by three members from outside the group, with timeoutMs 3000 and maxBytes 20,000. */
function fixture(): Promise<Crawled> {
  crawled ??= (async () => {
    const other = await startSite(shared.context, { "/": { body: html("Elsewhere", "") }, "/x": { body: html("X", "") }, "/y": { body: html("Y", "") } });
    let routes: Record<string, Route> = {};
    const site = await startSite(shared.context, (path) => routes[path]);
    routes = routesOf(other.origin, site.origin);
    const cluster = await startCluster(shared.context, 3, { gid: "edges" });
    const report = await within(cluster.engine.crawl(site.url("/"), options), stepLimitMs, "a crawl of the site of edge cases");
    const found = withoutRobots(await holdings(cluster, storesOf(cluster.gid).crawl), site.origin);
    const records = new Map([...found].map(([url, { value }]) => [url, value]));
    return { site, other, cluster, report, records, expected: expectedRecords(site, other.origin, routes), hits: crawlerHits(site), arrivals: site.arrivals().map(({ path }) => path), routes };
  })();
  return crawled;
}

/**
 * The requests the crawler made, per path. Deno's HTTP client sends a
 * request again, by itself, when its connection ends before any answer:
 * when the server resets it, and at times (under load) when the crawler
 * gives up on a page that never answers, the second request arriving as the
 * first is destroyed. So on Deno a second request for those two pages is the
 * runtime's, not the crawler's.
 */
function crawlerHits(site: Site): Map<string, number> {
  const hits = site.hits();
  if (currentRuntime() === "deno") for (const path of ["/reset", "/hang"]) if (hits.get(path) === 2) hits.set(path, 1);
  return hits;
}

/** Asserts the records of some paths, and that each of them was fetched `times`. */
async function assertRecords(paths: string[], fetched: "once" | "never"): Promise<void> {
  const { site, records, expected, hits } = await fixture();
  for (const path of paths) {
    const url = site.url(path);
    const wanted = expected.get(url) as CrawlRecord;
    assert.ok(records.has(url), `${path} has no record, expected ${preview(wanted)}`);
    const wrong = sameRecord(records.get(url), wanted);
    assert.equal(wrong, undefined, `${path} ${wrong}`);
    assert.equal(hits.get(path) ?? 0, fetched === "once" ? 1 : 0, `${path} fetched ${hits.get(path) ?? 0} times, expected ${fetched}`);
  }
}

/** Asserts that some paths have no record and were never fetched. */
async function assertUnmet(paths: string[]): Promise<void> {
  const { site, records, hits } = await fixture();
  for (const path of paths) {
    assert.ok(!records.has(site.url(path)), `${path} has a record: ${preview(records.get(site.url(path)))}`);
    assert.equal(hits.get(path) ?? 0, 0, `${path} was fetched`);
  }
}

test("robots.txt is fetched once for the whole group, before any other URL", async () => {
  const { hits, arrivals } = await fixture();
  assert.equal(hits.get("/robots.txt"), 1, "robots.txt is fetched once");
  assert.equal(arrivals[0], "/robots.txt", `the first request is for robots.txt, not ${arrivals[0]}`);
});

test("a URL that robots.txt's User-agent: * group disallows, by its path and query, is recorded as disallowed and never fetched, a redirect's target too; an Allow at least as long lets a URL through, and other agents' groups do not apply", async () => {
  await assertRecords(["/secret/x.html", "/secret/y.html", "/tmp-notes.html", "/a.html?y=2"], "never");
  await assertRecords(["/secret/open.html", "/a.html", "/a.html?x=1", "/r-secret"], "once");
  await assertUnmet(["/never-1.html", "/never-2.html", "/never-3.html"]);
});

test("redirects 301, 302, 303, 307 and 308 are recorded with their status and their location, resolved against the URL and without its fragment, and the location is crawled as a link is", async () => {
  await assertRecords(["/r301", "/r302", "/r303", "/r307", "/r308", "/dir/r302rel", "/rfrag"], "once");
  await assertRecords(["/c.html", "/d.html", "/e.html", "/dir/f.html", "/g.html"], "once");
});

test("a redirect loop ends, each of its URLs fetched once, and a redirect without Location is skipped as unreachable", async () => {
  await assertRecords(["/loop1", "/loop2", "/noloc"], "once");
});

test("a status other than 200 and the five redirects is skipped for status, with the status; the links of an error page are not followed", async () => {
  await assertRecords(["/s500", "/s403", "/s404"], "once");
  await assertUnmet(["/from-error.html"]);
});

test("a 200 with a content type other than text/html, or none, is skipped as not html with status 200, and no link in its body is followed", async () => {
  await assertRecords(["/notes.txt", "/image.png", "/doc.pdf", "/untyped"], "once");
  await assertUnmet(["/from-text.html", "/from-untyped.html"]);
});

test("a URL that never answers, or whose body does not all arrive within timeoutMs, is skipped as timeout, and the crawl still ends", async () => {
  await assertRecords(["/hang", "/trickle"], "once");
});

test("a body longer than maxBytes is skipped as too large, also one that never ends, and its links are not followed; a body of exactly maxBytes is a page", async () => {
  await assertRecords(["/huge", "/endless", "/exact"], "once");
  await assertUnmet(["/from-huge.html"]);
});

test("a connection the server resets is skipped as unreachable", async () => {
  await assertRecords(["/reset"], "once");
});

test("links to another origin (another port, another host name, mail) and redirects to one make no record and no fetch", async () => {
  const { site, other, records, hits } = await fixture();
  assert.deepEqual([...other.hits()], [], "the other origin got no request");
  const foreign = [...records.keys()].filter((url) => !url.startsWith(`${site.origin}/`));
  assert.deepEqual(foreign, [], "no record of another origin's URL");
  assert.equal(hits.get("/a.html"), 1, "a link to the same server under another host name is not followed");
});

test("links that differ only by their fragment, or are written relative, are one URL, fetched once; a query string makes another URL", async () => {
  await assertRecords(["/", "/a.html", "/a.html?x=1"], "once");
});

test("the crawl of the site ends with exactly the records expected, each page's with its same-origin links in getURLs order, each URL fetched at most once, and each page's record as milestone 0 computes it", async () => {
  const { site, records, expected, hits, cluster, routes, report } = await fixture();
  const found = new Map([...records].map(([url, value]) => [url, { value, holders: [] }]));
  assert.equal(storeProblems(found, expected, undefined, sameRecord), "", "the crawl store");
  for (const [path, count] of hits) assert.equal(count, 1, `${path} fetched ${count} times`);
  const pages = new Map([...expected].filter(([, record]) => record.state === "page").map(([url]) => {
    const route = routes[pathOf(url)] as { body: string };
    return [url, pageRecordOf(route.body, url)];
  }));
  assert.equal(storeProblems(await holdings(cluster, storesOf(cluster.gid).pages), pages, cluster.owner, samePage), "", "the pages store");
  assert.deepEqual({ pages: report.pages, redirects: report.redirects, skipped: report.skipped }, { pages: 11, redirects: 11, skipped: 17 });
  assert.ok(site.hits().size >= hits.size, "the site was crawled");
});

test("no robots.txt (404), or a robots.txt that fails (500), allows every URL", async (t) => {
  const { cluster } = await fixture();
  for (const status of [404, 500]) {
    const site = await startSite(t, {
      "/robots.txt": { status, type: "text/plain", body: "User-agent: *\nDisallow: /\n" },
      "/": { body: html("Home", links("/private/a.html", "/b.html")) },
      "/private/a.html": { body: html("A", links("/")) },
      "/b.html": { body: html("B", "") },
    });
    const group = await regroup(cluster, `robots-${status}`);
    const report = await within(group.engine.crawl(site.url("/")), stepLimitMs, `a crawl with robots.txt answering ${status}`);
    assert.equal(report.pages, 3, `robots.txt ${status}: every page is crawled`);
    assert.deepEqual([...site.hits()].sort(), [["/", 1], ["/b.html", 1], ["/private/a.html", 1], ["/robots.txt", 1]], `robots.txt ${status}: each URL fetched once`);
  }
});

test("a start URL that is not an absolute http URL is a TypeError, and nothing is fetched", async (t) => {
  const { cluster } = await fixture();
  const site = await startSite(t, { "/": { body: html("Home", "") } });
  for (const start of ["", "/", "a.html", "127.0.0.1/", "ftp://127.0.0.1/", "mailto:a@b.invalid", "http://"]) {
    await assertThrows(cluster.engine.crawl(start), TypeError, `crawl(${JSON.stringify(start)})`);
  }
  assert.deepEqual([...site.hits()], []);
});

test("an option outside its range is a RangeError, and nothing is fetched", async (t) => {
  const { cluster } = await fixture();
  const site = await startSite(t, { "/": { body: html("Home", "") } });
  const bad = [
    { concurrency: 0 }, { concurrency: -1 }, { concurrency: 1.5 }, { concurrency: Number.NaN },
    { delayMs: -1 }, { delayMs: Number.NaN },
    { timeoutMs: 0 }, { timeoutMs: -100 }, { timeoutMs: Number.NaN },
    { maxBytes: 0 }, { maxBytes: 10.5 }, { maxBytes: -1 },
  ];
  const group = await regroup(cluster, "bad-options");
  for (const option of bad) await assertThrows(group.engine.crawl(site.url("/"), option), RangeError, `crawl with ${JSON.stringify(option, (_k, v: unknown) => (Number.isNaN(v) ? "NaN" : v))}`);
  assert.deepEqual([...site.hits()], []);
});

test("a node that knows no members of the group gets a RangeError from crawl", async (t) => {
  const site = await startSite(t, { "/": { body: html("Home", "") } });
  const node = await m6.startNode();
  t.after(() => node.stop());
  await assertThrows(node.engine("nobody").crawl(site.url("/")), RangeError, "crawl on a node with no view of the group");
  assert.deepEqual([...site.hits()], []);
});
