/**
 * Getting a corpus: its pages are unpacked once into the cache folder, from a
 * .deb the user names, else a pinned copy beside the repository, else one that
 * `apt-get download` fetches (only when asked to download).
 *
 * @example
 * const folder = await getCorpus("postgres", { download: true }); // ".../.cache/corpora/postgres"
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { type CorpusName, cacheFolder, corpora, pinnedFolder } from "./catalogue.ts";
import { hasCommand, unpackDeb } from "./deb.ts";

export interface GetOptions {
  /** A .deb to unpack, replacing any cached copy. */
  from?: string;
  /** Whether `apt-get download` may fetch the package (default false). */
  download?: boolean;
}

/** Thrown when a corpus is not cached and there is nothing to unpack it from; the message says what to do. */
export class CorpusUnavailable extends Error {
  override name = "CorpusUnavailable" as const;
}

/**
 * The folder of a corpus's HTML pages, unpacked first if needed.
 *
 * @throws CorpusUnavailable when it is not cached and no .deb is at hand.
 * @throws Error when the .deb cannot be unpacked or lacks the pages.
 */
export async function getCorpus(name: CorpusName, options: GetOptions = {}): Promise<string> {
  const folder = cacheFolder(name);
  if (options.from === undefined && existsSync(folder)) return folder;
  const at = options.from ?? pinnedDeb(name);
  const deb = at ?? (options.download ? download(name) : undefined);
  if (deb === undefined) throw new CorpusUnavailable(instructions(name));
  try {
    await unpackCorpus(name, resolve(deb), folder);
  } finally {
    // A package downloaded for this is of no more use once unpacked.
    if (at === undefined) await rm(dirname(deb), { recursive: true, force: true });
  }
  return folder;
}

/** The pinned copy of a corpus's package beside the repository, if there is one. */
export function pinnedDeb(name: CorpusName): string | undefined {
  if (!existsSync(pinnedFolder)) return undefined;
  const prefix = `${corpora[name].package}_`;
  const found = readdirSync(pinnedFolder).filter((file) => file.startsWith(prefix) && file.endsWith(".deb")).sort();
  return found.length === 0 ? undefined : join(pinnedFolder, found[found.length - 1] as string);
}

/**
 * Unpacks a .deb beside the cache folder, then moves its HTML folder into
 * place in one rename, so that tests running at the same time never see half
 * a corpus (if another process got there first, its copy stays).
 */
async function unpackCorpus(name: CorpusName, deb: string, folder: string): Promise<void> {
  await mkdir(dirname(folder), { recursive: true });
  const work = await mkdtemp(join(dirname(folder), `${name}.unpacking-`));
  try {
    await unpackDeb(deb, work);
    const html = join(work, corpora[name].html);
    if (!existsSync(html)) throw new Error(`Cannot unpack corpus ${name}: ${deb} has no ${corpora[name].html}`);
    if (existsSync(folder)) await rename(folder, join(work, "replaced"));
    await rename(html, folder).catch((error: unknown) => {
      if (!existsSync(folder)) throw error;
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Downloads a corpus's package with apt-get into a temporary folder; undefined without apt-get. */
function download(name: CorpusName): string | undefined {
  if (!hasCommand("apt-get")) return undefined;
  const folder = mkdtempSync(join(tmpdir(), `corpus-${name}-`));
  const result = spawnSync("apt-get", ["download", corpora[name].package], { cwd: folder, encoding: "utf8" });
  const deb = readdirSync(folder).find((file) => file.endsWith(".deb"));
  if (result.status !== 0 || deb === undefined) {
    throw new Error(`Cannot download ${corpora[name].package} with apt-get: ${result.stderr.trim() || result.error?.message}`);
  }
  return join(folder, deb);
}

/** What to do when a corpus cannot be had here. */
function instructions(name: CorpusName): string {
  const { package: pkg } = corpora[name];
  return [
    `Cannot get corpus ${name}: it is not in ${cacheFolder(name)}, and apt-get is not available here to download it.`,
    `Download the Debian package ${pkg} (architecture "all", any recent version) from a Debian mirror, then run`,
    `  npm run corpus -- get ${name} --from path/to/${pkg}_VERSION_all.deb`,
  ].join("\n");
}
