/**
 * Checks that a value survived a round trip: `assertIsomorphic(copy, original)`
 * passes when the two have the same types, contents and shape of references.
 * "Same shape" means a one-to-one pairing of the objects in each: an object
 * reached twice in the original is one object in the copy, and two distinct
 * objects stay two. The walk is iterative, so 100,000 levels deep is fine.
 *
 * What counts as "the same" is the contract of handouts/m1.md#values:
 * - primitives by Object.is (NaN equals NaN, 0 differs from -0);
 * - plain and null-prototype objects and arrays by prototype, own enumerable
 *   keys in order (so holes count) and values;
 * - Map and Set by entries in insertion order; Date by time; RegExp by source,
 *   flags and lastIndex; binary views by class and bytes;
 * - errors by nearest built-in class, name, message, stack, cause, errors and
 *   own enumerable properties;
 * - functions by identity or, when re-created, by source text.
 *
 * @throws AssertionError naming the first difference and where it is.
 */
import { AssertionError } from "node:assert";
import { Buffer } from "node:buffer";

type Pair = [actual: unknown, expected: unknown, path: string];
type Fail = (path: string, problem: string) => never;

const errorClasses = [AggregateError, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError, Error];

export function assertIsomorphic(actual: unknown, expected: unknown, message = "values differ"): void {
  const paired = new Map<unknown, unknown>();
  const pairedBack = new Map<unknown, unknown>();
  const work: Pair[] = [[actual, expected, "value"]];
  const fail: Fail = (path, problem) => {
    // Only the message: the values themselves may be huge or cyclic, and the
    // test runner clones a failure's actual and expected to report them.
    throw new AssertionError({ message: `${message}: at ${path}, ${problem}` });
  };
  while (work.length > 0) {
    const [a, e, path] = work.pop() as Pair;
    if (!isReference(e) || !isReference(a)) {
      if (!Object.is(a, e)) fail(path, `expected ${show(e)}, got ${show(a)}`);
      continue;
    }
    if (paired.has(e) || pairedBack.has(a)) {
      if (paired.get(e) !== a) fail(path, "the shape of shared references differs");
      continue;
    }
    paired.set(e, a);
    pairedBack.set(a, e);
    for (const pair of compare(a, e, path, fail)) work.push(pair);
  }
}

function isReference(value: unknown): value is object {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "bigint") return `${value}n`;
  if (Object.is(value, -0)) return "-0";
  if (typeof value === "function") return `function ${value.name || "(anonymous)"}`;
  if (typeof value === "object" && value !== null) return value.constructor?.name ?? "null-prototype object";
  return String(value);
}

/** Compares what can be compared at this level; returns the pairs to compare next. */
function compare(a: object, e: object, path: string, fail: Fail): Pair[] {
  if (typeof e === "function") {
    if (typeof a !== "function") fail(path, `expected a function, got ${show(a)}`);
    if (a !== e && Function.prototype.toString.call(a) !== Function.prototype.toString.call(e)) {
      fail(path, "the function's source differs");
    }
    return [];
  }
  if (e instanceof Error) return compareError(a, e, path, fail);
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(e)) fail(path, `expected ${show(e)}, got ${show(a)}`);
  if (e instanceof Date) {
    if (!Object.is((a as Date).getTime(), e.getTime())) fail(path, `expected time ${e.getTime()}, got ${(a as Date).getTime()}`);
    return [];
  }
  if (e instanceof RegExp) {
    const r = a as RegExp;
    if (r.source !== e.source || r.flags !== e.flags || r.lastIndex !== e.lastIndex) {
      fail(path, `expected /${e.source}/${e.flags} at ${e.lastIndex}, got /${r.source}/${r.flags} at ${r.lastIndex}`);
    }
    return [];
  }
  if (e instanceof ArrayBuffer || ArrayBuffer.isView(e)) {
    if (!bytes(a as ArrayBuffer).equals(bytes(e))) fail(path, "the bytes differ");
    return [];
  }
  if (e instanceof Map) {
    const entries = [...(a as Map<unknown, unknown>)];
    const expected = [...e];
    if (entries.length !== expected.length) fail(path, `expected ${expected.length} entries, got ${entries.length}`);
    return expected.flatMap(([key, value], i) => [
      [entries[i]?.[0], key, `${path}.keys()[${i}]`] as Pair,
      [entries[i]?.[1], value, `${path}.values()[${i}]`] as Pair,
    ]);
  }
  if (e instanceof Set) {
    const members = [...(a as Set<unknown>)];
    const expected = [...e];
    if (members.length !== expected.length) fail(path, `expected ${expected.length} members, got ${members.length}`);
    return expected.map((member, i) => [members[i], member, `${path}.values()[${i}]`] as Pair);
  }
  if (Array.isArray(e) && (a as unknown[]).length !== e.length) {
    fail(path, `expected length ${e.length}, got ${(a as unknown[]).length}`);
  }
  return compareKeys(a, e, path, fail);
}

/**
 * Compares own enumerable keys, in order, and the values that are primitives;
 * returns the pairs of objects to compare next. (A million numbers in an
 * array make no pair and no path each: benchmarks check outputs that large.)
 */
function compareKeys(a: object, e: object, path: string, fail: Fail): Pair[] {
  const actualKeys = Object.keys(a);
  const keys = Object.keys(e);
  if (actualKeys.length !== keys.length || actualKeys.some((key, i) => key !== keys[i])) {
    fail(path, `expected keys [${keys.slice(0, 8).join(", ")}], got [${actualKeys.slice(0, 8).join(", ")}]`);
  }
  const next: Pair[] = [];
  for (const key of keys) {
    const actual = (a as Record<string, unknown>)[key];
    const expected = (e as Record<string, unknown>)[key];
    if (isReference(actual) && isReference(expected)) next.push([actual, expected, `${path}[${JSON.stringify(key)}]`]);
    else if (!Object.is(actual, expected)) fail(`${path}[${JSON.stringify(key)}]`, `expected ${show(expected)}, got ${show(actual)}`);
  }
  return next;
}

function compareError(a: object, e: Error, path: string, fail: Fail): Pair[] {
  if (!(a instanceof Error)) return fail(path, `expected an error, got ${show(a)}`);
  if (builtInClass(a) !== builtInClass(e)) fail(path, `expected a ${builtInClass(e)}, got a ${builtInClass(a)}`);
  const pairs: Pair[] = [[a.name, e.name, `${path}.name`]];
  for (const field of ["message", "stack", "cause", "errors"]) {
    if (Object.hasOwn(a, field) !== Object.hasOwn(e, field)) fail(path, `${field} is ${Object.hasOwn(e, field) ? "missing" : "unexpected"}`);
    if (Object.hasOwn(e, field)) {
      pairs.push([(a as unknown as Record<string, unknown>)[field], (e as unknown as Record<string, unknown>)[field], `${path}.${field}`]);
    }
  }
  return [...pairs, ...compareKeys(a, e, path, fail)];
}

/** The nearest built-in class of an error (a subclass of TypeError counts as TypeError). */
function builtInClass(error: Error): string {
  return errorClasses.find((cls) => error instanceof cls)?.name ?? "Error";
}

function bytes(value: ArrayBuffer | ArrayBufferView): Buffer {
  return ArrayBuffer.isView(value) ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : Buffer.from(value);
}
