/**
 * handouts/m1.md#functions and #built-in-functions: user functions of every
 * form are re-created from their source and work when called; built-in
 * functions come back as the identical function.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { EncodeError } from "../../autograder/kit/errors.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type * as Api from "../api.ts";
import { assertIdentical } from "./_assert.ts";
import { globalBuiltIns, moduleBuiltIns, type BuiltIn } from "./_built-ins.ts";
import { functionSamples, namedBuiltIns } from "./_functions.ts";

const m1 = await load<typeof Api>("m1");

function roundTrip<T>(value: T): T {
  return m1.deserialize(m1.serialize(value)) as T;
}

const sourceOf = (fn: Function) => Function.prototype.toString.call(fn);

test("every function form works when called after a round trip", async () => {
  for (const sample of functionSamples) {
    const copy = roundTrip(sample.fn);
    assert.equal(typeof copy, "function", `${sample.form}: must come back as a function`);
    assert.ok(copy !== sample.fn, `${sample.form}: must be re-created from its source`);
    assert.equal(sourceOf(copy), sourceOf(sample.fn), `${sample.form}: the source text changed`);
    assert.deepEqual(await sample.call(copy), await sample.call(sample.fn), sample.form);
  }
});

test("a function with inner named functions works after a round trip", () => {
  // Under tsx these compile to `__name(inner, "inner")` calls.
  function tally(words: string[]) {
    function normalize(word: string) {
      return word.trim().toLowerCase();
    }
    const counts = new Map<string, number>();
    const bump = (word: string) => counts.set(word, (counts.get(word) ?? 0) + 1);
    for (const word of words) bump(normalize(word));
    return [...counts];
  }
  const copy = roundTrip(tally);
  assert.deepEqual(copy(["A", "a ", "b"]), [["a", 2], ["b", 1]]);
});

test("a function that reads a captured variable throws ReferenceError when called after a round trip", () => {
  // `let`, not `const`: Bun would inline a constant into the source.
  let capturedBase = 10;
  const add = (x: number) => x + capturedBase;
  capturedBase += 1;
  assert.equal(add(1), 12);
  const copy = roundTrip(add);
  assert.equal(sourceOf(copy), sourceOf(add));
  assert.throws(() => copy(1), ReferenceError);
});

test("a function reached twice stays one function, and two with the same source stay two", () => {
  const make = () => (x: number) => x + 1;
  const [first, second] = [make(), make()];
  const copy = roundTrip({ a: first, b: first, c: second, list: [second] });
  assertIdentical(copy.a, copy.b, "the same function must stay one function");
  assertIdentical(copy.c, copy.list[0], "the same function must stay one function");
  assert.ok(copy.a !== copy.c, "two functions with the same source must stay two");
  assert.equal(copy.a(1), 2);
});

test("a user function named like a built-in travels as its source", () => {
  function parseInt(text: string) {
    return `user ${text}`;
  }
  const log = (x: number) => x * 2;
  const copy = roundTrip([parseInt, log] as const);
  assert.ok((copy[0] as Function) !== globalThis.parseInt, "a user function must not become the built-in of its name");
  assert.equal(copy[0]("1"), "user 1");
  assert.equal(copy[1](4), 8);
});

/** Round-trips each built-in; returns the paths that did not come back identical. */
function notIdentical(builtIns: readonly BuiltIn[]): string[] {
  const wrong: string[] = [];
  for (const [path, fn] of builtIns) {
    try {
      if (roundTrip(fn) !== fn) wrong.push(`${path} came back as another function`);
    } catch (error) {
      wrong.push(`${path} threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
  }
  return wrong;
}

function assertAllIdentical(builtIns: readonly BuiltIn[]): void {
  assert.ok(builtIns.length > 0);
  const wrong = notIdentical(builtIns);
  assert.ok(wrong.length === 0, `${wrong.length} of ${builtIns.length} built-ins failed:\n${wrong.slice(0, 15).join("\n")}`);
}

test("the built-in functions the handout names come back identical", () => {
  assertAllIdentical(namedBuiltIns);
  const copy = roundTrip({ log: namedBuiltIns[0]?.[1], again: [namedBuiltIns[0]?.[1]] });
  assertIdentical(copy.log, copy.again[0], "a built-in reached twice stays one function");
});

test("every built-in function reachable from the global object in one or two steps comes back identical", () => {
  assertAllIdentical(globalBuiltIns());
});

test("exports of the listed node modules come back identical", () => {
  assertAllIdentical(moduleBuiltIns(1));
});

test("functions one step inside the exports of the listed node modules come back identical", () => {
  assertAllIdentical(moduleBuiltIns(2));
});

test("bound functions throw EncodeError", () => {
  for (const fn of [((x: number) => x).bind(null), Math.max.bind(Math), function named() {}.bind({})]) {
    assert.throws(() => m1.serialize([fn]), EncodeError);
  }
});

test("native functions that are not in the built-in table throw EncodeError", () => {
  // Made by the runtime on the spot, so reachable from no global and no module: their source is hidden.
  let resolve: unknown;
  void new Promise((settle) => (resolve = settle));
  const { revoke } = Proxy.revocable({}, {});
  for (const fn of [resolve, revoke]) {
    assert.equal(typeof fn, "function");
    assert.throws(() => m1.serialize({ nested: [fn] }), EncodeError);
  }
});
