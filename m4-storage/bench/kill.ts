/**
 * Kills a node that is writing to its file store, at a random moment, and
 * counts the acknowledged writes that a restarted node on the same folder
 * no longer has. The writer is a child process; each write it reports on
 * stdout has resolved, so it must survive.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { currentRuntime, scriptCommand } from "../../autograder/kit/runtime.ts";
import type * as Api from "../api.ts";

const writer = fileURLToPath(new URL("./kill-writer.ts", import.meta.url));

export async function killMidWrites(m4: typeof Api): Promise<{ acknowledged: number; lost: number }> {
  const folder = await mkdtemp(join(tmpdir(), "m4-kill-"));
  try {
    const { command, args } = scriptCommand(currentRuntime(), writer, [folder]);
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    const acknowledged: string[] = [];
    let errors = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => void (errors = (errors + chunk).slice(-4000)));
    const exited = new Promise((resolve) => child.once("exit", resolve));
    createInterface({ input: child.stdout }).on("line", (key) => {
      acknowledged.push(key);
      if (acknowledged.length === 300) child.kill("SIGKILL");
    });
    await exited;
    if (acknowledged.length < 300) {
      const why = errors.split("\n").find((line) => /^\w*Error|^NotImplemented/.test(line)) ?? "it exited";
      throw new Error(`the writer stopped before it was killed: ${why}`);
    }
    const store = m4.fileStore(folder);
    let lost = 0;
    for (const key of acknowledged) if (!(await store.get("kv", key)).found) lost++;
    return { acknowledged: acknowledged.length, lost };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
