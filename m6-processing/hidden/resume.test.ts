/**
 * handouts/m6.md#crawl, resuming: the records are the crawl's state, and a
 * crawl run again on the same stores fetches every URL whose record is still
 * "queued" and no URL with another record. A crash is made by hand here, on
 * the owners' own stores: some finished records put back to "queued" (their
 * pages gone), one record lost altogether, one URL queued that no page links
 * to. (The black-box tests kill members in the middle of a crawl.)
 */
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { test } from "node:test";
import type { Random } from "../../autograder/harness/random.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import { startWeb } from "../../autograder/web/index.ts";
import type * as M2 from "../../m2-actors/api.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type { CrawlRecord, EngineNode } from "../api.ts";
import { type Cluster, groupOf, holdings, m6, ownerNode, startCluster, stepLimitMs, within } from "./_engine.ts";
import {
  type Expected, expectedFetched, fetchedPaths, fetchedProblems, fetchProblems, linksOf, pageRecords, pagesOf, samePage, sameRecord, storeProblems, storesOf, webExpected, withoutRobots,
} from "./_truth.ts";
import { scratchFolder } from "../../autograder/harness/scratch.ts";

const m2 = await load<typeof M2>("m2");

/** Simulates a crash on a finished crawl: `queued` URLs back to queued (their pages deleted), `lost` URLs' records deleted, `unlinked` queued. */
async function crash(cluster: Cluster, queued: string[], lost: string[], unlinked: string[]): Promise<void> {
  const stores = storesOf(cluster.gid);
  for (const url of [...queued, ...unlinked]) await ownerNode(cluster, url).local.put(stores.crawl, url, { state: "queued" });
  for (const url of lost) await ownerNode(cluster, url).local.del(stores.crawl, url);
  for (const url of [...queued, ...lost]) await ownerNode(cluster, url).local.del(stores.pages, url);
}

/** Some fetched URLs of a crawl (no robots.txt, not the start), with pages among them. */
function pickQueued(random: Random, expected: Expected, count: number): string[] {
  const fetched = fetchedPaths(expected).map((path) => expected.origin + path).filter((url) => url !== expected.start);
  const pages = random.shuffle(pagesOf(expected).filter((url) => url !== expected.start)).slice(0, Math.ceil(count / 2));
  const others = random.shuffle(fetched.filter((url) => !pages.includes(url))).slice(0, count - pages.length);
  return [...pages, ...others];
}

/** A URL that `page` links to, which is fetched, not the start, and not in `taken`. */
function linkedFrom(expected: Expected, page: string, taken: readonly string[]): string | undefined {
  const links = linksOf(expected.html.get(page) ?? "", page);
  return links.find((url) => {
    const record = expected.records.get(url);
    return url !== expected.start && !taken.includes(url) && record !== undefined && !(record.state === "skipped" && record.reason === "disallowed");
  });
}

test("a crawl run again fetches every URL whose record is queued, each once, by its owner, even one no page links to, and a URL whose record was lost when a queued page links to it; no URL with another record is fetched", withSeed(async (random, t) => {
  const server = await startWeb({ pages: 120, seed: random.uint32() });
  t.after(() => server.close());
  const cluster = await startCluster(t, 3);
  await within(cluster.engine.crawl(`${server.url}/`), stepLimitMs, "the first crawl");
  const expected = webExpected(server.web!, server.url);

  const queued = pickQueued(random, expected, 12);
  const page = queued.find((url) => expected.html.has(url)) as string;
  const lost = linkedFrom(expected, page, queued);
  assert.ok(lost !== undefined, `${page} links to some other fetched URL`);
  const unlinked = `${server.url}/never/linked.html`;
  await crash(cluster, queued, [lost], [unlinked]);
  server.resetHits();

  const report = await within(cluster.engine.crawl(`${server.url}/`), stepLimitMs, "the crawl run again");
  const refetched = [...queued, lost, unlinked];
  assert.equal(fetchProblems(server.hits(), refetched.map((url) => url.slice(server.url.length)), "at most once"), "", "the second crawl's fetches");
  const robotsAgain = server.hits().get("/robots.txt") ?? 0;
  const wanted = expectedFetched(refetched, server.url, cluster.ids);
  if (robotsAgain === 0) {
    const robotsOwner = cluster.owner(`${server.url}/robots.txt`);
    wanted.set(robotsOwner, (wanted.get(robotsOwner) ?? 0) - 1);
  }
  assert.equal(fetchedProblems(report.fetched, wanted), "", "the report's fetched counts are this call's fetches");

  const records = new Map<string, CrawlRecord>([...expected.records, [unlinked, { state: "skipped", reason: "status", status: 404 }]]);
  const found = withoutRobots(await holdings(cluster, storesOf(cluster.gid).crawl), server.url);
  assert.equal(storeProblems(found, records, cluster.owner, sameRecord), "", "the crawl store is whole again");
  assert.equal(storeProblems(await holdings(cluster, storesOf(cluster.gid).pages), pageRecords(expected), cluster.owner, samePage), "", "the pages store is whole again");
  assert.equal(report.pages, expected.html.size, "the report counts every page the store holds");
}));

