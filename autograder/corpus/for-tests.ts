/**
 * Corpora for tests: the cached folder if there is one, else unpacked from
 * the pinned .deb beside the repository, else downloaded with apt-get where
 * the machine has it. When none of that works, the test is unavailable here
 * (harness/unavailable.ts): the grader leaves it out of the total and says
 * why, instead of counting it as failed.
 *
 * @example
 * const postgres = await corpusForTests("postgres");
 * test("vacuum ranks sql-vacuum.html first", { skip: postgres.skip }, () => {
 *   readdirSync(postgres.folder as string); // the HTML pages
 * });
 */
import { unavailable } from "../harness/unavailable.ts";
import { type CorpusName, corpora } from "./catalogue.ts";
import { getCorpus } from "./get.ts";

/** A corpus's folder, or why a test that needs it cannot run here. */
export type TestCorpus = { folder: string; skip: false } | { folder: undefined; skip: string };

/** Finds, unpacks or downloads a corpus for a test. */
export async function corpusForTests(name: CorpusName): Promise<TestCorpus> {
  try {
    return { folder: await getCorpus(name, { download: true }), skip: false };
  } catch (error) {
    const why = (error as Error).message.split("\n")[0];
    return { folder: undefined, skip: unavailable(`needs the ${corpora[name].package} corpus, which this machine cannot get (${why}); \`npm run corpus -- get ${name}\` says how`) };
  }
}
