/**
 * Property tests: random values of every kind in handouts/m1.md#values come
 * back the same after a round trip (`assertIsomorphic`).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Random } from "../../autograder/harness/random.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type * as Api from "../api.ts";
import { assertIsomorphic } from "../../autograder/harness/isomorphic.ts";
import { assertIdentical } from "./_assert.ts";
import { namedBuiltIns } from "./_functions.ts";
import {
  containers, defineOwn, randomBigInt, randomBinary, randomContainer, randomDate, randomNumber, randomRegExp,
  randomString, randomSymbol, randomValue, reachableObjects, wellKnownSymbols,
} from "./_values.ts";

const m1 = await load<typeof Api>("m1");

function roundTrip(value: unknown): unknown {
  const text = m1.serialize(value);
  assert.equal(typeof text, "string", "serialize must return a string");
  return m1.deserialize(text);
}

const valuesPerSeed = 1000;

test("every generated supported value survives a round trip", withSeed((random) => {
  for (let i = 0; i < valuesPerSeed; i++) {
    const value = randomValue(random);
    assertIsomorphic(roundTrip(value), value, `value ${i}`);
  }
}));

test("shared references and cycles survive inside every container kind", withSeed((random) => {
  for (let i = 0; i < valuesPerSeed; i++) {
    const kind = containers[i % containers.length] as (typeof containers)[number];
    // High sharing: most slots point back at an ancestor or an earlier object.
    const value = randomContainer(random, kind, { share: 0.4, size: random.int(5, 25) });
    assertIsomorphic(roundTrip(value), value, `${kind} ${i}`);
  }
}));

test("plain data survives a round trip, shared objects and cycles included", withSeed((random) => {
  // What JSON can carry, so a fast path through JSON must still keep identity and cycles.
  for (let i = 0; i < valuesPerSeed; i++) {
    const value = randomValue(random, { plain: true, share: random.pick([0, 0.1, 0.3]), size: random.int(1, 40) });
    assertIsomorphic(roundTrip(value), value, `value ${i}`);
  }
}));

test("plain data with one value JSON cannot carry survives a round trip", withSeed((random) => {
  const exotic = [-0, undefined, NaN, Infinity, -Infinity, 1n, Symbol.iterator, new Date(0), /x/g, new Map(), new Set([1]), new Error("e"), new Uint8Array([1]), Math.max, Object.create(null)];
  for (let i = 0; i < valuesPerSeed; i++) {
    const generated = randomValue(random, { plain: true, share: 0.05, size: random.int(1, 30) });
    // A primitive gets an array around it, so that every value has a place for the exotic one.
    const value = reachableObjects(generated).length > 0 ? generated : [generated];
    // One exotic value put in one random place: a new element, key or hole.
    const holder = random.pick(reachableObjects(value)) as Record<string, unknown>;
    const odd = random.pick(exotic);
    if (Array.isArray(holder) && random.bool(0.2)) holder.length += 1;
    else defineOwn(holder, Array.isArray(holder) ? String(holder.length) : random.pick(["k", "__proto__", "0"]), odd);
    assertIsomorphic(roundTrip(value), value, `value ${i}`);
  }
}));

test("a value that went through two round trips is still the same", withSeed((random) => {
  for (let i = 0; i < valuesPerSeed; i++) {
    const value = randomValue(random);
    assertIsomorphic(roundTrip(roundTrip(value)), value, `value ${i}`);
  }
}));

test("deserialize rebuilds the value as it was when serialized", withSeed((random) => {
  for (let i = 0; i < valuesPerSeed; i++) {
    const seed = random.uint32();
    const [value, twin] = [0, 1].map(() => randomValue(Random.from(seed)));
    sameStacks(value, twin);
    const text = m1.serialize(value);
    for (const object of reachableObjects(value)) change(object);
    assertIsomorphic(m1.deserialize(text), twin, `value ${i}`);
  }
}));

/**
 * Gives the twin's errors the stacks of the value's. Two values made from one
 * seed at one call site are equal except there: Bun can write the same frame
 * two ways (`<anonymous>`, `<parse> (:0)`), depending on how far its JIT has
 * compiled the caller.
 */
function sameStacks(value: unknown, twin: unknown): void {
  const twins = reachableObjects(twin);
  reachableObjects(value).forEach((object, i) => {
    if (object instanceof Error && Object.hasOwn(object, "stack")) (twins[i] as Error).stack = object.stack;
  });
}

