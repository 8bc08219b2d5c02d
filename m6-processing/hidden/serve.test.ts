/**
 * handouts/m6.md#serve, over real HTTP with fetch: /search answers
 * search's result as JSON for any query and options, the defaults when
 * left out; what search refuses answers 400; Unicode and percent-encoded
 * queries; the search page at / (its form, its hits in order, marked words)
 * with every text from the pages and the query escaped; 404, 405 and HEAD;
 * concurrent requests; and a server's life (close, the node's stop, two
 * servers at once, bad ports). The tests read one site of their own
 * (./_site.ts), crawled, indexed and ranked by three members; servers run
 * on the node outside the group and on a member; ./_serve.ts asks them and
 * reads the page.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { fileScope } from "../../autograder/harness/black-box.ts";
import type { Engine, SearchOptions, SearchServer } from "../api.ts";
import { assertThrows, type Cluster, m6, outcome, startCluster, stepLimitMs, within } from "./_engine.ts";
import { ask, connection, freePort, keptAlive, pageHitProblems, pageOver, plain, queryString, rawStatus, requestLimitMs, searchOver, squeeze, tagsOf, textOf } from "./_serve.ts";
import { html, type Route, type Site, startSite } from "./_site.ts";

const shared = fileScope();
after(() => shared.end());

/** The word of the page whose title and text hold markup. */
const xssWord = "xylophone";
/** That page's title, as pageTitle gives it: markup, an ampersand and both quotes. */
const xssTitle = `<script>alert(1)</script> & "quoted" 'single'`;

/** The site: twelve harbour notes, and pages with accents, other scripts, emoji, markup in their title, and `&` or `'` in their URL. */
function routes(): Record<string, Route> {
  const page = (title: string, body: string): Route => ({ body: html(title, body) });
  const notes: Record<string, Route> = {};
  for (let i = 1; i <= 12; i++) {
    const words = [
      "The harbour at dawn",
      ...Array.from({ length: i % 3 }, () => "harbour"),
      i % 2 === 0 ? "the lighthouse keeper lights the lamp" : "nets dry on the quay",
      i % 3 === 0 ? "boats sail past the lighthouse" : "gulls and tides",
      `note ${i}`,
    ];
    notes[`/notes/${i}.html`] = page(`Harbour note ${i}`, `<p>${words.join(". ")}.</p><a href="/notes/${(i % 12) + 1}.html">next</a> <a href="/">home</a>`);
  }
  const special: Record<string, Route> = {
    "/cafe.html": page("Café crème à Paris", "<p>Un café crème, très apprécié, près du quai. A naïve résumé of the harbour café.</p>"),
    "/greek.html": page("Λιμάνι και φάρος", "<p>Το λιμάνι έχει έναν φάρο και βάρκες.</p>"),
    "/japanese.html": page("港の灯台", "<p>港 灯台 船</p>"),
    "/emoji.html": page("Boats 🚢 and fish 🐟", "<p>🚢 boats sail past 🐟 fish in the harbour</p>"),
    "/fish.html": page("Fish &amp; chips", "<p>Fish &amp; chips by the harbour, salt &amp; vinegar.</p>"),
    "/markup.html": page(
      "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; &#39;single&#39;",
      `<p>&lt;script&gt;alert(1)&lt;/script&gt; ${xssWord} &amp; &quot;quoted&quot; &#39;single&#39; by the harbour</p>`,
    ),
    "/list?x=1&y=2": page("List of boats & nets", "<p>A list of boats and nets in the harbour.</p>"),
    "/it's.html": page("It's the quay", "<p>The quay of the harbour, where the boats moor.</p>"),
  };
  const hrefs = [...Object.keys(notes), ...Object.keys(special)];
  return {
    "/": page("Harbour guide", `<p>Guide to the harbour.</p>${hrefs.map((href) => `<a href="${href}">${href}</a>`).join("\n")}`),
    ...notes,
    ...special,
  };
}

interface Served {
  cluster: Cluster;
  site: Site;
  /** Served by the outsider's engine. */
  outside: SearchServer;
  /** Served by a member's engine of the group. */
  inside: SearchServer;
  /** That member's engine. */
  memberEngine: Engine;
}

