/**
 * A local store in files: one folder per namespace, one file per key. A
 * key can be anything (`../`, NUL, 10 KB), so neither becomes a file name as
 * is: both are named by their SHA-256, and the file holds the key beside the
 * value. A write goes to a temporary file, is flushed to disk (fsync), then
 * renamed over the old file, and the folder is flushed too: after a crash
 * the file holds the old value or the new one, never half of one.
 */
import { Buffer } from "node:buffer";
import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { LocalStore } from "../api.ts";
import { type Cell, localStore } from "./local-store.ts";
import { m1 } from "./deps.ts";

/** A file name for any string: its UTF-16 code units hashed, so even lone surrogates stay distinct. */
const sha256 = (text: string) => createHash("sha256").update(Buffer.from(text, "utf16le")).digest("hex");

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function fileStore(folder: string): LocalStore {
  const namespaceFolder = (gid: string) => join(folder, sha256(gid));
  const file = (gid: string, key: string) => join(namespaceFolder(gid), `${sha256(key)}.cell`);
  const cells = {
    read: async (gid: string, key: string): Promise<Cell> => {
      let text: string;
      try {
        text = await readFile(file(gid, key), "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return { found: false };
        throw error;
      }
      const { value } = m1.deserialize(text) as { key: string; value: unknown };
      return { found: true, value };
    },
    write: async (gid: string, key: string, value: unknown) => {
      const where = namespaceFolder(gid);
      await mkdir(where, { recursive: true });
      const temporary = join(where, `.${randomBytes(8).toString("hex")}.tmp`);
      const handle = await open(temporary, "w");
      try {
        await handle.writeFile(m1.serialize({ key, value }));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, file(gid, key));
      await fsyncPath(where);
    },
    remove: async (gid: string, key: string) => {
      await rm(file(gid, key), { force: true });
      await fsyncPath(namespaceFolder(gid)).catch(() => undefined);
    },
    keys: async (gid: string) => {
      const names = await readdir(namespaceFolder(gid)).catch(() => [] as string[]);
      // A file may vanish between the listing and the read (a delete running alongside): it is not a key any more.
      const keys = await Promise.all(names.filter((name) => name.endsWith(".cell")).map(async (name) => {
        const text = await readFile(join(namespaceFolder(gid), name), "utf8").catch((error: NodeJS.ErrnoException) => {
          if (error.code === "ENOENT") return undefined;
          throw error;
        });
        return text === undefined ? undefined : (m1.deserialize(text) as { key: string }).key;
      }));
      return keys.filter((key): key is string => key !== undefined);
    },
  };
  return localStore(cells);
}
