import { createHash } from "node:crypto";
import type { NodeAddress } from "../api.ts";

/** A node's id: the SHA-256 of "ip:port", in hex. */
export function nodeId(address: NodeAddress): string {
  return createHash("sha256").update(`${address.ip}:${address.port}`).digest("hex");
}

/** How errors and logs name a node. */
export function formatAddress(address: NodeAddress): string {
  return `${address.ip}:${address.port}`;
}
