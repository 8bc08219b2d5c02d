/**
 * Functions for the hidden tests: user functions of every form the handout
 * names, each with a way to call it, and the built-in functions it lists.
 *
 * Every user function here is self-contained (it reads only its arguments and
 * globals), so a copy re-created from its source behaves like the original.
 * None depends on `this` being unbound: a re-created function may run in
 * sloppy or strict mode, and the handout does not say which.
 */
import { Buffer } from "node:buffer";
import console from "node:console";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import util from "node:util";

/** A user function and a call that turns it into plain, comparable data. */
export interface FunctionSample {
  /** The form of the function, e.g. "async generator". */
  form: string;
  fn: Function;
  /** Calls `fn`, or a copy of it, and returns what it gives (awaited). */
  call(fn: Function): Promise<unknown>;
}

// Methods, taken out of their object or class: their source is `name(…) { … }`.
const methods = {
  scale(x: number) {
    return x * 3;
  },
  async fetchTwice(x: number) {
    return [await x, await Promise.resolve(x + 1)];
  },
  *pairs(n: number) {
    for (let i = 0; i < n; i++) yield [i, i * i];
  },
  ["com" + "puted"](x: number) {
    return -x;
  },
  delete(x: string) {
    return `${x}!`;
  },
  "two words"(a: number, b: number) {
    return a - b;
  },
  async *ticks(n: number) {
    for (let i = 0; i < n; i++) yield await Promise.resolve(i);
  },
} as Record<string, (...args: never[]) => unknown>;

class Shapes {
  static area(w: number, h: number) {
    return w * h;
  }
}

class Counter {
  count = 0;
  #history: number[] = [];
  static starting(n: number) {
    return new Counter().add(n);
  }
  add(n: number) {
    this.count += n;
    this.#history.push(n);
    return this;
  }
  get history() {
    return [...this.#history];
  }
}

class Bag extends Map<string, number> {
  total() {
    let sum = 0;
    for (const value of this.values()) sum += value;
    return sum;
  }
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

// Under tsx, an inner named function compiles to `__name(inner, "inner")`.
function outer(n: number) {
  function inner(k: number) {
    return k + 1;
  }
  const helper = (k: number) => k * 2;
  return helper(inner(n));
}

function* squares(n: number) {
  for (let i = 0; i < n; i++) yield i * i;
}

async function* countdown(n: number) {
  while (n > 0) yield await Promise.resolve(n--);
}

async function slowSum(a: number, b: number) {
  await null;
  return a + b;
}

/** Collects what a (sync or async) generator yields. */
async function drain(iterable: Iterable<unknown> | AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

type Any = (...args: never[]) => unknown;
type AnyClass = new (...args: never[]) => unknown;
const invoke = (fn: Function, ...args: unknown[]) => (fn as (...a: unknown[]) => unknown)(...args);
const construct = (fn: Function, ...args: unknown[]) => new (fn as new (...a: unknown[]) => unknown)(...args);

/** Every function form of handouts/m1.md#functions, with a call for each. */
export const functionSamples: readonly FunctionSample[] = [
  { form: "arrow", fn: (x: number, y: number) => x * y + 1, call: async (f) => invoke(f, 6, 7) },
  {
    form: "arrow with default, rest and destructured parameters",
    fn: ({ a, b = 2 }: { a: number; b?: number }, ...rest: number[]) => rest.reduce((s, r) => s + r, a + b),
    call: async (f) => [invoke(f, { a: 1 }, 3, 4), invoke(f, { a: 1, b: 10 })],
  },
  { form: "arrow returning an object literal", fn: (k: string) => ({ [k]: [k.length] }), call: async (f) => invoke(f, "key") },
  { form: "async arrow", fn: async (x: number) => (await Promise.resolve(x)) + 1, call: async (f) => await invoke(f, 41) },
  { form: "function declaration calling itself by name", fn: gcd, call: async (f) => invoke(f, 84, 36) },
  {
    form: "anonymous function expression using arguments",
    fn: function (..._: unknown[]) {
      return arguments.length;
    },
    call: async (f) => invoke(f, 1, 2, 3),
  },
  { form: "function with an inner named function", fn: outer, call: async (f) => invoke(f, 20) },
  { form: "async function", fn: slowSum, call: async (f) => await invoke(f, 2, 3) },
  { form: "generator function", fn: squares, call: async (f) => drain(invoke(f, 5) as Iterable<unknown>) },
  { form: "async generator function", fn: countdown, call: async (f) => drain(invoke(f, 3) as AsyncIterable<unknown>) },
  {
    form: "class with fields, private state, a getter and a static method",
    fn: Counter,
    call: async (f) => {
      const counter = construct(f) as Counter;
      counter.add(2).add(3);
      const started = (f as typeof Counter).starting(7);
      return [counter.count, counter.history, started.count, counter instanceof (f as AnyClass)];
    },
  },
  {
    form: "class extending a built-in",
    fn: Bag,
    call: async (f) => {
      const bag = construct(f, [["a", 1], ["b", 2]]) as Bag;
      return [bag.total(), bag instanceof Map, bag.get("b")];
    },
  },
  { form: "static method", fn: Shapes.area, call: async (f) => invoke(f, 3, 4) },
  { form: "method shorthand", fn: methods.scale as Any, call: async (f) => invoke(f, 5) },
  { form: "async method", fn: methods.fetchTwice as Any, call: async (f) => await invoke(f, 8) },
  { form: "generator method", fn: methods.pairs as Any, call: async (f) => drain(invoke(f, 3) as Iterable<unknown>) },
  { form: "async generator method", fn: methods.ticks as Any, call: async (f) => drain(invoke(f, 3) as AsyncIterable<unknown>) },
  { form: "method with a computed name", fn: methods.computed as Any, call: async (f) => invoke(f, 9) },
  { form: "method named by a keyword", fn: methods.delete as Any, call: async (f) => invoke(f, "gone") },
  { form: "method with a quoted name", fn: methods["two words"] as Any, call: async (f) => invoke(f, 10, 4) },
  {
    form: "function made by new Function",
    fn: new Function("a", "b", "return [a + b, typeof globalThis]"),
    call: async (f) => invoke(f, 2, 3),
  },
  {
    form: "function whose source mentions [native code]",
    fn: (x: number) => `function () { [native code] } ${x}`,
    call: async (f) => invoke(f, 1),
  },
  {
    form: "function using a regular expression and a template literal",
    fn: (s: string) => `${s.replace(/o/g, "0")}:${s.length}`,
    call: async (f) => invoke(f, "foo boo"),
  },
];

/** Makes a new arrow each call: distinct function objects with the same source. */
export function freshFunction(): FunctionSample {
  const fn = (x: number) => [x, x * 2];
  return { form: "fresh arrow", fn, call: async (f) => invoke(f, 21) };
}

/** The built-in functions the handout names, by the name it uses. */
export const namedBuiltIns: ReadonlyArray<[name: string, fn: Function]> = [
  ["console.log", console.log],
  ["Math.max", Math.max],
  ["JSON.parse", JSON.parse],
  ["Object.keys", Object.keys],
  ["parseInt", parseInt],
  ["setTimeout", setTimeout],
  ["Array.prototype.push", Array.prototype.push],
  ["Map.prototype.get", Map.prototype.get],
  ["fs.readFile", fs.readFile],
  ["path.join", path.join],
  ["crypto.createHash", crypto.createHash],
  ["util.inspect", util.inspect],
  ["Buffer.from", Buffer.from],
];
