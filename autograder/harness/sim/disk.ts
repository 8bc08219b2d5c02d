/**
 * The simulated disk: the Disk of the node context (kit/context.ts), in
 * memory, one per simulated machine, in virtual time. It keeps what a real
 * disk keeps through a power cut, and loses the rest:
 *
 * - a folder maps names to files; it has its current entries and its durable
 *   ones. Creating, renaming and removing a file change the current entries;
 *   `syncFolder` makes them durable. `mkdir` is durable at once.
 * - a file (an inode) has current contents and durable ones. `write` and
 *   `append` change the current contents; `sync` makes them durable.
 * - `crash()` puts every folder back to its durable entries and every file
 *   back to its durable contents: a file whose entry was made durable but
 *   whose contents never were comes back empty, as on ext4.
 *
 * Each operation takes effect, and settles, after a small latency drawn
 * from the simulation's generator, so a crash can fall between a write and
 * its sync. Each life of a node sees the disk through its own view
 * (`forLife`): once that life is over, its operations never settle. Errors
 * are those of node:fs (an Error with `code` "ENOENT" and its message).
 *
 * @example
 * const disk = new SimDisk({ scheduler, random, latency: [0.1, 1] });
 * await disk.mkdir("/store");
 * await disk.write("/store/a", "hello"); // gone after disk.crash()…
 * await disk.sync("/store/a");           // …unless synced, and
 * await disk.syncFolder("/store");       // its entry made durable
 */
import { posix } from "node:path";
import type { Disk } from "../../kit/context.ts";
import type { Random } from "../random.ts";
import type { Scheduler } from "./scheduler.ts";

interface Inode {
  current: string;
  durable: string;
}

interface Folder {
  current: Map<string, Inode>;
  durable: Map<string, Inode>;
}

export interface SimDiskOptions {
  scheduler: Scheduler;
  random: Random;
  /** How long each operation takes, ms, drawn uniformly from [min, max]. */
  latency: [min: number, max: number];
}

/** An error as node:fs makes it: `ENOENT: no such file or directory, open '/a/b'`. */
function fsError(code: string, text: string, syscall: string, path: string, dest?: string): Error {
  const paths = dest === undefined ? `'${path}'` : `'${path}' -> '${dest}'`;
  return Object.assign(new Error(`${code}: ${text}, ${syscall} ${paths}`), { code, syscall, path, ...(dest === undefined ? {} : { dest }) });
}

/** An absolute path, normalized. */
function absolute(path: string): string {
  if (!posix.isAbsolute(path)) throw new TypeError(`Cannot use the path "${path}" on a disk: it is not absolute`);
  return posix.resolve(path);
}

export class SimDisk implements Disk {
  readonly #options: SimDiskOptions;
  #folders = new Map<string, Folder>([["/", { current: new Map(), durable: new Map() }]]);
  #alive = () => true;

  /** An empty disk (only the folder `/`). */
  constructor(options: SimDiskOptions) {
    this.#options = options;
  }

  /** The same disk, as one life of a node sees it: its operations never settle once `alive()` is false. */
  forLife(alive: () => boolean): SimDisk {
    const view = new SimDisk(this.#options);
    view.#folders = this.#folders;
    view.#alive = alive;
    return view;
  }

  /** A power cut: everything not made durable is lost. */
  crash(): void {
    for (const folder of this.#folders.values()) {
      folder.current = new Map(folder.durable);
      for (const inode of folder.current.values()) inode.current = inode.durable;
    }
  }

  mkdir(path: string): Promise<void> {
    return this.#operation(() => {
      const parts = absolute(path).split("/").filter(Boolean);
      for (let i = 1; i <= parts.length; i++) {
        const folder = `/${parts.slice(0, i).join("/")}`;
        if (this.#folders.has(folder)) continue;
        if (this.#file(folder) !== undefined) {
          throw i === parts.length ? fsError("EEXIST", "file already exists", "mkdir", path) : fsError("ENOTDIR", "not a directory", "mkdir", path);
        }
        this.#folders.set(folder, { current: new Map(), durable: new Map() });
      }
    });
  }