test("members restarted on their folders, at the same addresses, keep the crawl's records: a crawl run again fetches only the URLs left queued", withSeed(async (random, t) => {
  const server = await startWeb({ pages: 60, seed: random.uint32() });
  t.after(() => server.close());
  const folders = await Promise.all([0, 1, 2].map(() => scratchFolder("m6-resume-")));
  t.after(() => Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true }))));
  const first = await startCluster(t, 3, { folders });
  await within(first.engine.crawl(`${server.url}/`), stepLimitMs, "the first crawl");
  const expected = webExpected(server.web!, server.url);
  const queued = pickQueued(random, expected, 6);
  await crash(first, queued, [], []);
  const ports = first.members.map((node) => node.address.port);
  await Promise.all(first.members.map((node) => node.stop()));

  const restarted: EngineNode[] = [];
  t.after(() => Promise.all(restarted.map((node) => node.stop())));
  for (const [i, folder] of folders.entries()) restarted.push(await m6.startNode({ folder, port: ports[i] }));
  // A new outsider too: the first one's pooled connections lead to the stopped nodes.
  restarted.push(await m6.startNode());
  const cluster = await groupOf(restarted.slice(0, 3), restarted[3] as EngineNode, first.gid);
  assert.deepEqual(cluster.ids, first.ids, "the members have their ids again");
  server.resetHits();
  await within(cluster.engine.crawl(`${server.url}/`), stepLimitMs, "the crawl after the restart");
  assert.equal(fetchProblems(server.hits(), queued.map((url) => url.slice(server.url.length)), "at most once"), "", "the crawl after the restart fetches the queued URLs only");
  const found = withoutRobots(await holdings(cluster, storesOf(cluster.gid).crawl), server.url);
  assert.equal(storeProblems(found, expected.records, cluster.owner, sameRecord), "", "the crawl store is whole again");
}));

test("no member fetches before every member has begun the crawl: resumed while the owner of robots.txt learns of it last, the other members' queued URLs wait for it, and the crawl ends whole", withSeed(async (random, t) => {
  const server = await startWeb({ pages: 120, seed: random.uint32() });
  t.after(() => server.close());
  const cluster = await startCluster(t, 3);
  await within(cluster.engine.crawl(`${server.url}/`), stepLimitMs, "the first crawl");
  const expected = webExpected(server.web!, server.url);
  const robotsOwner = ownerNode(cluster, `${server.url}/robots.txt`);
  const queued = pickQueued(random, expected, 30).filter((url) => ownerNode(cluster, url) !== robotsOwner);
  assert.ok(queued.length > 0, "some queued URLs are owned by members other than robots.txt's owner");
  await crash(cluster, queued, [], []);

  // A coordinator whose call that begins the crawl on robots.txt's owner waits until the others have begun theirs, and a little more.
  const real = m2.realContext();
  const others: Array<Promise<unknown>> = [];
  const transport: M2.Transport = {
    listen: (address, handler) => real.transport.listen(address, handler),
    request: async (to, request, timeoutMs) => {
      if (request.path.endsWith("/engine/beginCrawl")) {
        if (to.port !== robotsOwner.address.port) {
          const begun = real.transport.request(to, request, timeoutMs);
          others.push(begun);
          return begun;
        }
        for (let turn = 0; turn < 10_000 && others.length < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
        await Promise.allSettled(others);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return real.transport.request(to, request, timeoutMs);
    },
    close: () => real.transport.close(),
  };
  const coordinator = await m6.startNode({ context: { ...real, transport } });
  t.after(() => coordinator.stop());
  await coordinator.groups.put(cluster.gid, cluster.members.map((node) => node.address));
  server.resetHits();
  await within(coordinator.engine(cluster.gid).crawl(`${server.url}/`), stepLimitMs, "the resumed crawl");
  assert.equal(fetchProblems(server.hits(), queued.map((url) => url.slice(server.url.length)), "at most once"), "", "the resumed crawl fetches the queued URLs only");
  const found = withoutRobots(await holdings(cluster, storesOf(cluster.gid).crawl), server.url);
  assert.equal(storeProblems(found, expected.records, cluster.owner, sameRecord), "", "the crawl store is whole again");
}));
