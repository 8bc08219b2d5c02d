/**
 * Gradescope's /autograder, simulated in a temporary folder: the package of a
 * milestone unpacked as Gradescope unpacks it, and run_autograder run on a
 * submission, as root with an unprivileged user where this process is root,
 * optionally under a CPU and memory quota (quota.ts). The staff tests, the
 * hostile-submission suite and `npm run rehearse` all grade this way.
 *
 * @example
 * const root = await SimulatedRoot.create("m1");
 * const { results } = await root.submit({ folder: "m1-serialization/reference", id: 7 });
 * root.remove();
 */
import { spawn } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { GradescopeResults } from "../grader/results-json.ts";
import { type UserIds } from "../kit/privileges.ts";
import { type MilestoneId, repoRoot } from "../kit/milestones.ts";
import { userProcesses } from "../grader/processes.ts";
import { gradescopePackage } from "./package.ts";
import { createQuota, type Quota } from "./quota.ts";
import { ensureUser, isRoot } from "./users.ts";

export interface Submission {
  /** The files of the submission, by name (flat), or a folder to copy. */
  files?: Record<string, string>;
  folder?: string;
  /** Gradescope's submission id (the seed of randomized tests). */
  id: number;
  /** More environment for run_autograder (time limits). */
  env?: NodeJS.ProcessEnv;
  /** Run under this quota, where the machine allows. */
  quota?: Quota;
}

export interface Graded {
  results: GradescopeResults;
  seconds: number;
  /** What run_autograder printed (Gradescope shows it to the staff only). */
  log: string;
  /** The quota it ran under, or why there was none. */
  quota: string;
  /** Processes of the unprivileged user still running afterwards (there must be none). */
  leftovers: string[];
}

function idsOf(user: string): UserIds | undefined {
  if (!isRoot()) return undefined;
  const passwd = readFileSync("/etc/passwd", "utf8").split("\n").find((line) => line.startsWith(`${user}:`))?.split(":");
  return passwd === undefined ? undefined : { uid: Number(passwd[2]), gid: Number(passwd[3]) };
}

export class SimulatedRoot {
  readonly folder: string;
  readonly user: string;

  private constructor(folder: string, user: string) {
    this.folder = folder;
    this.user = user;
  }

  /** Packages a milestone and unpacks it on a fresh root; `user` runs code under test (created if missing, as root). */
  static async create(milestone: MilestoneId, user = "student"): Promise<SimulatedRoot> {
    ensureUser(user);
    const folder = mkdtempSync(join(tmpdir(), "autograder-"));
    // Gradescope's /autograder is open to everyone; only what run_autograder closes is secret.
    chmodSync(folder, 0o755);
    for (const entry of await gradescopePackage(milestone)) {
      const path = join(folder, "source", entry.name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, entry.data);
      if (entry.executable) chmodSync(path, 0o755);
    }
    // Gradescope's setup.sh runs `npm ci` there; the simulation borrows this checkout's.
    symlinkSync(join(repoRoot, "node_modules"), join(folder, "source", "node_modules"));
    return new SimulatedRoot(folder, user);
  }

  /** Runs run_autograder on a submission and reads the results it wrote. */
  async submit(submission: Submission): Promise<Graded> {
    const dir = join(this.folder, "submission");
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    if (submission.folder !== undefined) cpSync(submission.folder, dir, { recursive: true });
    for (const [name, content] of Object.entries(submission.files ?? {})) writeFileSync(join(dir, name), content);
    writeFileSync(join(this.folder, "submission_metadata.json"), JSON.stringify({ id: submission.id, created_at: "2026-11-21T00:00:00Z" }));
    const quota = submission.quota === undefined ? undefined : createQuota(`autograder-${process.pid}-${submission.id}`, submission.quota);
    const prefix = quota !== undefined && "prefix" in quota ? quota.prefix : [];
    const started = performance.now();
    // Each submission on Gradescope has a container of its own, and so a /tmp of its own, where tsx's caches start cold.
    const temporary = join(this.folder, "tmp");
    rmSync(temporary, { recursive: true, force: true });
    mkdirSync(temporary);
    chmodSync(temporary, 0o1777);
    // tap adds its process-tracking hooks to children through NODE_OPTIONS: a clean environment, as on Gradescope.
    const env: NodeJS.ProcessEnv = { ...process.env, ...submission.env, AUTOGRADER_ROOT: this.folder, AUTOGRADER_USER: this.user, TMPDIR: temporary };
    delete env.NODE_OPTIONS;
    delete env.NODE_TEST_CONTEXT;
    const command = [...prefix, "bash", join(this.folder, "source", "run_autograder")];
    const child = spawn(command[0] as string, command.slice(1), { cwd: this.folder, env, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => void (log += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => void (log += chunk));
    const status = await new Promise<number | null>((resolve) => child.once("close", resolve));
    const seconds = (performance.now() - started) / 1000;
    if (quota !== undefined && "remove" in quota) quota.remove();
    if (status !== 0) throw new Error(`run_autograder exited with ${status}\n${log.slice(-4000)}`);
    const ids = idsOf(this.user);
    return {
      results: JSON.parse(readFileSync(join(this.folder, "results", "results.json"), "utf8")) as GradescopeResults,
      seconds,
      log,
      quota: quota === undefined ? "none asked" : "describe" in quota ? quota.describe : `none: ${quota.unavailable}`,
      leftovers: ids === undefined ? [] : userProcesses(ids),
    };
  }

  remove(): void {
    rmSync(this.folder, { recursive: true, force: true });
  }
}
