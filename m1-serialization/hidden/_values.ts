/**
 * Random values for property tests: every kind in the table of
 * handouts/m1.md#values, nested, with shared references and cycles in every
 * container kind, and, on request, values that cannot travel mixed in.
 *
 * This file is longer than most because one generator must know every kind;
 * the leaves (numbers, strings, binary data…) come first, then containers.
 */
import { Buffer } from "node:buffer";
import type { Random } from "../../autograder/harness/random.ts";
import { freshFunction, functionSamples, namedBuiltIns } from "./_functions.ts";

/** How a generated value is shaped. */
export interface ValueOptions {
  /** Roughly how many values one generated value holds. */
  size?: number;
  /** Chance that a slot holds an object made earlier (sharing, cycles). */
  share?: number;
  /** Chance that a leaf is a value that cannot travel (EncodeError). */
  unsupported?: number;
  /** Whether user functions appear (built-in ones always may). */
  functions?: boolean;
  /** Only what JSON can carry (arrays, objects, strings, finite numbers, booleans, null), sharing aside. */
  plain?: boolean;
}

export const wellKnownSymbols: readonly symbol[] = [
  Symbol.asyncIterator, Symbol.hasInstance, Symbol.isConcatSpreadable, Symbol.iterator, Symbol.match,
  Symbol.matchAll, Symbol.replace, Symbol.search, Symbol.species, Symbol.split, Symbol.toPrimitive,
  Symbol.toStringTag, Symbol.unscopables,
];

export const typedArrayClasses = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
] as const;

export const errorClasses = [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError] as const;

/** Keys that are easy to get wrong: prototype-related, index-like, empty. */
export const trickyKeys: readonly string[] = [
  "__proto__", "constructor", "prototype", "", "0", "1", "10", "-1", "1.5", "007", "length",
  "toString", "hasOwnProperty", "valueOf", "name", "message",
];

const specialNumbers: readonly number[] = [
  0, -0, NaN, Infinity, -Infinity, 1, -1, 0.1, 0.1 + 0.2, 1e21, 1e-7, -1e-7, 5e-324, -5e-324,
  Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, Number.EPSILON, Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER, 2 ** 53 + 2, 2 ** 31, -(2 ** 31), 2 ** 32, 123456789.123456789,
];

/** A custom error class: it arrives as its nearest built-in, Error. */
export class NotFound extends Error {
  code = 404;
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "NotFound";
  }
}

/** A custom subclass of TypeError whose name is inherited from its prototype. */
export class BadInput extends TypeError {}
Object.defineProperty(BadInput.prototype, "name", { value: "BadInput", writable: true, configurable: true });

/** A class whose instances cannot travel. */
export class Point {
  x = 1;
  y = 2;
}

/** Values that must make `serialize` throw EncodeError. */
export const unsupportedMakers: ReadonlyArray<[name: string, make: () => unknown]> = [
  ["WeakMap", () => new WeakMap()],
  ["WeakSet", () => new WeakSet()],
  ["WeakRef", () => new WeakRef({})],
  ["Promise", () => Promise.resolve(1)],
  ["SharedArrayBuffer", () => new SharedArrayBuffer(8)],
  ["class instance", () => new Point()],
  ["URL instance", () => new URL("https://example.com/")],
  ["boxed number", () => new Number(1)],
  ["boxed string", () => new String("s")],
  ["boxed boolean", () => new Boolean(false)],
  ["boxed bigint", () => Object(1n)],
  ["boxed symbol", () => Object(Symbol.for("boxed"))],
  ["unregistered symbol", () => Symbol("local")],
  ["symbol without a description", () => Symbol()],
  ["bound function", () => ((x: number) => x).bind(null)],
  ["bound built-in", () => Math.max.bind(Math)],
];