let served: Promise<Served> | undefined;
/** The site crawled, indexed and ranked by three members, served by the outsider and by a member. */
function fixture(): Promise<Served> {
  served ??= (async () => {
    const site = await startSite(shared.context, routes());
    const cluster = await startCluster(shared.context, 3);
    await within(cluster.engine.crawl(site.url("/")), stepLimitMs, "a crawl of the site");
    await within(cluster.engine.index(), stepLimitMs, "index");
    await within(cluster.engine.rank(), stepLimitMs, "rank");
    const memberEngine = (cluster.members[0] as Cluster["members"][number]).engine(cluster.gid);
    const outside = await within(cluster.engine.serve(), requestLimitMs, "serve on the outsider");
    shared.context.after(() => outside.close().catch(() => {}));
    const inside = await within(memberEngine.serve(), requestLimitMs, "serve on a member");
    shared.context.after(() => inside.close().catch(() => {}));
    return { cluster, site, outside, inside, memberEngine };
  })();
  return served;
}


const queries = ["harbour", "harbour lighthouse", "boats nets keeper", "Harbour, BOATS!", "lighthouse lamp quay gulls", "zzqxv", "the of and"];

test("GET /search answers 200 with application/json and the SearchResult of search(q, { k, offset, scoring, weight }), each parameter left out taking its default and numbers read as Number reads them; no q is the empty query", async () => {
  const { cluster, outside, inside, memberEngine } = await fixture();
  const all = await cluster.engine.search("harbour", { k: 1000 });
  assert.ok(all.total >= 15, `"harbour" is in ${all.total} pages, enough to page through`);
  const cases: Array<[Record<string, string>, SearchOptions | undefined]> = [
    [{}, undefined],
    [{ k: "3" }, { k: 3 }],
    [{ k: "3", offset: "3" }, { k: 3, offset: 3 }],
    [{ offset: "4", k: "5" }, { k: 5, offset: 4 }],
    [{ offset: "12" }, { offset: 12 }],
    [{ k: "0" }, { k: 0 }],
    [{ scoring: "tfidf" }, { scoring: "tfidf" }],
    [{ scoring: "bm25", weight: "0" }, { scoring: "bm25", weight: 0 }],
    [{ weight: "0", scoring: "tfidf", k: "20" }, { weight: 0, scoring: "tfidf", k: 20 }],
    [{ k: "1000", offset: "1", scoring: "tfidf", weight: "2.5" }, { k: 1000, offset: 1, scoring: "tfidf", weight: 2.5 }],
    [{ k: "1e1", weight: ".5" }, { k: 10, weight: 0.5 }],
    [{ k: "0x3", offset: "2.0" }, { k: 3, offset: 2 }],
  ];
  for (const query of queries) {
    for (const [params, options] of cases) {
      const expected = plain(options === undefined ? await cluster.engine.search(query) : await cluster.engine.search(query, options));
      assert.deepEqual(await searchOver(outside, queryString(query, params)), expected, `${JSON.stringify(query)} with ${JSON.stringify(params)}, served by the outsider`);
    }
  }
  for (const query of queries.slice(0, 3)) {
    for (const [params, options] of cases.slice(0, 4)) {
      const expected = plain(options === undefined ? await memberEngine.search(query) : await memberEngine.search(query, options));
      assert.deepEqual(await searchOver(inside, queryString(query, params)), expected, `${JSON.stringify(query)} with ${JSON.stringify(params)}, served by a member`);
    }
  }
  const empty = plain(await cluster.engine.search(""));
  assert.deepEqual(empty, { hits: [], total: 0, terms: [] }, "the empty query finds nothing");
  assert.deepEqual(await searchOver(outside, ""), empty, "/search without q");
  assert.deepEqual(await searchOver(outside, "q="), empty, "/search with an empty q");
  assert.deepEqual(await searchOver(outside, "k=3&weight=0"), plain(await cluster.engine.search("", { k: 3, weight: 0 })), "/search with options and no q");
  assert.deepEqual(await searchOver(inside, ""), empty, "/search without q, served by a member");
});

