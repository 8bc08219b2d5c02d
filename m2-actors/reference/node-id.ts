import { hash } from "node:crypto";
import type { NodeAddress } from "../api.ts";

/**
 * Ids already computed, by "ip:port": later milestones name members by id
 * on every operation (m3's broadcast, m4's store). When full it starts
 * over, which is simpler than evicting the least used, and a node rarely
 * meets 4,096 addresses.
 */
const known = new Map<string, string>();
const mostKnown = 4096;

/** A node's id: the SHA-256 of "ip:port", in hex. */
export function nodeId(address: NodeAddress): string {
  const name = `${address.ip}:${address.port}`;
  let id = known.get(name);
  if (id === undefined) {
    if (known.size === mostKnown) known.clear();
    known.set(name, (id = hash("sha256", name, "hex")));
  }
  return id;
}

/** How errors and logs name a node. */
export function formatAddress(address: NodeAddress): string {
  return `${address.ip}:${address.port}`;
}
