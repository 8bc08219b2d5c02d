/**
 * Folders for what tests write to disk. The grader gives each test file a
 * folder of its own, named in `DIST_SCRATCH`, and removes it once every
 * process of the file is gone: a test cut short (a time limit, a verify that
 * found its catcher, a crash) leaves nothing behind. Run without the grader
 * (tap, bun test, deno test), tests write in the system's temporary folder.
 * A test still removes its folders when it ends.
 *
 * @example
 * const folder = await scratchFolder("m4-hidden-");
 * t.after(() => rm(folder, { recursive: true, force: true }));
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The environment variable that names a test file's folder. */
export const scratchVariable = "DIST_SCRATCH";

/** Read once, when the file loads, before any code under test runs. */
const root = process.env[scratchVariable] || tmpdir();

/** A new, empty folder whose name starts with `prefix`. */
export function scratchFolder(prefix: string): Promise<string> {
  return mkdtemp(join(root, prefix));
}
