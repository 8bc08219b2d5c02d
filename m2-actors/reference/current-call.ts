/**
 * The call a node is running: the node that runs it and the node that asked
 * for it. Every service method runs inside its call's context, so an RPC
 * stub called there knows which node to send its call from, and
 * `comm.caller()` which node called. The context lives in one
 * AsyncLocalStorage, shared through a well-known symbol by every copy of this
 * code loaded in the process; it is the only process-wide state of the node
 * runtime.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { DistNode, NodeAddress } from "../api.ts";

export interface CurrentCall {
  node: DistNode;
  caller: NodeAddress;
}

const key = Symbol.for("distribution.currentCall");
const holder = globalThis as { [key]?: AsyncLocalStorage<CurrentCall> };

export const currentCall: AsyncLocalStorage<CurrentCall> = (holder[key] ??= new AsyncLocalStorage<CurrentCall>());
