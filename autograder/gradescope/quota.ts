/**
 * A CPU and memory quota for a process tree, as Gradescope gives every
 * submission (half a CPU, 768 MB by default): a control group, on machines
 * where this process may make one (root, with cgroup v1 or v2 mounted
 * writable). Where it cannot, `createQuota` says why, and the caller runs
 * without one and says so.
 *
 * @example
 * const quota = createQuota("rehearse-m3", { cpus: 0.5, memoryMB: 768 });
 * if ("prefix" in quota) spawn(quota.prefix[0], [...quota.prefix.slice(1), "bash", "run_autograder"]);
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface Quota {
  /** CPUs, e.g. 0.5. */
  cpus: number;
  memoryMB: number;
}

export interface QuotaGroup {
  /** A command line to put before the command that must run under the quota. */
  prefix: string[];
  /** What it is, for people. */
  describe: string;
  /** Kills what is still in the group and removes it. */
  remove(): void;
}

const cgroupRoot = "/sys/fs/cgroup";
const periodUs = 100_000;

function write(path: string, value: string): void {
  writeFileSync(path, value);
}

function emptyAndRemove(folder: string): void {
  if (!existsSync(folder)) return;
  for (let attempt = 0; attempt < 50; attempt++) {
    const pids = readFileSync(join(folder, "cgroup.procs"), "utf8").split("\n").filter(Boolean);
    for (const pid of pids) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // Gone already.
      }
    }
    try {
      rmdirSync(folder);
      return;
    } catch {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
}

/** Makes the folders of a new group, one per controller (v1) or one for all (v2), into `made`, and writes the limits. */
function makeGroup(name: string, quota: Quota, made: string[]): void {
  const quotaUs = String(Math.round(quota.cpus * periodUs));
  const bytes = String(quota.memoryMB * 1024 * 1024);
  if (existsSync(join(cgroupRoot, "cgroup.controllers"))) {
    const folder = join(cgroupRoot, name);
    mkdirSync(folder);
    made.push(folder);
    write(join(folder, "cpu.max"), `${quotaUs} ${periodUs}`);
    write(join(folder, "memory.max"), bytes);
    return;
  }
  const cpu = join(cgroupRoot, "cpu", name);
  const memory = join(cgroupRoot, "memory", name);
  mkdirSync(cpu);
  made.push(cpu);
  mkdirSync(memory);
  made.push(memory);
  write(join(cpu, "cpu.cfs_period_us"), String(periodUs));
  write(join(cpu, "cpu.cfs_quota_us"), quotaUs);
  write(join(memory, "memory.limit_in_bytes"), bytes);
}

/** A control group with the quota, or why there cannot be one here. */
export function createQuota(name: string, quota: Quota): QuotaGroup | { unavailable: string } {
  if (process.platform !== "linux") return { unavailable: "control groups are Linux's" };
  if (process.getuid?.() !== 0) return { unavailable: "making a control group needs root" };
  const folders: string[] = [];
  try {
    makeGroup(name, quota, folders);
  } catch (error) {
    for (const folder of folders) emptyAndRemove(folder);
    return { unavailable: `cannot make a control group under ${cgroupRoot}: ${(error as Error).message}` };
  }
  const join = folders.map((folder) => `echo $$ > ${folder}/cgroup.procs`).join(" && ");
  return {
    prefix: ["/bin/sh", "-c", `${join} && exec "$0" "$@"`],
    describe: `${quota.cpus} CPU, ${quota.memoryMB} MB (control group ${name})`,
    remove: () => {
      for (const folder of folders) emptyAndRemove(folder);
    },
  };
}
