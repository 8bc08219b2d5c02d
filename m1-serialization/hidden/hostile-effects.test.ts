/**
 * handouts/m1.md#hostile-input, the side effects: whatever the text,
 * `deserialize` never changes a prototype and runs no code unless the text
 * holds a function value.
 *
 * Code that must not run sets a global marker. Texts are damaged only inside
 * the code they carry, where a well-behaved decoder sees string content, so a
 * damaged text never becomes a function value by accident.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { withSeed } from "../../autograder/harness/seed.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type * as Api from "../api.ts";
import { assertIsomorphic } from "../../autograder/harness/isomorphic.ts";
import { assertIdentical } from "./_assert.ts";
import { decodeHostile, decodesOrRejects, mutate } from "./_hostile.ts";
import { defineOwn, randomValue, reachableObjects, typedArrayClasses } from "./_values.ts";

const m1 = await load<typeof Api>("m1");

const marker = "__m1Pwned";
const code = `globalThis.${marker} = true`;

/** Code wrapped to break out of strings, templates, comments and markup. */
const payloads = [
  code, `"); ${code}; ("`, `'); ${code}; ('`, `\`); ${code}; (\``, `\${${code}}`, `\\"); ${code}; //`,
  `*/ ${code} /*`, `\n${code}\n`, `</script><script>${code}</script>`, `(() => { ${code} })()`,
  `"+(${code})+"`, `],${code},[`, `},${code},{`, `\\u0022);${code};//`,
];

/** Raw code that turns string content into an expression, for a decoder that evaluates its text. */
const injections = [
  `"+(${code})+"`, `'+(${code})+'`, `\`+(${code})+\``, `\${${code}}`, `"),(${code}),("`, `"];${code};["`,
  `"},${code},{"`, `*/${code}/*`, `\n${code}\n`, `\\"+(${code})+"\\`,
];

const breakouts = ['"', "'", "`", "\\", ")", "]", "}", "\n", "*/", ""];