test("a parameter or a query that search refuses answers 400, and a search that fails for another reason 500, each with { error: message } as JSON at /search and in the page at /; the server goes on answering", async (t) => {
  const { cluster, outside } = await fixture();
  const bad = [
    "q=harbour&k=abc", "q=harbour&k=-1", "q=harbour&k=1001", "q=harbour&k=1.5", "q=harbour&k=Infinity", "q=harbour&k=NaN",
    "q=harbour&offset=-1", "q=harbour&offset=1.5", "q=harbour&offset=x",
    "q=harbour&scoring=nope", "q=harbour&scoring=BM-25",
    "q=harbour&weight=-1", "q=harbour&weight=heavy",
    `q=${"a".repeat(10_001)}`, `q=${"a+".repeat(5_000)}ab`,
  ];
  for (const query of bad) {
    const answer = await ask(`${outside.url}/search?${query}`);
    const shown = query.slice(0, 60);
    assert.equal(answer.status, 400, `/search?${shown} answers 400 (${answer.body.slice(0, 200)})`);
    assert.match(answer.type, /^application\/json\b/i, `/search?${shown}: the content type`);
    const body = JSON.parse(answer.body) as { error?: unknown };
    assert.ok(typeof body.error === "string" && body.error.trim() !== "", `/search?${shown}: the body ${answer.body.slice(0, 200)} holds an error message`);
  }
  assert.deepEqual(await searchOver(outside, `q=${"a".repeat(10_000)}`), plain(await cluster.engine.search("a".repeat(10_000))), "a query of exactly 10,000 characters is answered");
  const long = await ask(`${outside.url}/search?q=${"b".repeat(10_001)}`);
  const { error } = JSON.parse(long.body) as { error: string };
  const page = await ask(`${outside.url}/?q=${"b".repeat(10_001)}`);
  assert.equal(page.status, 400, `/?q= of 10,001 characters answers 400 (${page.body.slice(0, 200)})`);
  assert.match(page.type, /^text\/html\b/i, "/ answers an error as a page");
  assert.ok(squeeze(textOf(page.body)).includes(squeeze(error)), `the page at / shows the message ${JSON.stringify(error)}`);
  assert.deepEqual(await searchOver(outside, "q=harbour+boats&k=4"), plain(await cluster.engine.search("harbour boats", { k: 4 })), "a good query after the refused ones");

  await cluster.outsider.groups.put("ghost", [{ ip: "127.0.0.1", port: await freePort() }]);
  const ghost = await within(cluster.outsider.engine("ghost").serve(), requestLimitMs, "serve a group whose only member is not running");
  t.after(() => ghost.close().catch(() => {}));
  const failed = await within(outcome(cluster.outsider.engine("ghost").search("harbour")), requestLimitMs, "a search of a group whose only member is not running");
  const answer = await ask(`${ghost.url}/search?q=harbour`);
  if (failed.ok) {
    assert.equal(answer.status, 200, "a search that does not fail answers 200");
    assert.deepEqual(JSON.parse(answer.body), plain(failed.value));
  } else {
    assert.ok(!(failed.error instanceof RangeError), "the search fails for a reason other than its arguments");
    assert.equal(answer.status, 500, `a search that fails answers 500 (${answer.body.slice(0, 200)})`);
    assert.match(answer.type, /^application\/json\b/i, "the content type of a 500 at /search");
    const body = JSON.parse(answer.body) as { error?: unknown };
    assert.ok(typeof body.error === "string" && body.error.trim() !== "", `the body ${answer.body.slice(0, 200)} holds an error message`);
    const page = await ask(`${ghost.url}/?q=harbour`);
    assert.equal(page.status, 500, "a search that fails answers 500 at /");
    assert.match(page.type, /^text\/html\b/i, "/ answers a failure as a page");
    assert.ok(squeeze(textOf(page.body)).includes(squeeze(body.error)), `the page at / shows the message ${JSON.stringify(body.error)}`);
  }
  assert.deepEqual(await searchOver(outside, "q=harbour"), plain(await cluster.engine.search("harbour")), "the engine's server still answers");
});

