/**
 * What running a test file produces, whatever the runtime: one outcome per
 * top-level test, and how the file's process ended.
 */

/** The result of one top-level test. */
export interface TestOutcome {
  name: string;
  passed: boolean;
  /** Duration in milliseconds. */
  ms: number;
  /** Why it failed (first lines of the error), if it did. */
  message?: string;
  /** Why it could not run on this machine (harness/unavailable.ts): then it is neither scored nor failed. */
  unavailable?: string;
}

/**
 * How a test file's process ended: "stopped", the grader cut it short on
 * purpose; "untrusted", its result channel carried something the harness did
 * not send (all its tests then fail).
 */
export type FileStatus = "completed" | "timed-out" | "crashed" | "stopped" | "untrusted";

/** Everything one test file produced. */
export interface FileRun {
  /** The file, relative to the milestone folder ("tests/basics.test.ts"). */
  file: string;
  status: FileStatus;
  tests: TestOutcome[];
  /** Why the file did not complete, or an error outside any test. */
  error?: string;
  /** What the code under test printed (capped). */
  output: string;
  /** Wall time in milliseconds. */
  ms: number;
}

/** The longest failure message kept, in characters. */
export const maxMessage = 2000;

/** Shortens text to `limit` characters, saying so. */
export function cap(text: string, limit = maxMessage): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}\n… (${text.length - limit} more characters)`;
}