/** Supported values that carry code in every place a string can be. */
function valuesWithCode(): unknown[] {
  return payloads.flatMap((payload) => {
    const object: Record<string, unknown> = { [payload]: payload };
    defineOwn(object, "__proto__", { constructor: { prototype: { [marker]: payload } } });
    const error = new TypeError(payload, { cause: payload });
    defineOwn(error, "code", payload);
    const renamed = new Error(payload);
    Object.defineProperty(renamed, "name", { value: "eval", writable: true, configurable: true });
    const stacked = new RangeError("x");
    Object.defineProperty(stacked, "stack", { value: payload, writable: true, configurable: true });
    return [
      payload, object, [payload], new Map([[payload, payload]]), new Set([payload]), error, renamed, stacked,
      new AggregateError([payload], payload), new RegExp(payload.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"), "g"),
      Symbol.for(payload), Buffer.from(payload), new Uint16Array([...payload].map((c) => c.charCodeAt(0))),
      Object.assign(Object.create(null), { [payload]: [payload] }),
    ];
  });
}

/** Clears the marker, so each test starts clean even after another failed. */
function clearMarker(): void {
  Reflect.deleteProperty(globalThis, marker);
}

function assertNoCodeRan(what: string): void {
  assert.ok(!(marker in globalThis), `${what}: deserialize ran code from the text`);
}

/** Lets timers run, for decoders that would hand code to setTimeout. */
const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The built-in prototypes and constructors whose own properties must not change. */
const guarded: object[] = [
  Object, Object.prototype, Array.prototype, Function.prototype, Map.prototype, Set.prototype, Date.prototype,
  RegExp.prototype, Error.prototype, TypeError.prototype, AggregateError.prototype, ArrayBuffer.prototype,
  DataView.prototype, Buffer.prototype, Uint8Array.prototype, Object.getPrototypeOf(Uint8Array.prototype),
  String.prototype, Number.prototype, Promise.prototype, Symbol.prototype,
];

type Snapshot = Array<Array<[PropertyKey, unknown, unknown, unknown]>>;

function snapshot(): Snapshot {
  return guarded.map((target) =>
    Reflect.ownKeys(target).map((key) => {
      const descriptor = Object.getOwnPropertyDescriptor(target, key);
      return [key, descriptor?.value, descriptor?.get, descriptor?.set];
    }),
  );
}

function assertPrototypesUntouched(before: Snapshot, what: string): void {
  const after = snapshot();
  for (const [i, properties] of before.entries()) {
    const now = after[i] as Snapshot[number];
    const same = now.length === properties.length && now.every((entry, j) => entry.every((part, k) => part === properties[j]?.[k]));
    assert.ok(same, `${what}: a built-in prototype or constructor changed (${String((guarded[i] as { constructor?: Function }).constructor?.name)})`);
  }
  assert.equal(({} as Record<string, unknown>)[marker], undefined, `${what}: Object.prototype was polluted`);
}

/** Prototypes a decoded object may have: only the built-in ones. */
const allowedPrototypes = new Set<unknown>([
  null, Object.prototype, Array.prototype, Map.prototype, Set.prototype, Date.prototype, RegExp.prototype,
  Error.prototype, EvalError.prototype, RangeError.prototype, ReferenceError.prototype, SyntaxError.prototype,
  TypeError.prototype, URIError.prototype, AggregateError.prototype, ArrayBuffer.prototype, DataView.prototype,
  Buffer.prototype, ...typedArrayClasses.map((View) => View.prototype),
]);

function assertBuiltInPrototypes(value: unknown, what: string): void {
  for (const object of reachableObjects(value)) {
    if (typeof object === "function") continue;
    assert.ok(allowedPrototypes.has(Object.getPrototypeOf(object)), `${what}: a decoded object has a prototype that is not built in`);
  }
}

test("keys __proto__, constructor and prototype round-trip as own properties", () => {
  const before = snapshot();
  const keys = ["__proto__", "constructor", "prototype"];
  const holders: object[] = [{}, Object.create(null), [], new Error("e")];
  for (const holder of holders) {
    for (const key of keys) defineOwn(holder, key, { [marker]: true, nested: Object.create(null) });
  }
  defineOwn(holders[0] as object, "null", null);
  const copies = m1.deserialize(m1.serialize(holders)) as object[];
  for (const [i, copy] of copies.entries()) {
    assertIdentical(Object.getPrototypeOf(copy), Object.getPrototypeOf(holders[i]), `holder ${i}: prototype changed`);
    for (const key of keys) assert.ok(Object.hasOwn(copy, key), `holder ${i}: ${key} must be an own property`);
    assert.equal((copy as Record<string, unknown>)[marker], undefined, `holder ${i}: a key became a prototype`);
  }
  assertIsomorphic(copies, holders);
  assertPrototypesUntouched(before, "round trip");
});

test("deserialize never changes a built-in prototype, whatever the text", withSeed((random) => {
  const before = snapshot();
  const texts = [
    '{"__proto__":{"__m1Pwned":true}}', '{"constructor":{"prototype":{"__m1Pwned":true}}}',
    '[{"__proto__":[]},{"prototype":{}}]', '{"__proto__":null}',
  ];
  for (let i = 0; i < 200; i++) {
    const value = random.bool() ? {} : Object.create(null);
    defineOwn(value, "__proto__", random.pick([{ [marker]: 1 }, [], null, new Map([["__proto__", {}]])]));
    defineOwn(value, "constructor", { prototype: { [marker]: 1 } });
    defineOwn(value, "prototype", randomValue(random, { size: 8 }));
    texts.push(m1.serialize(value));
  }
  let decoded = 0;
  for (const [i, text] of texts.entries()) {
    // Each text as it is, with its keys swapped around, and edited.
    const swapped = text.replaceAll("constructor", "__proto__").replaceAll("prototype", "__proto__");
    const variants = [text, swapped, text.replaceAll("__proto__", "constructor"), mutate(random, text), mutate(random, swapped)];
    for (const variant of variants) {
      const result = decodeHostile(m1.deserialize, variant, `text ${i}`);
      if (result) {
        assertBuiltInPrototypes(result.value, `text ${i}`);
        decoded++;
      }
      assertPrototypesUntouched(before, `text ${i}`);
    }
  }
  assert.ok(decoded >= 200, "the undamaged serializations must decode");
}));

test("deserialize runs no code from values that carry code in their strings", async () => {
  clearMarker();
  const values = valuesWithCode();
  for (const [i, value] of values.entries()) {
    assertIsomorphic(m1.deserialize(m1.serialize(value)), value, `value ${i}`);
    assertNoCodeRan(`value ${i}`);
  }
  await nextTurn();
  assertNoCodeRan("after timers ran");
});

test("deserialize runs no code when the code carried in a text is damaged", withSeed(async (random) => {
  clearMarker();
  const before = snapshot();
  for (const [i, value] of valuesWithCode().entries()) {
    const text = m1.serialize(value);
    // Edit inside the code only: where it sits in the text, if it appears there as written.
    for (let at = text.indexOf(code); at >= 0; at = text.indexOf(code, at + 1)) {
      for (let j = 0; j < 40; j++) {
        const inside = random.bool() ? random.pick(injections) : random.pick(breakouts) + mutate(random, code);
        const edited = text.slice(0, at) + inside + text.slice(at + code.length);
        decodesOrRejects(m1.deserialize, edited, `value ${i}, edit ${j}`);
        assertNoCodeRan(`value ${i}, edit ${j}`);
      }
    }
  }
  assert.ok(decodesOrRejects(m1.deserialize, m1.serialize(code), "undamaged"), "an undamaged text must decode");
  await nextTurn();
  assertNoCodeRan("after timers ran");
  assertPrototypesUntouched(before, "damaged code");
}));

test("texts whose type names are changed to eval, setTimeout or constructor run no code", withSeed(async (random) => {
  clearMarker();
  const before = snapshot();
  const names = [
    "AggregateError", "TypeError", "RangeError", "Error", "RegExp", "Map", "Set", "Date", "Uint16Array", "Buffer", "Symbol",
  ];
  const replacements = ["eval", "setTimeout", "setInterval", "queueMicrotask", "constructor", "__proto__", "process", "Reflect", "globalThis"];
  let decoded = 0;
  for (const [i, value] of valuesWithCode().entries()) {
    const text = m1.serialize(value);
    if (decodesOrRejects(m1.deserialize, text, `value ${i}`)) decoded++;
    for (const name of names) {
      if (!text.includes(name)) continue;
      const replaced = text.replaceAll(name, random.pick(replacements));
      decodesOrRejects(m1.deserialize, replaced, `value ${i} with ${name} renamed`);
      assertNoCodeRan(`value ${i} with ${name} renamed`);
    }
  }
  assert.equal(decoded, valuesWithCode().length, "the undamaged texts must decode");
  await nextTurn();
  assertNoCodeRan("after timers ran");
  assertPrototypesUntouched(before, "renamed types");
}));
