/**
 * The text format. A serialization is one of two things:
 *
 * 1. Plain JSON, when the value is plain data that JSON represents exactly
 *    (see plain-json.ts). Any JSON text is thus a serialization of itself.
 * 2. A graph: `~` followed by a JSON array of nodes. Node 0 is the root; a
 *    container refers to other values by their index in the array, so a value
 *    reached twice is one node and cycles are just indices. A node is either a
 *    JSON primitive (a string, a finite number other than -0, true, false,
 *    null) standing for itself, or an array whose first element is a tag:
 *
 * | node                                  | value                                         |
 * |---------------------------------------|-----------------------------------------------|
 * | ["u"]                                 | undefined                                     |
 * | ["n", "NaN" / "Infinity" / "-Infinity" / "-0"] | that number                          |
 * | ["b", hex]                            | a BigInt, in hexadecimal with an optional "-" |
 * | ["y", key] / ["w", name]              | Symbol.for(key) / the well-known Symbol[name] |
 * | ["a", ref, …]                         | an array without holes or extra properties    |
 * | ["A", length, key, ref, …]            | any other array: its own keys and values      |
 * | ["o", key, ref, …] / ["O", key, ref, …] | a plain / null-prototype object             |
 * | ["M", key ref, value ref, …]          | a Map                                         |
 * | ["S", ref, …]                         | a Set                                         |
 * | ["D", time or null]                   | a Date (null: an invalid date)                |
 * | ["R", source, flags, lastIndex]       | a RegExp                                      |
 * | ["E", class, hidden, key, ref, …]     | an Error of a built-in class; the first `hidden` pairs are not enumerable |
 * | ["B", base64]                         | an ArrayBuffer                                |
 * | ["T", class, base64]                  | a typed array, Buffer or DataView             |
 * | ["F", source]                         | a function, by its source text                |
 * | ["f", name]                           | a built-in function, by name                  |
 */

/** The first character of a graph serialization; JSON never starts with it. */
export const graphMarker = "~";

/** Numbers that JSON cannot represent, by the name a node gives them. */
export const specialNumbers: ReadonlyMap<string, number> = new Map([
  ["NaN", NaN],
  ["Infinity", Infinity],
  ["-Infinity", -Infinity],
  ["-0", -0],
]);

/** The name of a number that JSON cannot represent, or undefined if it can. */
export function specialNumberName(value: number): string | undefined {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "Infinity";
  if (value === -Infinity) return "-Infinity";
  if (Object.is(value, -0)) return "-0";
  return undefined;
}
