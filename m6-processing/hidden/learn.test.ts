/**
 * handouts/m6.md#learning-from-users: `engine.learn()` creates the topics
 * "queries", "views", "trending-queries" and "page-views" (4 partitions;
 * the last two keep 2 hours by retainMs) and starts the jobs
 * "trending-queries" and "page-views" unless they run; a server with
 * `learn` logs each search with terms (its query, normalized, value 1; a
 * [1, 0] per hit it answers with, keyed by the hit's URL; time the serving
 * node's clock) before it answers, and each click (`POST /click?url=…`:
 * [0, 1], 204); the jobs' early results (5,000 ms after the searches, in
 * processing time) reach their sinks; `insights(k)` and `GET /insights`
 * give the trending queries of the latest minute, most first, and every
 * page of the hour with its views and clicks; the search page lists the
 * trending queries and pings /click from each hit's link.
 *
 * Every node runs on one clock the test moves by hand (_log.ts), so the
 * test knows each search's event time (the clock does not move while a
 * request is in flight) and each window it falls in; waits move the clock
 * in small steps (_learn.ts) until what the contract promises shows, and
 * then the tests compare exact values. No test reads the machine's clock.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type * as Api from "../api.ts";
import type * as M2 from "../../m2-actors/api.ts";
import { load } from "../../autograder/kit/implementations.ts";
import {
  addViews,
  advanceTo,
  click,
  earlyMs,
  expectedEvent,
  expectedInsights,
  hitsOf,
  hourMs,
  insightFields,
  jobs,
  type Learning,
  type Logged,
  loggedIn,
  minuteMs,
  partitions,
  queryKey,
  searchAt,
  sinkRetainMs,
  sorted,
  startLearning,
  tally,
  topics,
  waitForInsights,
} from "./_learn.ts";
import { logLimitMs, m6, partitionTruth, preview, rangeError, startLogCluster, within } from "./_log.ts";
import { ask, attributesOf, pageOver, plain, tagsOf, textOf, squeeze } from "./_serve.ts";
import { eventsOf, jobMember, resultFields } from "./_streams.ts";

const m2 = await load<typeof M2>("m2");

/** A call's promise, whether it fails by rejecting or by throwing at once. */
const settled = <T>(call: () => Promise<T>): Promise<T> => Promise.resolve().then(call);

/** `ip:port` fields of an address. */
const where = (address: Api.NodeAddress) => ({ ip: address.ip, port: address.port });

/** Serves the outsider's engine with `learn`, closed when the test ends. */
async function serveLearning(t: { after: (fn: () => unknown) => void }, learning: Learning, options: Api.ServeOptions = { learn: true }): Promise<Api.SearchServer> {
  const server = await within(settled(() => learning.engine.serve(options)), logLimitMs, `serve(${JSON.stringify(options)})`);
  t.after(() => server.close().catch(() => {}));
  return server;
}

/** The start tag pattern of `name`, attributes whose quoted values may hold ">". */
const startTag = (name: string): string => `<${name}\\b((?:[^>"']|"[^"]*"|'[^']*')*)>`;

/** The items of the `<ol>` whose id is `id`: each `<li>`'s first link's attributes (undefined when it has none) and text; undefined when there is no such list. */
function listItems(body: string, id: string): Array<{ link: Map<string, string> | undefined; text: string; html: string }> | undefined {
  const ol = [...body.matchAll(new RegExp(`${startTag("ol")}([\\s\\S]*?)</ol\\s*>`, "gi"))].find(([, inside = ""]) => attributesOf(inside).get("id") === id);
  if (ol === undefined) return undefined;
  return (ol[2] ?? "")
    .split(/<li\b[^>]*>/i)
    .slice(1)
    .map((item) => {
      const li = item.split(/<\/li\s*>/i)[0] ?? "";
      return { link: tagsOf(li, "a")[0], text: squeeze(textOf(li)), html: li };
    });
}

/** The texts of the `<div>`s of class `name` in some HTML. */
const divsOf = (html: string, name: string): string[] =>
  [...html.matchAll(new RegExp(`${startTag("div")}([\\s\\S]*?)</div\\s*>`, "gi"))]
    .filter(([, inside = ""]) => (attributesOf(inside).get("class") ?? "").split(/\s+/).includes(name))
    .map(([, , content = ""]) => squeeze(textOf(content)));

/** Whether a text names the number `n` (not as part of a longer number). */
const namesNumber = (text: string, n: number): boolean => new RegExp(`(^|[^0-9.])${n}([^0-9]|$)`).test(text);

