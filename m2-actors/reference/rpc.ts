/**
 * rpc: turns a local function into a stub that can travel. The function
 * stays here, registered under a random id in this node's "rpc" service; the
 * stub is a new function, made from source text that holds only that id and
 * this node's address, so it serializes like any function. Called on any
 * node, inside a service method, it asks that node's comm to call
 * rpc.call(id, …args) here. Registered functions are never forgotten: there
 * is no distributed garbage collection.
 */
import { runInThisContext } from "node:vm";
import type { NodeAddress, Rpc, Service } from "../api.ts";

/** The name of the service that runs registered functions. */
export const rpcServiceName = "rpc";

function stubSource(id: string, home: NodeAddress): string {
  const remote = JSON.stringify({ node: { ip: home.ip, port: home.port }, service: rpcServiceName, method: "call" });
  return `async function rpcStub(...args) {
  const call = globalThis[Symbol.for("distribution.currentCall")]?.getStore();
  if (call === undefined) throw new Error("Cannot call an RPC stub outside a node: call it inside a service method");
  return call.node.comm.send([${JSON.stringify(id)}, ...args], ${remote});
}`;
}

export interface RpcParts {
  rpc: Rpc;
  /** The service that runs the registered functions; the node registers it as "rpc". */
  service: Service;
}

export function rpcParts(home: NodeAddress, random: () => number): RpcParts {
  const functions = new Map<string, (...args: unknown[]) => unknown>();
  const service = {
    call: (id: string, ...args: unknown[]) => {
      const fn = functions.get(id);
      if (fn === undefined) throw new RangeError(`Cannot call RPC function ${id}: this node has none of that id`);
      return fn(...args);
    },
  };
  const rpc: Rpc = {
    stub: (fn) => {
      const id = Array.from({ length: 4 }, () => Math.floor(random() * 0x10000).toString(16).padStart(4, "0")).join("");
      functions.set(id, fn as (...args: unknown[]) => unknown);
      // Compiled as a script of this node's own: nothing received from elsewhere
      // goes into it. (A process that must never evaluate text it received
      // turns eval and new Function off; stubs are still made there.)
      return runInThisContext(`(${stubSource(id, home)})`);
    },
  };
  return { rpc, service };
}
