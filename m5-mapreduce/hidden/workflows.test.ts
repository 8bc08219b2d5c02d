/**
 * handouts/m5.md#workflows on generated webs (autograder/web: the pages a
 * polite crawler reaches, their visible words and their links): word count,
 * inverted index, reverse web-link graph, distributed grep, TF-IDF (the
 * formula of handouts/m0.md#query), maximum and minimum per key with the
 * same function as combiner, and PageRank, one step and to convergence.
 * Each output is compared, key by key and exactly, with what a plain loop
 * here computes (PageRank to convergence within 1e-6 of autograder/web's
 * `pageRank`). Some run on simulated members, some on real ones.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { withSeed } from "../../autograder/harness/seed.ts";
import { withSimulation } from "../../autograder/harness/sim/with-simulation.ts";
import { createWeb, crawlTruth, pageRank, termIndex, visibleWords } from "../../autograder/web/index.ts";
import type * as Api from "../api.ts";
import { byString, countWords, fill, fromSource, invertedIndex, misplacedOutput, realCluster, simCluster, summedWordCount, total, webTexts, within } from "./_mr.ts";

/** Postings sorted by URL, as `<` orders strings. */
const byUrl = (a: [string, ...unknown[]], b: [string, ...unknown[]]) => byString(a[0], b[0]);

test("word count over a generated web, with its combiner, equals a plain loop", withSeed(async (random, t) => {
  const web = createWeb({ pages: 300, seed: random.uint32() });
  const texts = webTexts(web);
  const cluster = await realCluster(t, 4, "pages");
  await fill(cluster, "pages", texts);
  const result = await within(cluster.outsider.mr("pages").exec(summedWordCount), 120_000, "word count");
  assert.equal(await misplacedOutput(cluster, result.out, countWords(texts.values())), "");
  assert.ok(total(result.counts, "shuffled") < total(result.counts, "emitted"), "the combiner ran");
}));

test("an inverted index of a generated web gives each term its postings, sorted by URL, with counts, as termIndex does", withSeed(async (random, t) => {
  const web = createWeb({ pages: 300, seed: random.uint32() });
  const truth = crawlTruth(web);
  const cluster = await realCluster(t, 4, "pages");
  await fill(cluster, "pages", webTexts(web, truth));
  const result = await within(cluster.outsider.mr("pages").exec(invertedIndex), 120_000, "inverted index");
  const expected = new Map([...termIndex(web, truth)].map(([word, postings]) => [word, [...postings].sort(byUrl)]));
  assert.equal(await misplacedOutput(cluster, result.out, expected), "");
}));

test("a reverse web-link graph gives each page the sorted pages that link to it, as the crawl's edges say", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const web = createWeb({ pages: 400, seed: random.uint32() });
  const truth = crawlTruth(web);
  const links = new Map<string, string[]>(truth.pages.map((page) => [page, []]));
  for (const [from, to] of truth.edges) links.get(from)?.push(to);
  const cluster = await simCluster(t, sim, 5, "links");
  await fill(cluster, "links", links);
  const result = await cluster.settle(cluster.outsider.mr("links").exec({
    map: (source: string, targets: unknown) => (targets as string[]).map((target): [string, unknown] => [target, source]),
    reduce: (_target: string, sources: unknown[]) => (sources as string[]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
  }));
  const expected = new Map<string, string[]>();
  for (const [from, to] of truth.edges) expected.set(to, [...(expected.get(to) ?? []), from]);
  for (const sources of expected.values()) sources.sort(byString);
  assert.equal(await misplacedOutput(cluster, result.out, expected), "");
}));

test("distributed grep gives exactly the matching lines", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const web = createWeb({ pages: 200, seed: random.uint32() });
  const truth = crawlTruth(web);
  // Each page's words in lines of 10; the pattern is a topic's word, as a whole word.
  const lines = new Map<string, string>();
  for (const page of truth.pages) {
    const words = visibleWords(web, page);
    for (let i = 0; i < words.length; i += 10) lines.set(`${page}:${i / 10 + 1}`, words.slice(i, i + 10).join(" "));
  }
  const word = random.pick(random.pick(web.topics).words.slice(0, 5));
  const pattern = new RegExp(`(^| )${word}( |$)`);
  const cluster = await simCluster(t, sim, 4, "lines");
  await fill(cluster, "lines", lines);
  const result = await cluster.settle(cluster.outsider.mr("lines").exec({
    map: fromSource<Api.Job["map"]>(`(_where, line) => ${pattern}.test(line) ? [[line, ""]] : []`),
    reduce: () => "",
  }));
  const expected = new Map([...lines.values()].filter((line) => pattern.test(line)).map((line) => [line, ""]));
  assert.ok(expected.size > 0, `some line holds "${word}"`);
  assert.equal(await misplacedOutput(cluster, result.out, expected), "");
}));

