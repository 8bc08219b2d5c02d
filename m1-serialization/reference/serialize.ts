import { encodeGraph } from "./encoder.ts";
import { isPlainJson } from "./plain-json.ts";

/**
 * Encodes a value as text: plain JSON when JSON carries the value exactly,
 * otherwise the graph format (format.ts).
 *
 * @throws EncodeError for a value that cannot travel.
 */
export function serialize(value: unknown): string {
  return isPlainJson(value) ? JSON.stringify(value) : encodeGraph(value);
}
