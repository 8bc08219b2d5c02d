/**
 * handouts/m6.md#the-processor, watermarks: the pure core that gives a
 * job its watermark from the event times it read, partition by partition.
 * For each partition, the largest time read minus `outOfOrderMs`; the
 * watermark is the least of those, -Infinity until every partition has had
 * a record, and it never moves back. Snapshots go through milestone 1, as
 * a job's checkpoint sends them.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { withSeed } from "../../autograder/harness/seed.ts";
import { m6 } from "./_log.ts";
import { roundTrip } from "./_streams.ts";

test("watermarks gives what api.ts's example says: over 2 partitions with 5 ms out of order, -Infinity after a record of partition 0 at 100, then 45 after one of partition 1 at 50", () => {
  const marks = m6.watermarks(2, 5);
  assert.equal(marks.current(), Number.NEGATIVE_INFINITY, "no record yet");
  marks.observe(0, 100);
  assert.equal(marks.current(), Number.NEGATIVE_INFINITY, "partition 1 has had no record");
  marks.observe(1, 50);
  assert.equal(marks.current(), 45);
});

test("the watermark is the least over the partitions of the largest time read minus outOfOrderMs: a partition that is behind holds it back, and an older record changes nothing", () => {
  const marks = m6.watermarks(3, 10);
  marks.observe(2, 500);
  marks.observe(0, 300);
  assert.equal(marks.current(), Number.NEGATIVE_INFINITY, "partition 1 has had no record");
  marks.observe(0, 900);
  marks.observe(1, 40);
  assert.equal(marks.current(), 30, "partition 1 is behind: 40 − 10");
  marks.observe(1, 20);
  assert.equal(marks.current(), 30, "an older record of partition 1: its largest time is still 40");
  marks.observe(1, 700);
  assert.equal(marks.current(), 490, "now partition 2 (500) holds it back");
  marks.observe(0, 100);
  assert.equal(marks.current(), 490, "partition 0's largest time stays 900");
  marks.observe(2, 2000);
  assert.equal(marks.current(), 690, "partition 1 at 700");
  marks.observe(1, 5000);
  assert.equal(marks.current(), 890, "partition 0 at 900");

  const one = m6.watermarks(1, 0);
  assert.equal(one.current(), Number.NEGATIVE_INFINITY);
  one.observe(0, -50.5);
  assert.equal(one.current(), -50.5, "one partition, no out-of-orderness: its largest time, negative and fractional ones too");
  one.observe(0, -80);
  assert.equal(one.current(), -50.5);
});

test("over many partitions observed in a random order, the watermark is -Infinity until the last partition has a record, never moves back, and is always the least largest time minus outOfOrderMs", withSeed((random) => {
  for (const partitions of [1, 7, 256]) {
    const ooo = random.int(0, 50);
    const marks = m6.watermarks(partitions, ooo);
    const largest: number[] = new Array(partitions).fill(Number.NEGATIVE_INFINITY);
    let before = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < partitions * 20; i++) {
      const p = random.int(0, partitions - 1);
      const time = random.int(-1000, 100_000);
      marks.observe(p, time);
      largest[p] = Math.max(largest[p] as number, time);
      const expected = Math.min(...largest) - ooo;
      const now = marks.current();
      assert.equal(now, expected, `${partitions} partitions, after ${i + 1} observations`);
      assert.ok(now >= before, "never moves back");
      before = now;
    }
    assert.ok(Number.isFinite(before), `${partitions} partitions: every partition had a record by the end`);
  }
}));

test("watermarks restored from a snapshot sent through milestone 1 have the same watermark and go on as the originals, before and after every partition has had a record", withSeed((random) => {
  const marks = m6.watermarks(4, 3);
  marks.observe(0, 10);
  marks.observe(2, 30);
  const early = m6.watermarks(4, 3, roundTrip(marks.snapshot()));
  assert.equal(early.current(), Number.NEGATIVE_INFINITY, "partitions 1 and 3 have had no record");
  early.observe(1, 20);
  early.observe(3, 5);
  assert.equal(early.current(), 2, "the restored watermarks remember partitions 0 (10) and 2 (30): min is 5 − 3");
  early.observe(3, 100);
  assert.equal(early.current(), 7, "partition 0 at 10 holds it back");

  const original = m6.watermarks(5, 7);
  const copies = [];
  for (let i = 0; i < 300; i++) {
    if (i % 60 === 3) copies.push(m6.watermarks(5, 7, roundTrip(original.snapshot())));
    const p = random.int(0, 4);
    const time = random.int(0, 10_000);
    original.observe(p, time);
    for (const copy of copies) {
      copy.observe(p, time);
      assert.equal(copy.current(), original.current(), `observation ${i}`);
    }
  }
  const fresh = m6.watermarks(2, 0, roundTrip(m6.watermarks(2, 0).snapshot()));
  assert.equal(fresh.current(), Number.NEGATIVE_INFINITY, "restored empty");
  fresh.observe(0, 1);
  fresh.observe(1, 2);
  assert.equal(fresh.current(), 1);
}));
