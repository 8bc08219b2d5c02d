/**
 * Hostile text for `deserialize`: the one rule it must keep (a value or
 * DecodeError, nothing else) and ways to damage a serialization without
 * knowing its format.
 */
import { AssertionError } from "node:assert";
import { Buffer } from "node:buffer";
import type { Random } from "../../autograder/harness/random.ts";
import { DecodeError } from "../../autograder/kit/errors.ts";

type Deserialize = (text: string) => unknown;

/** Shows the start of a text, escaped, for a failure message. */
export function preview(text: unknown): string {
  if (typeof text !== "string") return String(typeof text);
  const shown = JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
  return `${shown} (${text.length} characters)`;
}

/**
 * Deserializes hostile input: returns `{ value }` for a value, null for
 * DecodeError, and fails the test for any other error (a stack overflow too).
 */
export function decodeHostile(deserialize: Deserialize, text: unknown, what: string): { value: unknown } | null {
  try {
    return { value: deserialize(text as string) };
  } catch (error) {
    if (error instanceof DecodeError) return null;
    const shown = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new AssertionError({ message: `${what}: deserialize threw ${shown} instead of DecodeError, for ${preview(text)}` });
  }
}

/** Like decodeHostile; true for a value, false for DecodeError. */
export function decodesOrRejects(deserialize: Deserialize, text: unknown, what: string): boolean {
  return decodeHostile(deserialize, text, what) !== null;
}

/** Characters that matter to most formats, and some that break naive ones. */
const palette = [
  ..."[]{}(),:;\"'`\\/.-+eE0123456789nNtfuxb~#$@!?*&%|<>=^_ \t\n\r",
  "\0", "\u2028", "\ud800", "\udc00", "\uffff", "😀",
];

function randomChar(random: Random): string {
  return random.bool(0.8) ? random.pick(palette) : String.fromCharCode(random.int(0, 0xffff));
}

/** Numbers that break lengths, counts and indices. */
const hostileNumbers = ["0", "-1", "4294967295", "4294967296", "9007199254740993", "1e309", "99999999999999999999", "NaN", "0.5", "-0"];

/** One random edit of a text: replace, insert, delete, duplicate, swap, or change a number. */
export function mutate(random: Random, text: string): string {
  const at = random.int(0, text.length);
  switch (random.int(0, 6)) {
    case 0: return text.slice(0, at) + randomChar(random) + text.slice(at + 1);
    case 1: return text.slice(0, at) + randomChar(random) + text.slice(at);
    case 2: return text.slice(0, at) + text.slice(at + random.int(1, 4));
    case 3: {
      const end = Math.min(text.length, at + random.int(1, 16));
      return text.slice(0, end) + text.slice(at, end) + text.slice(end);
    }
    case 4: {
      const other = random.int(0, text.length);
      const [i, j] = at < other ? [at, other] : [other, at];
      return text.slice(0, i) + text.slice(j, j + 1) + text.slice(i + 1, j) + text.slice(i, i + 1) + text.slice(j + 1);
    }
    default: {
      // Replace a run of digits, if there is one from `at` on.
      const match = /\d+/.exec(text.slice(at));
      if (!match) return text.slice(0, at) + random.pick(hostileNumbers) + text.slice(at);
      const start = at + match.index;
      return text.slice(0, start) + random.pick(hostileNumbers) + text.slice(start + match[0].length);
    }
  }
}

/** A piece of one text followed by a piece of another. */
export function splice(random: Random, a: string, b: string): string {
  return a.slice(0, random.int(0, a.length)) + b.slice(random.int(0, b.length));
}

/** A random string: noise, random bytes, structural characters, or a JSON text. */
export function randomText(random: Random): string {
  const length = random.int(0, 60);
  switch (random.int(0, 3)) {
    case 0: {
      let text = "";
      for (let i = 0; i < length; i++) text += String.fromCharCode(random.int(0, 0xffff));
      return text;
    }
    case 1: {
      let text = "";
      for (let i = 0; i < length; i++) text += randomChar(random);
      return text;
    }
    case 2: {
      const bytes = Buffer.alloc(length);
      for (let i = 0; i < length; i++) bytes[i] = random.int(0, 255);
      return bytes.toString(random.pick(["latin1", "utf8"] as const));
    }
    default: return JSON.stringify(randomJson(random, 4));
  }
}

function randomJson(random: Random, depth: number): unknown {
  const kind = random.int(0, depth > 0 ? 6 : 3);
  if (kind === 0) return random.pick([null, true, false]);
  if (kind === 1) return random.pick([0, -1, 1.5, 1e300, random.int(-100, 100)]);
  if (kind === 2) return random.pick(["", "__proto__", "constructor", "a", "\ud800", "0"]);
  if (kind === 3) return random.int(0, 1000);
  if (kind === 4) return Array.from({ length: random.int(0, 4) }, () => randomJson(random, depth - 1));
  const object: Record<string, unknown> = {};
  for (let i = random.int(0, 4); i > 0; i--) {
    Object.defineProperty(object, random.pick(["__proto__", "constructor", "prototype", "a", "0", "type", "$ref"]), {
      value: randomJson(random, depth - 1), enumerable: true, configurable: true, writable: true,
    });
  }
  return object;
}

/**
 * Makes a text deeper without knowing the format: compares the serializations
 * at two nearby depths to find what one more level adds, and inserts that
 * `times` more times. For a format that writes nesting inline this yields a
 * valid, much deeper text; for others, a long hostile one.
 */
export function pump(shallow: string, deeper: string, times: number): string {
  let prefix = 0;
  while (prefix < shallow.length && shallow[prefix] === deeper[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < shallow.length - prefix &&
    shallow[shallow.length - 1 - suffix] === deeper[deeper.length - 1 - suffix]
  ) suffix++;
  const inner = shallow.slice(prefix, shallow.length - suffix);
  const outer = deeper.slice(prefix, deeper.length - suffix);
  const at = inner === "" ? -1 : outer.indexOf(inner);
  const head = shallow.slice(0, prefix);
  const tail = shallow.slice(shallow.length - suffix);
  if (at < 0) return head + outer.repeat(times) + inner + tail;
  return head + outer.slice(0, at).repeat(times) + inner + outer.slice(at + inner.length).repeat(times) + tail;
}