/** The query a trending item's link searches for, when it links to a search of this server (at / or /search); else a description of where it goes. */
function searchedBy(link: Map<string, string> | undefined, server: Api.SearchServer): { query: string } | { problem: string } {
  const href = link?.get("href");
  if (href === undefined) return { problem: "no link" };
  const target = new URL(href, `${server.url}/`);
  if (target.origin !== new URL(server.url).origin || !["/", "/search"].includes(target.pathname) || !target.searchParams.has("q")) return { problem: `a link to ${href}` };
  return { query: target.searchParams.get("q") as string };
}

/** The /click URL a hit's link pings for `url` (resolved against the server), when its ping attribute names one. */
function pingFor(link: Map<string, string> | undefined, server: Api.SearchServer, url: string): string | undefined {
  const ping = link?.get("ping");
  if (ping === undefined) return undefined;
  for (const part of ping.split(/\s+/).filter((p) => p !== "")) {
    const target = new URL(part, `${server.url}/`);
    if (target.origin === new URL(server.url).origin && target.pathname === "/click" && target.searchParams.get("url") === url) return target.href;
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// learn: topics and jobs.

test("learn creates the topics queries, views, trending-queries and page-views of the group's log with 4 partitions each (partition 3 reads empty, partition 4 is a RangeError), the last two keeping 2 hours by retainMs (createTopic with those settings does nothing, with others is a RangeError), and starts the jobs trending-queries and page-views, running on the owners of their names in ${gid}-streams", async (t) => {
  const cluster = await startLogCluster(t, 3);
  const { log, gid } = cluster;
  await within(settled(() => cluster.outsider.engine(gid).learn()), logLimitMs, "learn");
  for (const topic of topics) {
    for (let p = 0; p < partitions; p++) {
      const read = await within(log.read(topic, p, 0), logLimitMs, `read(${topic}, ${p}, 0)`);
      assert.deepEqual([read.events, read.start, read.end], [[], 0, 0], `${topic}, partition ${p}: created empty`);
    }
    await rangeError(settled(() => log.read(topic, 4, 0)), `read(${topic}, 4, 0): a topic of 4 partitions has no partition 4`);
  }
  for (const topic of ["queries", "views"]) {
    await within(settled(() => log.createTopic(topic, { partitions: 4 })), logLimitMs, `createTopic(${topic}, 4 partitions, no retention): the same settings do nothing`);
    await rangeError(settled(() => log.createTopic(topic, { partitions: 4, retainMs: sinkRetainMs })), `createTopic(${topic}) with retainMs: not its settings (it keeps every event)`);
    await rangeError(settled(() => log.createTopic(topic, { partitions: 8 })), `createTopic(${topic}) with 8 partitions: not its settings`);
  }
  for (const topic of ["trending-queries", "page-views"]) {
    await within(settled(() => log.createTopic(topic, { partitions: 4, retainMs: sinkRetainMs })), logLimitMs, `createTopic(${topic}, 4 partitions, retainMs 7,200,000): the same settings do nothing`);
    await rangeError(settled(() => log.createTopic(topic, { partitions: 4 })), `createTopic(${topic}) without retainMs: not its settings (it keeps 2 hours)`);
    await rangeError(settled(() => log.createTopic(topic, { partitions: 4, retainMs: 3_600_000 })), `createTopic(${topic}) with retainMs 1 hour: not its settings`);
  }
  for (const name of jobs) {
    const owner = jobMember(cluster, name);
    for (const node of [cluster.outsider, ...cluster.members]) {
      const status = await within(node.streams(gid).status(name), logLimitMs, `status(${name})`);
      assert.deepEqual(
        { name: status.name, node: where(status.node), running: status.running, offsets: status.offsets.length },
        { name, node: where(owner.address), running: true, offsets: partitions },
        `the job ${name}, its status from node ${node.address.port}: running on the owner of its name, reading the 4 partitions of its source`,
      );
    }
  }
});

test("learn run again, from the same node or from a member of the group, does nothing and throws nothing: each job goes on running on the same member and the topics keep their events; a job that was stopped is started again by learn, since learn starts the jobs unless they run", async (t) => {
  const cluster = await startLogCluster(t, 3);
  const { log, gid, clock } = cluster;
  const engine = cluster.outsider.engine(gid);
  await within(settled(() => engine.learn()), logLimitMs, "learn");
  const event = { key: "harbour", value: 1, time: clock.now() };
  const [position] = await within(log.append("queries", [event]), logLimitMs, "an append to queries");
  await within(settled(() => engine.learn()), logLimitMs, "learn again, from the same node");
  const member = cluster.members[1] as Api.EngineNode;
  await within(settled(() => member.engine(gid).learn()), logLimitMs, "learn again, from a member");
  for (const name of jobs) {
    const status = await within(cluster.outsider.streams(gid).status(name), logLimitMs, `status(${name})`);
    assert.deepEqual([status.running, where(status.node)], [true, where(jobMember(cluster, name).address)], `${name} still runs on the owner of its name`);
  }
  const events = (await eventsOf(log, "queries", partitions)).map(({ key, value, time, partition, offset }) => ({ key, value, time, partition, offset }));
  assert.deepEqual(events, [{ ...event, partition: position?.partition, offset: position?.offset }], "queries keeps the event appended before learn ran again");

  const stopped = await within(cluster.outsider.streams(gid).stop("trending-queries"), logLimitMs, "stop(trending-queries)");
  assert.equal(stopped.running, false, "trending-queries stopped");
  await within(settled(() => member.engine(gid).learn()), logLimitMs, "learn once trending-queries was stopped");
  for (const name of jobs) {
    const status = await within(cluster.outsider.streams(gid).status(name), logLimitMs, `status(${name})`);
    assert.deepEqual([status.running, where(status.node)], [true, where(jobMember(cluster, name).address)], `${name} runs after learn, on the owner of its name`);
  }
});

test("learn on a node that knows no members of the group is a RangeError; insights before learn ever ran for the group is a RangeError; once learn ran, insights(k) refuses a k that is not an integer in [0, 1000] with a RangeError, and gives empty trending and pages, from any node, before any search", async (t) => {
  const cluster = await startLogCluster(t, 3);
  const { gid } = cluster;
  await rangeError(settled(() => cluster.outsider.engine("no-such-group").learn()), "learn of a group this node knows no members of");
  const engine = cluster.outsider.engine(gid);
  await rangeError(settled(() => engine.insights()), "insights() before learn ran for the group");
  await rangeError(settled(() => engine.insights(3)), "insights(3) before learn ran for the group");
  await rangeError(settled(() => (cluster.members[0] as Api.EngineNode).engine(gid).insights()), "insights() from a member before learn ran for the group");
  await within(settled(() => engine.learn()), logLimitMs, "learn");
  for (const k of [-1, 1001, 2.5, Number.NaN, Number.POSITIVE_INFINITY, -0.5, "3" as unknown as number]) {
    await rangeError(settled(() => engine.insights(k)), `insights(${preview(k)})`);
  }
  const empty = { trending: [], pages: [] };
  for (const node of [cluster.outsider, ...cluster.members]) {
    for (const k of [undefined, 0, 1, 1000]) {
      const insights = await within(settled(() => (k === undefined ? node.engine(gid).insights() : node.engine(gid).insights(k))), logLimitMs, `insights(${k ?? ""})`);
      assert.deepEqual(insightFields(insights), empty, `insights(${k ?? ""}) from node ${node.address.port}, before any search`);
    }
  }
});

// ---------------------------------------------------------------------------
// What a server with learn logs.

test("a search served with learn at /search logs, before it answers, one event to queries (key the query lowercased, each run of whitespace one space, the ends trimmed; value 1; time the serving node's clock) and one [1, 0] to views per hit it answers with (k and offset honoured), keyed by the hit's URL; a query whose terms find no page logs its query and no view", async (t) => {
  const learning = await startLearning(t);
  const server = await serveLearning(t, learning);
  const { log } = learning.cluster;
  const searches: Array<[string, Record<string, string>]> = [
    ["Harbour", {}],
    ["  HARBOUR\t Boats \n", { k: "2" }],
    ["harbour", { k: "2", offset: "1" }],
    ["Café   CRÈME", {}],
    ["zzqxv", {}],
    ["Lighthouse", { k: "0" }],
  ];
  const queries: Logged[] = [];
  const views: Logged[] = [];
  const answered: number[] = [];
  for (const [q, params] of searches) {
    const now = learning.clock.now();
    const hits = hitsOf(await searchAt(server, q, params), `/search?q=${JSON.stringify(q)}`);
    answered.push(hits.length);
    queries.push(expectedEvent(queryKey(q), 1, now));
    for (const hit of hits) views.push(expectedEvent(hit.url, [1, 0], now));
    const what = `right after /search answered ${JSON.stringify(q)} with ${JSON.stringify(params)}`;
    assert.deepEqual(await loggedIn(log, "queries"), sorted(queries), `${what}: queries holds one event per search so far`);
    assert.deepEqual(await loggedIn(log, "views"), sorted(views), `${what}: views holds a [1, 0] per hit answered so far`);
    await learning.clock.advance(250);
  }
  assert.deepEqual(answered, [5, 2, 2, 1, 0, 0], "the hits answered (five pages hold harbour; k and offset; one page holds café or crème; none for zzqxv; k 0)");
  assert.deepEqual(
    queries.map((event) => event.key),
    ["harbour", "harbour boats", "harbour", "café crème", "zzqxv", "lighthouse"],
    "the queries' keys, as api.ts normalizes them",
  );
});

test("a search served with learn does not answer before its events are in the log: while the log's appends are held back, the answer waits for them", async (t) => {
  const learning = await startLearning(t);
  await learning.engine.learn();
  // A front end whose calls to the log's appends wait until the test lets them go.
  const held: Array<() => void> = [];
  let holding = true;
  const real = { ...m2.realContext(), clock: learning.clock };
  const transport: M2.Transport = {
    listen: (address, handler) => real.transport.listen(address, handler),
    request: async (to, request, timeoutMs) => {
      if (holding && request.path.endsWith("/log/append")) await new Promise<void>((release) => held.push(release));
      return real.transport.request(to, request, timeoutMs);
    },
    close: () => real.transport.close(),
  };
  const front = await m6.startNode({ context: { ...real, transport } });
  t.after(() => front.stop());
  await front.groups.put(learning.cluster.gid, learning.cluster.members.map((member) => member.address));
  const server = await front.engine(learning.cluster.gid).serve({ learn: true });
  let answered = false;
  const answer = searchAt(server, "harbour").then((reply) => ((answered = true), reply));
  for (let turn = 0; turn < 10_000 && held.length === 0; turn++) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(held.length > 0, "the search appended its events to the log");
  for (let wait = 0; wait < 50 && !answered; wait++) await new Promise((resolve) => setTimeout(resolve, 2));
  assert.equal(answered, false, "the search answered while its events were still on their way to the log");
  holding = false;
  for (const release of held.splice(0)) release();
  assert.equal(hitsOf(await answer, "/search?q=harbour").length, 5, "once the appends are let go, the search answers");
  assert.deepEqual((await loggedIn(learning.cluster.log, "queries")).map((event) => event.key), ["harbour"]);
});

test("a search on the page at / served with learn logs as /search does: its query to queries and a [1, 0] to views per hit the page lists, before it answers; a query without terms (no q, empty, blanks, stopwords only) logs nothing, at / or at /search", async (t) => {
  const learning = await startLearning(t);
  const server = await serveLearning(t, learning);
  const { log } = learning.cluster;
  const now = learning.clock.now();
  const { body } = await pageOver(server, "  Lighthouse   KEEPER ");
  const items = listItems(body, "hits") ?? [];
  const urls = items.map((item) => item.link?.get("href") ?? "");
  assert.deepEqual([...urls].sort(), [learning.site.url("/boats.html"), learning.site.url("/lighthouse.html")], "the page lists the two pages with lighthouse or keeper");
  const queries = [expectedEvent("lighthouse keeper", 1, now)];
  const views = urls.map((url) => expectedEvent(url, [1, 0], now));
  assert.deepEqual(await loggedIn(log, "queries"), sorted(queries), "right after the page answered: its query is in queries");
  assert.deepEqual(await loggedIn(log, "views"), sorted(views), "right after the page answered: a view per hit listed");

  await learning.clock.advance(250);
  const later = learning.clock.now();
  const { body: second } = await pageOver(server, "Quay\tGULLS");
  const moreUrls = (listItems(second, "hits") ?? []).map((item) => item.link?.get("href") ?? "");
  assert.deepEqual([...moreUrls].sort(), [learning.site.url("/boats.html"), learning.site.url("/fish.html"), learning.site.url("/quay.html")], "three pages hold quay or gulls");
  queries.push(expectedEvent("quay gulls", 1, later));
  views.push(...moreUrls.map((url) => expectedEvent(url, [1, 0], later)));
  assert.deepEqual(await loggedIn(log, "queries"), sorted(queries), "right after a second page: its query too");
  assert.deepEqual(await loggedIn(log, "views"), sorted(views), "right after a second page: its views too");

  for (const path of ["/", "/?q=", "/?q=%20%20%09", "/?q=the+of+and", "/search", "/search?q=", "/search?q=+", "/search?q=the%20of%20and"]) {
    const answer = await ask(`${server.url}${path}`);
    assert.equal(answer.status, 200, `${path} answers 200`);
    assert.deepEqual(await loggedIn(log, "queries"), sorted(queries), `${path}: a query without terms logs no query`);
    assert.deepEqual(await loggedIn(log, "views"), sorted(views), `${path}: a query without terms logs no view`);
  }
});

test("a server without learn logs nothing (searches at /search and at /, a POST to /click), even once learn ran for the group; and serve({ learn: true }) on a group where learn never ran calls learn first: once it listens the four topics exist and both jobs run", async (t) => {
  const learning = await startLearning(t);
  const { log, gid } = learning.cluster;
  await rangeError(settled(() => learning.engine.insights()), "insights() before learn ran (the crawl and index do not run it)");
  await serveLearning(t, learning, { learn: true });
  for (const topic of topics) {
    const read = await within(log.read(topic, 3, 0), logLimitMs, `read(${topic}, 3, 0)`);
    assert.deepEqual([read.events, read.end], [[], 0], `${topic} exists, empty, once serve({ learn: true }) listens`);
  }
  for (const name of jobs) {
    const status = await within(learning.cluster.outsider.streams(gid).status(name), logLimitMs, `status(${name})`);
    assert.deepEqual([status.running, where(status.node)], [true, where(jobMember(learning.cluster, name).address)], `${name} runs once serve({ learn: true }) listens`);
  }
  assert.deepEqual(insightFields(await learning.engine.insights()), { trending: [], pages: [] }, "insights once serve({ learn: true }) listens");

  const plainServer = await serveLearning(t, learning, {});
  const defaultServer = await serveLearning(t, learning, { learn: false });
  for (const server of [plainServer, defaultServer]) {
    assert.ok(hitsOf(await searchAt(server, "harbour"), "/search?q=harbour").length > 0, "harbour has hits");
    await pageOver(server, "harbour boats");
    await ask(`${server.url}/click?${new URLSearchParams({ url: learning.site.url("/boats.html") }).toString()}`, { method: "POST", headers: { "content-type": "text/ping" }, body: "PING" });
  }
  assert.deepEqual(await loggedIn(log, "queries"), [], "a server without learn logs no query");
  assert.deepEqual(await loggedIn(log, "views"), [], "a server without learn logs no view and no click");
});

test("POST /click?url=… on a server with learn answers 204 and appends [0, 1] to views keyed by that URL, at the serving node's clock, one event per click (the URL decoded from the query string, any URL), as a browser's ping sends it", async (t) => {
  const learning = await startLearning(t);
  const server = await serveLearning(t, learning);
  const { log } = learning.cluster;
  const urls = [learning.site.url("/boats.html"), learning.site.url("/boats.html"), learning.site.url("/fish.html"), "http://example.com/a b?x=1&y=é#top"];
  const expected: Logged[] = [];
  for (const url of urls) {
    const now = learning.clock.now();
    const answer = await click(server, url);
    assert.equal(answer.status, 204, `POST /click?url=${url} answers 204 (${answer.body.slice(0, 120)})`);
    assert.equal(answer.body, "", "a 204 has no body");
    expected.push(expectedEvent(url, [0, 1], now));
    assert.deepEqual(await loggedIn(log, "views"), sorted(expected), `right after the click on ${url}: a [0, 1] per click so far`);
    await learning.clock.advance(100);
  }
  assert.deepEqual(await loggedIn(log, "queries"), [], "a click logs no query");
});

// ---------------------------------------------------------------------------
// The jobs and insights.

test("the jobs give early results 5,000 ms after the searches and not before: trending-queries then holds one early result per query of the searches' minute [start, start + 60,000) with its count (pane 0, not final, event time end − 1), and page-views one per URL of the hour [start, start + 3,600,000) with [shown, clicked]", async (t) => {
  const learning = await startLearning(t, { offset: 10_000 });
  const server = await serveLearning(t, learning);
  const { log } = learning.cluster;
  const now = learning.clock.now();
  const shown: string[] = [];
  for (const q of ["Harbour", "harbour ", "boats", "HARBOUR"]) shown.push(...hitsOf(await searchAt(server, q), `/search?q=${q}`).map((hit) => hit.url));
  const clicked = [learning.site.url("/boats.html"), learning.site.url("/quay.html")];
  for (const url of clicked) assert.equal((await click(server, url)).status, 204, `a click on ${url}`);
  const queries = tally(["harbour", "harbour", "boats", "harbour"]);
  const pages = addViews(new Map(), shown, clicked);

  await advanceTo(learning.clock, now + earlyMs - 50, 50);
  assert.deepEqual(await eventsOf(log, "trending-queries", partitions), [], `${earlyMs - 50} ms after the searches: no result of trending-queries yet`);
  assert.deepEqual(await eventsOf(log, "page-views", partitions), [], `${earlyMs - 50} ms after the searches: no result of page-views yet`);
  assert.deepEqual(insightFields(await learning.engine.insights()), { trending: [], pages: [] }, `insights ${earlyMs - 50} ms after the searches`);

  let trending: Api.LoggedEvent[] = [];
  let views: Api.LoggedEvent[] = [];
  for (let i = 0; i < 1_000 && (trending.length < queries.size || views.length < pages.size); i++) {
    await learning.clock.advance(50);
    trending = await eventsOf(log, "trending-queries", partitions);
    views = await eventsOf(log, "page-views", partitions);
  }
  const minute = Math.floor(now / minuteMs) * minuteMs;
  const hour = Math.floor(now / hourMs) * hourMs;
  const sink = (events: readonly Api.LoggedEvent[]) =>
    events.map((event) => ({ key: event.key, time: event.time, partition: event.partition, result: resultFields(event.value) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const expect = (key: string, start: number, size: number, value: unknown) => ({
    key,
    time: start + size - 1,
    partition: partitionTruth(key, partitions),
    result: { key, start, end: start + size, value, timing: "early", pane: 0, final: false },
  });
  assert.deepEqual(
    sink(trending),
    [...queries].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, count]) => expect(key, minute, minuteMs, count)),
    "trending-queries: one early result per query, its count in the minute of the searches",
  );
  assert.deepEqual(
    sink(views),
    [...pages].sort(([a], [b]) => (a < b ? -1 : 1)).map(([url, pair]) => expect(url, hour, hourMs, pair)),
    "page-views: one early result per URL, [shown, clicked] summed pair by pair in the hour of the searches",
  );
});

test("insights(k) gives the trending queries of the latest minute with their counts, most first, then by query in code-unit order, at most k (default 10), and every page of the latest hour with how often it was shown and clicked, by URL; GET /insights?k=… answers the same as JSON, and any node's engine of the group gives the same", async (t) => {
  const learning = await startLearning(t, { offset: 5_000 });
  const server = await serveLearning(t, learning);
  const asked = [
    "harbour", "Harbour", " HARBOUR ", "harbour\t",
    "boats", "Boats", "BOATS",
    "harbour boats", "Harbour  Boats", "harbour\nboats",
    "quay", "Quay",
    "gulls", "nets", "tides", "lamp", "keeper", "dawn", "sail", "moor", "zzqxv",
  ];
  const shown: string[] = [];
  for (const [i, q] of asked.entries()) {
    if (i % 2 === 0) shown.push(...hitsOf(await searchAt(server, q), `/search?q=${JSON.stringify(q)}`).map((hit) => hit.url));
    else shown.push(...(listItems((await pageOver(server, q)).body, "hits") ?? []).map((item) => item.link?.get("href") ?? ""));
  }
  const clicked = [learning.site.url("/lighthouse.html"), learning.site.url("/lighthouse.html"), learning.site.url("/fish.html")];
  for (const url of clicked) assert.equal((await click(server, url)).status, 204, `a click on ${url}`);
  const queries = tally(asked.map(queryKey));
  assert.equal(queries.size, 13, "13 distinct queries");
  const pages = addViews(new Map(), shown, clicked);
  const expected = (k: number) => expectedInsights(queries, pages, k);
  await waitForInsights(learning, learning.engine, undefined, expected(10), "the early results of the searches");
  assert.deepEqual(
    expected(10).trending.map(({ query, count }) => `${query} ${count}`),
    ["harbour 4", "boats 3", "harbour boats 3", "quay 2", "dawn 1", "gulls 1", "keeper 1", "lamp 1", "moor 1", "nets 1"],
    "the model's order (a check of the test itself)",
  );
  for (const k of [0, 1, 3, 4, 13, 1000]) {
    assert.deepEqual(insightFields(await learning.engine.insights(k)), expected(k), `insights(${k})`);
  }
  for (const node of learning.cluster.members) {
    assert.deepEqual(insightFields(await node.engine(learning.cluster.gid).insights(3)), expected(3), `insights(3) from member ${node.address.port}`);
  }
  for (const [query, k] of [["?k=3", 3], ["?k=0", 0], ["?k=1000", 1000], ["", 10]] as const) {
    const answer = await ask(`${server.url}/insights${query}`);
    assert.equal(answer.status, 200, `GET /insights${query} answers 200 (${answer.body.slice(0, 200)})`);
    assert.match(answer.type, /^application\/json\b/i, `GET /insights${query}: the content type`);
    assert.deepEqual(insightFields(JSON.parse(answer.body)), plain(expected(k)), `GET /insights${query} answers insights(${k}) as JSON`);
  }
});

test("searches in a later minute make that minute the trending one: once its early results come, insights lists only that minute's queries with that minute's counts, while pages go on summing the hour's views and clicks", async (t) => {
  const learning = await startLearning(t, { offset: 45_000 });
  const server = await serveLearning(t, learning);
  const first = learning.clock.now();
  const shown: string[] = [];
  for (const q of ["harbour", "Harbour", "boats", "quay"]) shown.push(...hitsOf(await searchAt(server, q), `/search?q=${q}`).map((hit) => hit.url));
  const clicked = [learning.site.url("/boats.html")];
  assert.equal((await click(server, clicked[0] as string)).status, 204, "a click");
  const pages = addViews(new Map(), shown, clicked);
  await waitForInsights(learning, learning.engine, undefined, expectedInsights(tally(["harbour", "harbour", "boats", "quay"]), pages), "the first minute's early results");

  const next = (Math.floor(first / minuteMs) + 1) * minuteMs;
  await advanceTo(learning.clock, next + 500, 100);
  const second = learning.clock.now();
  assert.equal(Math.floor(second / hourMs), Math.floor(first / hourMs), "both minutes are in one hour (a check of the test itself)");
  const later = ["Boats", "quay", "QUAY", "lighthouse", "Lighthouse"];
  for (const q of later) shown.push(...hitsOf(await searchAt(server, q), `/search?q=${q}`).map((hit) => hit.url));
  const moreClicks = [learning.site.url("/boats.html"), learning.site.url("/lighthouse.html")];
  for (const url of moreClicks) assert.equal((await click(server, url)).status, 204, `a click on ${url}`);
  const all = addViews(new Map(), shown, [...clicked, ...moreClicks]);
  const expected = expectedInsights(tally(later.map(queryKey)), all);
  assert.deepEqual(expected.trending, [{ query: "lighthouse", count: 2 }, { query: "quay", count: 2 }, { query: "boats", count: 1 }], "the model (a check of the test itself)");
  await waitForInsights(learning, learning.engine, undefined, expected, "the second minute's early results");
  const answer = await ask(`${server.url}/insights?k=2`);
  assert.equal(answer.status, 200, "GET /insights?k=2 answers 200");
  assert.deepEqual(insightFields(JSON.parse(answer.body)), plain(expectedInsights(tally(later.map(queryKey)), all, 2)), "GET /insights?k=2: the second minute's two first queries");
});

test("on a quiet engine, the partitions of queries without searches go idle after 10,000 ms of the clock, so the first search of a later minute gives the earlier minute its on-time result: the query's count there, final, in trending-queries", async (t) => {
  const learning = await startLearning(t, { offset: 10_000 });
  const server = await serveLearning(t, learning);
  const { log } = learning.cluster;
  const first = learning.clock.now();
  for (const q of ["harbour", "Harbour"]) hitsOf(await searchAt(server, q), `/search?q=${q}`);
  const start = Math.floor(first / minuteMs) * minuteMs;
  const end = start + minuteMs;
  await advanceTo(learning.clock, end + 1_000, 100);
  hitsOf(await searchAt(server, "harbour"), "/search?q=harbour, a minute later");
  const onTime = async () => (await eventsOf(log, "trending-queries", partitions)).map((event) => event.value as Api.WindowResult).find((r) => r.start === start && r.timing === "on time");
  // The result goes out with the job's next checkpoint, within a second or so of the clock; a job whose partitions went idle later than 10 s would still wait.
  let result = await onTime();
  for (let i = 0; i < 60 && result === undefined; i++) {
    await learning.clock.advance(50);
    result = await onTime();
  }
  assert.deepEqual(resultFields(result), { key: "harbour", start, end, value: 2, timing: "on time", pane: 1, final: true }, "the on-time result of the first minute, after its early one");
});

// ---------------------------------------------------------------------------
// The search page.

test("the search page served with learn lists the trending queries in <ol id=\"trending\">, one <li> per query insights gives, each with a link to its search; each hit's link in <ol id=\"hits\"> has a ping attribute that leads to /click?url= the hit's URL, and a browser's ping there is counted as a click", async (t) => {
  const learning = await startLearning(t, { offset: 5_000 });
  const server = await serveLearning(t, learning);
  const shown: string[] = [];
  const asked = ["harbour", "Harbour", "lighthouse keeper", "Fish & Chips"];
  for (const q of asked) shown.push(...hitsOf(await searchAt(server, q), `/search?q=${q}`).map((hit) => hit.url));
  const queries = tally(asked.map(queryKey));
  await waitForInsights(learning, learning.engine, undefined, expectedInsights(queries, addViews(new Map(), shown)), "the early results of the searches");
  const trending = ["fish & chips", "harbour", "lighthouse keeper"];

  const checkTrending = (body: string, what: string) => {
    const items = listItems(body, "trending");
    assert.ok(items !== undefined, `${what}: the page has an <ol id="trending">`);
    const linked = items.map((item) => searchedBy(item.link, server));
    assert.deepEqual(
      linked.map((link) => ("query" in link ? link.query : link.problem)).sort(),
      trending,
      `${what}: one <li> per trending query, each with a link to its search (at / or /search, q the query)`,
    );
  };
  checkTrending((await pageOver(server, undefined)).body, "GET / without a query");

  const now = learning.clock.now();
  const { body } = await pageOver(server, "boats");
  checkTrending(body, "GET /?q=boats");
  const items = listItems(body, "hits") ?? [];
  assert.equal(items.length, 3, "three pages hold boats");
  const hitUrls = items.map((item) => item.link?.get("href") ?? "");
  shown.push(...hitUrls);
  const pings: string[] = [];
  for (const [i, item] of items.entries()) {
    const ping = pingFor(item.link, server, hitUrls[i] as string);
    assert.ok(ping !== undefined, `hit ${i}: its link (to ${hitUrls[i]}) has a ping attribute that leads to this server's /click?url= its URL (ping ${JSON.stringify(item.link?.get("ping"))})`);
    pings.push(ping);
  }
  const first = hitUrls[0] as string;
  const answer = await ask(pings[0] as string, { method: "POST", headers: { "content-type": "text/ping", "ping-from": `${server.url}/?q=boats`, "ping-to": first }, body: "PING" });
  assert.equal(answer.status, 204, "the ping a browser sends answers 204");
  const views = await loggedIn(learning.cluster.log, "views");
  assert.deepEqual(
    views.filter((event) => event.time === now && event.key === first),
    [expectedEvent(first, [0, 1], now), expectedEvent(first, [1, 0], now)].sort((a, b) => (JSON.stringify(a.value) < JSON.stringify(b.value) ? -1 : 1)),
    "the first hit's view and its click, at the clock of the serving node",
  );
  const expected = expectedInsights(tally([...asked, "boats"].map(queryKey)), addViews(new Map(), shown, [first]));
  await waitForInsights(learning, learning.engine, undefined, expected, "the early results of the page's search and the click");
  const listed = listItems((await pageOver(server, undefined)).body, "trending") ?? [];
  assert.deepEqual(
    listed.map((item) => searchedBy(item.link, server)).map((link) => ("query" in link ? link.query : link.problem)).sort(),
    ["boats", ...trending].sort(),
    "the page lists boats too once its early result came",
  );
});

test("the search page served with learn gives each hit whose page was shown this hour how often it was clicked, in a <div class=\"ctr\"> in its <li>: as insights counts it (the clicks, or the click-through rate clicked ÷ shown as a percentage)", async (t) => {
  const learning = await startLearning(t, { offset: 5_000 });
  const server = await serveLearning(t, learning);
  const shown: string[] = [];
  for (let i = 0; i < 4; i++) shown.push(...hitsOf(await searchAt(server, i % 2 === 0 ? "boats" : "Boats"), "/search?q=boats").map((hit) => hit.url));
  const home = learning.site.url("/");
  const boats = learning.site.url("/boats.html");
  const cafe = learning.site.url("/cafe.html");
  assert.deepEqual([...new Set(shown)].sort(), [home, boats, cafe], "boats is on the home page, the boats page and the café's (a check of the test itself)");
  const clicked = [home, home, home, boats];
  for (const url of clicked) assert.equal((await click(server, url)).status, 204, `a click on ${url}`);
  const pages = addViews(new Map(), shown, clicked);
  await waitForInsights(learning, learning.engine, undefined, expectedInsights(tally(["boats", "boats", "boats", "boats"]), pages), "the early results of the searches and clicks");

  const { body } = await pageOver(server, "boats");
  const items = listItems(body, "hits") ?? [];
  assert.equal(items.length, 3, "the page lists the three hits of boats");
  for (const item of items) {
    const url = item.link?.get("href") ?? "";
    const [seen = 0, clicks = 0] = pages.get(url) ?? [];
    assert.equal(seen, 4, `${url} was shown 4 times this hour (a check of the test itself)`);
    const divs = divsOf(item.html, "ctr");
    assert.equal(divs.length, 1, `the hit ${url} (shown 4 times this hour, clicked ${clicks}) has one <div class="ctr"> in its <li>: ${preview(item.html)}`);
    const text = divs[0] as string;
    const percent = Math.round((100 * clicks) / seen);
    assert.ok(
      namesNumber(text, clicks) || new RegExp(`(^|[^0-9.])${percent}(\\.0+)?\\s*%`).test(text),
      `the <div class="ctr"> of ${url} says it was clicked ${clicks} times of 4 (${percent}%): ${JSON.stringify(text)}`,
    );
  }
});
