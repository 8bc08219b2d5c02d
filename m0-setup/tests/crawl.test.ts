import assert from "node:assert/strict";
import { test } from "node:test";
import { crawlTruth, startWeb } from "../../autograder/web/index.ts";
import { m0 } from "./_helpers.ts";

/** A page's URL as the local web names it: path and query. */
const name = (url: string) => new URL(url).pathname + new URL(url).search;

test("crawl() finds every page of a small site, and only those", async (t) => {
  const web = await startWeb({ pages: 60, seed: 1, slowMs: 0 });
  t.after(() => web.close());
  const found: string[] = [];
  for await (const page of m0.crawl(`${web.url}/`)) found.push(name(page.url));
  assert.deepEqual(found.sort(), [...crawlTruth(web.web!).pages].sort());
});

test("crawl() fetches each URL once and never one that robots.txt disallows", async (t) => {
  const web = await startWeb({ pages: 60, seed: 2, slowMs: 0 });
  t.after(() => web.close());
  for await (const _page of m0.crawl(`${web.url}/`));
  const hits = [...web.hits()];
  assert.deepEqual(hits.filter(([, count]) => count > 1), [], "fetched more than once");
  assert.deepEqual(hits.filter(([path]) => path.startsWith("/private/")), [], "fetched a disallowed page");
});
