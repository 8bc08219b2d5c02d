/**
 * The real corpora the kit knows: Debian documentation packages, full of
 * linked HTML pages with permissive licences. They are never committed; the
 * corpus tool unpacks each into a git-ignored cache folder.
 *
 * @example
 * corpora.postgres.package; // "postgresql-doc-15"
 * cacheFolder("postgres"); // "/path/to/repo/.cache/corpora/postgres"
 */
import { join } from "node:path";
import { repoRoot } from "../kit/milestones.ts";

/** A corpus: the Debian package that holds it and where its HTML sits inside. */
export interface Corpus {
  /** The Debian package (architecture "all"), as `apt-get download` names it. */
  package: string;
  /** The folder of the HTML pages inside the package. */
  html: string;
  /** What it is, for people. */
  description: string;
}

export const corpora = {
  postgres: {
    package: "postgresql-doc-15",
    html: "usr/share/doc/postgresql-doc-15/html",
    description: "PostgreSQL 15 manual: about 1,170 linked pages in one folder, 1.1 M words, 2 MB download",
  },
  linux: {
    package: "linux-doc-6.1",
    html: "usr/share/doc/linux-doc-6.1/html",
    description: "Linux 6.1 kernel documentation: 3,185 pages in subfolders, 6.6 M words, 37 MB download",
  },
} as const satisfies Record<string, Corpus>;

export type CorpusName = keyof typeof corpora;

/**
 * Reads a corpus name.
 *
 * @throws RangeError for a name the kit does not know.
 */
export function parseCorpusName(text: string): CorpusName {
  if (!Object.hasOwn(corpora, text)) {
    throw new RangeError(`Cannot find corpus "${text}": expected ${Object.keys(corpora).join(" or ")}`);
  }
  return text as CorpusName;
}

/** Where a corpus's pages are cached once unpacked: the cache holds the HTML folder itself. */
export function cacheFolder(name: CorpusName): string {
  return join(repoRoot, ".cache", "corpora", name);
}

/** Where this project's machines keep pinned copies of the packages (beside the repository). */
export const pinnedFolder: string = join(repoRoot, "..", "shared", "corpora");
