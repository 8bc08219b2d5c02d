/**
 * handouts/m6.md#the-processor, watermarks: the pure core that gives a
 * job its watermark from the event times it read, partition by partition.
 * For each partition, the largest time read minus `outOfOrderMs`; the
 * watermark is the least of those, -Infinity until every partition has had
 * a record, and it never moves back. An idle partition is left out of the
 * least until its next record (once every partition is idle, the watermark
 * is the largest of them), and the watermark does not move back for that
 * record. Snapshots go through milestone 1, as a job's checkpoint sends
 * them.
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

// ---------------------------------------------------------------------------
// Idle partitions: left out of the least until their next record.

test("watermarks gives what api.ts's example says for an idle partition: 95 once partition 1 is idle, still 95 after its next record at 60, 295 once both are idle, and later records move it on from there, never back", () => {
  const marks = m6.watermarks(2, 5);
  marks.observe(0, 100);
  marks.observe(1, 50);
  assert.equal(marks.current(), 45, "api.ts's example before idle: partition 1 at 50 holds it back");
  marks.idle(1);
  assert.equal(marks.current(), 95, "partition 1 is left out: the least is partition 0's 100 − 5");
  marks.observe(1, 60);
  assert.equal(marks.current(), 95, "partition 1 counts again at 60, and the watermark does not move back for it");
  marks.observe(0, 200);
  assert.equal(marks.current(), 95, "partition 1 (60) holds it where it was though partition 0 is at 200");
  marks.observe(1, 150);
  assert.equal(marks.current(), 145, "partition 1 at 150 passes the old watermark: the least is 150 − 5 again");
  marks.idle(1);
  assert.equal(marks.current(), 195, "partition 1 idle again: partition 0's 200 − 5");

  const example = m6.watermarks(2, 5);
  example.observe(0, 100);
  example.observe(1, 50);
  example.idle(1);
  example.observe(1, 60);
  example.observe(0, 300);
  example.idle(0);
  assert.equal(example.current(), 95, "api.ts's example: partition 1, at 60, holds it");
  example.idle(1);
  assert.equal(example.current(), 295, "api.ts's example: every partition is idle, the largest time minus 5");
});

test("an idle partition is left out of the least: one that never had a record no longer holds the watermark at -Infinity, once every partition is idle the watermark is the largest time read minus outOfOrderMs, its next record makes it count again without moving the watermark back, and idle of a partition out of range is a RangeError that changes nothing", () => {
  const marks = m6.watermarks(3, 10);
  marks.idle(0);
  marks.idle(1);
  marks.idle(2);
  assert.equal(marks.current(), Number.NEGATIVE_INFINITY, "every partition idle before any record: it stays at -Infinity");
  marks.observe(0, 100);
  assert.equal(marks.current(), 90, "partitions 1 and 2 are idle: the least is over partition 0 alone, 100 − 10");
  marks.observe(2, 50);
  assert.equal(marks.current(), 90, "partition 2 counts again at 50: the watermark does not move back for it");

  const fresh = m6.watermarks(3, 10);
  fresh.observe(0, 100);
  fresh.observe(2, 50);
  assert.equal(fresh.current(), Number.NEGATIVE_INFINITY, "partition 1 has had no record and is not idle");
  fresh.idle(1);
  assert.equal(fresh.current(), 40, "partition 1, idle, no longer holds the watermark at -Infinity");
  fresh.observe(0, 200);
  assert.equal(fresh.current(), 40, "partition 2 (50) holds it back");
  fresh.idle(2);
  assert.equal(fresh.current(), 190, "partitions 1 and 2 idle: partition 0's 200 − 10");
  fresh.idle(2);
  assert.equal(fresh.current(), 190, "idle of a partition already idle changes nothing");
  fresh.idle(0);
  assert.equal(fresh.current(), 190, "every partition idle: the largest time read, partition 0's 200 − 10");
  fresh.observe(1, 30);
  assert.equal(fresh.current(), 190, "partition 1's first record (30) is behind: it counts again, and the watermark does not move back");
  fresh.observe(1, 500);
  assert.equal(fresh.current(), 490, "partitions 0 and 2 are idle: the least is partition 1's 500 − 10");
  fresh.observe(0, 250);
  assert.equal(fresh.current(), 490, "partition 0 counts again with its largest time 250: it holds the watermark where it was");
  fresh.observe(0, 1000);
  assert.equal(fresh.current(), 490, "partitions 0 (1000) and 1 (500) count: 500 − 10");
  fresh.observe(1, 2000);
  assert.equal(fresh.current(), 990, "partition 0 (1000) holds it now");
  fresh.observe(2, 5);
  assert.equal(fresh.current(), 990, "partition 2 counts again: its largest time is still 50, and the watermark does not move back");
  fresh.observe(2, 3000);
  assert.equal(fresh.current(), 990, "partition 0 (1000) holds it");
  fresh.observe(0, 4000);
  assert.equal(fresh.current(), 1990, "every partition counts: partition 1's 2000 − 10");

  const last = m6.watermarks(4, 0);
  for (const [partition, time] of [[0, 100], [1, 50], [2, 80], [3, 90]] as const) last.observe(partition, time);
  for (const partition of [1, 3, 0]) last.idle(partition);
  assert.equal(last.current(), 80, "partitions 0, 1 and 3 idle: partition 2 (80) holds it");
  last.idle(2);
  assert.equal(last.current(), 100, "partition 2, the last that counted, goes idle: the largest time read from any partition, 100, whatever the order they went idle in");

  const unread = m6.watermarks(2, 0);
  unread.observe(0, 49);
  unread.idle(0);
  assert.equal(unread.current(), Number.NEGATIVE_INFINITY, "partition 1, never read and not idle, holds it at -Infinity");
  unread.idle(1);
  assert.equal(unread.current(), 49, "both idle: the largest time read, 49, not -Infinity");

  const unlooked = m6.watermarks(2, 0);
  unlooked.observe(0, 100);
  unlooked.observe(1, 10);
  unlooked.idle(1);
  unlooked.observe(1, 20);
  assert.equal(unlooked.current(), 100, "the watermark reached 100 while partition 1 was idle, looked at or not, and does not move back for its next record");

  const guarded = m6.watermarks(3, 0);
  guarded.observe(0, 100);
  guarded.observe(1, 70);
  guarded.observe(2, 80);
  for (const partition of [-1, 3, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => guarded.idle(partition), RangeError, `idle(${partition}) over 3 partitions`);
    assert.equal(guarded.current(), 70, `idle(${partition}) changed nothing: partition 1 (70) still holds the watermark`);
  }
  guarded.idle(1);
  assert.equal(guarded.current(), 80, "the watermarks go on: partition 1 idle, partition 2 (80) holds it");
});

test("over many partitions observed and left idle in a random order, the watermark is the least largest time minus outOfOrderMs over the partitions that are not idle, the largest once every partition is idle, and never moves back", withSeed((random) => {
  for (const partitions of [1, 2, 5, 40]) {
    const ooo = random.int(0, 50);
    const marks = m6.watermarks(partitions, ooo);
    const largest: number[] = new Array(partitions).fill(Number.NEGATIVE_INFINITY);
    const idle: boolean[] = new Array(partitions).fill(false);
    let expected = Number.NEGATIVE_INFINITY;
    let looked = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < partitions * 40; i++) {
      const p = random.int(0, partitions - 1);
      let what: string;
      if (random.bool(0.25)) {
        marks.idle(p);
        idle[p] = true;
        what = `idle(${p})`;
      } else {
        const time = random.int(-1000, 100_000);
        marks.observe(p, time);
        largest[p] = Math.max(largest[p] as number, time);
        idle[p] = false;
        what = `observe(${p}, ${time})`;
      }
      const counted = largest.filter((_, q) => !idle[q]);
      expected = Math.max(expected, (counted.length > 0 ? Math.min(...counted) : Math.max(...largest)) - ooo);
      if (random.bool(0.6) || i === partitions * 40 - 1) {
        const now = marks.current();
        assert.equal(now, expected, `${partitions} partitions (outOfOrderMs ${ooo}), after ${i + 1} calls, the last ${what}; idle: [${idle.flatMap((x, q) => (x ? [q] : [])).join(", ")}]`);
        assert.ok(now >= looked, "never moves back");
        looked = now;
      }
    }
  }
}));

test("watermarks restored from a snapshot taken with idle partitions, sent through milestone 1, have the same watermark and the same idle partitions, and go on as the originals", withSeed((random) => {
  const marks = m6.watermarks(3, 5);
  marks.observe(0, 100);
  marks.observe(1, 50);
  marks.idle(2);
  const first = m6.watermarks(3, 5, roundTrip(marks.snapshot()));
  assert.equal(first.current(), 45, "partition 2, idle and never read, is left out in the copy too");
  marks.idle(1);
  marks.observe(1, 60);
  const kept = m6.watermarks(3, 5, roundTrip(marks.snapshot()));
  assert.equal(kept.current(), 95, "the watermark reached 95 while partition 1 was idle; the copy keeps it, though partition 1 is now at 60");
  kept.observe(0, 300);
  assert.equal(kept.current(), 95, "partition 1 (60) counts again in the copy and holds the watermark where it was");
  kept.observe(1, 200);
  assert.equal(kept.current(), 195, "partition 2 is still idle in the copy: partition 1's 200 − 5");
  kept.observe(2, 20);
  assert.equal(kept.current(), 195, "partition 2 counts again at 20, behind: the watermark does not move back");
  kept.observe(2, 400);
  assert.equal(kept.current(), 195, "partition 1 (200) holds it");

  const allIdle = m6.watermarks(2, 0);
  allIdle.observe(0, 70);
  allIdle.observe(1, 90);
  allIdle.idle(0);
  allIdle.idle(1);
  const still = m6.watermarks(2, 0, roundTrip(allIdle.snapshot()));
  assert.equal(still.current(), 90, "every partition idle: the copy's watermark is the original's, the largest time read");
  still.observe(0, 80);
  assert.equal(still.current(), 90, "partition 0 counts again at 80 (partition 1 idle): the watermark does not move back");
  still.observe(0, 120);
  assert.equal(still.current(), 120, "partition 1 is still idle in the copy: partition 0's 120");

  const original = m6.watermarks(6, 4);
  const copies = [];
  for (let i = 0; i < 400; i++) {
    if (i % 50 === 7) copies.push(m6.watermarks(6, 4, roundTrip(original.snapshot())));
    const p = random.int(0, 5);
    const idle = random.bool(0.3);
    const time = random.int(0, 10_000);
    if (idle) original.idle(p);
    else original.observe(p, time);
    for (const copy of copies) {
      if (idle) copy.idle(p);
      else copy.observe(p, time);
      assert.equal(copy.current(), original.current(), `call ${i}: ${idle ? `idle(${p})` : `observe(${p}, ${time})`}`);
    }
  }
}));
