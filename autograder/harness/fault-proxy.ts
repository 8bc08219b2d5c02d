/**
 * A fault-injecting TCP proxy, for tests with real processes. Point a caller
 * at the proxy's address instead of the node's, and the link between them
 * can be slowed (each chunk held `delayMs`), made lossy (with probability
 * `drop` a chunk from the caller is swallowed and its connection goes silent,
 * so the call times out), or cut (connections are reset and new ones refused
 * until the cut is lifted).
 *
 * @example
 * const proxy = await startFaultProxy(node.address, { delayMs: 50 });
 * await caller.comm.send([], { node: proxy.address, service: "status", method: "report" });
 * proxy.setFaults({ cut: true });
 * await proxy.close();
 */
import { createConnection, createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import type { NodeAddress } from "../kit/context.ts";
import { Random } from "./random.ts";

export interface LinkFaults {
  /** Milliseconds each chunk is held, each way (default 0). */
  delayMs?: number;
  /** Probability that a chunk from the caller is swallowed, its connection then silent (default 0). */
  drop?: number;
  /** Reset every connection and refuse new ones (default false). */
  cut?: boolean;
}

export interface FaultProxy {
  address: NodeAddress;
  setFaults(faults: LinkFaults): void;
  close(): Promise<void>;
}

export async function startFaultProxy(target: NodeAddress, initial: LinkFaults = {}, seed = 1): Promise<FaultProxy> {
  const random = new Random(seed);
  let faults: Required<LinkFaults> = { delayMs: 0, drop: 0, cut: false, ...initial };
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  };
  const forward = (from: Socket, to: Socket, lossy: boolean) => {
    let silent = false;
    from.on("data", (chunk) => {
      if (silent) return;
      if (lossy && random.bool(faults.drop)) {
        silent = true;
        return;
      }
      const write = () => to.writable && to.write(chunk);
      if (faults.delayMs > 0) setTimeout(write, faults.delayMs);
      else write();
    });
    from.on("end", () => setTimeout(() => to.end(), faults.delayMs));
  };
  const server = createServer((caller) => {
    track(caller);
    if (faults.cut) return void caller.resetAndDestroy();
    const upstream = createConnection({ host: target.ip, port: target.port });
    track(upstream);
    upstream.on("close", () => caller.destroy());
    caller.on("close", () => upstream.destroy());
    forward(caller, upstream, true);
    forward(upstream, caller, false);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    address: { ip: "127.0.0.1", port: (server.address() as AddressInfo).port },
    setFaults: (next) => {
      faults = { ...faults, ...next };
      if (faults.cut) for (const socket of sockets) socket.resetAndDestroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
