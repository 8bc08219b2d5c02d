/**
 * The pages of a folder, as `crawl` would yield them from a web server: every
 * `.html` or `.htm` file under the folder, sorted by path, with its `file:`
 * URL. Bytes that are not UTF-8 arrive as U+FFFD.
 */
import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "../api.ts";

/** Yields the pages of a folder and its subfolders. */
export async function* folderPages(folder: string): AsyncGenerator<Page> {
  for (const path of await htmlFiles(resolve(folder))) {
    yield { url: pathToFileURL(path).href, html: await readFile(path, "utf8") };
  }
}

/** The HTML files under a folder, sorted. */
async function htmlFiles(folder: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...(await htmlFiles(path)));
    else if (/\.html?$/i.test(entry.name)) found.push(path);
  }
  return found.sort();
}
