/**
 * A new folder in the system's temporary folder for a staff test, removed
 * when `ends` says: pass node:test's `after` for a folder the whole file
 * uses, or a test's `t.after` for one of its own.
 *
 * @example
 * const folder = temporaryFolder("release-", after);
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function temporaryFolder(prefix: string, ends: (fn: () => void) => void): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  ends(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}
