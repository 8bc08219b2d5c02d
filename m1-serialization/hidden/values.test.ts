/**
 * The table of handouts/m1.md#values, row by row, on hand-picked values:
 * errors, arrays, objects, Maps and Sets, identity, binary data, what is
 * dropped silently and what is refused.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { EncodeError } from "../../autograder/kit/errors.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type * as Api from "../api.ts";
import { assertIsomorphic } from "../../autograder/harness/isomorphic.ts";
import { assertIdentical } from "./_assert.ts";
import { defineOwn, errorClasses, unsupportedMakers } from "./_values.ts";

const m1 = await load<typeof Api>("m1");

function roundTrip<T>(value: T): T {
  return m1.deserialize(m1.serialize(value)) as T;
}

test("errors keep their class, message, stack, cause and own enumerable properties", () => {
  for (const ErrorClass of [...errorClasses, AggregateError]) {
    const cause = { reason: "disk full", at: new Date(0) };
    const error = ErrorClass === AggregateError
      ? new AggregateError([new TypeError("inner"), 7], "many", { cause })
      : new (ErrorClass as ErrorConstructor)("boom", { cause });
    defineOwn(error, "code", "E_FULL");
    const copy = roundTrip(error);
    assertIdentical(Object.getPrototypeOf(copy), ErrorClass.prototype, `${ErrorClass.name}: class changed`);
    assert.equal(copy.stack, error.stack, `${ErrorClass.name}: the stack must be the original's`);
    assert.equal(copy.name, ErrorClass.name);
    assert.deepEqual(Object.keys(copy), ["code"]);
    assertIsomorphic(copy, error, ErrorClass.name);
  }
});

test("an error keeps the absence of a message or stack and an explicit undefined cause", () => {
  const bare = new RangeError();
  const noStack = new Error("no stack");
  delete noStack.stack;
  const undefinedCause = new Error("why", { cause: undefined });
  const ownStack = new SyntaxError("custom");
  Object.defineProperty(ownStack, "stack", { value: "SyntaxError: custom\n    at nowhere", writable: true, configurable: true });
  const copies = roundTrip([bare, noStack, undefinedCause, ownStack]);
  assert.equal(Object.hasOwn(copies[0] as Error, "message"), false, "a missing message must stay missing");
  assert.equal(Object.hasOwn(copies[1] as Error, "stack"), false, "a missing stack must stay missing");
  assert.equal(Object.hasOwn(copies[2] as Error, "cause"), true, "an explicit undefined cause must stay");
  assert.equal(copies[3]?.stack, "SyntaxError: custom\n    at nowhere");
  assertIsomorphic(copies, [bare, noStack, undefinedCause, ownStack]);
});

test("an error of a custom class arrives as its nearest built-in class with the same name and fields", () => {
  class NotFound extends Error {
    status = 404;
    static {
      Object.defineProperty(this.prototype, "name", { value: "NotFound", writable: true, configurable: true });
    }
  }
  class Invalid extends TypeError {}
  class Missing extends NotFound {}
  const errors = [new NotFound("no key k"), new Invalid("bad"), new Missing("gone", { cause: 1 })];
  const copies = roundTrip(errors);
  const expected = [Error, TypeError, Error];
  for (const [i, copy] of copies.entries()) {
    const original = errors[i] as Error;
    assertIdentical(Object.getPrototypeOf(copy), expected[i]?.prototype, `${original.name}: must arrive as ${expected[i]?.name}`);
    assert.equal(copy.name, original.name);
    assert.equal(copy.message, original.message);
    assert.equal(copy.stack, original.stack);
  }
  assert.equal((copies[0] as NotFound).status, 404);
  assertIsomorphic(copies, errors);
});

test("an error's assigned name and cause travel as the own enumerable properties they are", () => {
  class NotFound extends Error {
    constructor(message: string) {
      super(message);
      this.name = "NotFound"; // an own enumerable property, the usual idiom
    }
  }
  const renamed = new Error("boom");
  renamed.name = "Custom";
  const caused = new TypeError("late");
  caused.cause = "assigned after construction"; // own and enumerable too
  const errors = [new NotFound("no key k"), renamed, caused];
  const copies = roundTrip(errors);
  assert.deepEqual(copies.map((copy) => copy.name), ["NotFound", "Custom", "TypeError"]);
  assert.equal(copies[2]?.cause, "assigned after construction");
  assertIsomorphic(copies, errors);
});

test("arrays keep their length, holes and extra properties", () => {
  // eslint-disable-next-line no-sparse-arrays
  const holes = [1, , 3];
  const trailing: unknown[] = [1];
  trailing.length = 3;
  const sparse: unknown[] = [];
  sparse[99_999] = "last";
  sparse[5] = undefined;
  const labelled = Object.assign(["a"], { label: "x" });
  defineOwn(labelled, "__proto__", "own");
  defineOwn(labelled, "-1", null);
  const arrays = [[], holes, trailing, new Array(4), sparse, labelled, [undefined, null]];
  const copies = roundTrip(arrays);
  assert.equal(copies.every((copy) => Array.isArray(copy)), true);
  assert.equal(1 in (copies[1] as unknown[]), false, "a hole must stay a hole");
  assert.equal(copies[2]?.length, 3, "trailing holes count in the length");
  assert.equal(copies[4]?.length, 100_000);
  assert.deepEqual(Object.keys(copies[5] as object), ["0", "label", "__proto__", "-1"]);
  assertIdentical(Object.getPrototypeOf(copies[5]), Array.prototype, "an array with a __proto__ key must stay an array");
  assertIsomorphic(copies, arrays);
});

test("plain objects keep their prototype and key order, and a getter arrives as its value", () => {
  const object = { b: 1, a: [2], 10: "ten", 2: "two", "": "empty", "-0": -0 };
  let reads = 0;
  Object.defineProperty(object, "computed", { get: () => ++reads, enumerable: true, configurable: true });
  const copy = roundTrip(object);
  assertIdentical(Object.getPrototypeOf(copy), Object.prototype, "the prototype changed");
  assert.deepEqual(Object.keys(copy), ["2", "10", "b", "a", "", "-0", "computed"]);
  assert.deepEqual(Object.getOwnPropertyDescriptor(copy, "computed")?.value, 1, "the getter's value must travel as a value");
  assert.ok(Object.is((copy as Record<string, unknown>)["-0"], -0));
});

test("null-prototype objects keep their null prototype", () => {
  const inner = Object.assign(Object.create(null), { deep: true });
  const object = Object.assign(Object.create(null), { inner, list: [inner] });
  defineOwn(object, "__proto__", { looks: "like a prototype" });
  const copy = roundTrip(object);
  assertIdentical(Object.getPrototypeOf(copy), null, "the prototype must stay null");
  assertIdentical(Object.getPrototypeOf(copy.inner), null, "a nested prototype must stay null");
  assert.deepEqual(Object.keys(copy), ["inner", "list", "__proto__"]);
  assertIsomorphic(copy, object);
});

test("Maps and Sets keep their insertion order and keys of any kind", () => {
  const objectKey = { id: 1 };
  const keys = ["z", 1, NaN, -0, 10n, undefined, null, objectKey, [1], Symbol.for("s"), Symbol.iterator, new Date(5), Math.max, "a"];
  const map = new Map(keys.map((key, i) => [key, i]));
  const set = new Set([...keys].reverse());
  const [mapCopy, setCopy] = roundTrip([map, set] as const);
  assert.equal(mapCopy.get(NaN), 2);
  assert.equal(mapCopy.get(0), 3);
  assert.equal(mapCopy.get(Symbol.for("s")), 9);
  assert.equal(setCopy.has(Math.max), true);
  const [copiedObjectKey] = [...mapCopy.keys()].filter((key) => typeof key === "object" && key !== null && !Array.isArray(key) && !(key instanceof Date));
  assert.equal(mapCopy.get(copiedObjectKey), 7, "an object key must still find its value");
  assert.equal(setCopy.has(copiedObjectKey), true, "the same object must be the Set's member");
  assertIsomorphic([mapCopy, setCopy], [map, set]);
});

test("one object reached from many containers stays one object", () => {
  const shared = { id: "shared" };
  const array = Object.assign([shared], { extra: shared });
  const error = new Error("e", { cause: shared });
  const value = {
    array,
    map: new Map<unknown, unknown>([[shared, shared]]),
    set: new Set([shared]),
    error,
    aggregate: new AggregateError([shared, error]),
    bare: Object.assign(Object.create(null), { shared }),
    direct: shared,
  };
  const copy = roundTrip(value);
  const one = copy.direct;
  assert.ok(one !== shared, "the copy must be a new object");
  const places = [
    copy.array[0], (copy.array as typeof array).extra, [...copy.map.keys()][0], [...copy.map.values()][0],
    [...copy.set][0], copy.error.cause, copy.aggregate.errors[0], copy.bare.shared,
  ];
  for (const [i, place] of places.entries()) assertIdentical(place, one, `place ${i} holds another object`);
  assertIdentical(copy.aggregate.errors[1], copy.error, "the error in the AggregateError");
  assertIsomorphic(copy, value);
});

test("cycles through every container kind are kept", () => {
  const array: unknown[] = [];
  array.push(array);
  const object: Record<string, unknown> = {};
  object.self = object;
  const bare = Object.create(null);
  bare.self = bare;
  const map = new Map<unknown, unknown>();
  map.set(map, map);
  const set = new Set<unknown>();
  set.add(set);
  const error = new Error("loop", { cause: null });
  error.cause = error;
  const aggregate = new AggregateError([]);
  aggregate.errors.push(aggregate);
  defineOwn(aggregate, "self", aggregate);
  const value = [array, object, bare, map, set, error, aggregate];
  const copy = roundTrip(value);
  assertIdentical((copy[0] as unknown[])[0], copy[0], "array");
  assertIdentical((copy[3] as Map<unknown, unknown>).get(copy[3]), copy[3], "map");
  assertIdentical((copy[5] as Error).cause, copy[5], "error cause");
  assertIdentical((copy[6] as AggregateError).errors[0], copy[6], "aggregate errors");
  assertIsomorphic(copy, value);
});

test("two equal but distinct objects stay distinct", () => {
  const value = [{ a: 1 }, { a: 1 }, [1], [1], new Map(), new Map(), new Date(0), new Date(0), Buffer.from("x"), Buffer.from("x")];
  const copy = roundTrip(value);
  for (let i = 0; i < value.length; i += 2) assert.ok(copy[i] !== copy[i + 1], `elements ${i} and ${i + 1} became one`);
  assertIsomorphic(copy, value);
});

test("symbol-keyed, non-enumerable and extra properties do not travel, silently", () => {
  const object = { kept: 1, [Symbol("local")]: 2, [Symbol.for("registered")]: 3 };
  Object.defineProperty(object, "hidden", { value: 4, enumerable: false });
  Object.freeze(object);
  const extras = [new Map(), new Set(), new Date(0), /x/, new Uint8Array(2), (x: number) => x];
  for (const extra of extras) defineOwn(extra, "extra", "dropped");
  const copy = roundTrip({ object, extras });
  assert.deepEqual(Reflect.ownKeys(copy.object), ["kept"]);
  assert.equal(Object.isFrozen(copy.object), false, "frozen state does not travel");
  for (const [i, extra] of copy.extras.entries()) assert.equal(Object.hasOwn(extra, "extra"), false, `extras[${i}] kept an extra property`);
  assertIsomorphic(copy, { object, extras });
});

test("a pooled Buffer and a small view of a big buffer serialize to a short text", () => {
  const pooled = Buffer.from("abc"); // a view into a shared 8 KB pool on Node and Deno
  const view = new Float64Array(new ArrayBuffer(1 << 20), 8, 1);
  view[0] = Math.PI;
  const dataView = new DataView(new ArrayBuffer(1 << 20), 100, 2);
  for (const value of [pooled, view, dataView]) {
    const text = m1.serialize(value);
    assert.ok(text.length < 200, `${value.constructor.name} of ${value.byteLength} bytes became ${text.length} characters`);
    const copy = m1.deserialize(text) as ArrayBufferView;
    assert.equal(copy.byteLength, value.byteLength);
    assertIsomorphic(copy, value);
  }
  assert.equal(Buffer.isBuffer(roundTrip(pooled)), true);
  assert.equal(roundTrip(pooled).toString(), "abc");
});

test("each view arrives with its own copy of the bytes it covers", () => {
  const buffer = new ArrayBuffer(8);
  new Uint8Array(buffer).set([1, 2, 3, 4, 5, 6, 7, 8]);
  const bytes = new Uint8Array(buffer, 0, 4);
  const words = new Uint16Array(buffer, 2, 2);
  const value = [buffer, bytes, words, bytes];
  const copy = roundTrip(value) as [ArrayBuffer, Uint8Array, Uint16Array, Uint8Array];
  assertIdentical(copy[3], copy[1], "the same view reached twice stays one view");
  assertIsomorphic(copy, value);
  copy[1].fill(0xff);
  assert.deepEqual([...new Uint8Array(copy[0])], [1, 2, 3, 4, 5, 6, 7, 8], "the ArrayBuffer must not share bytes with a view");
  assert.deepEqual([...new Uint8Array(copy[2].buffer, copy[2].byteOffset, copy[2].byteLength)], [3, 4, 5, 6]);
});

test("values that cannot travel throw EncodeError", () => {
  for (const [name, make] of unsupportedMakers) {
    assert.throws(() => m1.serialize(make()), EncodeError, `${name} must be refused`);
  }
});

test("EncodeError messages name what cannot travel", () => {
  const named: Array<[string, unknown]> = [
    ["WeakMap", new WeakMap()], ["WeakSet", new WeakSet()], ["WeakRef", new WeakRef({})],
    ["Promise", Promise.resolve()], ["SharedArrayBuffer", new SharedArrayBuffer(1)],
    ["Unsendable", new (class Unsendable {})()],
  ];
  for (const [name, value] of named) {
    assert.throws(() => m1.serialize({ nested: [value] }), (error: unknown) => {
      assert.ok(error instanceof EncodeError, `${name}: expected EncodeError, got ${String(error)}`);
      assert.match(error.message, new RegExp(name), `the message must name ${name}`);
      return true;
    });
  }
});