/** A random string with the characters that break encoders. */
export function randomString(random: Random, maxLength = 12): string {
  const length = random.int(0, maxLength);
  let text = "";
  for (let i = 0; i < length; i++) {
    switch (random.int(0, 7)) {
      case 0: text += String.fromCharCode(random.int(0x20, 0x7e)); break;
      case 1: text += String.fromCharCode(random.int(0, 0x1f)); break; // NUL and control characters
      case 2: text += String.fromCharCode(random.int(0xd800, 0xdfff)); break; // lone surrogates
      case 3: text += String.fromCodePoint(random.int(0x1f600, 0x1f64f)); break; // emoji, a surrogate pair
      case 4: text += random.pick(['"', "\\", "'", "`", "/", "\u2028", "\u2029", "\ufeff", "\uffff", "$", "{", "}"]); break;
      case 5: text += String.fromCharCode(random.int(0x80, 0xffff)); break;
      default: text += String.fromCharCode(random.int(0x61, 0x7a)); break;
    }
  }
  return text;
}

export function randomNumber(random: Random): number {
  switch (random.int(0, 3)) {
    case 0: return random.pick(specialNumbers);
    case 1: return random.int(-1000, 1000);
    case 2: {
      // Any 64-bit pattern: subnormals, huge exponents, NaNs with payloads.
      const bits = new Uint32Array([random.uint32(), random.uint32()]);
      return new Float64Array(bits.buffer)[0] as number;
    }
    default: return (random.next() - 0.5) * 10 ** random.int(-20, 20);
  }
}

export function randomBigInt(random: Random): bigint {
  switch (random.int(0, 3)) {
    case 0: return random.pick([0n, 1n, -1n, 2n ** 63n, -(2n ** 63n), 2n ** 64n - 1n, -(2n ** 64n)]);
    case 1: return BigInt(random.int(-1e9, 1e9));
    default: {
      let digits = String(random.int(1, 9));
      const length = random.int(1, random.bool(0.1) ? 2000 : 60);
      for (let i = 0; i < length; i++) digits += String(random.int(0, 9));
      return random.bool() ? -BigInt(digits) : BigInt(digits);
    }
  }
}

export function randomSymbol(random: Random): symbol {
  return random.bool(0.6) ? Symbol.for(randomString(random, 6)) : random.pick(wellKnownSymbols);
}

export function randomDate(random: Random): Date {
  return random.pick([
    () => new Date(NaN),
    () => new Date(0),
    () => new Date(-1),
    () => new Date(random.pick([8.64e15, -8.64e15])),
    () => new Date(random.int(-8.64e12, 8.64e12) * 1000 + random.int(0, 999)),
  ])();
}

const regexpSources = [
  "a+b", "^\\d{3}$", "(?<year>\\d{4})-(?<month>\\d\\d)", "\\/", "[/]", "(?:)", "\\u{1F600}", "x|y|",
  "[\\]\\\\\"']", "\\n\\r\\t", "\u2028", "a/b",
];

export function randomRegExp(random: Random): RegExp {
  let flags = "";
  for (const flag of "dgimsuy") if (random.bool(0.3)) flags += flag;
  const regexp = new RegExp(random.pick(regexpSources), flags);
  regexp.lastIndex = random.bool() ? 0 : random.int(0, 20);
  return regexp;
}

/** A binary value: a view of a random class, often over part of a bigger buffer. */
export function randomBinary(random: Random): ArrayBuffer | ArrayBufferView {
  const kind = random.int(0, typedArrayClasses.length + 2);
  const length = random.int(0, 12);
  const before = random.bool(0.5) ? random.int(0, 4) : 0;
  const after = random.bool(0.5) ? random.int(0, 4) : 0;
  const fill = (bytes: Uint8Array) => {
    for (let i = 0; i < bytes.length; i++) bytes[i] = random.int(0, 255);
  };
  if (kind === typedArrayClasses.length) {
    const buffer = new ArrayBuffer(length);
    fill(new Uint8Array(buffer));
    return buffer;
  }
  if (kind === typedArrayClasses.length + 1) {
    const buffer = new ArrayBuffer(before + length + after);
    fill(new Uint8Array(buffer));
    return new DataView(buffer, before, length);
  }
  if (kind === typedArrayClasses.length + 2) {
    // Small Buffers come from the shared pool.
    const bytes = new Uint8Array(length);
    fill(bytes);
    return random.bool() ? Buffer.from(bytes) : Buffer.from(randomString(random, 8));
  }
  const View = typedArrayClasses[kind] as (typeof typedArrayClasses)[number];
  const size = View.BYTES_PER_ELEMENT;
  const buffer = new ArrayBuffer((before + length + after) * size);
  fill(new Uint8Array(buffer));
  return new View(buffer, before * size, length);
}

