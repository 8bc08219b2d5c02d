/**
 * handouts/m6.md#rank: the ranks that `rank` writes, compared with
 * autograder/web's `pageRank` (power iteration to 1e-12) over the link graph
 * a polite crawler finds (redirects followed), within 1e-6, each on its
 * owner; the options and their errors; and small sites of the tests' own
 * whose graphs hold the cases the rules name: redirects in several hops, a
 * redirect loop, links to a page itself, repeated links, links that lead to
 * no page, and a page without links.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { fileScope } from "../../autograder/harness/black-box.ts";
import { Random } from "../../autograder/harness/random.ts";
import { runSeed } from "../../autograder/harness/seed.ts";
import { pageRank, startWeb } from "../../autograder/web/index.ts";
import type { RankOptions } from "../api.ts";
import { assertThrows, type Cluster, holdings, ownerNode, regroup, startCluster, stepLimitMs, within } from "./_engine.ts";
import { html, links, type Route, startSite } from "./_site.ts";
import { type Expected, near, pagesOf, ranksOf, storeProblems, storesOf, webExpected } from "./_truth.ts";

const shared = fileScope();
after(() => shared.end());

let crawled: Promise<{ cluster: Cluster; expected: Expected }> | undefined;
/** A web of 100 pages crawled by three members, from a node outside the group. */
function fixture(): Promise<{ cluster: Cluster; expected: Expected }> {
  crawled ??= (async () => {
    const random = Random.from(runSeed, "m6 rank fixture");
    const server = await startWeb({ pages: 100, seed: random.uint32() });
    shared.context.after(() => server.close());
    const cluster = await startCluster(shared.context, 3);
    await within(cluster.engine.crawl(`${server.url}/`), stepLimitMs, "a crawl of 100 pages");
    return { cluster, expected: webExpected(server.web!, server.url) };
  })();
  return crawled;
}

/** The ranks store as the members hold it, compared with `wanted` within 1e-6, each on its owner. */
async function rankProblems(cluster: Cluster, wanted: ReadonlyMap<string, number>): Promise<string> {
  return storeProblems(await holdings(cluster, storesOf(cluster.gid).ranks), wanted, cluster.owner, near(1e-6));
}

test("rank gives every page its PageRank within 1e-6, each on its owner; the ranks sum to 1, and the report counts the graph's links and the rounds run", async () => {
  const { cluster, expected } = await fixture();
  const report = await within(cluster.engine.rank(), stepLimitMs, "rank");
  assert.equal(await rankProblems(cluster, ranksOf(expected)), "");
  let sum = 0;
  for (const { value } of (await holdings(cluster, storesOf(cluster.gid).ranks)).values()) sum += value as number;
  assert.ok(Math.abs(sum - 1) < 1e-6, `the ranks sum to ${sum}`);
  assert.equal(report.links, expected.edges.length, "links: each pair of pages once, redirects followed, none from a page to itself");
  assert.ok(Number.isInteger(report.rounds) && report.rounds >= 1 && report.rounds <= 200, `rounds is ${report.rounds}`);
  assert.deepEqual(await cluster.outsider.local.keys(storesOf(cluster.gid).ranks), [], "the node that started the ranking holds none of it");
});

test("damping 0.5 gives PageRank with damping 0.5, damping 0 gives every page 1/n, and each ranking replaces the ranks store entirely", async () => {
  const { cluster, expected } = await fixture();
  const stale = "http://127.0.0.1:9/stale.html";
  await ownerNode(cluster, stale).local.put(storesOf(cluster.gid).ranks, stale, 0.5);
  await within(cluster.engine.rank({ damping: 0.5 }), stepLimitMs, "rank with damping 0.5");
  assert.equal(await rankProblems(cluster, ranksOf(expected, 0.5)), "", "damping 0.5");
  await within(cluster.engine.rank({ damping: 0 }), stepLimitMs, "rank with damping 0");
  const n = pagesOf(expected).length;
  assert.equal(await rankProblems(cluster, new Map(pagesOf(expected).map((url) => [url, 1 / n]))), "", "damping 0");
});

