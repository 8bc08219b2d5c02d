/**
 * The real corpora: `npm run corpus -- get postgres [--from FILE.deb]` unpacks
 * one into the git-ignored cache (.cache/corpora/NAME/) and prints its folder;
 * `npm run corpus -- list` shows what there is. With `--if-possible` (how
 * `npm test` fetches the manual), a corpus that cannot be had here is a note,
 * not a failure: the tests that need it then say they did not run.
 *
 * Without --from, the package comes from a pinned copy beside the repository
 * or from `apt-get download`; where neither works, the error says what to do.
 */
import { existsSync } from "node:fs";
import { cacheFolder, corpora, parseCorpusName } from "../corpus/catalogue.ts";
import { CorpusUnavailable, getCorpus } from "../corpus/get.ts";

const usage = `usage: npm run corpus -- get NAME [--from FILE.deb] [--if-possible]
       npm run corpus -- list
names: ${Object.keys(corpora).join(", ")}`;

async function main(args: string[]): Promise<number> {
  const [command, name, ...rest] = args;
  if (command === "list") {
    for (const [key, corpus] of Object.entries(corpora)) {
      const state = existsSync(cacheFolder(key as keyof typeof corpora)) ? "cached" : "not cached";
      process.stdout.write(`${key.padEnd(9)} ${corpus.package.padEnd(18)} ${state.padEnd(11)} ${corpus.description}\n`);
    }
    return 0;
  }
  const fromAt = rest.indexOf("--from");
  const from = fromAt === -1 ? undefined : rest[fromAt + 1];
  if (command !== "get" || name === undefined || (fromAt !== -1 && from === undefined)) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  try {
    process.stdout.write(`${await getCorpus(parseCorpusName(name), { from, download: true })}\n`);
    return 0;
  } catch (error) {
    const message = error instanceof CorpusUnavailable || error instanceof RangeError ? error.message : String(error);
    if (rest.includes("--if-possible") && !(error instanceof RangeError)) {
      process.stderr.write(`Note: the ${name} corpus is not here, so the tests that read it will not run (they say so):\n${message}\n`);
      return 0;
    }
    process.stderr.write(`${message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