/** Own, enumerable, writable: what a key defined in an object literal is. */
export function defineOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

type Container = "array" | "object" | "null-prototype" | "map" | "set" | "error" | "aggregate";
const containers: readonly Container[] = ["array", "object", "null-prototype", "map", "set", "error", "aggregate"];

/** Builds one random value; `made` holds every object so far, for sharing and cycles. */
class Generator {
  readonly made: object[] = [];
  readonly random: Random;
  readonly options: Required<ValueOptions>;
  budget: number;

  constructor(random: Random, options: Required<ValueOptions>) {
    this.random = random;
    this.options = options;
    this.budget = options.size;
  }

  value(): unknown {
    this.budget--;
    const { random } = this;
    if (this.made.length > 0 && random.bool(this.options.share)) return random.pick(this.made);
    if (this.options.unsupported > 0 && random.bool(this.options.unsupported)) {
      return random.pick(unsupportedMakers)[1]();
    }
    if (this.budget <= 0 || random.bool(0.45)) return this.options.plain ? this.plainLeaf() : this.leaf();
    return this.container(this.options.plain ? random.pick(["array", "object"] as const) : random.pick(containers));
  }

  plainLeaf(): unknown {
    const { random } = this;
    switch (random.int(0, 3)) {
      case 0: return random.pick([null, true, false]);
      case 1: {
        const number = randomNumber(random);
        return Number.isFinite(number) && !Object.is(number, -0) ? number : random.int(-9, 9);
      }
      default: return randomString(random);
    }
  }

  remember<T extends object>(value: T): T {
    this.made.push(value);
    return value;
  }

  leaf(): unknown {
    const { random } = this;
    switch (random.int(0, 13)) {
      case 0: return random.pick([undefined, null, true, false]);
      case 1: case 2: return randomNumber(random);
      case 3: return randomBigInt(random);
      case 4: case 5: return randomString(random);
      case 6: return randomSymbol(random);
      case 7: return this.remember(randomDate(random));
      case 8: return this.remember(randomRegExp(random));
      case 9: case 10: return this.remember(randomBinary(random));
      case 11: return random.pick(namedBuiltIns)[1];
      default: {
        if (!this.options.functions) return randomString(random);
        const sample = random.bool(0.2) ? freshFunction() : random.pick(functionSamples);
        return this.remember(sample.fn);
      }
    }
  }

  key(): string {
    return this.random.bool(0.3) ? this.random.pick(trickyKeys) : randomString(this.random, 6);
  }

  count(): number {
    return this.random.int(0, this.budget > 0 ? 5 : 1);
  }

  container(kind: Container): object {
    const { random } = this;
    switch (kind) {
      case "array": {
        const array: unknown[] = this.remember([]);
        const length = this.count() + (random.bool(0.2) ? 1 : 0);
        const plain = this.options.plain;
        for (let i = 0; i < length; i++) {
          if (plain || random.bool(0.8)) array[i] = this.value(); // otherwise a hole
        }
        array.length = length; // keeps trailing holes
        if (!plain && random.bool(0.2)) defineOwn(array, random.pick(["label", "__proto__", "x", "-1"]), this.value());
        return array;
      }
      case "object":
      case "null-prototype": {
        const object = this.remember(kind === "object" ? {} : Object.create(null));
        for (let i = this.count(); i > 0; i--) {
          const key = this.key();
          if (!this.options.plain && random.bool(0.1)) {
            // A getter is read, and its value travels.
            const value = randomNumber(random);
            Object.defineProperty(object, key, { get: () => value, enumerable: true, configurable: true });
          } else {
            defineOwn(object, key, this.value());
          }
        }
        if (!this.options.plain && random.bool(0.1)) this.dropped(object);
        return object;
      }
      case "map": {
        const map = this.remember(new Map<unknown, unknown>());
        for (let i = this.count(); i > 0; i--) map.set(this.value(), this.value());
        if (random.bool(0.1)) this.dropped(map);
        return map;
      }
      case "set": {
        const set = this.remember(new Set<unknown>());
        for (let i = this.count(); i > 0; i--) set.add(this.value());
        return set;
      }
      case "error": return this.error();
      case "aggregate": {
        const error = this.remember(new AggregateError([], randomString(random)));
        this.remember(error.errors);
        for (let i = this.count(); i > 0; i--) error.errors.push(this.value());
        this.errorFields(error);
        return error;
      }
    }
  }

