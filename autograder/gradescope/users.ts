/**
 * The unprivileged users that run code under test when the autograder runs
 * as root: `student` on Gradescope (setup.sh creates it), and one of its own
 * for each rehearsal or staff test that runs at the same time as others, so
 * that one run's process sweep never reaches another's processes.
 */
import { spawnSync } from "node:child_process";

/** Whether this process runs as root (and so runs code under test as another user). */
export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/**
 * Makes sure a user exists (as root; without root there is nothing to do:
 * run_autograder then runs everything as the current user).
 *
 * @throws Error when the user is missing and cannot be created.
 */
export function ensureUser(name: string): void {
  if (!isRoot() || spawnSync("id", ["-u", name]).status === 0) return;
  const made = spawnSync("useradd", ["--create-home", "--shell", "/bin/bash", name], { encoding: "utf8" });
  if (made.status !== 0) throw new Error(`Cannot create the user ${name}: ${made.stderr.trim() || made.error?.message}`);
}
