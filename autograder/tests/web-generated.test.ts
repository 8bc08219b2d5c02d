/**
 * The generated web: deterministic from its seed, and every feature a
 * crawler must cope with is there in a web of a few hundred pages.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Agent, get } from "node:http";
import { crawlTruth, createWeb, respond, startWeb, termIndex, visibleWords } from "../web/index.ts";
import { withSeed } from "../harness/seed.ts";

interface Answer {
  status: number;
  type: string;
  location: string | undefined;
  body: Buffer;
  milliseconds: number;
}

/** GETs `path` from `origin` with a Host header of our choosing, so absolute links come out the same from any port. */
function fetchPath(origin: string, path: string, agent: Agent, host = "web.test"): Promise<Answer> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    get(origin + path, { agent, headers: { host } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          type: response.headers["content-type"] ?? "",
          location: response.headers.location,
          body: Buffer.concat(chunks),
          milliseconds: performance.now() - start,
        }),
      );
    }).on("error", reject);
  });
}

const web = createWeb({ pages: 400, seed: 2024 });
const truth = crawlTruth(web);
const withStatus = (status: number): string[] => [...truth.fetched].filter(([, outcome]) => outcome.status === status).map(([path]) => path);

test("createWeb() refuses sizes outside 10 to 1,000,000 pages, bad seeds and negative delays", () => {
  for (const pages of [9, 1_000_001, 10.5, Number.NaN]) assert.throws(() => createWeb({ pages }), RangeError);
  for (const seed of [-1, 2 ** 32, 1.5]) assert.throws(() => createWeb({ seed }), RangeError);
  assert.throws(() => createWeb({ slowMs: -1 }), RangeError);
  assert.equal(createWeb({ pages: 10 }).pages, 10);
});

test("the same seed gives byte-identical responses for every URL a crawler meets", () => {
  const again = createWeb({ pages: 400, seed: 2024 });
  for (const path of [...truth.fetched.keys(), "/robots.txt", ...truth.blocked, "/nowhere"]) {
    assert.deepEqual(respond(again, path, "web.test"), respond(web, path, "web.test"), path);
  }
});

test("two servers with the same seed give the same status, content type, location and bytes", async () => {
  const [one, two] = await Promise.all([startWeb({ pages: 400, seed: 2024, slowMs: 0 }), startWeb({ pages: 400, seed: 2024, slowMs: 0 })]);
  const agent = new Agent({ keepAlive: true });
  try {
    for (const path of [...truth.fetched.keys()].slice(0, 120)) {
      const [a, b] = [await fetchPath(one.url, path, agent), await fetchPath(two.url, path, agent)];
      assert.equal(a.status, b.status, path);
      assert.equal(a.type, b.type, path);
      assert.equal(a.location, b.location, path);
      assert.ok(a.body.equals(b.body), `${path} differs`);
    }
  } finally {
    agent.destroy();
    await Promise.all([one.close(), two.close()]);
  }
});

test("different seeds give different webs", withSeed((random) => {
  const seed = random.int(0, 1_000_000);
  const [a, b] = [createWeb({ pages: 100, seed }), createWeb({ pages: 100, seed: seed + 1 })];
  assert.notDeepEqual(a.vocabulary.slice(0, 50), b.vocabulary.slice(0, 50));
  assert.notEqual(respond(a, "/", "web.test").body, respond(b, "/", "web.test").body);
  assert.notDeepEqual([...crawlTruth(a).fetched.keys()], [...crawlTruth(b).fetched.keys()]);
}));

test("the vocabulary has distinct lowercase words, the shortest most frequent", () => {
  assert.equal(new Set(web.vocabulary).size, web.vocabulary.length);
  assert.ok(web.vocabulary.every((word) => /^[a-z]+$/.test(word)));
  const [first, last] = [web.vocabulary.at(0), web.vocabulary.at(-1)];
  assert.ok(first !== undefined && last !== undefined && first.length <= last.length);
});

