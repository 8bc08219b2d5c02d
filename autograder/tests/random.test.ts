import assert from "node:assert/strict";
import { test } from "node:test";
import { hash, Random } from "../harness/random.ts";

test("the same seed gives the same sequence", () => {
  const a = new Random(42);
  const b = new Random(42);
  assert.deepEqual(Array.from({ length: 20 }, () => a.uint32()), Array.from({ length: 20 }, () => b.uint32()));
});

test("different seeds give different sequences", () => {
  assert.notEqual(new Random(1).uint32(), new Random(2).uint32());
  assert.notEqual(Random.from(7, "one test").uint32(), Random.from(7, "another test").uint32());
});

test("int() stays within its bounds and reaches both ends", () => {
  const random = new Random(3);
  const seen = new Set<number>();
  for (let i = 0; i < 2000; i++) {
    const value = random.int(-2, 2);
    assert.ok(Number.isInteger(value) && value >= -2 && value <= 2, `${value} is out of range`);
    seen.add(value);
  }
  assert.deepEqual([...seen].sort(), [-1, -2, 0, 1, 2].sort());
});

test("next() is uniform enough: each tenth of [0, 1) gets about a tenth of the draws", () => {
  const random = new Random(4);
  const buckets = new Array(10).fill(0);
  for (let i = 0; i < 100_000; i++) buckets[Math.floor(random.next() * 10)]++;
  for (const count of buckets) assert.ok(Math.abs(count - 10_000) < 500, `bucket holds ${count}`);
});

test("shuffle() keeps the elements and pick() chooses among them", () => {
  const random = new Random(5);
  const list = Array.from({ length: 50 }, (_, i) => i);
  assert.deepEqual([...random.shuffle([...list])].sort((a, b) => a - b), list);
  assert.ok(list.includes(random.pick(list)));
  assert.throws(() => random.pick([]), RangeError);
});

test("hash() and the generator give the same numbers on every runtime", () => {
  // Recorded once; a change here means every recorded seed replays differently.
  assert.equal(hash(""), 2872998923);
  assert.equal(hash("distribution"), 3559179696);
  assert.equal(new Random(0).uint32(), 1699431568);
  assert.equal(Random.from(1, "x").uint32(), 2311479848);
});
