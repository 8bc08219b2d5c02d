/**
 * A port the grader holds for as long as it runs, given to every graded
 * process as its `--inspect-port`. Node starts its inspector on that port
 * when a process receives SIGUSR1, which the code under test can send itself;
 * since the grader already listens there, the inspector cannot start, and
 * nobody can attach a debugger to a graded process.
 */
import { createServer, type Server } from "node:net";

let held: Promise<number> | undefined;

/** The held port on 127.0.0.1 (bound on first use). */
export function heldInspectorPort(): Promise<number> {
  held ??= new Promise((resolve, reject) => {
    const server: Server = createServer((socket) => socket.destroy());
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.unref();
      resolve((server.address() as { port: number }).port);
    });
  });
  return held;
}
