import { createHash } from "node:crypto";
import type { NodeAddress } from "../api.ts";

/** Ids already computed, by "ip:port" (a node names its peers' ids on every call it places), up to a bound. */
const known = new Map<string, string>();
const mostKnown = 4096;

/** A node's id: the SHA-256 of "ip:port", in hex. */
export function nodeId(address: NodeAddress): string {
  const name = formatAddress(address);
  let id = known.get(name);
  if (id === undefined) {
    if (known.size === mostKnown) known.clear();
    known.set(name, (id = createHash("sha256").update(name).digest("hex")));
  }
  return id;
}

/** How errors and logs name a node. */
export function formatAddress(address: NodeAddress): string {
  return `${address.ip}:${address.port}`;
}
