/**
 * m0's baseline figures: how fast one process, with the m0 tools, crawls,
 * indexes and searches the PostgreSQL manual (about 1,170 pages), and how fast the
 * local web serves generated pages. Later milestones state their times as
 * multiples of these.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Figure } from "../../autograder/bench/figure.ts";
import { median, percentile } from "../../autograder/bench/measure.ts";
import { corpusForTests } from "../../autograder/corpus/for-tests.ts";
import { Random } from "../../autograder/harness/random.ts";
import { measureThroughput, startWeb } from "../../autograder/web/index.ts";
import type * as Api from "../api.ts";

type M0 = typeof Api;

const seconds = (since: number) => (performance.now() - since) / 1000;

/** Crawls the manual from the local web and indexes it (1-grams, no stemming); returns the index folder. */
async function crawlAndIndex(m0: M0, folder: string, index: string): Promise<number> {
  const web = await startWeb({ folder });
  try {
    const started = performance.now();
    async function* documents() {
      for await (const page of m0.crawl(`${web.url}/index.html`)) {
        yield { url: page.url, counts: m0.invert(m0.process(m0.getText(page.html))) };
      }
    }
    await m0.merge(index, documents());
    return seconds(started);
  } finally {
    await web.close();
  }
}

export async function figures(m0: M0): Promise<Figure[]> {
  const corpus = await corpusForTests("postgres");
  const web = await measureThroughput({ requests: 20_000 });
  const served: Figure = { name: "local web, generated pages served", value: web.pagesPerSecond, unit: "pages/s", goal: { atLeast: 5000 } };
  if (corpus.skip !== false) return [served];
  const files = (await readdir(corpus.folder)).filter((name) => name.endsWith(".html"));
  const pages = await Promise.all(files.map((name) => readFile(join(corpus.folder, name), "utf8")));

  const countWords = () => {
    let words = 0;
    for (const name of files) words += m0.getText(readFileSync(join(corpus.folder, name), "utf8")).split(/\s+/).filter(Boolean).length;
    return words;
  };
  countWords(); // once to warm up the JIT compiler
  const wordCount = median(Array.from({ length: 5 }, () => {
    const began = performance.now();
    return countWords() / seconds(began);
  }));

  const started = performance.now();
  const counts = pages.map((html) => m0.invert(m0.process(m0.getText(html))));
  const indexRate = counts.length / seconds(started);

  const index = await mkdtemp(join(tmpdir(), "m0-bench-"));
  try {
    const crawlSeconds = await crawlAndIndex(m0, corpus.folder, index);
    const loaded = await m0.readIndex(index);
    const vocabulary = [...loaded.terms.keys()];
    const random = new Random(7);
    const latencies = Array.from({ length: 500 }, () => {
      const terms = Array.from({ length: random.int(1, 3) }, () => random.pick(vocabulary));
      const began = performance.now();
      m0.query(loaded, terms);
      return performance.now() - began;
    });
    return [
      { name: "crawl + index of the PostgreSQL manual from the local web", value: crawlSeconds, unit: "s", goal: { atMost: 3 } },
      { name: "index build (getText, process, invert) in memory", value: indexRate, unit: "docs/s" },
      { name: "query latency, median", value: median(latencies), unit: "ms" },
      { name: "query latency, 99th percentile", value: percentile(latencies, 0.99), unit: "ms" },
      { name: "word count (read + getText + count), median of 5 runs", value: wordCount, unit: "words/s", goal: { atLeast: 4_000_000 } },
      served,
    ];
  } finally {
    await rm(index, { recursive: true, force: true });
  }
}
