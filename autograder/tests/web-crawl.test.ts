/**
 * A simple polite crawler, written here, crawls the generated web over HTTP
 * and must find exactly what the ground truth says: the same URLs with the
 * same answers, each fetched once, the same link graph, the same words.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Agent, get } from "node:http";
import { crawlTruth, startWeb, visibleWords } from "../web/index.ts";

interface Answer {
  status: number;
  type: string;
  location: string | undefined;
  body: string;
}

function fetchText(url: string, agent: Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    get(url, { agent }, (response) => {
      let body = "";
      response.setEncoding("latin1");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, type: response.headers["content-type"] ?? "", location: response.headers.location, body }));
    }).on("error", reject);
  });
}

/** The Disallow prefixes of the `User-agent: *` group. */
function disallowed(robots: string): string[] {
  const prefixes: string[] = [];
  let mine = false;
  for (const line of robots.split("\n").map((text) => text.replace(/#.*/, "").trim())) {
    const [field, value] = [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()];
    if (field === "user-agent") mine = value === "*";
    else if (field === "disallow" && mine && value) prefixes.push(value);
  }
  return prefixes;
}

const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', nbsp: "\u00a0", hellip: "\u2026", copy: "\u00a9" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name.startsWith("#x") || name.startsWith("#X")) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
    return entities[name] ?? entity;
  });
}

/** HTML without what is never visible or linked: scripts, styles and comments. */
function strip(html: string): string {
  return html.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>|<!--[\s\S]*?-->/gi, " ");
}

function hrefs(html: string): string[] {
  return [...strip(html).matchAll(/<a\s[^>]*href="([^"]*)"/gi)].map((match) => decode(match[1] ?? ""));
}

function words(html: string): string[] {
  return decode(strip(html).replace(/<[^>]*>/g, " ")).toLowerCase().match(/[a-z]+/g) ?? [];
}

/** Breadth-first, one request at a time, each URL once, robots.txt obeyed, redirects followed by hand. */
async function crawl(origin: string) {
  const agent = new Agent({ keepAlive: true });
  const blocked = disallowed((await fetchText(`${origin}/robots.txt`, agent)).body);
  const answers = new Map<string, Answer>();
  const redirects = new Map<string, string>();
  const links = new Map<string, string[]>();
  const queue = ["/"];
  const seen = new Set(queue);
  const resolve = (href: string, base: string): string | undefined => {
    const url = new URL(href, origin + base);
    if (url.origin !== origin) return undefined;
    return url.pathname + url.search;
  };
  const meet = (path: string): void => {
    if (blocked.some((prefix) => path.startsWith(prefix)) || seen.has(path)) return;
    seen.add(path);
    queue.push(path);
  };
  try {
    for (const path of queue) {
      const answer = await fetchText(origin + path, agent);
      answers.set(path, answer);
      if (answer.location !== undefined) {
        redirects.set(path, resolve(answer.location, path) as string);
        meet(redirects.get(path) as string);
      }
      if (answer.status === 200 && answer.type.startsWith("text/html")) {
        const targets = hrefs(answer.body).flatMap((href) => resolve(href, path) ?? []);
        links.set(path, targets);
        targets.forEach(meet);
      }
    }
  } finally {
    agent.destroy();
  }
  return { answers, redirects, links, blocked };
}

const server = await startWeb({ pages: 500, seed: 31, slowMs: 5 });
const truth = crawlTruth(server.web!);
const found = await crawl(server.url);
await server.close();

test("a polite crawl from / fetches exactly the URLs of the ground truth, with the same answers", () => {
  assert.deepEqual(new Set(found.answers.keys()), new Set(truth.fetched.keys()));
  for (const [path, outcome] of truth.fetched) {
    const answer = found.answers.get(path) as Answer;
    assert.equal(answer.status, outcome.status, path);
    if (outcome.type) assert.equal(answer.type, outcome.type, path);
    assert.equal(answer.location, outcome.location, path);
  }
});

test("the crawler fetched each URL once and robots.txt once, and nothing disallowed", () => {
  const hits = server.hits();
  assert.equal(hits.get("/robots.txt"), 1);
  for (const [path, count] of hits) assert.equal(count, 1, `${path} fetched ${count} times`);
  assert.equal(hits.size, truth.fetched.size + 1);
  assert.ok(truth.blocked.length > 0 && truth.blocked.every((path) => !hits.has(path)));
  assert.ok([...hits.keys()].every((path) => !path.startsWith("/trap/")), "links in scripts, comments and text files are not links");
});

test("the HTML pages are the ground truth's pages, and their links make the ground truth's graph", () => {
  assert.deepEqual(new Set(found.links.keys()), new Set(truth.pages));
  const landing = (path: string): string | undefined => {
    for (let hops = 0; hops < 20 && !found.blocked.some((prefix) => path.startsWith(prefix)); hops++) {
      const next = found.redirects.get(path);
      if (next === undefined) return found.links.has(path) ? path : undefined;
      path = next;
    }
    return undefined;
  };
  const edges = new Set<string>();
  for (const [from, targets] of found.links) {
    for (const target of targets) {
      const to = landing(target);
      if (to !== undefined && to !== from) edges.add(`${from} -> ${to}`);
    }
  }
  assert.deepEqual(edges, new Set(truth.edges.map(([from, to]) => `${from} -> ${to}`)));
  assert.equal(truth.edges.length, edges.size, "each edge once");
});

test("the visible text of every page, extracted from its HTML, is visibleWords() of it", () => {
  for (const page of truth.pages) assert.deepEqual(words(found.answers.get(page)?.body ?? ""), visibleWords(server.web!, page), page);
});
