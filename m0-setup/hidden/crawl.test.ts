import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
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

/** A page's HTML, or a handler that answers the request itself. */
type Route = string | ((req: IncomingMessage, res: ServerResponse) => void);

/** A tiny site of fixed pages; returns its origin and the paths it was asked for. */
async function site(t: TestContext, pages: Record<string, Route>): Promise<{ origin: string; asked: string[] }> {
  const asked: string[] = [];
  const server = createServer((req, res) => {
    asked.push(req.url ?? "");
    const route = pages[req.url ?? ""];
    if (typeof route === "function") return route(req, res);
    const body = route;
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
    "/robots.txt": "User-agent: other\nDisallow: /\n\nUser-agent: *\nDisallow: /secret\nAllow: /secret/open\nDisallow: /tie\nAllow: /tie\n",
    "/": `<a href="/a#x">a</a> <a href="/secret/x">x</a> <a href="/secret/open/y">y</a> <a href="/tie/z">z</a> <a href="${elsewhere.origin}/">away</a>`,
    "/a": '<a href="/">home</a> <a href="/a#again">self</a>',
    "/secret/open/y": "<p>open</p>",
    "/tie/z": "<p>allowed as long as disallowed</p>",
  });
  const found = await crawled(`${home.origin}/#start`);
  assert.deepEqual([...found].sort(), ["/", "/a", "/secret/open/y", "/tie/z"], "each page once, the start's fragment dropped, an Allow as long as the Disallow winning");
  assert.deepEqual(elsewhere.asked, [], "the crawl left the site");
  assert.deepEqual(home.asked.filter((path) => path.startsWith("/secret/x")), []);
});

test("crawl() rejects a start URL that is not absolute", async () => {
  await assert.rejects(async () => {
    for await (const _page of m0.crawl("not a url"));
  }, TypeError);
});

test("crawl() fetches robots.txt first, and without one (a 404) fetches every page", async (t) => {
  const home = await site(t, {
    "/": '<a href="/a">a</a> <a href="/b">b</a> <a href="/b?view=print">print</a>',
    "/a": '<a href="/private/c">c</a> <a href="/b">b</a>',
    "/b": "<p>b</p>",
    "/b?view=print": "<p>b, to print</p>",
    "/private/c": "<p>c</p>",
  });
  const found = await crawled(`${home.origin}/`);
  assert.deepEqual([...found].sort(), ["/", "/a", "/b", "/b?view=print", "/private/c"]);
  assert.equal(home.asked[0], "/robots.txt", "robots.txt must be fetched before anything else");
  assert.deepEqual([...home.asked].sort(), ["/", "/a", "/b", "/b?view=print", "/private/c", "/robots.txt"]);
});

test("crawl() follows 303, 307 and 308 redirects within the site as it does 301 and 302", async (t) => {
  const elsewhere = await site(t, { "/": "<p>another site</p>" });
  const redirect = (status: number, location: string): Route => (_req, res) => {
    res.writeHead(status, { location });
    res.end();
  };
  const home = await site(t, {
    "/": '<a href="/see-other">1</a> <a href="/temporary">2</a> <a href="/permanent">3</a> <a href="/away">4</a>',
    "/see-other": redirect(303, "/one"),
    "/temporary": redirect(307, "/two"),
    "/permanent": redirect(308, "/three"),
    "/away": redirect(308, `${elsewhere.origin}/`),
    "/one": "<p>one</p>",
    "/two": "<p>two</p>",
    "/three": '<p>three</p> <a href="/one">one again</a>',
  });
  const found = await crawled(`${home.origin}/`);
  assert.deepEqual([...found].sort(), ["/", "/one", "/three", "/two"], "the pages behind the redirects, and not the redirects");
  assert.deepEqual(elsewhere.asked, [], "a redirect led the crawl off the site");
  assert.deepEqual(home.asked.filter((path) => path !== "/robots.txt").sort(),
    ["/", "/away", "/one", "/permanent", "/see-other", "/temporary", "/three", "/two"], "each URL once");
});

test("crawl() skips a URL whose connection fails and goes on with the others", async (t) => {
  const home = await site(t, {
    "/": '<a href="/reset">reset</a> <a href="/cut">cut</a> <a href="/a">a</a>',
    "/reset": (req) => req.socket.destroy(),
    "/cut": (_req, res) => {
      res.writeHead(200, { "content-type": "text/html", "content-length": "1000" });
      res.write("<p>the first part of a page ");
      setImmediate(() => res.socket?.destroy());
    },
    "/a": '<a href="/b">b</a>',
    "/b": "<p>b</p>",
  });
  const found = await crawled(`${home.origin}/`);
  assert.deepEqual([...found].sort(), ["/", "/a", "/b"]);
});

test("crawl() rejects a start URL that is not an http or https URL", async () => {
  for (const start of ["ftp://example.org/", "file:///etc/hostname", "mailto:someone@example.org", "data:text/html,<p>x</p>", "/relative/path"]) {
    await assert.rejects(async () => {
      for await (const _page of m0.crawl(start));
    }, TypeError, start);
  }
});

test("crawl() yields each page as it arrives, not once the crawl is over", async (t) => {
  const server = await web(t, 1500, 3);
  for await (const _page of m0.crawl(`${server.url}/`)) break;
  const fetched = [...server.hits().values()].reduce((sum, count) => sum + count, 0);
  const truth = crawlTruth(server.web!);
  assert.ok(fetched < truth.fetched.size / 10, `${fetched} of ${truth.fetched.size} URLs were fetched before the first page came out`);
});
