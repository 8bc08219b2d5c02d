import { hash } from "node:crypto";

/** The partition of a key: the first four bytes of its SHA-256, as an unsigned big-endian integer, modulo `partitions` (api.ts). */
export function partitionOf(key: string, partitions: number): number {
  return hash("sha256", key, "buffer").readUInt32BE(0) % partitions;
}
