/**
 * Which node the running code belongs to. Every service method runs inside
 * its node's context, so an RPC stub called there knows which node to send
 * its call from. The context lives in one AsyncLocalStorage, shared through a
 * well-known symbol by every copy of this code loaded in the process; it is
 * the only process-wide state of the node runtime.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { DistNode } from "../api.ts";

const key = Symbol.for("distribution.currentNode");
const holder = globalThis as { [key]?: AsyncLocalStorage<DistNode> };

export const currentNode: AsyncLocalStorage<DistNode> = (holder[key] ??= new AsyncLocalStorage<DistNode>());