/** Changes an object in place, whatever its kind. */
function change(object: object): void {
  if (Array.isArray(object)) object.push("added");
  else if (object instanceof Map) object.set("added", 1);
  else if (object instanceof Set) object.add("added");
  else if (object instanceof Date) object.setTime(object.getTime() + 1 || 0);
  else if (object instanceof RegExp) object.lastIndex += 1;
  else if (object instanceof ArrayBuffer) new Uint8Array(object).fill(0xaa);
  else if (ArrayBuffer.isView(object)) new Uint8Array(object.buffer, object.byteOffset, object.byteLength).fill(0xaa);
  else if (typeof object !== "function") Object.defineProperty(object, "added", { value: 1, enumerable: true });
}

test("a round trip builds new objects and shares only built-in functions with the original", withSeed((random) => {
  const builtIns = new Set<unknown>(namedBuiltIns.map(([, fn]) => fn));
  for (let i = 0; i < valuesPerSeed; i++) {
    const value = randomValue(random);
    const original = new Set(reachableObjects(value));
    const copy = roundTrip(value);
    for (const object of reachableObjects(copy)) {
      assert.ok(!original.has(object) || builtIns.has(object), `value ${i}: the copy reuses an object of the original`);
    }
  }
}));

test("numbers survive bit for bit, including -0, NaN and the infinities", withSeed((random) => {
  const numbers = [0, -0, NaN, Infinity, -Infinity, Number.MIN_VALUE, Number.MAX_VALUE, 2 ** 53 + 2, 0.1 + 0.2];
  for (let i = 0; i < 5000; i++) numbers.push(randomNumber(random));
  for (const number of numbers) assert.ok(Object.is(roundTrip(number), number), `${number} changed`);
  assertIsomorphic(roundTrip(numbers), numbers);
}));

test("BigInts of any size and sign survive", withSeed((random) => {
  const bigints = [0n, -1n, 2n ** 64n, -(2n ** 1000n) - 1n, 10n ** 5000n + 7n];
  for (let i = 0; i < 2000; i++) bigints.push(randomBigInt(random));
  for (const bigint of bigints) assert.equal(roundTrip(bigint), bigint);
}));

test("strings survive code unit for code unit, including NUL and lone surrogates", withSeed((random) => {
  let everyCodeUnit = "";
  for (let unit = 0; unit <= 0xffff; unit++) everyCodeUnit += String.fromCharCode(unit);
  const strings = ["", "\0", "\ud800", "\udc00x", "\udc00\ud800", "😀", everyCodeUnit, "__proto__", "-0", "NaN", "1n"];
  for (let i = 0; i < 3000; i++) strings.push(randomString(random, 40));
  for (const string of strings) assert.equal(roundTrip(string), string);
  assertIsomorphic(roundTrip(strings), strings);
}));

test("registered and well-known symbols come back identical", withSeed((random) => {
  const symbols = [...wellKnownSymbols, Symbol.for(""), Symbol.for("k"), Symbol.for("\ud800\0")];
  for (let i = 0; i < 1000; i++) symbols.push(randomSymbol(random));
  for (const symbol of symbols) assertIdentical(roundTrip(symbol), symbol, `${String(symbol)} changed`);
}));

test("dates keep their time value and regular expressions their source, flags and lastIndex", withSeed((random) => {
  const values: object[] = [new Date(NaN), new Date(0), new Date(-8.64e15), new Date(8.64e15), /a/dgimsuy, /\//, new RegExp("")];
  for (let i = 0; i < 1000; i++) values.push(randomDate(random), randomRegExp(random));
  for (const value of values) {
    const copy = roundTrip(value);
    assertIdentical(Object.getPrototypeOf(copy), Object.getPrototypeOf(value), `${String(value)}: class changed`);
    assertIsomorphic(copy, value);
  }
}));

test("binary data keeps its class and the bytes each view covers", withSeed((random) => {
  for (let i = 0; i < 2000; i++) {
    const value = randomBinary(random);
    const copy = roundTrip(value);
    assertIdentical(Object.getPrototypeOf(copy), Object.getPrototypeOf(value), `binary ${i}: class changed`);
    assertIsomorphic(copy, value, `binary ${i}`);
    if (ArrayBuffer.isView(value)) {
      const view = copy as ArrayBufferView;
      assert.equal(view.byteLength, value.byteLength, `binary ${i}: a view must cover only its own bytes`);
    }
  }
}));
