/**
 * The unprivileged user that Gradescope's run_autograder runs code under test
 * as. When these tests run as root, the user must exist (run_autograder
 * refuses to run code as root), so it is created if it is missing, as
 * setup.sh does on Gradescope; as anyone else, run_autograder runs
 * everything as that user and there is nothing to create.
 */
import { spawnSync } from "node:child_process";

/** The name setup.sh gives the user. */
export const studentUser = "student";

/** Whether these tests run as root, and so exercise the unprivileged user. */
export const asRoot = process.getuid?.() === 0;

/** Makes sure the user exists when running as root. */
export function ensureStudentUser(): void {
  if (!asRoot || spawnSync("id", ["-u", studentUser]).status === 0) return;
  const made = spawnSync("useradd", ["--create-home", "--shell", "/bin/bash", studentUser], { encoding: "utf8" });
  if (made.status !== 0) throw new Error(`Cannot create the user ${studentUser}: ${made.stderr}`);
}
