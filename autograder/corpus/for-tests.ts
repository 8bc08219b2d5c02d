/**
 * Corpora for tests: the cached folder if there is one, else unpacked on
 * demand from the pinned .deb beside the repository; never downloaded. When
 * neither is at hand, the test skips and says why.
 *
 * @example
 * const postgres = await corpusForTests("postgres");
 * test("vacuum ranks sql-vacuum.html first", { skip: postgres.skip }, () => {
 *   readdirSync(postgres.folder as string); // the HTML pages
 * });
 */
import { existsSync } from "node:fs";
import { type CorpusName, cacheFolder, corpora } from "./catalogue.ts";
import { getCorpus, pinnedDeb } from "./get.ts";

/** A corpus's folder, or why a test that needs it must skip. */
export type TestCorpus = { folder: string; skip: false } | { folder: undefined; skip: string };

/** Finds, or unpacks from the pinned .deb, a corpus for a test. */
export async function corpusForTests(name: CorpusName): Promise<TestCorpus> {
  if (!existsSync(cacheFolder(name)) && pinnedDeb(name) === undefined) {
    return {
      folder: undefined,
      skip: `needs the ${corpora[name].package} corpus: run \`npm run corpus -- get ${name}\` first`,
    };
  }
  return { folder: await getCorpus(name), skip: false };
}
