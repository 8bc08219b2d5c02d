/**
 * The baseline `npm run bench m2` sets the node beside: a bare node:http
 * keep-alive client and server in two processes, exchanging the same small
 * request and answer as JSON. It takes part in the call and spawn workloads only.
 * The bars are the reference's goals; a call throughput of 0.8× the bare one
 * with one call in flight is a mean latency of 1.25× the bare one.
 */
import { spawn } from "node:child_process";
import { Agent, request } from "node:http";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { Bar, Baselines } from "../../autograder/bench/baseline.ts";
import { currentRuntime, scriptCommand } from "../../autograder/kit/runtime.ts";
import type * as Api from "../api.ts";

type M2 = typeof Api;

const serverScript = fileURLToPath(new URL("./bare-http-server.ts", import.meta.url));

function bareCaller(): Api.DistNode {
  const agent = new Agent({ keepAlive: true });
  const send = (args: unknown[], remote: Api.Remote) =>
    new Promise<unknown>((resolve, reject) => {
      const body = JSON.stringify(args);
      const req = request({ agent, host: remote.node.ip, port: remote.node.port, method: "POST", path: `/local/${remote.service}/${remote.method}`, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve(JSON.parse(Buffer.concat(chunks).toString("utf8"))));
      });
      req.on("error", reject);
      req.end(body);
    });
  return { comm: { send }, stop: async () => agent.destroy() } as unknown as Api.DistNode;
}

function bareChild(): Promise<Api.ChildNode> {
  const { command, args } = scriptCommand(currentRuntime(), serverScript);
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "inherit"] });
  return new Promise((resolve) => {
    createInterface({ input: child.stdout }).once("line", (line) => {
      const { ready } = JSON.parse(line) as { ready: { ip: string; port: number; id: string } };
      resolve({ id: ready.id, address: { ip: ready.ip, port: ready.port }, stop: async () => void child.stdin.end() });
    });
  });
}

export const baselines: Baselines<M2> = {
  "bare http": {
    api: { startNode: async () => bareCaller(), spawnNode: bareChild } as unknown as M2,
    workloads: ["comm, 1 call in flight", "comm, 32 calls in flight", "spawn and stop a child node"],
  },
};

export const bars: Bar[] = [
  { subject: "reference", baseline: "bare http", atLeast: 0.8, workloads: ["comm, 1 call in flight", "comm, 32 calls in flight"] },
  { subject: "reference", workload: "start and stop 100 nodes", maxMs: 2000 },
  { subject: "reference", workload: "spawn and stop a child node", maxMs: 300 },
];