test("word frequencies follow Zipf's law: the top word is common, the tenth far less", () => {
  const counts = [...termIndex(web, truth).values()]
    .map((postings) => [...postings.values()].reduce((a, b) => a + b, 0))
    .sort((a, b) => b - a);
  const total = counts.reduce((a, b) => a + b, 0);
  const [top, tenth] = [counts[0], counts[9]];
  assert.ok(top !== undefined && tenth !== undefined, "there are at least ten words");
  assert.ok(top / total > 0.02, `the top word is ${((100 * top) / total).toFixed(1)} % of words`);
  assert.ok(top > 3 * tenth, "the top word is over three times as frequent as the tenth");
  assert.ok(counts.filter((count) => count === 1).length > counts.length / 4, "many words occur once");
});

test("every page has a topic whose main word it uses; other pages use it far less", () => {
  const index = termIndex(web, truth);
  for (const [t, topic] of web.topics.entries()) {
    const pages = truth.pages.filter((path) => /\/\d+\.html/.test(path));
    const mine = pages.filter((path) => Number(/(\d+)\.html/.exec(path)?.[1]) % web.topics.length === t);
    const share = (list: string[]): number => list.filter((path) => index.get(topic.slug)?.has(path)).length / list.length;
    assert.ok(share(mine) > 0.9, `${topic.slug} is in ${share(mine)} of its pages`);
    assert.ok(share(pages.filter((path) => !mine.includes(path))) < 0.5, `${topic.slug} is too common elsewhere`);
  }
});

test("in-degree follows a power law: the top 1 % of pages get over 10 % of links, the top 10 % over 30 %", () => {
  const inDegree = new Map<string, number>();
  for (const [, to] of truth.edges) inDegree.set(to, (inDegree.get(to) ?? 0) + 1);
  const degrees = [...inDegree.values()].sort((a, b) => b - a);
  const share = (fraction: number): number => degrees.slice(0, Math.ceil(truth.pages.length * fraction)).reduce((a, b) => a + b, 0) / truth.edges.length;
  assert.ok(share(0.01) > 0.1, `top 1 %: ${share(0.01)}`);
  assert.ok(share(0.1) > 0.3, `top 10 %: ${share(0.1)}`);
});

test("the root reaches most of the web, and every kind of answer is among what it reaches", () => {
  assert.ok(truth.pages.length > 0.8 * web.pages, `${truth.pages.length} pages reachable`);
  const types = new Set([...truth.fetched.values()].map((outcome) => outcome.type));
  for (const type of ["text/html; charset=utf-8", "text/plain; charset=utf-8", "application/pdf", "image/png"]) assert.ok(types.has(type), type);
  assert.ok(withStatus(301).length > 0 && withStatus(302).length > 0, "301 and 302 redirects");
  assert.ok(withStatus(302).some((path) => truth.fetched.get(truth.fetched.get(path)?.location ?? "")?.status === 301), "a chain of redirects");
  assert.ok(withStatus(404).length > 0, "broken links");
  assert.ok(truth.blocked.length > 0 && truth.blocked.every((path) => path.startsWith("/private/")), "links into /private/");
  assert.ok(truth.pages.some((path) => path.endsWith("?view=print&lang=en")), "a page under a second URL");
});

test("robots.txt disallows /private/ for every robot, and the private pages exist", async () => {
  const server = await startWeb({ pages: 400, seed: 2024 });
  const agent = new Agent({ keepAlive: true });
  try {
    const robots = await fetchPath(server.url, "/robots.txt", agent);
    assert.equal(robots.type, "text/plain; charset=utf-8");
    assert.match(robots.body.toString(), /User-agent: \*\nDisallow: \/private\/\n/);
    const [blocked] = truth.blocked;
    assert.ok(blocked, "a link into /private/");
    assert.equal((await fetchPath(server.url, blocked, agent)).status, 200);
  } finally {
    agent.destroy();
    await server.close();
  }
});