test("a damping outside [0, 1), a tolerance that is not a positive number, or maxRounds that is not a positive integer, is a RangeError", async () => {
  const { cluster } = await fixture();
  const bad: RankOptions[] = [
    { damping: -0.1 }, { damping: 1 }, { damping: 1.5 }, { damping: Number.NaN },
    { tolerance: 0 }, { tolerance: -1e-9 }, { tolerance: Number.NaN },
    { maxRounds: 0 }, { maxRounds: 2.5 }, { maxRounds: -3 }, { maxRounds: Number.NaN },
  ];
  for (const options of bad) await assertThrows(cluster.engine.rank(options), RangeError, `rank(${JSON.stringify(options, (_k, v: unknown) => (Number.isNaN(v) ? "NaN" : v))})`);
});

test("ranks that do not converge within maxRounds are a RangeError", async () => {
  const { cluster } = await fixture();
  await assertThrows(cluster.engine.rank({ maxRounds: 2, tolerance: 1e-12 }), RangeError, "rank with 2 rounds at most");
});

/** Crawls and ranks a site of `routes` on a fresh group over the fixture's nodes; the ranks store and the report. */
async function rankSite(t: Parameters<typeof startSite>[0], gid: string, routes: (self: string) => Record<string, Route>) {
  const { cluster } = await fixture();
  let table: Record<string, Route> = {};
  const site = await startSite(t, (path) => table[path]);
  table = routes(site.origin);
  const group = await regroup(cluster, gid);
  await within(group.engine.crawl(site.url("/")), stepLimitMs, `a crawl of ${gid}`);
  const report = await within(group.engine.rank(), 60_000, `rank of ${gid}`);
  return { site, group, report };
}

test("the graph follows redirects in any number of hops, has each pair of pages once and none from a page to itself; links to a redirect loop, a 404, a file, a disallowed URL or another origin make no edge; a page without links spreads its rank over every page", async (t) => {
  const other = await startSite(t, { "/": { body: html("Other", "") } });
  const redirect = (status: number, location: string): Route => ({ status, headers: { location } });
  const { site, group, report } = await rankSite(t, "graph", () => ({
    "/robots.txt": { type: "text/plain", body: "User-agent: *\nDisallow: /secret/\n" },
    "/": { body: html("Root", links("/a", "/b", "/r1", "/", "#top", "/a#again", "/missing", "/file.txt", "/secret/s", `${other.origin}/`)) },
    "/a": { body: html("A", links("/b", "/go", "/loop1", "/a")) },
    "/b": { body: html("B", "<p>No links here.</p>") },
    "/c": { body: html("C", links("/a", "/c", "/r3", "/r1")) },
    "/r1": redirect(301, "/r2"),
    "/r2": redirect(302, "/c"),
    "/r3": redirect(307, "/c"),
    "/go": redirect(302, "/"),
    "/loop1": redirect(301, "/loop2"),
    "/loop2": redirect(301, "/loop1"),
    "/file.txt": { type: "text/plain", body: "text" },
    "/secret/s": { body: html("Secret", links("/a")) },
  }));
  const at = site.url;
  const edges: Array<[string, string]> = [[at("/"), at("/a")], [at("/"), at("/b")], [at("/"), at("/c")], [at("/a"), at("/b")], [at("/a"), at("/")], [at("/c"), at("/a")]];
  assert.equal(report.links, edges.length, "links");
  assert.equal(await rankProblems(group, pageRank(edges, { nodes: [at("/"), at("/a"), at("/b"), at("/c")] })), "");
});

test("on a cycle every page ranks 1/n, and on a star the hub ranks as PageRank says", async (t) => {
  const cycle = await rankSite(t, "cycle", () => ({
    "/": { body: html("One", links("/2")) },
    "/2": { body: html("Two", links("/3")) },
    "/3": { body: html("Three", links("/")) },
  }));
  assert.equal(await rankProblems(cycle.group, new Map(["/", "/2", "/3"].map((path) => [cycle.site.url(path), 1 / 3]))), "", "the cycle");
  assert.equal(cycle.report.links, 3);
  const leaves = ["/1", "/2", "/3", "/4"];
  const star = await rankSite(t, "star", () => Object.fromEntries([
    ["/", { body: html("Hub", links(...leaves)) }],
    ...leaves.map((path): [string, Route] => [path, { body: html(`Leaf ${path}`, links("/")) }]),
  ]));
  const at = star.site.url;
  const edges = leaves.flatMap((leaf): Array<[string, string]> => [[at("/"), at(leaf)], [at(leaf), at("/")]]);
  assert.equal(await rankProblems(star.group, pageRank(edges)), "", "the star");
  assert.equal(star.report.links, 8);
});
