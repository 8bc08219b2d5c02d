/**
 * A digest of workload outputs: SHA-256 over a canonical JSON text (object
 * keys sorted), so that two implementations whose outputs are equal give the
 * same digest whatever order they built their objects in.
 *
 * @example
 * digestOf([{ b: 1, a: 2 }]) === digestOf([{ a: 2, b: 1 }]); // true
 */
import { createHash } from "node:crypto";

/** JSON with object keys in sorted order; undefined becomes null. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** The digest of a list of outputs, in hex. */
export function digestOf(outputs: readonly unknown[]): string {
  return createHash("sha256").update(canonicalJson(outputs)).digest("hex");
}
