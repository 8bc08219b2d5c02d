/**
 * A local store in files, on a node's disk: one folder per namespace, one
 * file per key. A key can be anything (`../`, NUL, 10 KB), so neither
 * becomes a file name as is: both are named by their SHA-256, and the file
 * holds the key beside the value.
 *
 * A file is a list of records (records.ts): first `{ key, value }`, then,
 * when the value is an array, one record for each append since, holding the
 * values it appended (so an appendAll lands whole or not at all). A put replaces
 * the whole file atomically: it writes a temporary file, flushes it (sync),
 * renames it over the old one and flushes the folder, so after a crash the
 * file holds the old value or the new one, never half of one. An append
 * adds records at the end and flushes the file: its cost does not grow with
 * the list, and a crash can only cut short the record being appended, which
 * reading drops (and the next write repairs).
 */
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { realDisk } from "../../autograder/kit/real-disk.ts";
import type { Disk, LocalStore, Lookup } from "../api.ts";
import { m1 } from "../deps.ts";
import { localStore } from "./local-store.ts";
import { readRecords, record } from "./records.ts";

/** A file name for any string: its UTF-16 code units hashed, so even lone surrogates stay distinct. */
const sha256 = (text: string) => createHash("sha256").update(Buffer.from(text, "utf16le")).digest("hex");

/** A key's file, read: its key, its value, and whether a cut-short record follows them. */
interface KeyFile {
  key: string;
  value: unknown;
  torn: boolean;
}

export function fileStore(folder: string, disk: Disk = realDisk): LocalStore {
  const namespaceFolder = (gid: string) => join(folder, sha256(gid));
  const file = (gid: string, key: string) => join(namespaceFolder(gid), `${sha256(key)}.cell`);
  /**
   * What each key's file holds, where this store knows: an array's length,
   * or null for any other value. Appends need it, and reading the file to
   * learn it would cost what appending saves.
   */
  const shapes = new Map<string, number | null>();
  let temporaries = 0;

  const parse = async (path: string): Promise<KeyFile | undefined> => {
    const contents = await disk.read(path);
    if (contents === undefined) return undefined;
    const { records, whole } = readRecords(contents);
    const [first, ...appended] = records;
    if (first === undefined) return undefined;
    const { key, value } = m1.deserialize(first) as { key: string; value: unknown };
    return { key, value: appended.length === 0 ? value : [...(value as unknown[]), ...appended.flatMap((text) => m1.deserialize(text) as unknown[])], torn: !whole };
  };
  const replace = async (gid: string, key: string, value: unknown) => {
    const where = namespaceFolder(gid);
    await disk.mkdir(where);
    const temporary = join(where, `.${++temporaries}.tmp`);
    await disk.write(temporary, record(m1.serialize({ key, value })));
    await disk.sync(temporary);
    await disk.rename(temporary, file(gid, key));
    await disk.syncFolder(where);
    shapes.set(file(gid, key), Array.isArray(value) ? value.length : null);
  };
  /** Reads a key's file, first rewriting it whole if an append was cut short. */
  const read = async (gid: string, key: string): Promise<Lookup> => {
    const found = await parse(file(gid, key));
    if (found === undefined) return { found: false };
    if (found.torn) await replace(gid, key, found.value);
    shapes.set(file(gid, key), Array.isArray(found.value) ? found.value.length : null);
    return { found: true, value: found.value };
  };

  const cells = {
    read,
    write: replace,
    remove: async (gid: string, key: string) => {
      await disk.remove(file(gid, key));
      shapes.delete(file(gid, key));
      await disk.syncFolder(namespaceFolder(gid)).catch(() => undefined);
    },
    append: async (gid: string, key: string, values: unknown[]) => {
      const path = file(gid, key);
      if (!shapes.has(path) && !(await read(gid, key)).found) {
        await replace(gid, key, values);
        return values.length;
      }
      const length = shapes.get(path);
      if (length === null || length === undefined) return undefined;
      shapes.delete(path); // unknown until the append is durable
      await disk.append(path, record(m1.serialize(values)));
      await disk.sync(path);
      shapes.set(path, length + values.length);
      return length + values.length;
    },
    keys: async (gid: string) => {
      const names = (await disk.list(namespaceFolder(gid))).filter((name) => name.endsWith(".cell"));
      // A file may vanish between the listing and the read (a delete running alongside): it is not a key any more.
      const files = await Promise.all(names.map((name) => parse(join(namespaceFolder(gid), name))));
      return files.flatMap((found) => (found === undefined ? [] : [found.key]));
    },
  };
  return localStore(cells);
}