  read(path: string): Promise<string | undefined> {
    return this.#operation(() => this.#notFolder(path, "open")?.current);
  }

  write(path: string, text: string): Promise<void> {
    return this.#operation(() => {
      this.#create(path).current = text;
    });
  }

  append(path: string, text: string): Promise<void> {
    return this.#operation(() => {
      this.#create(path).current += text;
    });
  }

  sync(path: string): Promise<void> {
    return this.#operation(() => {
      const inode = this.#notFolder(path, "open");
      if (inode === undefined) throw fsError("ENOENT", "no such file or directory", "open", path);
      inode.durable = inode.current;
    });
  }

  rename(from: string, to: string): Promise<void> {
    return this.#operation(() => {
      const inode = this.#notFolder(from, "rename");
      const target = this.#folders.get(posix.dirname(absolute(to)));
      if (inode === undefined || target === undefined) throw fsError("ENOENT", "no such file or directory", "rename", from, to);
      if (this.#folders.has(absolute(to))) throw fsError("EISDIR", "illegal operation on a directory", "rename", from, to);
      this.#folderOf(from, "rename").current.delete(posix.basename(absolute(from)));
      target.current.set(posix.basename(absolute(to)), inode);
    });
  }

  remove(path: string): Promise<void> {
    return this.#operation(() => {
      if (this.#notFolder(path, "rm") !== undefined) this.#folderOf(path, "rm").current.delete(posix.basename(absolute(path)));
    });
  }

  list(path: string): Promise<string[]> {
    return this.#operation(() => {
      const at = absolute(path);
      const folder = this.#folders.get(at);
      if (folder === undefined) {
        if (this.#file(at) !== undefined) throw fsError("ENOTDIR", "not a directory", "scandir", path);
        return [];
      }
      const subfolders = [...this.#folders.keys()].filter((other) => other !== "/" && posix.dirname(other) === at);
      return [...folder.current.keys(), ...subfolders.map((other) => posix.basename(other))];
    });
  }

  syncFolder(path: string): Promise<void> {
    return this.#operation(() => {
      const folder = this.#folders.get(absolute(path));
      if (folder === undefined) throw fsError("ENOENT", "no such file or directory", "open", path);
      folder.durable = new Map(folder.current);
    });
  }

  /** Runs `work` after a latency, and settles with its outcome, unless this life is over by then. */
  #operation<T>(work: () => T): Promise<T> {
    const { scheduler, random, latency: [min, max] } = this.#options;
    return new Promise((resolve, reject) => {
      scheduler.after(min + random.next() * (max - min), () => {
        if (!this.#alive()) return;
        try {
          resolve(work());
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  /** The file at `path`, if any (a folder there is an error). */
  #notFolder(path: string, syscall: string): Inode | undefined {
    if (this.#folders.has(absolute(path))) throw fsError("EISDIR", "illegal operation on a directory", syscall, path);
    return this.#file(path);
  }

  #file(path: string): Inode | undefined {
    return this.#folders.get(posix.dirname(absolute(path)))?.current.get(posix.basename(absolute(path)));
  }

  #folderOf(path: string, syscall: string): Folder {
    const folder = this.#folders.get(posix.dirname(absolute(path)));
    if (folder === undefined) throw fsError("ENOENT", "no such file or directory", syscall, path);
    return folder;
  }

  /** The file at `path`, created empty if it is not there. */
  #create(path: string): Inode {
    const existing = this.#notFolder(path, "open");
    if (existing !== undefined) return existing;
    const inode = { current: "", durable: "" };
    this.#folderOf(path, "open").current.set(posix.basename(absolute(path)), inode);
    return inode;
  }
}
