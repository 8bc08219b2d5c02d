/**
 * tsx keeps what it compiles in `<tmpdir>/tsx-<euid>`, and creates that
 * folder readable by anyone. A process keeps the folder of the user it
 * started as, so when code under test runs as an unprivileged user:
 *
 * - the grader and every process that starts as root (test files before they
 *   drop to the user, black-box tests, oracles, reference benchmark workers)
 *   share root's folder. It holds compiled hidden tests and references, so
 *   it must be root's alone: then what a process compiles after dropping
 *   can neither read it nor write it, and compiles afresh;
 * - the nodes a black-box test starts as the user share the user's folder.
 *   Only the user's own processes read it, so what the user writes there
 *   changes only code that the user runs anyway.
 *
 * Without a cache every process compiles the kit again: on half a CPU that
 * is about a fifth of a milestone's grading time.
 */
import { chmodSync, lstatSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The folder tsx caches in for this process's user. */
export const compileCacheFolder = (): string => join(tmpdir(), `tsx-${process.geteuid?.() ?? process.getuid?.()}`);

/**
 * Makes this user's compile cache folder its own alone (creating it if
 * missing), or, where the folder belongs to someone else or is not a
 * folder, turns tsx's cache off for this process and the processes it
 * starts. Returns whether the cache stays on.
 */
export function closeCompileCache(): boolean {
  const folder = compileCacheFolder();
  try {
    mkdirSync(folder, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") return disable();
  }
  const stat = lstatSync(folder);
  if (!stat.isDirectory() || stat.uid !== process.geteuid?.()) return disable();
  chmodSync(folder, 0o700);
  return true;
}

function disable(): false {
  process.env.TSX_DISABLE_CACHE = "1";
  return false;
}
