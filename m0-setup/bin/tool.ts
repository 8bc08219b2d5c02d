/**
 * The m0 tools as shell filters. Each reads records on stdin, one JSON object
 * per line, applies one function of the m0 implementation in force (chosen by
 * DIST_IMPL or implementations.json, see autograder/kit/implementations.ts) to
 * each, and writes the results on stdout, one per line. The line format is in
 * records.ts.
 *
 *     node --import tsx m0-setup/bin/tool.ts NAME [ARGUMENTS] < IN > OUT
 *
 * One process handles any number of documents, so a whole corpus flows
 * through one pipeline:
 *
 *     tool pages docs/ | tool getText | tool process | tool stem | tool combine | tool invert | tool merge index/
 *     echo "write ahead log" | tool lines | tool process | tool stem | tool combine | tool query index/
 *
 * Exit status: 0 when every line was used, 1 when some were reported on
 * stderr and skipped (or a tool failed), 2 for a usage error.
 */
import type * as Api from "../api.ts";
import { NotImplemented } from "../../autograder/kit/errors.ts";
import { load } from "../../autograder/kit/implementations.ts";
import { folderPages } from "./pages.ts";
import { type Kind, type Records, lines, readRecords, write } from "./records.ts";

type M0 = typeof Api;
type Report = (problem: string) => void;

interface Tool {
  usage: string;
  run(m0: M0, args: string[], report: Report): Promise<void>;
}

/** A tool that maps each record of one kind to one output record. */
function perRecord<K extends Kind>(
  usage: string,
  kind: K,
  map: (m0: M0, record: Records[K], args: string[]) => object,
): Tool {
  return {
    usage,
    async run(m0, args, report) {
      for await (const record of readRecords(kind, report)) {
        let output: object;
        try {
          output = map(m0, record, args);
        } catch (error) {
          if (error instanceof NotImplemented) throw error;
          report(`Cannot handle ${record.url}: ${(error as Error).message}`);
          continue;
        }
        await write(output);
      }
    },
  };
}

const tools: Record<string, Tool> = {
  pages: {
    usage: "pages FOLDER          the HTML files under FOLDER, as page records",
    async run(_m0, [folder]) {
      if (folder === undefined) throw new RangeError("Cannot list pages: no folder given");
      for await (const page of folderPages(folder)) await write(page);
    },
  },
  crawl: {
    usage: "crawl URL [MAX_PAGES] the pages of the site at URL, as page records",
    async run(m0, [start, maxPages]) {
      if (start === undefined) throw new RangeError("Cannot crawl: no start URL given");
      const options = maxPages === undefined ? {} : { maxPages: Number(maxPages) };
      for await (const { url, html } of m0.crawl(start, options)) await write({ url, html });
    },
  },
  lines: {
    usage: "lines                 each line of stdin as a text record (for queries)",
    async run() {
      let number = 0;
      for await (const text of lines()) await write({ url: `stdin:${++number}`, text });
    },
  },
  getURLs: perRecord("getURLs               page → links record", "page", (m0, r) => ({
    url: r.url,
    links: m0.getURLs(r.html, r.url),
  })),
  getText: perRecord("getText               page → text record", "page", (m0, r) => ({
    url: r.url,
    text: m0.getText(r.html),
  })),
  process: perRecord("process               text → terms record", "text", (m0, r) => ({
    url: r.url,
    terms: m0.process(r.text),
  })),
  stem: perRecord("stem                  terms → terms record, each term stemmed", "terms", (m0, r) => ({
    url: r.url,
    terms: r.terms.map((term) => m0.stem(term)),
  })),
  combine: perRecord("combine [N]           terms → terms record, 1- to N-grams (default 3)", "terms", (m0, r, [n]) => ({
    url: r.url,
    terms: n === undefined ? m0.combine(r.terms) : m0.combine(r.terms, Number(n)),
  })),
  invert: perRecord("invert                terms → counts record", "terms", (m0, r) => ({
    url: r.url,
    counts: [...m0.invert(r.terms)],
  })),
  merge: {
    usage: "merge INDEX           merges counts records into the index in folder INDEX",
    async run(m0, [folder], report) {
      if (folder === undefined) throw new RangeError("Cannot merge: no index folder given");
      async function* documents() {
        for await (const { url, counts } of readRecords("counts", report)) {
          yield { url, counts: new Map(counts) };
        }
      }
      await m0.merge(folder, documents());
    },
  },
  query: {
    usage: "query INDEX [--tfidf] [--limit K]  ranks INDEX for each terms record: url<TAB>score lines",
    async run(m0, [folder, ...flags], report) {
      if (folder === undefined) throw new RangeError("Cannot query: no index folder given");
      const options: Api.QueryOptions = { scoring: flags.includes("--tfidf") ? "tfidf" : "bm25" };
      const limit = flags.indexOf("--limit");
      if (limit !== -1) options.limit = Number(flags[limit + 1]);
      const index = await m0.readIndex(folder);
      let first = true;
      for await (const { terms } of readRecords("terms", report)) {
        if (!first) await write("");
        first = false;
        for (const { url, score } of m0.query(index, terms, options)) await write(`${url}\t${score.toFixed(4)}`);
      }
    },
  },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const tool = name === undefined ? undefined : tools[name];
  if (tool === undefined) {
    const usages = Object.values(tools).map(({ usage }) => `  ${usage}`);
    process.stderr.write(`usage: tool.ts NAME [ARGUMENTS] < IN > OUT, where NAME [ARGUMENTS] is one of\n${usages.join("\n")}\n`);
    return 2;
  }
  let problems = 0;
  const report: Report = (problem) => {
    problems++;
    process.stderr.write(`tool.ts ${name}: ${problem}\n`);
  };
  try {
    await tool.run(await load<M0>("m0"), args, report);
  } catch (error) {
    const { name: kind, message } = error as Error;
    process.stderr.write(`tool.ts ${name}: ${kind}: ${message}\n`);
    return 1;
  }
  return problems === 0 ? 0 : 1;
}

// A reader that stops early (`| head`) is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});
process.exitCode = await main(process.argv.slice(2));
