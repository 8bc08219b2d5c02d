import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test, type TestContext } from "node:test";
import { crawlTruth, startWeb, type WebServer } from "../../autograder/web/index.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import { m0 } from "../tests/_helpers.ts";

const name = (url: string) => new URL(url).pathname + new URL(url).search;

async function web(t: TestContext, pages: number, seed: number, slowMs = 0): Promise<WebServer> {
  const server = await startWeb({ pages, seed, slowMs });
  t.after(() => server.close());
  return server;
}

async function crawled(start: string, options?: { maxPages?: number }): Promise<string[]> {
  const found: string[] = [];
  for await (const page of m0.crawl(start, options)) found.push(name(page.url));
  return found;
}

test("crawl() of a generated web fetches exactly the reachable URLs, each once", withSeed(async (random, t) => {
  const server = await web(t, 1500, random.uint32());
  const found = await crawled(`${server.url}/`);
  const truth = crawlTruth(server.web!);
  assert.deepEqual(found.sort(), [...truth.pages].sort());
  const expected = [...truth.fetched.keys(), "/robots.txt"].sort();
  assert.deepEqual([...server.hits().keys()].sort(), expected);
  assert.deepEqual([...server.hits()].filter(([, count]) => count !== 1), []);
}));

test("crawl() follows 301 and 302 redirects within the site, to pages it then fetches once", withSeed(async (random, t) => {
  const server = await web(t, 400, random.uint32());
  const found = new Set(await crawled(`${server.url}/`));
  const truth = crawlTruth(server.web!);
  const redirects = [...truth.fetched].filter(([, outcome]) => outcome.status === 301 || outcome.status === 302);
  assert.ok(redirects.length > 0, "the web has redirects");
  for (const [path, outcome] of redirects) {
    assert.equal(server.hits().get(path), 1, `${path} was not fetched once`);
    const target = outcome.location as string;
    const reached = truth.fetched.get(target)?.status === 200 && !target.startsWith("/private/");
    if (reached && truth.pages.includes(target)) assert.ok(found.has(target), `${target}, behind ${path}, was not yielded`);
  }
}));

test("crawl() survives broken links, non-HTML files and slow pages, yielding only HTML pages", withSeed(async (random, t) => {
  const server = await web(t, 300, random.uint32(), 15);
  const found = await crawled(`${server.url}/`);
  const truth = crawlTruth(server.web!);
  const statuses = new Set([...truth.fetched.values()].map(({ status }) => status));
  assert.ok(statuses.has(404), "the web has broken links");
  for (const path of found) assert.match(truth.fetched.get(path)?.type ?? "", /^text\/html/, `${path} is not an HTML page`);
  assert.equal(found.length, truth.pages.length);
}));

test("crawl() stays on the start page's site and never fetches what robots.txt disallows", async (t) => {
  const server = await web(t, 500, 11);
  const found = await crawled(`${server.url}/`);
  for (const path of found) assert.ok(!path.startsWith("/private/"), `${path} is disallowed`);
  for (const path of server.hits().keys()) assert.ok(!path.startsWith("/private/"), `${path} was fetched`);
  const truth = crawlTruth(server.web!);
  assert.ok(truth.blocked.length > 0, "the web links to disallowed pages");
});

test("crawl() stops after maxPages pages", async (t) => {
  const server = await web(t, 300, 5);
  const found = await crawled(`${server.url}/`, { maxPages: 7 });
  assert.equal(found.length, 7);
  assert.equal(new Set(found).size, 7);
});

/** A tiny site of fixed pages; returns its origin and the paths it was asked for. */
async function site(t: TestContext, pages: Record<string, string>): Promise<{ origin: string; asked: string[] }> {
  const asked: string[] = [];
  const server = createServer((req, res) => {
    asked.push(req.url ?? "");
    const body = pages[req.url ?? ""];
    res.writeHead(body === undefined ? 404 : 200, { "content-type": req.url === "/robots.txt" ? "text/plain" : "text/html" });
    res.end(body ?? "not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked };
}

test("crawl() obeys the User-agent: * group of any robots.txt, drops fragments and never leaves the site", async (t) => {
  const elsewhere = await site(t, { "/": "<p>another site</p>" });
  const home = await site(t, {
    "/robots.txt": "User-agent: other\nDisallow: /\n\nUser-agent: *\nDisallow: /secret\nAllow: /secret/open\n",
    "/": `<a href="/a#x">a</a> <a href="/secret/x">x</a> <a href="/secret/open/y">y</a> <a href="${elsewhere.origin}/">away</a>`,
    "/a": '<a href="/">home</a> <a href="/a#again">self</a>',
    "/secret/open/y": "<p>open</p>",
  });
  const found = await crawled(`${home.origin}/#start`);
  assert.deepEqual([...found].sort(), ["/", "/a", "/secret/open/y"], "each page once, the start's fragment dropped");
  assert.deepEqual(elsewhere.asked, [], "the crawl left the site");
  assert.deepEqual(home.asked.filter((path) => path.startsWith("/secret/x")), []);
});

test("crawl() rejects a start URL that is not absolute", async () => {
  await assert.rejects(async () => {
    for await (const _page of m0.crawl("not a url"));
  }, TypeError);
});