test("Unicode and percent-encoded queries (accents, other scripts, emoji, %26, %2B, + for a space) are answered as search answers the decoded query, at /search and at /", async () => {
  const { cluster, outside, inside } = await fixture();
  const cafe = await cluster.engine.search("café");
  assert.ok(cafe.hits.some((hit) => hit.title === "Café crème à Paris"), `"café" finds the café page (${JSON.stringify(cafe.hits.map((hit) => hit.title))})`);
  assert.ok((await cluster.engine.search("灯台")).total >= 1, `"灯台" finds a page`);
  assert.ok((await cluster.engine.search("λιμάνι")).total >= 1, `"λιμάνι" finds a page`);
  const raw = [
    "q=caf%C3%A9", "q=CAF%C3%89+cr%C3%A8me", "q=na%C3%AFve%20r%C3%A9sum%C3%A9", `q=${encodeURIComponent("cafe\u0301")}`,
    `q=${encodeURIComponent("灯台")}`, `q=${encodeURIComponent("港 船")}`, `q=${encodeURIComponent("λιμάνι φάρο")}`, `q=${encodeURIComponent("ΛΙΜΆΝΙ")}`,
    "q=%F0%9F%9A%A2+boats", "q=%F0%9F%90%9F", "q=fish%26chips", "q=fish+%26+chips&k=3", "q=salt%20%26%20vinegar",
    "q=boats%2Bnets", "q=harbour+++lighthouse", "q=%22harbour+note%22", "q=boats%3Dnets%3Fx%231", "q=harbour%26k%3D1",
  ];
  for (const query of raw) {
    const decoded = new URLSearchParams(query).get("q") ?? "";
    const k = Number(new URLSearchParams(query).get("k") ?? 10);
    assert.deepEqual(await searchOver(outside, query), plain(await cluster.engine.search(decoded, { k })), `/search?${query} is the search of ${JSON.stringify(decoded)}`);
  }
  for (const query of ["café", "灯台", "λιμάνι", "🚢 boats", "fish & chips"]) {
    assert.deepEqual(await searchOver(inside, queryString(query)), plain(await cluster.engine.search(query)), `${JSON.stringify(query)}, served by a member`);
    const { page } = await pageOver(outside, query);
    assert.equal(page.field, query, `the field q shows ${JSON.stringify(query)}`);
    assert.equal(pageHitProblems(page, await cluster.engine.search(query), query), "");
  }
  for (const broken of ["q=%E0%A4%A", "q=%", "q=%ZZ", "q=%C3"]) {
    const answer = await ask(`${outside.url}/search?${broken}`);
    assert.ok(answer.status === 200 || answer.status === 400, `/search?${broken} answers 200 or 400, not ${answer.status}`);
    JSON.parse(answer.body);
  }
  assert.deepEqual(await searchOver(outside, "q=caf%C3%A9"), plain(cafe), "the server still answers");
});

test("GET / answers the search page: a GET form that asks / with a text field named q holding the query, and for a query the hits of search(q) in <ol id=\"hits\">, one <li> each, in order, whose first link goes to the hit's URL and reads its title, then its snippet with each marked word in a <mark>", async () => {
  const { cluster, outside, inside } = await fixture();
  const { page: blank } = await pageOver(outside, undefined);
  assert.ok(blank.field !== undefined, "GET / has a GET form that asks / with a text field named q");
  assert.equal(blank.field, "", "the field is empty without a query");
  const { page: emptyQuery } = await pageOver(outside, "");
  assert.equal(emptyQuery.field, "", "the field is empty with an empty q");
  assert.equal(emptyQuery.hits?.length ?? 0, 0, "an empty q lists no hits");
  const chosen = ["harbour", "harbour lighthouse", "boats", "quay boats", "list nets", "Lighthouse KEEPER lamp", "fish"];
  for (const query of chosen) {
    const result = await cluster.engine.search(query);
    assert.ok(result.hits.length > 0, `${JSON.stringify(query)} finds pages`);
    const { page } = await pageOver(outside, query);
    assert.equal(page.field, query, `the field q holds ${JSON.stringify(query)}`);
    assert.equal(pageHitProblems(page, result, query), "");
    assert.ok(page.text.includes(String(result.total)), `the page says how many pages match ${JSON.stringify(query)} (${result.total})`);
  }
  const urls = (await cluster.engine.search("list quay", { k: 1000 })).hits.map((hit) => hit.url);
  assert.ok(urls.some((url) => url.includes("&")) && urls.some((url) => url.includes("'")), `the site's URLs with & and ' are hits (${JSON.stringify(urls)})`);
  const { page } = await pageOver(outside, "list quay");
  assert.equal(pageHitProblems(page, await cluster.engine.search("list quay"), "list quay"), "", "URLs with & and ' in the links");
  const { page: none } = await pageOver(outside, "zzqxv");
  assert.equal(none.field, "zzqxv");
  assert.equal(none.hits?.length ?? 0, 0, "a query that finds nothing lists no hits");
  const { page: member } = await pageOver(inside, "harbour");
  assert.equal(pageHitProblems(member, await cluster.engine.search("harbour"), "harbour"), "", "served by a member");
});

