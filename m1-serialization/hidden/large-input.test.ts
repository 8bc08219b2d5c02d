/**
 * "within time proportional to the text's length (a 10 MB text in well under
 * a second)": big hostile texts are decoded or rejected quickly. The bound
 * here is a generous 3 seconds, for slow graders. Each kind of text grows
 * 100 KB → 1 MB → 10 MB, so a decoder that is quadratic fails on a small text
 * instead of running for hours on the big one.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { withSeed } from "../../autograder/harness/seed.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type * as Api from "../api.ts";
import { decodesOrRejects, randomText } from "./_hostile.ts";

const m1 = await load<typeof Api>("m1");

const sizes = [[1e5, 1000], [1e6, 2000], [1e7, 3000]] as const;

/** Decodes texts of growing size made by `make`; each must finish within its limit. */
function assertQuick(what: string, make: (size: number) => string, mustDecode = false): void {
  for (const [size, limit] of sizes) {
    const text = make(size);
    const start = performance.now();
    const decoded = decodesOrRejects(m1.deserialize, text, what);
    const elapsed = performance.now() - start;
    assert.ok(elapsed < limit, `${what}, ${text.length} characters: took ${Math.round(elapsed)} ms, more than ${limit} ms`);
    if (mustDecode) assert.ok(decoded, `${what} must decode`);
  }
}

const record = { id: 12345, name: 'name "quoted" \\ \ud800', tags: ["a", "b"], when: new Date(0), big: 10n ** 30n };

/** A real serialization of about `size` characters: an array of records. */
function records(size: number): string {
  const one = m1.serialize(record).length;
  return m1.serialize(Array.from({ length: Math.ceil(size / one) }, () => ({ ...record, tags: [...record.tags] })));
}

test("a 10 MB serialization decodes within 3 seconds", () => {
  assertQuick("a real serialization", records, true);
});

test("a 10 MB serialization cut short, edited or full of escapes is decoded or rejected within 3 seconds", () => {
  assertQuick("a real serialization, cut short", (size) => records(size).slice(0, -1));
  assertQuick("a real serialization, edited in the middle", (size) => {
    const text = records(size);
    const middle = text.length >> 1;
    return `${text.slice(0, middle)}\u0000"[{${text.slice(middle)}`;
  });
  assertQuick("a long string of escapes, cut short", (size) => m1.serialize('\\"\ud800\n'.repeat(Math.ceil(size / 10))).slice(0, -2));
});

test("10 MB of brackets or noise is decoded or rejected within 3 seconds", withSeed((random) => {
  // Decoders must succeed on real text too: one small round trip.
  assert.equal(m1.deserialize(m1.serialize("ok")), "ok");
  assertQuick("opening brackets", (size) => "[".repeat(size));
  assertQuick("opening braces", (size) => "{".repeat(size));
  assertQuick("structural noise", (size) => Array.from({ length: size / 1000 }, () => randomText(random).padEnd(1000, "[")).join(""));
}));
