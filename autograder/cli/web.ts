/**
 * `npm run web`: serves the local web until Ctrl-C.
 *
 *   npm run web                                  a generated web of 1,000 pages, seed 1
 *   npm run web -- --pages 100000 --seed 7       a bigger one, another seed
 *   npm run web -- --slow 0                      slow pages answer at once
 *   npm run web -- --folder DIR                  the pages in DIR instead
 *   npm run web -- --port 8080                   on a fixed port (default: a free one)
 */
import { parseArgs } from "node:util";
import { startWeb, type StartWebOptions } from "../web/server.ts";

const usage = "usage: npm run web -- [--pages N] [--seed S] [--slow MS] [--folder DIR] [--port P] [--host ADDRESS]";

/** Reads the command line into server options. @throws RangeError on a bad flag or value. */
function parseOptions(args: string[]): StartWebOptions {
  const { values } = parseArgs({
    args,
    options: {
      pages: { type: "string" },
      seed: { type: "string" },
      slow: { type: "string" },
      folder: { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
    },
  });
  const number = (name: keyof typeof values): number | undefined => {
    const text = values[name];
    if (text === undefined) return undefined;
    if (!/^\d+$/.test(text)) throw new RangeError(`Cannot read --${name} ${text}: expected a non-negative integer`);
    return Number(text);
  };
  return { pages: number("pages"), seed: number("seed"), slowMs: number("slow"), port: number("port"), folder: values.folder, host: values.host };
}

try {
  const server = await startWeb(parseOptions(process.argv.slice(2)));
  console.log(`Serving ${server.description}`);
  console.log(`${server.url}/   (Ctrl-C stops it)`);
  process.once("SIGINT", () => void server.close().then(() => process.exit(0)));
  process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  console.error(usage);
  process.exit(2);
}
