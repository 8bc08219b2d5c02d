/**
 * Who runs code under test. On Gradescope the grader runs as root and code
 * under test as an unprivileged user; the grader names that user's ids in
 * `DIST_RUN_AS` ("uid:gid") for each graded process, which starts as root
 * and becomes that user before it loads any code under test (`load` calls
 * `dropPrivileges` first). Starting as root and dropping, rather than starting
 * as the user, leaves the process undumpable: its memory (the result
 * channel's key) and its /proc files stay closed to the user's other
 * processes.
 *
 * A black-box test process (`DIST_BLACK_BOX`) never loads code under test at
 * all: it starts the student's nodes as child processes running as that user
 * (harness/student-node.ts) and watches them through the network.
 *
 * Without `DIST_RUN_AS` (grading on one's own machine) everything runs as the
 * current user.
 */

/** The environment variable that names the unprivileged user's ids. */
export const runAsVariable = "DIST_RUN_AS";

/** The environment variable that marks a black-box test process; it holds the implementation choices of the nodes it starts. */
export const blackBoxVariable = "DIST_BLACK_BOX";

/** A user's ids. */
export interface UserIds {
  uid: number;
  gid: number;
}

/**
 * The unprivileged user's ids, if the grader named one.
 *
 * @throws RangeError when the variable is not "uid:gid".
 */
export function studentIds(): UserIds | undefined {
  const text = process.env[runAsVariable];
  if (text === undefined || text === "") return undefined;
  const match = /^(\d+):(\d+)$/.exec(text);
  if (match === null) throw new RangeError(`Cannot read ${runAsVariable} "${text}": expected uid:gid`);
  return { uid: Number(match[1]), gid: Number(match[2]) };
}

/** Whether this process is a black-box test process. */
export function isBlackBox(): boolean {
  return process.env[blackBoxVariable] !== undefined;
}

/**
 * Becomes the unprivileged user, if the grader named one and this process
 * still runs as root; does nothing otherwise.
 *
 * @throws Error when the ids cannot be taken (code under test must not run as root).
 */
export function dropPrivileges(): void {
  const ids = studentIds();
  if (ids === undefined || process.getuid?.() !== 0) return;
  process.setgroups?.([]);
  process.setgid?.(ids.gid);
  process.setuid?.(ids.uid);
  if (process.getuid?.() !== ids.uid || process.getgid?.() !== ids.gid) {
    throw new Error(`Cannot run code under test as ${ids.uid}:${ids.gid}: this process is still ${process.getuid?.()}`);
  }
}