test("text from the crawled pages and from the query is escaped in the search page: a title holding <script> is shown, never run, and a query holding markup and quotes comes back as typed", async () => {
  const { cluster, outside } = await fixture();
  const result = await cluster.engine.search(xssWord);
  assert.equal(result.hits[0]?.title, xssTitle, `${xssWord} finds the page whose title holds markup`);
  const { page, body } = await pageOver(outside, xssWord);
  assert.ok(!body.includes("<script>alert(1)</script>"), "the title's <script> is not in the page as markup");
  assert.doesNotMatch(body, /<script\b[^>]*>\s*alert\(1\)/i, "no script element runs alert(1)");
  assert.match(body, /&(?:lt|#0*60|#x0*3c);script&(?:gt|#0*62|#x0*3e);alert\(1\)&(?:lt|#0*60|#x0*3c);\/script&(?:gt|#0*62|#x0*3e);/i, "the title's <script> is in the page escaped");
  assert.equal(pageHitProblems(page, result, xssWord), "", "the hit reads its title, markup, ampersand and quotes as they are");

  const query = `<b class="zq">"x"</b> & 'y' harbour`;
  const echoed = await pageOver(outside, query);
  assert.ok(!echoed.body.includes('<b class="zq">'), "the query's <b> is not in the page as markup");
  assert.ok(!echoed.body.includes('"x"</b>'), "the query's quotes and </b> are escaped");
  assert.equal(echoed.page.field, query, "the field q holds the query as typed");
  assert.equal(pageHitProblems(echoed.page, await cluster.engine.search(query), query), "");
  const quoted = `" autofocus onfocus="alert(1)`;
  const attribute = await pageOver(outside, quoted);
  assert.ok(!tagsOf(attribute.body, "input").some((input) => input.has("onfocus")), "a quote in the query does not end the field's value");
  assert.equal(attribute.page.field, quoted, "the field q holds a query with quotes as typed");
});

test("another path answers 404, a request target that is no URL a 4xx, a method other than GET and HEAD answers 405, and HEAD answers 200 with no body", async () => {
  const { cluster, outside } = await fixture();
  for (const path of ["/nope", "/search/more?q=harbour", "/searches?q=harbour", "/hits"]) {
    const answer = await ask(`${outside.url}${path}`);
    assert.equal(answer.status, 404, `GET ${path} answers 404`);
  }
  // Written on the request line as it is: Bun's fetch would send "//search" as "/search".
  assert.equal(await rawStatus(outside.url, "//search?q=harbour"), 404, "GET //search?q=harbour answers 404");
  for (const target of ["http://[", "http://engine:99999/search?q=harbour", "http://%zz/"]) {
    const status = await rawStatus(outside.url, target);
    assert.ok(status >= 400 && status < 500, `GET ${target} answers a 4xx, not ${status}`);
  }
  for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
    for (const path of ["/", "/search?q=harbour"]) {
      const answer = await ask(`${outside.url}${path}`, { method, body: method === "DELETE" ? undefined : "q=harbour", headers: { "content-type": "application/x-www-form-urlencoded" } });
      assert.equal(answer.status, 405, `${method} ${path} answers 405`);
    }
  }
  for (const [path, type] of [["/", /^text\/html\b/i], ["/?q=harbour", /^text\/html\b/i], ["/search?q=harbour", /^application\/json\b/i]] as const) {
    const answer = await ask(`${outside.url}${path}`, { method: "HEAD" });
    assert.equal(answer.status, 200, `HEAD ${path} answers 200`);
    assert.match(answer.type, type, `HEAD ${path}: the content type`);
    assert.equal(answer.body, "", `HEAD ${path} has no body`);
  }
  assert.deepEqual(await searchOver(outside, "q=harbour"), plain(await cluster.engine.search("harbour")), "the server still answers");
});

test("20 searches over HTTP at once, to the outsider's server and to a member's, answer what they answer one at a time", async () => {
  const { cluster, outside, inside } = await fixture();
  const asked = Array.from({ length: 20 }, (_, i) => {
    const params: Record<string, string> = i % 3 === 0 ? { k: "4", offset: String(i % 5) } : i % 3 === 1 ? { scoring: "tfidf", weight: "0" } : {};
    return { server: i % 2 === 0 ? outside : inside, query: queryString(queries[i % queries.length] as string, params) };
  });
  const alone: unknown[] = [];
  for (const { server, query } of asked) alone.push(await searchOver(server, query));
  const together = await Promise.all(asked.map(({ server, query }) => searchOver(server, query)));
  for (const [i, body] of together.entries()) assert.deepEqual(body, alone[i], `${asked[i]?.query}, asked with 19 others`);
  const first = asked[0] as (typeof asked)[number];
  assert.deepEqual(alone[0], plain(await cluster.engine.search(queries[0] as string, { k: 4, offset: 0 })), `${first.query} is search's answer`);
});

test("a server listens at its url until close, which closes its connections and may be called twice; stopping the node closes every server its engines opened; two servers of one engine answer at once; a port outside [0, 65535] is a RangeError and a port in use is refused", async (t) => {
  const { cluster } = await fixture();
  const node = await m6.startNode();
  t.after(() => node.stop().catch(() => {}));
  await node.groups.put(cluster.gid, cluster.members.map((member) => member.address));
  const engine = node.engine(cluster.gid);
  for (const port of [-1, 70_000, 65_536, 1.5, Number.NaN]) {
    await assertThrows(engine.serve({ port }), RangeError, `serve on port ${port}`);
  }

  const port = await freePort();
  const one = await within(engine.serve(), requestLimitMs, "serve");
  const two = await within(engine.serve({ port }), requestLimitMs, `serve on port ${port}`);
  assert.match(one.url, /^http:\/\/127\.0\.0\.1:[0-9]+$/, "a url of 127.0.0.1 by default, with no trailing slash");
  assert.equal(two.url, `http://127.0.0.1:${port}`, "the port asked for");
  assert.notEqual(one.url, two.url);
  const expected = plain(await cluster.engine.search("harbour lighthouse", { k: 5 }));
  const [fromOne, fromTwo] = await Promise.all([searchOver(one, "q=harbour+lighthouse&k=5"), searchOver(two, "q=harbour+lighthouse&k=5")]);
  assert.deepEqual(fromOne, expected, "the first server");
  assert.deepEqual(fromTwo, expected, "the second server");
  const taken = await within(outcome(engine.serve({ port })), requestLimitMs, "serve on a port in use");
  assert.ok(!taken.ok, "serving on a port in use fails");

  const three = await within(engine.serve(), requestLimitMs, "a third serve");
  const open = await keptAlive(`${three.url}/search?q=boats`);
  assert.equal(open.status, 200);
  const closed = new Promise<void>((resolve) => (open.socket.destroyed ? resolve() : open.socket.once("close", () => resolve())));
  await within(three.close(), requestLimitMs, "close with a kept-alive connection open");
  await within(closed, requestLimitMs, "the kept-alive connection closes");
  assert.equal(await connection(three.url), "ECONNREFUSED", "after close, a new connection is refused");
  await within(three.close(), requestLimitMs, "closing twice");
  assert.equal(await connection(one.url), "connected", "closing one server leaves the others listening");

  await within(node.stop(), stepLimitMs, "stop the node");
  assert.equal(await connection(one.url), "ECONNREFUSED", "after the node stops, its first server refuses connections");
  assert.equal(await connection(two.url), "ECONNREFUSED", "after the node stops, its second server refuses connections");
  await within(one.close(), requestLimitMs, "close after the node stopped");
});