test("TF-IDF weights each posting of a term by the term's share of the page times ln(N / n), as a plain loop computes it", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const web = createWeb({ pages: 200, seed: random.uint32() });
  const texts = webTexts(web);
  const cluster = await simCluster(t, sim, 4, "pages");
  await fill(cluster, "pages", texts);
  const result = await cluster.settle(cluster.outsider.mr("pages").exec({
    map: (url: string, text: unknown) => {
      const words = (text as string).split(" ").filter((word) => word !== "");
      const counts = new Map<string, number>();
      for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
      return [...counts].map(([word, count]): [string, unknown] => [word, [url, count, words.length]]);
    },
    // N, the number of documents, is written into the reduce.
    reduce: fromSource<Api.Job["reduce"]>(`(_term, postings) => {
      const documents = ${texts.size};
      return postings
        .map(([url, f, length]) => [url, (f / length) * Math.log(documents / postings.length)])
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    }`),
  }));
  const postings = new Map<string, Array<[string, number, number]>>();
  for (const [url, text] of texts) {
    const words = text.split(" ").filter((word) => word !== "");
    for (const [word, f] of countWords([text])) postings.set(word, [...(postings.get(word) ?? []), [url, f, words.length]]);
  }
  const expected = new Map([...postings].map(([word, list]) => [
    word,
    list.map(([url, f, length]): [string, number] => [url, (f / length) * Math.log(texts.size / list.length)]).sort(byUrl),
  ]));
  assert.equal(await misplacedOutput(cluster, result.out, expected), "");
}));

test("the minimum and maximum temperature per city, with the same function as combiner, equal a plain loop", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const cities = Array.from({ length: 40 }, (_, i) => `city ${i}`);
  const days = new Map<string, Array<[string, number]>>();
  for (let day = 0; day < 365; day++) {
    days.set(`2024 day ${day}`, cities.filter(() => random.bool(0.7)).map((city): [string, number] => [city, random.int(-400, 450) / 10]));
  }
  const cluster = await simCluster(t, sim, 5, "weather");
  await fill(cluster, "weather", days);
  const extremes = (_city: string, values: unknown[]) => {
    const pairs = values as Array<[number, number]>;
    return [Math.min(...pairs.map(([low]) => low)), Math.max(...pairs.map(([, high]) => high))];
  };
  const result = await cluster.settle(cluster.outsider.mr("weather").exec({
    map: (_day: string, readings: unknown) => (readings as Array<[string, number]>).map(([city, degrees]): [string, unknown] => [city, [degrees, degrees]]),
    combine: extremes,
    reduce: extremes,
  }));
  const expected = new Map<string, [number, number]>();
  for (const readings of days.values()) {
    for (const [city, degrees] of readings) {
      const [low, high] = expected.get(city) ?? [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
      expected.set(city, [Math.min(low, degrees), Math.max(high, degrees)]);
    }
  }
  assert.equal(await misplacedOutput(cluster, result.out, expected), "");
  assert.ok(total(result.counts, "shuffled") <= 5 * cities.length, `${total(result.counts, "shuffled")} pairs shuffled: one per city and member at most`);
}));

/** A page as PageRank's rounds carry it: its rank and its links. */
interface Ranked {
  rank: number;
  links: string[];
}

/**
 * One PageRank step as a job over `pages`: each page passes d × its rank
 * along its links in equal shares (a page without links to every page),
 * and keeps its links; a page's new rank is (1 − d) / n plus its shares,
 * summed smallest first. The page list and d are written into the sources.
 */
