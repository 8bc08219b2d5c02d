/**
 * Deliberately broken variants of the m1 reference, each one small edit that
 * models a bug students write. `npm run verify m1` checks that the hidden
 * tests catch every one.
 */
import type { Mutant } from "../../autograder/grader/mutant.ts";

export const mutants: Mutant[] = [
  {
    name: "negative-zero-is-zero",
    file: "format.ts",
    find: 'if (Object.is(value, -0)) return "-0";',
    replace: "",
    bug: "-0 outside plain data arrives as 0",
  },
  {
    name: "fast-path-takes-negative-zero",
    file: "plain-json.ts",
    find: "return Number.isFinite(value) && (value !== 0 || 1 / value > 0);",
    replace: "return Number.isFinite(value);",
    bug: "plain data holding -0 goes through JSON, which writes it as 0",
  },
  {
    name: "fast-path-copies-shared-objects",
    file: "plain-json.ts",
    find: " || seen.has(value)) return false;",
    replace: ") return false;",
    bug: "plain data with an object reached twice goes through JSON, which copies it",
  },
  {
    name: "unbounded-fast-path",
    file: "plain-json.ts",
    find: "const maxDepth = 1000;",
    replace: "const maxDepth = Infinity;",
    bug: "deeply nested plain data overflows the stack",
  },
  {
    name: "holes-become-undefined",
    file: "encoder.ts",
    find: "const dense = keys.length === array.length &&",
    replace: "const dense = true ||",
    bug: "array holes arrive as undefined and extra array properties are lost",
  },
  {
    name: "null-prototype-lost",
    file: "encoder.ts",
    find: '[null, (object: object, ref) => ["O", ...properties(object, ref)]],',
    replace: '[null, (object: object, ref) => ["o", ...properties(object, ref)]],',
    bug: "null-prototype objects arrive with Object.prototype",
  },
  {
    name: "regexp-last-index-lost",
    file: "encoder.ts",
    find: "regexp.flags, regexp.lastIndex]",
    replace: "regexp.flags, 0]",
    bug: "a RegExp's lastIndex is reset",
  },
  {
    name: "pooled-buffer-whole-pool",
    file: "binary.ts",
    find: "return Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString(\"base64\");",
    replace: "return Buffer.from(view.buffer).toString(\"base64\");",
    bug: "a view sends its whole underlying buffer, not the bytes it covers",
  },
  {
    name: "built-ins-by-source",
    file: "encoder.ts",
    find: "const name = builtInName(fn);",
    replace: "const name = undefined;",
    bug: "built-in functions are sent by source, which is hidden, so they cannot travel",
  },
  {
    name: "no-name-helper",
    file: "function-source.ts",
    find: 'return new Function("__name", `return (${expression}\\n);`)(keepName);',
    replace: "return new Function(`return (${expression}\\n);`)();",
    bug: "functions with inner named functions fail under tsx (__name is not defined)",
  },
  {
    name: "methods-not-recreated",
    file: "function-source.ts",
    find: "const holder = evaluate(`{ ${source}\\n}`) as object;",
    replace: "const holder = {};",
    bug: "a method's source (`run() { … }`) is not re-created",
  },
  {
    name: "error-class-lost",
    file: "error-classes.ts",
    find: "const ErrorClass = errorClasses.get(className);",
    replace: "const ErrorClass = className === \"\" ? undefined : Error;",
    bug: "every error arrives as a plain Error",
  },
  {
    name: "error-stack-lost",
    file: "error-classes.ts",
    find: '"name", "message", "stack", "cause", "errors"',
    replace: '"name", "message", "cause", "errors"',
    bug: "an error arrives with a stack pointing into the decoder",
  },
  {
    name: "prototype-pollution",
    file: "decoder.ts",
    find: "Object.defineProperty(target, key, {",
    replace: "(target as Record<string, unknown>)[key] = resolve(node[i + 1]);\n    if (key) continue;\n    Object.defineProperty(target, key, {",
    bug: "properties are assigned, so a key named __proto__ replaces the prototype",
  },
  {
    name: "decoder-errors-escape",
    file: "decoder.ts",
    find: "if (error instanceof DecodeError) throw error;",
    replace: "throw error;",
    bug: "hostile text makes deserialize throw TypeError, SyntaxError or RangeError instead of DecodeError",
  },
  {
    name: "negative-bigint-positive",
    file: "decoder.ts",
    find: 'return hex.startsWith("-") ? -BigInt(`0x${hex.slice(1)}`) : BigInt(`0x${hex}`);',
    replace: 'return BigInt(`0x${hex.replace("-", "")}`);',
    bug: "negative BigInts arrive positive",
  },
];
