import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { Digest, digestOf } from "../bench/digest.ts";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

test("the digest is SHA-256 of the outputs' canonical JSON, object keys sorted", () => {
  assert.equal(digestOf([{ b: [1, "x"], a: null }, 2]), sha256('[{"a":null,"b":[1,"x"]},2]'));
  assert.equal(digestOf([{ b: 1, a: 2 }]), digestOf([{ a: 2, b: 1 }]));
  assert.equal(digestOf([undefined, [undefined]]), sha256("[null,[null]]"));
});

test("outputs larger than a chunk hash as one text, and any difference changes the digest", () => {
  const numbers = Array.from({ length: 100_000 }, (_, i) => i - 50_000);
  assert.equal(digestOf([numbers, numbers]), sha256(`[${JSON.stringify(numbers)},${JSON.stringify(numbers)}]`));
  const changed = numbers.slice();
  changed[99_999] = 0;
  assert.notEqual(digestOf([numbers, changed]), digestOf([numbers, numbers]));
});

test("holes, undefined, -0, NaN, Infinity and any string digest as the canonical JSON says", () => {
  assert.equal(digestOf([[1, , 3], { a: undefined }, -0, NaN, -Infinity]), sha256('[[1,null,3],{"a":null},0,null,null]'));
  const text = `${"x".repeat(64 * 1024 - 3)}é\u2028\ud800😀"\\`;
  assert.equal(digestOf([text, { [text]: text }]), sha256(`[${JSON.stringify(text)},{${JSON.stringify(text)}:${JSON.stringify(text)}}]`));
});

test("outputs added one at a time digest as the list", () => {
  const digest = new Digest();
  digest.add({ z: 1 });
  digest.add("y");
  assert.equal(digest.hex(), digestOf([{ z: 1 }, "y"]));
});
