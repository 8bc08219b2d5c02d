/**
 * The real disk: the Disk of the node context (context.ts) on node:fs.
 * `sync` and `syncFolder` open the file or folder and fsync it: on Linux
 * that flushes what any descriptor wrote to it.
 *
 * @example
 * await realDisk.mkdir("/tmp/store");
 * await realDisk.write("/tmp/store/a.tmp", "hello");
 * await realDisk.sync("/tmp/store/a.tmp");
 * await realDisk.rename("/tmp/store/a.tmp", "/tmp/store/a");
 * await realDisk.syncFolder("/tmp/store");
 */
import { appendFile, mkdir, open, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import type { Disk } from "./context.ts";

const missing = (error: unknown) => (error as NodeJS.ErrnoException).code === "ENOENT";

async function fsync(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export const realDisk: Disk = {
  mkdir: async (path) => void (await mkdir(path, { recursive: true })),
  read: (path) => readFile(path, "utf8").catch((error: unknown) => (missing(error) ? undefined : Promise.reject(error))),
  write: (path, text) => writeFile(path, text),
  append: (path, text) => appendFile(path, text),
  sync: fsync,
  rename: (from, to) => rename(from, to),
  remove: (path) => rm(path, { force: true }),
  list: (path) => readdir(path).catch((error: unknown) => (missing(error) ? [] : Promise.reject(error))),
  syncFolder: fsync,
};
