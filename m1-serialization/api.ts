/**
 * Milestone 1: serialization. Every JavaScript value a node may send to
 * another, as text and back.
 *
 * `serialize` turns a value into a string; `deserialize` turns that string back
 * into a value that is indistinguishable from the original: same types, same
 * contents, same shape of shared references and cycles. The table of supported
 * values and the exact rules are in handouts/m1.md.
 *
 * @example
 * const shared = { hits: 1 };
 * const text = serialize({ a: shared, b: shared, when: new Date(0) });
 * const copy = deserialize(text) as { a: object; b: object; when: Date };
 * copy.a === copy.b; // true: one object, referenced twice
 * copy.when instanceof Date; // true
 */
export { DecodeError, EncodeError } from "../autograder/kit/errors.ts";

/**
 * Encodes a value as text.
 *
 * @param value any supported value (handouts/m1.md#values), however deep,
 *   with shared references and cycles anywhere
 * @returns a string that `deserialize` turns back into an equal value
 * @throws EncodeError when the value holds something that cannot travel: a
 *   symbol that is not registered, a WeakMap, a Promise, a class instance, a
 *   bound function, a native function that is not a known built-in
 * @example
 * serialize([1, -0, NaN, 2n]); // some string
 */
export declare function serialize(value: unknown): string;

/**
 * Decodes text made by `serialize` back into a value.
 *
 * Hostile input is expected: whatever the text, this returns a value or throws
 * DecodeError, quickly; it never overflows the stack, never changes a
 * prototype, and runs no code unless the text holds a function value.
 *
 * @param text a string made by `serialize`
 * @returns a value equal to the one serialized
 * @throws DecodeError when the text is not a serialization
 * @example
 * deserialize(serialize(new Map([[1, "one"]]))); // new Map([[1, "one"]])
 */
export declare function deserialize(text: string): unknown;