test("redirects, 404s, files and twins answer as the ground truth says, over HTTP", async () => {
  const server = await startWeb({ pages: 400, seed: 2024, slowMs: 0 });
  const agent = new Agent({ keepAlive: true });
  try {
    for (const path of [...withStatus(301), ...withStatus(302), ...withStatus(404)]) {
      const answer = await fetchPath(server.url, path, agent);
      assert.equal(answer.status, truth.fetched.get(path)?.status, path);
      assert.equal(answer.location, truth.fetched.get(path)?.location, path);
    }
    const magic: Record<string, string> = { "application/pdf": "%PDF-", "image/png": "\u0089PNG" };
    for (const [path, outcome] of truth.fetched) {
      const prefix = outcome.type && magic[outcome.type];
      if (!prefix) continue;
      const answer = await fetchPath(server.url, path, agent);
      assert.equal(answer.type, outcome.type);
      assert.equal(answer.body.subarray(0, prefix.length).toString("latin1"), prefix, path);
    }
    const twin = truth.pages.find((path) => path.endsWith("?view=print&lang=en")) as string;
    const [first, second] = [await fetchPath(server.url, twin.slice(0, twin.indexOf("?")), agent), await fetchPath(server.url, twin, agent)];
    assert.ok(first.body.equals(second.body), "a twin's two URLs serve the same bytes");
    assert.match(first.body.toString(), /<link rel="canonical" href="\/[a-z]+\/\d+\.html">/);
  } finally {
    agent.destroy();
    await server.close();
  }
});

test("a slow page answers after the configured delay; slowMs 0 makes it answer at once", async () => {
  const slow = [...truth.fetched.keys()].find((path) => respond(web, path, "web.test").delayMs === 20);
  assert.ok(slow, "a slow page is reachable");
  assert.equal(respond(createWeb({ pages: 400, seed: 2024, slowMs: 0 }), slow, "web.test").delayMs, 0);
  const server = await startWeb({ pages: 400, seed: 2024, slowMs: 30 });
  const agent = new Agent({ keepAlive: true });
  try {
    const answer = await fetchPath(server.url, slow, agent);
    assert.equal(answer.status, 200);
    assert.ok(answer.milliseconds >= 25, `answered after ${answer.milliseconds} ms`);
  } finally {
    agent.destroy();
    await server.close();
  }
});

test("pages are HTML with a title, a script, a style, entities and links of every form", () => {
  const hrefs: string[] = [];
  for (const path of truth.pages) {
    const html = String(respond(web, path, "web.test").body);
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<title>[^<]+<\/title>/);
    assert.match(html, /<script>[\s\S]*<\/script>/);
    assert.match(html, /<style>[\s\S]*<\/style>/);
    hrefs.push(...[...html.matchAll(/<a href="([^"]*)"/g)].map((match) => match[1] ?? ""));
  }
  const all = truth.pages.map((path) => String(respond(web, path, "web.test").body)).join("\n");
  for (const entity of ["&amp;", "&lt;", "&quot;", "&nbsp;", "&#8212;", "&copy;"]) assert.ok(all.includes(entity), entity);
  const forms: Record<string, (href: string) => boolean> = {
    "absolute": (href) => href.startsWith("http://web.test/"),
    "scheme-relative": (href) => href.startsWith("//web.test/"),
    "root-relative": (href) => /^\/[^/]/.test(href),
    "relative": (href) => /^[a-z0-9]/.test(href) && !href.includes(":"),
    "dot-relative": (href) => href.startsWith("./"),
    "parent-relative": (href) => href.startsWith("../"),
    "with a fragment": (href) => /#s\d$/.test(href),
    "fragment only": (href) => href === "#top",
    "with a query string": (href) => href.includes("?"),
    "with an escaped &": (href) => href.includes("&amp;"),
    "to another site": (href) => href.startsWith("http://127.0.0.1:9/"),
    "mailto": (href) => href.startsWith("mailto:"),
  };
  for (const [form, matches] of Object.entries(forms)) assert.ok(hrefs.some(matches), `a link ${form}`);
});

test("visibleWords() refuses what is not an HTML page", () => {
  assert.throws(() => visibleWords(web, "/robots.txt"), RangeError);
  const [broken] = withStatus(404);
  assert.ok(broken, "a broken link");
  assert.throws(() => visibleWords(web, broken), RangeError);
  assert.deepEqual(visibleWords(web, "/").slice(0, 3), ["a", "generated", "web"]);
});
