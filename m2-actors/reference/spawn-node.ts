/**
 * spawnNode: a node in a child process, under the same runtime as this one,
 * started by this milestone's `startNode` or by another module's.
 * The child prints one JSON line when it is ready ({"ready": {ip, port, id}});
 * it stops when its stdin closes, which also happens when this process dies,
 * so a parent that exits takes its children with it.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { currentRuntime, scriptCommand } from "../../autograder/kit/runtime.ts";
import type { ChildNode, NodeConfig, SpawnOptions } from "../api.ts";

const childMain = fileURLToPath(new URL("./child-main.ts", import.meta.url));
const startLimitMs = 10_000;

export function spawnNode(config: Omit<NodeConfig, "context"> = {}, options: SpawnOptions = {}): Promise<ChildNode> {
  const module = options.module ?? new URL("./start-node.ts", import.meta.url).href;
  const { command, args } = scriptCommand(currentRuntime(), childMain, [JSON.stringify(config), module]);
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`Cannot spawn a node: the child was not ready within ${startLimitMs} ms`));
    }, startLimitMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Cannot spawn a node: the child exited with code ${code}`));
    });
    createInterface({ input: child.stdout }).once("line", (line) => {
      clearTimeout(timer);
      const { ready } = JSON.parse(line) as { ready: { ip: string; port: number; id: string } };
      resolve({
        id: ready.id,
        address: { ip: ready.ip, port: ready.port },
        stop: async () => {
          child.stdin.end();
          const killer = setTimeout(() => child.kill("SIGKILL"), 2000);
          await exited;
          clearTimeout(killer);
        },
      });
    });
  });
}
