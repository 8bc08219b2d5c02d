/**
 * startNode: binds a server, registers the built-in services (status,
 * routes, rpc) and returns the node. Everything the node does goes through
 * its context, so the same code runs over HTTP or in a simulation.
 */
import type { DistNode, NodeConfig, NodeContext } from "../api.ts";
import { NodeComm } from "./comm.ts";
import { Dispatcher } from "./dispatcher.ts";
import { nodeId } from "./node-id.ts";
import { realClock } from "./real-context.ts";
import { HttpTransport } from "./http-transport.ts";
import { realDisk } from "../../autograder/kit/real-disk.ts";
import { routesService } from "./routes.ts";
import { rpcParts, rpcServiceName } from "./rpc.ts";
import { ServiceTable } from "./service-table.ts";
import { statusService } from "./status.ts";
import { trackedClock } from "./tracked-clock.ts";

export async function startNode(config: NodeConfig = {}): Promise<DistNode> {
  const clock = trackedClock(config.context?.clock ?? realClock);
  const context: NodeContext = {
    transport: config.context?.transport ?? new HttpTransport({ bodyLimitBytes: config.bodyLimitBytes }),
    clock,
    random: config.context?.random ?? Math.random,
    disk: config.context?.disk ?? realDisk,
  };
  const table = new ServiceTable();
  let node: DistNode | undefined;
  const dispatcher = new Dispatcher(table, () => node as DistNode);
  const listener = await context.transport.listen({ ip: config.ip ?? "127.0.0.1", port: config.port ?? 0 }, dispatcher.handle);
  const address = listener.address;
  const id = nodeId(address);
  const sid = id.slice(0, 5);
  const comm = new NodeComm({ context, address, id, callTimeoutMs: config.callTimeoutMs ?? 5000 });
  const status = statusService({
    nid: id,
    sid,
    ip: address.ip,
    port: address.port,
    startedAt: clock.now(),
    now: () => clock.now(),
    counts: () => ({ received: dispatcher.received, sent: comm.sent }),
  });
  const routes = routesService(table);
  const { rpc, service: rpcService } = rpcParts(address, context.random);
  table.put(status, "status", { mode: "concurrent" }, false);
  table.put(routes, "routes", { mode: "concurrent" }, false);
  table.put(rpcService, rpcServiceName, { mode: "concurrent" });
  let stopped: Promise<void> | undefined;
  node = {
    id,
    sid,
    address,
    context,
    status,
    routes,
    comm,
    rpc,
    stop: () => {
      stopped ??= (async () => {
        clock.cancelAll();
        comm.stop();
        await listener.close();
        await context.transport.close();
      })();
      return stopped;
    },
  };
  return node;
}