  error(): Error {
    const { random } = this;
    const message = random.bool(0.9) ? randomString(random) : undefined;
    const withCause = random.bool(0.4);
    const error = random.pick([
      () => new (random.pick(errorClasses))(message, withCause ? { cause: undefined } : undefined),
      () => new NotFound(message, withCause ? { cause: undefined } : undefined),
      () => new BadInput(message, withCause ? { cause: undefined } : undefined),
    ])();
    this.remember(error);
    if (withCause) error.cause = this.value();
    this.errorFields(error);
    return error;
  }

  /** Custom fields, a name or a stack of the error's own, sometimes no stack. */
  errorFields(error: Error): void {
    const { random } = this;
    if (random.bool(0.3)) defineOwn(error, random.pick(["code", "status", "details"]), this.value());
    if (random.bool(0.15)) defineOwn(error, "name", randomString(random, 8));
    const stack = random.int(0, 9);
    if (stack === 0) Object.defineProperty(error, "stack", { value: randomString(random), writable: true, configurable: true });
    if (stack === 1) delete error.stack;
  }

  /** Properties that do not travel, silently: symbol keys, non-enumerable ones, a Map's own ones. */
  dropped(target: object): void {
    const key = this.random.pick([Symbol("local"), Symbol.for("registered"), "hidden"]);
    Object.defineProperty(target, key, { value: randomNumber(this.random), enumerable: typeof key === "symbol" });
    if (target instanceof Map) defineOwn(target, "extra", 1);
  }
}

/** A random value of any supported kind (and unsupported ones, if asked). */
export function randomValue(random: Random, options: ValueOptions = {}): unknown {
  const full: Required<ValueOptions> = {
    size: options.size ?? random.int(1, 30),
    share: options.share ?? 0.08,
    unsupported: options.unsupported ?? 0,
    functions: options.functions ?? true,
    plain: options.plain ?? false,
  };
  return new Generator(random, full).value();
}

/** A random container of the given kind, whatever it holds. */
export function randomContainer(random: Random, kind: Container, options: ValueOptions = {}): object {
  const full: Required<ValueOptions> = {
    size: options.size ?? random.int(5, 30),
    share: options.share ?? 0.2,
    unsupported: options.unsupported ?? 0,
    functions: options.functions ?? true,
    plain: options.plain ?? false,
  };
  return new Generator(random, full).container(kind);
}

export { containers, type Container };

/**
 * Every object reachable from `root` the way values travel: elements, own
 * enumerable properties, Map keys and values, Set members, error causes and
 * errors. Each object once; iterative, so any depth is fine.
 */
export function reachableObjects(root: unknown): object[] {
  const seen = new Set<object>();
  const work: unknown[] = [root];
  while (work.length > 0) {
    const value = work.pop();
    if ((typeof value !== "object" && typeof value !== "function") || value === null || seen.has(value)) continue;
    seen.add(value);
    if (typeof value === "function" || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) continue;
    if (value instanceof Map) for (const [k, v] of value) work.push(k, v);
    else if (value instanceof Set) for (const member of value) work.push(member);
    if (value instanceof Error) {
      if (Object.hasOwn(value, "cause")) work.push(value.cause);
      if (Object.hasOwn(value, "errors")) work.push((value as AggregateError).errors);
    }
    if (!(value instanceof Map) && !(value instanceof Set)) {
      for (const key of Object.keys(value)) work.push((value as Record<string, unknown>)[key]);
    }
  }
  return [...seen];
}
