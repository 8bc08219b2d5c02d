/**
 * "within time proportional to the text's length": big hostile texts are
 * decoded or rejected in linear time. No bar on elapsed time (graders differ
 * in speed): each kind of text grows 10 KB → 100 KB → 1 MB (texts that nest
 * without end only to 100 KB, see below), and each tenfold step may take at
 * most 40 times as long, measured in the same run (harness/growth.ts).
 * Larger texts would measure the runtime's heap, not the decoder: past a few
 * megabytes (or a few hundred thousand levels of nesting) a decode's garbage
 * leaves the young generation and costs several times more at once, for any
 * decoder, and more so on a loaded machine.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertLinearGrowth } from "../../autograder/harness/growth.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type * as Api from "../api.ts";
import { decodesOrRejects, randomText } from "./_hostile.ts";

const m1 = await load<typeof Api>("m1");

/** Decodes texts made by `make` of a hundredth, a tenth and all of `largest` characters; each must grow linearly (harness/growth.ts). */
function assertLinear(what: string, make: (size: number) => string, { mustDecode = false, largest = 1e6 } = {}): void {
  assertLinearGrowth(what, (size) => {
    const text = make(size);
    return () => {
      const decoded = decodesOrRejects(m1.deserialize, text, what);
      if (mustDecode) assert.ok(decoded, `${what} must decode`);
    };
  }, largest);
}

const record = { id: 12345, name: 'name "quoted" \\ \ud800', tags: ["a", "b"], when: new Date(0), big: 10n ** 30n };

/** A real serialization of about `size` characters: an array of records. */
function records(size: number): string {
  const one = m1.serialize(record).length;
  return m1.serialize(Array.from({ length: Math.ceil(size / one) }, () => ({ ...record, tags: [...record.tags] })));
}

test("a serialization decodes in time proportional to its length, up to 1 MB", () => {
  assertLinear("a real serialization", records, { mustDecode: true });
});

test("a serialization cut short, edited or full of escapes is decoded or rejected in linear time, up to 1 MB", () => {
  assertLinear("a real serialization, cut short", (size) => records(size).slice(0, -1));
  assertLinear("a real serialization, edited in the middle", (size) => {
    const text = records(size);
    const middle = text.length >> 1;
    return `${text.slice(0, middle)}\u0000"[{${text.slice(middle)}`;
  });
  assertLinear("a long string of escapes, cut short", (size) => m1.serialize('\\"\ud800\n'.repeat(Math.ceil(size / 10))).slice(0, -2));
});

test("brackets or noise, up to 1 MB, are decoded or rejected in linear time", withSeed((random) => {
  // Decoders must succeed on real text too: one small round trip.
  assert.equal(m1.deserialize(m1.serialize("ok")), "ok");
  // Nesting stops at 100,000 levels: past a few hundred thousand, even the
  // runtime's own JSON.parse slows down 10 to 100 times at once.
  assertLinear("opening brackets", (size) => "[".repeat(size), { largest: 1e5 });
  assertLinear("opening braces", (size) => "{".repeat(size), { largest: 1e6 });
  assertLinear("structural noise", (size) => Array.from({ length: size / 1000 }, () => randomText(random).padEnd(1000, "[")).join(""), { largest: 1e5 });
}));
