/**
 * The graph decoder (format.ts). Hostile text is expected, so every node is
 * checked before it is used, and the decoder never recurses: a first pass
 * creates every value (containers empty), a second fills the containers by
 * index. Properties are defined, never assigned, so a key such as
 * "__proto__" becomes an own property and no prototype changes.
 */
import { DecodeError } from "../../autograder/kit/errors.ts";
import { base64ToBuffer, viewFromBase64 } from "./binary.ts";
import { builtInByName } from "./builtins.ts";
import { emptyError } from "./error-classes.ts";
import { specialNumbers } from "./format.ts";
import { functionFromSource } from "./function-source.ts";

type Node = unknown[];
type Resolve = (ref: unknown) => unknown;

/** Decodes the JSON array of nodes that follows the graph marker. */
export function decodeGraph(json: string): unknown {
  const nodes: unknown = parseJson(json);
  if (!Array.isArray(nodes) || nodes.length === 0) fail("expected a non-empty array of nodes");
  const values: unknown[] = new Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) values[i] = create(nodes[i], i);
  const resolve: Resolve = (ref) => {
    if (!Number.isInteger(ref) || (ref as number) < 0 || (ref as number) >= nodes.length) {
      fail(`reference ${JSON.stringify(ref)} points to no node`);
    }
    return values[ref as number];
  };
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    if (Array.isArray(node)) fill(node, values[i], resolve, i);
  }
  return values[0];
}

/** Parses JSON, reporting bad syntax as a DecodeError. */
export function parseJson(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new DecodeError(`Cannot deserialize text: ${(error as Error).message}`, { cause: error });
  }
}

function fail(state: string, cause?: unknown): never {
  throw new DecodeError(`Cannot deserialize text: ${state}`, { cause });
}

function create(node: unknown, index: number): unknown {
  if (!Array.isArray(node)) {
    if (typeof node === "object" && node !== null) fail(`node ${index} is an object, not a value or a tagged array`);
    return node;
  }
  const [tag, a, b, c] = node;
  try {
    switch (tag) {
      case "u": return undefined;
      case "n": return specialNumbers.has(a) ? specialNumbers.get(a) : fail(`node ${index} names no number`);
      case "b": return bigIntFromHex(text(a));
      case "y": return Symbol.for(text(a));
      case "w": return wellKnownSymbol(text(a));
      case "a": case "A": return [];
      case "o": return {};
      case "O": return Object.create(null);
      case "M": return new Map();
      case "S": return new Set();
      case "D": return new Date(a === null ? NaN : finite(a));
      case "R": return regexp(text(a), text(b), c);
      case "E": return emptyError(text(a));
      case "B": return base64ToBuffer(text(a));
      case "T": return viewFromBase64(text(a), text(b));
      case "F": return functionFromSource(text(a));
      case "f": return builtInByName(text(a)) ?? fail(`node ${index} names no known built-in function`);
      default: return fail(`node ${index} has the unknown tag ${JSON.stringify(tag)}`);
    }
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    return fail(`node ${index} (${String(tag)}): ${(error as Error).message}`, error);
  }
}

function fill(node: Node, value: unknown, resolve: Resolve, index: number): void {
  switch (node[0]) {
    case "a":
      for (let i = 1; i < node.length; i++) (value as unknown[]).push(resolve(node[i]));
      return;
    case "A":
      return fillArray(value as unknown[], node, resolve, index);
    case "o":
    case "O":
      return definePairs(value as object, node, 1, resolve, index, () => true);
    case "M":
      if (node.length % 2 !== 1) fail(`node ${index} has a key without a value`);
      for (let i = 1; i < node.length; i += 2) {
        (value as Map<unknown, unknown>).set(resolve(node[i]), resolve(node[i + 1]));
      }
      return;
    case "S":
      for (let i = 1; i < node.length; i++) (value as Set<unknown>).add(resolve(node[i]));
      return;
    case "E":
      return fillError(value as Error, node, resolve, index);
  }
}

/** Fills an ["E", class, hidden, key, ref, …] node: the first `hidden` pairs are not enumerable. */
function fillError(error: Error, node: Node, resolve: Resolve, index: number): void {
  const hidden = node[2];
  if (!Number.isInteger(hidden) || (hidden as number) < 0 || 3 + 2 * (hidden as number) > node.length) {
    fail(`node ${index} has an invalid count of hidden fields`);
  }
  definePairs(error, node, 3, resolve, index, (_key, position) => position >= 3 + 2 * (hidden as number));
}

/** Fills an ["A", length, key, ref, …] node: indices first, then named properties. */
function fillArray(array: unknown[], node: Node, resolve: Resolve, index: number): void {
  const length = node[1];
  if (!Number.isInteger(length) || (length as number) < 0 || (length as number) > 2 ** 32 - 1) {
    fail(`node ${index} has an invalid array length`);
  }
  array.length = length as number;
  for (let i = 2; i < node.length; i += 2) {
    const key = node[i];
    if (key === "length") fail(`node ${index} redefines an array's length`);
    if (typeof key === "string" && isArrayIndex(key) && Number(key) >= array.length) {
      fail(`node ${index} has index ${key} beyond its length`);
    }
  }
  definePairs(array, node, 2, resolve, index, () => true);
}

function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}

/** Defines the key, ref pairs of a node from position `start` on as own properties. */
function definePairs(
  target: object,
  node: Node,
  start: number,
  resolve: Resolve,
  index: number,
  enumerable: (key: string, position: number) => boolean,
): void {
  if ((node.length - start) % 2 !== 0) fail(`node ${index} has a key without a value`);
  for (let i = start; i < node.length; i += 2) {
    const key = node[i];
    if (typeof key !== "string") fail(`node ${index} has a key that is not a string`);
    Object.defineProperty(target, key, {
      value: resolve(node[i + 1]),
      writable: true,
      enumerable: enumerable(key, i),
      configurable: true,
    });
  }
}

function text(value: unknown): string {
  if (typeof value !== "string") throw new TypeError("expected a string");
  return value;
}

function finite(value: unknown): number {
  if (typeof value !== "number") throw new TypeError("expected a number");
  return value;
}

function bigIntFromHex(hex: string): bigint {
  if (!/^-?[0-9a-f]+$/.test(hex)) throw new SyntaxError("not a hexadecimal integer");
  return hex.startsWith("-") ? -BigInt(`0x${hex.slice(1)}`) : BigInt(`0x${hex}`);
}

function wellKnownSymbol(name: string): symbol {
  const symbol = Object.hasOwn(Symbol, name) ? (Symbol as unknown as Record<string, unknown>)[name] : undefined;
  if (typeof symbol !== "symbol") throw new RangeError(`"${name}" is not a well-known symbol`);
  return symbol;
}

function regexp(source: string, flags: string, lastIndex: unknown): RegExp {
  if (!Number.isInteger(lastIndex) || (lastIndex as number) < 0) throw new RangeError("invalid lastIndex");
  const result = new RegExp(source, flags);
  result.lastIndex = lastIndex as number;
  return result;
}
