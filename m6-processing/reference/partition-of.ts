import { createHash } from "node:crypto";

/** The partition of a key: the first four bytes of its SHA-256, as an unsigned big-endian integer, modulo `partitions` (api.ts). */
export function partitionOf(key: string, partitions: number): number {
  return createHash("sha256").update(key).digest().readUInt32BE(0) % partitions;
}