function pageRankStep(pages: string[], damping: number): Api.Job {
  return {
    map: fromSource<Api.Job["map"]>(`(page, value) => {
      const everyone = ${JSON.stringify(pages)};
      const targets = value.links.length === 0 ? everyone : value.links;
      const pairs = [[page, { links: value.links }]];
      for (const target of targets) pairs.push([target, (${damping} * value.rank) / targets.length]);
      return pairs;
    }`),
    reduce: fromSource<Api.Job["reduce"]>(`(_page, values) => {
      let links = [];
      const shares = [];
      for (const value of values) {
        if (typeof value === "number") shares.push(value);
        else links = value.links;
      }
      shares.sort((a, b) => a - b);
      let sum = 0;
      for (const share of shares) sum += share;
      return { rank: (1 - ${damping}) / ${pages.length} + sum, links };
    }`),
  };
}

/** The same step by a plain loop. */
function stepByLoop(graph: Map<string, Ranked>, damping: number): Map<string, Ranked> {
  const shares = new Map<string, number[]>([...graph.keys()].map((page) => [page, []]));
  for (const [, { rank, links }] of graph) {
    const targets = links.length === 0 ? [...graph.keys()] : links;
    for (const target of targets) shares.get(target)?.push((damping * rank) / targets.length);
  }
  return new Map([...graph].map(([page, { links }]) => {
    let sum = 0;
    for (const share of (shares.get(page) as number[]).sort((a, b) => a - b)) sum += share;
    return [page, { rank: (1 - damping) / graph.size + sum, links }];
  }));
}

/** A generated web's pages with their links, each starting at rank 1 / n. */
function rankedWeb(pages: number, seed: number) {
  const truth = crawlTruth(createWeb({ pages, seed }));
  const graph = new Map<string, Ranked>(truth.pages.map((page) => [page, { rank: 1 / truth.pages.length, links: [] }]));
  for (const [from, to] of truth.edges) graph.get(from)?.links.push(to);
  return { truth, graph };
}

test("one PageRank step, dangling pages spreading their rank over every page, equals one step of power iteration", withSimulation({ latency: [1, 10] }, async (sim, random, t) => {
  const { truth, graph } = rankedWeb(200, random.uint32());
  // Uneven ranks that sum to 1; and a few pages lose their links, to dangle.
  const weights = truth.pages.map(() => random.int(1, 100));
  const sum = weights.reduce((a, b) => a + b, 0);
  truth.pages.forEach((page, i) => {
    const node = graph.get(page) as Ranked;
    node.rank = (weights[i] as number) / sum;
    if (random.bool(0.05)) node.links = [];
  });
  assert.ok([...graph.values()].some((node) => node.links.length === 0), "some page dangles");
  const cluster = await simCluster(t, sim, 4, "ranks");
  await fill(cluster, "ranks", graph);
  const result = await cluster.settle(cluster.outsider.mr("ranks").exec(pageRankStep(truth.pages, 0.85)));
  assert.equal(await misplacedOutput(cluster, result.out, stepByLoop(graph, 0.85)), "");
}));

test("PageRank iterated with rounds, a distance and a tolerance converges to autograder/web's pageRank within 1e-6", withSeed(async (random, t) => {
  const { truth, graph } = rankedWeb(200, random.uint32());
  const cluster = await realCluster(t, 4, "ranks");
  await fill(cluster, "ranks", graph);
  const result = await within(cluster.outsider.mr("ranks").exec({
    ...pageRankStep(truth.pages, 0.85),
    rounds: 500,
    distance: (_page: string, before: unknown, after: unknown) => Math.abs((after as Ranked).rank - ((before as Ranked | undefined)?.rank ?? 0)),
    tolerance: 1e-9,
  }), 240_000, "PageRank to convergence");
  assert.ok(result.rounds < 500, `converged in ${result.rounds} rounds`);
  assert.ok((result.change as number) <= 1e-9);
  const expected = pageRank(truth.edges, { nodes: truth.pages });
  const store = cluster.outsider.store(result.out);
  let largest = 0;
  let totalRank = 0;
  for (const page of truth.pages) {
    const lookup = await store.get(page);
    assert.ok(lookup.found, `${page} has a rank`);
    const rank = (lookup.value as Ranked).rank;
    totalRank += rank;
    largest = Math.max(largest, Math.abs(rank - (expected.get(page) as number)));
  }
  t.diagnostic(`${result.rounds} rounds; the largest difference from pageRank is ${largest.toExponential(2)}`);
  assert.ok(largest <= 1e-6, `a rank differs from pageRank's by ${largest}`);
  assert.ok(Math.abs(totalRank - 1) <= 1e-9, `the ranks sum to ${totalRank}`);
}));
