/**
 * handouts/m6.md#the-processor: the pure window operator of api.ts, driven
 * by hand. First the five scenarios of Apache Beam's LeaderBoardTest
 * (CalculateTeamScores: windows of 20 minutes, an hour of allowed lateness,
 * scores summed per team, early results 5 minutes of processing time after
 * the first element of a pane, late results 10 minutes after, accumulating)
 * with Beam's sums; then the boundaries of the contract (a watermark at
 * end − 1 fires nothing, lateness against the window's end, a record at
 * `end` in the next window, negative times), each kind of window, the
 * order of results and of `reduce`, panes and `final`, expiry and memory,
 * snapshots through milestone 1, and the RangeErrors.
 *
 * Beam's TestStream maps onto the operator as: advanceWatermarkTo(x) is
 * `op.watermark(x)`, advanceProcessingTime(d) is `op.time(now += d)`,
 * addElements is `op.add(record, now)` for each, advanceWatermarkToInfinity
 * is `op.watermark(Infinity)`. Beam's window.maxTimestamp() is end − 1 ms.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { withSeed } from "../../autograder/harness/seed.ts";
import type { Random } from "../../autograder/harness/random.ts";
import { userActivity } from "../../autograder/web/activity.ts";
import type { StreamRecord, WindowOperator, WindowOutput, WindowResult, WindowingOptions } from "../api.ts";
import { m6 } from "./_log.ts";
import { concat, late, outputFields, result, roundTrip, sum, textLength } from "./_streams.ts";
import { preview } from "./_truth.ts";

const second = 1_000;
const minute = 60 * second;
const hour = 60 * minute;

/** Asserts that a call gave exactly these outputs, in this order. */
function gave(actual: readonly WindowOutput[], expected: readonly WindowOutput[], what: string): void {
  assert.deepEqual(outputFields(actual), outputFields(expected), what);
}

/** The results among some outputs. */
const resultsOf = (outputs: readonly WindowOutput[]): WindowResult[] => outputs.flatMap((output) => ("result" in output ? [output.result] : []));

// ---------------------------------------------------------------------------
// Apache Beam's LeaderBoardTest, CalculateTeamScores.

/** CalculateTeamScores(20 minutes, 1 hour): fixed windows, early firings after 5 minutes, late firings after 10, accumulating. */
const teamScores: WindowingOptions = { window: { tumbling: 20 * minute }, reduce: sum, allowedLatenessMs: hour, earlyMs: 5 * minute, lateMs: 10 * minute };

/** Beam's test users: a game event becomes a record of its team's score at its time. */
const users = { redOne: "red", redTwo: "red", blueOne: "blue", blueTwo: "blue" } as const;

/** A TestStream over a window operator: the processing time starts at 0 and moves by hand. */
class TestStream {
  readonly op: WindowOperator;
  now = 0;

  constructor(options: WindowingOptions) {
    this.op = m6.windowOperator(options);
  }

  /** addElements: each event is added at the processing time now; what the adds gave, together. */
  addElements(...events: Array<[keyof typeof users, number, number]>): WindowOutput[] {
    return events.flatMap(([user, score, time]) => this.op.add({ key: users[user], value: score, time }, this.now));
  }

  advanceWatermarkTo(watermark: number): WindowOutput[] {
    return this.op.watermark(watermark);
  }

  advanceProcessingTime(ms: number): WindowOutput[] {
    this.now += ms;
    return this.op.time(this.now);
  }

  advanceWatermarkToInfinity(): WindowOutput[] {
    return this.op.watermark(Number.POSITIVE_INFINITY);
  }
}

const end = 20 * minute;

test("Beam's LeaderBoard, on time: elements ahead of the watermark give one on-time result per team when the watermark passes the window, blue 12 and red 4", () => {
  const stream = new TestStream(teamScores);
  gave(stream.advanceWatermarkTo(0), [], "the watermark at the epoch");
  gave(stream.addElements(["blueOne", 3, 3 * second], ["blueOne", 2, minute], ["redTwo", 3, 22 * second], ["blueTwo", 5, 3 * minute]), [], "elements ahead of the watermark");
  gave(stream.advanceWatermarkTo(3 * minute), [], "the watermark moves, but not past the end of the window");
  gave(stream.addElements(["redOne", 1, 4 * minute], ["blueOne", 2, 270 * second]), [], "more elements on time");
  assert.equal(stream.op.held(), 2, "one window per team");
  gave(stream.advanceWatermarkToInfinity(), [result("blue", 0, end, 12, "on time", 0, true), result("red", 0, end, 4, "on time", 0, true)], "the window closes: one on-time result per team, final (the watermark is past end plus the allowed lateness)");
  assert.equal(stream.op.held(), 0, "every window expired");
  gave(stream.advanceProcessingTime(hour), [], "no early result after the on-time one");
});

test("Beam's LeaderBoard, speculative: processing time gives early results 5 minutes after the first element since the last result (blue 5, red 5, blue 8), then the on-time results blue 10 and red 9", () => {
  const stream = new TestStream(teamScores);
  gave(stream.advanceWatermarkTo(0), [], "the watermark at the epoch");
  gave(stream.addElements(["blueOne", 3, 3 * second], ["blueOne", 2, minute]), [], "two blue elements");
  gave(stream.advanceProcessingTime(10 * minute), [result("blue", 0, end, 5, "early", 0, false)], "10 minutes later: a speculative result for blue");
  gave(stream.addElements(["redTwo", 5, 3 * minute]), [], "a red element");
  gave(stream.advanceProcessingTime(12 * minute), [result("red", 0, end, 5, "early", 0, false)], "12 minutes later: a speculative result for red, and none for blue (no element since its last result)");
  gave(stream.addElements(["blueTwo", 3, 22 * second]), [], "a blue element");
  gave(stream.advanceProcessingTime(10 * minute), [result("blue", 0, end, 8, "early", 1, false)], "10 minutes later: a refined speculative result for blue, accumulating");
  gave(stream.addElements(["redOne", 4, 4 * minute], ["blueTwo", 2, 2 * minute]), [], "more elements, whose early results would be due in 5 minutes");
  gave(stream.advanceWatermarkToInfinity(), [result("blue", 0, end, 10, "on time", 2, true), result("red", 0, end, 9, "on time", 1, true)], "the window closes: the on-time results hold every update");
  gave(stream.advanceProcessingTime(10 * minute), [], "the early results that were due are gone with the on-time ones");
});

test("Beam's LeaderBoard, unobservably late: elements behind the watermark but before the end of their window go into the on-time result, red 14 and blue 13", () => {
  const stream = new TestStream(teamScores);
  gave(stream.advanceWatermarkTo(0), [], "the watermark at the epoch");
  gave(stream.addElements(["blueOne", 3, 3 * second], ["blueTwo", 5, 8 * minute], ["redOne", 4, 2 * minute], ["blueOne", 3, 5 * minute]), [], "elements on time");
  gave(stream.advanceWatermarkTo(end - minute), [], "the watermark a minute before the end of the window");
  gave(stream.addElements(["redTwo", 2, 0], ["redTwo", 5, minute], ["blueTwo", 2, 90 * second], ["redTwo", 3, 3 * minute]), [], "elements behind the watermark: not late, their window has not given its on-time result");
  gave(stream.advanceWatermarkTo(end + minute), [result("blue", 0, end, 13, "on time", 0, false), result("red", 0, end, 14, "on time", 0, false)], "the watermark passes the end: the on-time results hold the elements that were behind; not final (the window takes records for another hour)");
  gave(stream.advanceWatermarkToInfinity(), [], "the window expires with no late result due");
  assert.equal(stream.op.held(), 0, "the window is gone");
});

test("Beam's LeaderBoard, observably late: elements after the on-time result, within the allowed lateness, give late results; the on-time results are red 7 and blue 11, and the last result, red 27, is final", () => {
  const stream = new TestStream(teamScores);
  const firstWindowCloses = hour + end;
  gave(stream.advanceWatermarkTo(0), [], "the watermark at the epoch");
  gave(stream.addElements(["blueOne", 3, 3 * second], ["blueTwo", 5, 8 * minute]), [], "two blue elements");
  gave(stream.advanceProcessingTime(10 * minute), [result("blue", 0, end, 8, "early", 0, false)], "10 minutes: an early result for blue");
  gave(stream.advanceWatermarkTo(3 * minute), [], "the watermark moves inside the window");
  gave(stream.addElements(["redOne", 3, minute], ["redOne", 4, 2 * minute], ["blueOne", 3, 5 * minute]), [], "more elements on time");
  gave(stream.advanceWatermarkTo(firstWindowCloses - minute), [result("blue", 0, end, 11, "on time", 1, false), result("red", 0, end, 7, "on time", 0, false)], "the watermark passes the end of the window: the on-time results, red 7 and blue 11");
  gave(stream.addElements(["redTwo", 2, 0], ["redTwo", 5, minute], ["redTwo", 3, 3 * minute]), [], "late elements: a late result is due 10 minutes later");
  gave(stream.advanceProcessingTime(12 * minute), [result("red", 0, end, 17, "late", 1, false)], "12 minutes later: a late refinement for red, not final (the window has not expired); the early results that were due are gone");
  gave(stream.addElements(["redTwo", 9, minute], ["redTwo", 1, 3 * minute]), [], "more late elements");
  gave(stream.advanceWatermarkToInfinity(), [result("red", 0, end, 27, "late", 2, true)], "the window expires: the late result still due is given at once, final; blue had nothing new");
  gave(stream.advanceProcessingTime(hour), [], "no timer is left");
  assert.equal(stream.op.held(), 0, "the window is gone");
});

test("Beam's LeaderBoard, droppably late: elements after the window expired are given out as late records and change no result; the only results are red 7 and blue 18, and none is final", () => {
  const stream = new TestStream(teamScores);
  const outputs: WindowOutput[] = [];
  gave(stream.addElements(["blueOne", 12, 0], ["redOne", 3, 0]), [], "elements at the epoch, before any watermark");
  gave(stream.advanceWatermarkTo(end - 1), [], "the watermark at the window's maxTimestamp, end − 1: no result yet");
  gave(stream.addElements(["redOne", 4, 2 * minute], ["blueTwo", 3, 0], ["blueOne", 3, 3 * minute]), [], "elements behind the watermark, in the window that has not fired");
  const onTime = stream.advanceWatermarkTo(end);
  outputs.push(...onTime);
  gave(onTime, [result("blue", 0, end, 18, "on time", 0, false), result("red", 0, end, 7, "on time", 0, false)], "the watermark at the end of the window: the on-time results");
  const expired = stream.advanceWatermarkTo(hour + end + minute);
  outputs.push(...expired);
  gave(expired, [], "the watermark past the end plus the allowed lateness: the window expires, with nothing due");
  assert.equal(stream.op.held(), 0, "the window is gone");
  const dropped = stream.addElements(["blueTwo", 3, end - 5 * second], ["redOne", 7, 4 * minute]);
  outputs.push(...dropped);
  gave(dropped, [late("blue", 3, end - 5 * second), late("red", 7, 4 * minute)], "elements of the expired window come out as late records, untouched");
  outputs.push(...stream.advanceWatermarkToInfinity(), ...stream.advanceProcessingTime(hour));
  assert.deepEqual(resultsOf(outputs).map((r) => `${r.key} ${r.value as number}`), ["blue 18", "red 7"], "the only results");
  assert.ok(resultsOf(outputs).every((r) => !r.final), "no final result: nothing came within the allowed lateness");
});

// ---------------------------------------------------------------------------
// api.ts's example and the boundaries.

test("windowOperator gives what api.ts's example says: red 3 and 4 at times 1 and 9 make the on-time result 7 of [0, 10) at watermark 10, and red 5 at time 2 then comes out late", () => {
  const op = m6.windowOperator({ window: { tumbling: 10 }, reduce: sum });
  gave(op.add({ key: "red", value: 3, time: 1 }, 0), [], "the first add");
  gave(op.add({ key: "red", value: 4, time: 9 }, 0), [], "the second add");
  gave(op.watermark(10), [result("red", 0, 10, 7, "on time", 0, true)], "watermark(10)");
  gave(op.add({ key: "red", value: 5, time: 2 }, 0), [late("red", 5, 2)], "a record of the expired window");
});

test("a watermark at a window's end − 1 fires nothing and at its end fires it; a record exactly at the watermark is not late, and a record at a window's end is in the next window", () => {
  const op = m6.windowOperator({ window: { tumbling: 10 }, reduce: sum });
  gave(op.add({ key: "k", value: 1, time: 0 }, 0), [], "time 0");
  gave(op.add({ key: "k", value: 2, time: 9 }, 0), [], "time 9");
  gave(op.add({ key: "k", value: 4, time: 10 }, 0), [], "time 10, the end of [0, 10)");
  assert.equal(op.held(), 2, "[0, 10) and [10, 20)");
  gave(op.watermark(9), [], "the watermark at 9, the end − 1 of [0, 10)");
  gave(op.add({ key: "k", value: 8, time: 9 }, 0), [], "a record exactly at the watermark");
  gave(op.watermark(10), [result("k", 0, 10, 11, "on time", 0, true)], "the watermark at 10 fires [0, 10), with the record at 9 and not the one at 10");
  assert.equal(op.held(), 1, "[0, 10) expired at once (no allowed lateness)");
  gave(op.add({ key: "k", value: 16, time: 10 }, 0), [], "a record at 10, exactly at the watermark, in [10, 20)");
  gave(op.add({ key: "k", value: 32, time: 9 }, 0), [late("k", 32, 9)], "a record at 9 after [0, 10) expired");
  gave(op.watermark(19), [], "19, the end − 1 of [10, 20)");
  gave(op.watermark(20), [result("k", 10, 20, 20, "on time", 0, true)], "20 fires [10, 20): 4 + 16");
  assert.equal(op.held(), 0);
});

test("a lower watermark changes nothing: windows that fired stay fired, and records of expired windows stay late", () => {
  const op = m6.windowOperator({ window: { tumbling: 10 }, reduce: sum, allowedLatenessMs: 5 });
  op.add({ key: "k", value: 1, time: 3 }, 0);
  op.add({ key: "k", value: 10, time: 13 }, 0);
  gave(op.watermark(20), [result("k", 0, 10, 1, "on time", 0, true), result("k", 10, 20, 10, "on time", 0, false)], "watermark 20: [0, 10) fires and expires (10 + 5 ≤ 20); [10, 20) fires");
  gave(op.watermark(12), [], "a lower watermark");
  gave(op.watermark(Number.NEGATIVE_INFINITY), [], "-Infinity");
  gave(op.add({ key: "k", value: 2, time: 4 }, 0), [late("k", 2, 4)], "[0, 10) is still expired");
  gave(op.add({ key: "k", value: 3, time: 14 }, 0), [result("k", 10, 20, 13, "late", 1, false)], "[10, 20) still takes late records (20 < 25), and gives a late result at once (lateMs 0)");
  gave(op.watermark(24), [], "24: [10, 20) has not expired");
  gave(op.watermark(25), [], "25: [10, 20) expires, with nothing due");
  assert.equal(op.held(), 0);
});

test("lateness is judged against the window's end, not the record's time: a record at the window's start still updates it at watermark end + L − 1, and at end + L it is late", () => {
  const op = m6.windowOperator({ window: { tumbling: 10 }, reduce: sum, allowedLatenessMs: 5 });
  gave(op.add({ key: "k", value: 1, time: 0 }, 0), [], "time 0");
  gave(op.watermark(10), [result("k", 0, 10, 1, "on time", 0, false)], "the on-time result, not final: the window takes records until the watermark reaches 15");
  gave(op.watermark(14), [], "14 = end + L − 1");
  gave(op.add({ key: "k", value: 2, time: 0 }, 0), [result("k", 0, 10, 3, "late", 1, false)], "a record at time 0 (0 + L < 14, but 10 + L > 14): a late result at once");
  gave(op.add({ key: "k", value: 4, time: 9 }, 0), [result("k", 0, 10, 7, "late", 2, false)], "another late record, another late result, accumulating");
  assert.equal(op.held(), 1);
  gave(op.watermark(15), [], "15 = end + L: the window expires, no late result due");
  assert.equal(op.held(), 0, "the window is gone at end + L");
  gave(op.add({ key: "k", value: 8, time: 0 }, 0), [late("k", 8, 0)], "time 0 after expiry");
  gave(op.add({ key: "k", value: 8, time: 9 }, 0), [late("k", 8, 9)], "time 9 after expiry");
  gave(op.add({ key: "k", value: 8, time: 10 }, 0), [], "time 10 is in [10, 20), which has not fired");
  gave(op.watermark(20), [result("k", 10, 20, 8, "on time", 0, false)], "[10, 20) at 20");
});

test("windows of negative and fractional times are aligned on multiples of the size (floor), and a record at −size is in [−size, 0)", () => {
  const op = m6.windowOperator({ window: { tumbling: 10 }, reduce: concat });
  for (const [value, time] of [["a", -1], ["b", -10], ["c", -11], ["d", 0], ["e", -0.5], ["f", 9.5], ["g", -20]] as const) gave(op.add({ key: "k", value, time }, 0), [], `time ${time}`);
  gave(op.watermark(Number.POSITIVE_INFINITY), [
    result("k", -20, -10, "cg", "on time", 0, true),
    result("k", -10, 0, "abe", "on time", 0, true),
    result("k", 0, 10, "df", "on time", 0, true),
  ], "windows [−20, −10), [−10, 0), [0, 10), ordered by end");
  const sliding = m6.windowOperator({ window: { sliding: 10, every: 5 }, reduce: concat });
  sliding.add({ key: "k", value: "x", time: -3 }, 0);
  gave(sliding.watermark(Number.POSITIVE_INFINITY), [result("k", -10, 0, "x", "on time", 0, true), result("k", -5, 5, "x", "on time", 0, true)], "sliding windows of 10 every 5 that hold −3");
});

// ---------------------------------------------------------------------------
// Kinds of windows.

test("a sliding window of size s every e: a record is in each window [k·e, k·e + s) that holds its time, and one whose windows partly expired goes into those left and is not late", () => {
  const op = m6.windowOperator({ window: { sliding: 30, every: 10 }, reduce: concat });
  gave(op.add({ key: "k", value: "a", time: 25 }, 0), [], "a at 25: [0, 30), [10, 40), [20, 50)");
  gave(op.add({ key: "k", value: "b", time: 5 }, 0), [], "b at 5: [−20, 10), [−10, 20), [0, 30)");
  assert.equal(op.held(), 5);
  gave(op.watermark(30), [
    result("k", -20, 10, "b", "on time", 0, true),
    result("k", -10, 20, "b", "on time", 0, true),
    result("k", 0, 30, "ab", "on time", 0, true),
  ], "watermark 30: every window ending by 30, ordered by end");
  assert.equal(op.held(), 2, "[10, 40) and [20, 50) are left");
  gave(op.add({ key: "k", value: "c", time: 15 }, 0), [], "c at 15: [−10, 20) and [0, 30) expired, but [10, 40) takes it");
  gave(op.add({ key: "k", value: "d", time: 9 }, 0), [late("k", "d", 9)], "d at 9: [−20, 10), [−10, 20) and [0, 30) all expired");
  gave(op.watermark(Number.POSITIVE_INFINITY), [result("k", 10, 40, "ac", "on time", 0, true), result("k", 20, 50, "a", "on time", 0, true)], "the windows left");

  const uneven = m6.windowOperator({ window: { sliding: 10, every: 4 }, reduce: concat });
  uneven.add({ key: "k", value: "x", time: 9 }, 0);
  uneven.add({ key: "k", value: "y", time: 12 }, 0);
  gave(uneven.watermark(Number.POSITIVE_INFINITY), [
    result("k", 0, 10, "x", "on time", 0, true),
    result("k", 4, 14, "xy", "on time", 0, true),
    result("k", 8, 18, "xy", "on time", 0, true),
    result("k", 12, 22, "y", "on time", 0, true),
  ], "windows of 10 every 4: 9 is in [0, 10), [4, 14), [8, 18); 12 in [4, 14), [8, 18), [12, 22)");
});

test("session windows: each record makes [time, time + gap), which merges with every window of its key it overlaps or touches, values in the order of the windows (the earlier first); other keys never merge", () => {
  const op = m6.windowOperator({ window: { session: 10 }, reduce: concat });
  gave(op.add({ key: "k", value: "a", time: 0 }, 0), [], "a: [0, 10)");
  gave(op.add({ key: "k", value: "b", time: 10 }, 0), [], "b: [10, 20) touches [0, 10): [0, 20)");
  gave(op.add({ key: "k", value: "c", time: 30 }, 0), [], "c: [30, 40), apart");
  gave(op.add({ key: "k", value: "d", time: 25 }, 0), [], "d: [25, 35) overlaps [30, 40): [25, 40), d's window first");
  gave(op.add({ key: "other", value: "z", time: 20 }, 0), [], "another key at 20");
  assert.equal(op.held(), 3, "k: [0, 20) and [25, 40); other: [20, 30)");
  gave(op.watermark(20), [result("k", 0, 20, "ab", "on time", 0, true)], "watermark 20 fires k's [0, 20)");
  gave(op.add({ key: "k", value: "e", time: 21 }, 0), [], "e: [21, 31) overlaps [25, 40): [21, 40)");
  gave(op.watermark(Number.POSITIVE_INFINITY), [result("other", 20, 30, "z", "on time", 0, true), result("k", 21, 40, "edc", "on time", 0, true)], "the sessions left, ordered by end");

  const chain = m6.windowOperator({ window: { session: 10 }, reduce: concat });
  chain.add({ key: "k", value: "a", time: 0 }, 0);
  chain.add({ key: "k", value: "b", time: 30 }, 0);
  chain.add({ key: "k", value: "c", time: 25 }, 0);
  chain.add({ key: "k", value: "d", time: 11 }, 0);
  assert.equal(chain.held(), 3, "[0, 10), [11, 21), [25, 40): 11 does not touch 10");
  gave(chain.add({ key: "k", value: "e", time: 15 }, 0), [], "e: [15, 25) overlaps [11, 21) and touches [25, 40)");
  assert.equal(chain.held(), 2, "[0, 10) and [11, 40)");
  gave(chain.add({ key: "k", value: "f", time: 5 }, 0), [], "f: [5, 15) overlaps both");
  assert.equal(chain.held(), 1, "one session [0, 40)");
  gave(chain.watermark(39), [], "39 = end − 1");
  gave(chain.watermark(40), [result("k", 0, 40, "afdecb", "on time", 0, true)], "[0, 10) a+f, [5, 15) … merged in the order of the windows: a, f, d, e, c, b");
});

test("when session windows merge, the merged window's panes count every result the windows it merged had, and its early result is due earlyMs after the record that merged them", () => {
  const op = m6.windowOperator({ window: { session: 10 }, reduce: concat, earlyMs: 5 });
  gave(op.add({ key: "k", value: "a", time: 0 }, 0), [], "a: [0, 10) at processing time 0");
  gave(op.time(5), [result("k", 0, 10, "a", "early", 0, false)], "an early result 5 later");
  gave(op.add({ key: "k", value: "b", time: 20 }, 5), [], "b: [20, 30)");
  gave(op.time(10), [result("k", 20, 30, "b", "early", 0, false)], "its early result");
  gave(op.add({ key: "k", value: "c", time: 10 }, 10), [], "c: [10, 20) touches both: [0, 30)");
  assert.equal(op.held(), 1);
  gave(op.time(14), [], "not yet due");
  gave(op.time(15), [result("k", 0, 30, "acb", "early", 2, false)], "the merged window's early result: pane 2, after one result of each window it merged");
  gave(op.watermark(30), [result("k", 0, 30, "acb", "on time", 3, true)], "its on-time result");
  assert.equal(op.held(), 0);
});

// ---------------------------------------------------------------------------
// Order, panes, final.

test("a window's value combines its records with reduce in the order they were added, not in the order of their times", () => {
  const op = m6.windowOperator({ window: { tumbling: 100 }, reduce: concat });
  for (const [value, time] of [["a", 50], ["b", 10], ["c", 90], ["d", 0], ["e", 99]] as const) op.add({ key: "k", value, time }, 0);
  gave(op.watermark(100), [result("k", 0, 100, "abcde", "on time", 0, true)], "reduce(reduce(reduce(a, b), c), …)");
  const single = m6.windowOperator({ window: { tumbling: 100 }, reduce: () => "reduce was called" });
  single.add({ key: "k", value: { one: [1] }, time: 5 }, 0);
  gave(single.watermark(100), [result("k", 0, 100, { one: [1] }, "on time", 0, true)], "a window of one record holds its value: reduce is not called");
});

test("the results of one call are ordered by end, then start, then key in code-unit order, whatever order the records came in", () => {
  const keys = ["b", "é", "a", "B", "aa", "Z"];
  const op = m6.windowOperator({ window: { tumbling: 10 }, reduce: sum });
  for (const time of [15, 3, 27]) for (const key of keys) op.add({ key, value: time, time }, 0);
  const sorted = [...keys].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  assert.deepEqual(sorted, ["B", "Z", "a", "aa", "b", "é"]);
  const values = new Map([[0, 3], [10, 15], [20, 27]]);
  gave(op.watermark(Number.POSITIVE_INFINITY), [0, 10, 20].flatMap((start) => sorted.map((key) => result(key, start, start + 10, values.get(start), "on time", 0, true))), "by end, then key");

  const sessions = m6.windowOperator({ window: { session: 10 }, reduce: sum });
  sessions.add({ key: "a", value: 1, time: 5 }, 0);
  sessions.add({ key: "x", value: 2, time: 0 }, 0);
  sessions.add({ key: "x", value: 4, time: 5 }, 0);
  sessions.add({ key: "m", value: 8, time: 3 }, 0);
  gave(sessions.watermark(Number.POSITIVE_INFINITY), [
    result("m", 3, 13, 8, "on time", 0, true),
    result("x", 0, 15, 6, "on time", 0, true),
    result("a", 5, 15, 1, "on time", 0, true),
  ], "same end: the earlier start first, whatever the key");
});

test("time gives the early and late results due by then in the order they fell due, not in key order", () => {
  const op = m6.windowOperator({ window: { tumbling: 10 }, reduce: sum, earlyMs: 100, allowedLatenessMs: 50, lateMs: 30 });
  op.add({ key: "z", value: 1, time: 1 }, 0);
  op.add({ key: "a", value: 2, time: 2 }, 10);
  op.add({ key: "m", value: 4, time: 12 }, 20);
  gave(op.time(99), [], "nothing due before 100");
  gave(op.time(1000), [result("z", 0, 10, 1, "early", 0, false), result("a", 0, 10, 2, "early", 0, false), result("m", 10, 20, 4, "early", 0, false)], "due at 100, 110 and 120");
  gave(op.watermark(20), [result("a", 0, 10, 2, "on time", 1, false), result("z", 0, 10, 1, "on time", 1, false), result("m", 10, 20, 4, "on time", 1, false)], "on-time results by end, start, key");
  op.add({ key: "m", value: 8, time: 15 }, 1000);
  op.add({ key: "z", value: 16, time: 5 }, 1010);
  gave(op.time(1040), [result("m", 10, 20, 12, "late", 2, false), result("z", 0, 10, 17, "late", 2, false)], "late results due at 1030 and 1040, in that order");
});

test("early results are due earlyMs after the first record since the window's last result, and stop once the on-time result is given", () => {
  const op = m6.windowOperator({ window: { tumbling: 10 }, reduce: sum, earlyMs: 100 });
  gave(op.add({ key: "k", value: 1, time: 1 }, 0), [], "the first record, at processing time 0");
  gave(op.add({ key: "k", value: 2, time: 2 }, 50), [], "a second, at 50: the result is still due at 100");
  gave(op.time(99), [], "99");
  gave(op.time(100), [result("k", 0, 10, 3, "early", 0, false)], "100");
  gave(op.time(500), [], "nothing new since");
  gave(op.add({ key: "k", value: 4, time: 3 }, 500), [], "a record at 500");
  gave(op.time(599), [], "599");
  gave(op.time(600), [result("k", 0, 10, 7, "early", 1, false)], "600: accumulating");
  gave(op.add({ key: "k", value: 8, time: 4 }, 650), [], "a record at 650, due at 750");
  gave(op.watermark(10), [result("k", 0, 10, 15, "on time", 2, true)], "the on-time result holds it");
  gave(op.time(10_000), [], "the early result that was due is gone");
});

test("a late result is due lateMs after the first record since the last result; one still due when the window expires is given then, as final, and nothing after", () => {
  const op = m6.windowOperator({ window: { tumbling: 10 }, reduce: sum, allowedLatenessMs: 100, lateMs: 50 });
  op.add({ key: "k", value: 1, time: 5 }, 0);
  gave(op.watermark(10), [result("k", 0, 10, 1, "on time", 0, false)], "on time, not final");
  gave(op.add({ key: "k", value: 2, time: 5 }, 100), [], "a late record at 100: a late result due at 150");
  gave(op.add({ key: "k", value: 4, time: 5 }, 120), [], "another at 120: still due at 150");
  gave(op.time(149), [], "149");
  gave(op.time(150), [result("k", 0, 10, 7, "late", 1, false)], "150");
  gave(op.add({ key: "k", value: 8, time: 5 }, 160), [], "a late record at 160, due at 210");
  gave(op.watermark(109), [], "109 = end + L − 1");
  gave(op.watermark(110), [result("k", 0, 10, 15, "late", 2, true)], "110: the window expires and gives the late result still due, final");
  assert.equal(op.held(), 0);
  gave(op.time(10_000), [], "its timer is gone");
  gave(op.add({ key: "k", value: 16, time: 5 }, 10_000), [late("k", 16, 5)], "a record of the expired window");
});

test("with no allowed lateness the on-time result is final; with some, results are final only once the watermark reaches end plus the allowed lateness", () => {
  const now = m6.windowOperator({ window: { tumbling: 10 }, reduce: sum });
  now.add({ key: "k", value: 1, time: 0 }, 0);
  gave(now.watermark(10), [result("k", 0, 10, 1, "on time", 0, true)], "lateness 0");
  const later = m6.windowOperator({ window: { tumbling: 10 }, reduce: sum, allowedLatenessMs: 7 });
  later.add({ key: "k", value: 1, time: 0 }, 0);
  later.add({ key: "j", value: 1, time: 0 }, 0);
  gave(later.watermark(16), [result("j", 0, 10, 1, "on time", 0, false), result("k", 0, 10, 1, "on time", 0, false)], "at 16 < 17");
  gave(later.add({ key: "k", value: 2, time: 0 }, 0), [result("k", 0, 10, 3, "late", 1, false)], "a late record at 16: a late result at once, not final");
  gave(later.watermark(17), [], "17: both windows expire, nothing due");
  assert.equal(later.held(), 0);
  const jumped = m6.windowOperator({ window: { tumbling: 10 }, reduce: sum, allowedLatenessMs: 7 });
  jumped.add({ key: "k", value: 1, time: 0 }, 0);
  gave(jumped.watermark(17), [result("k", 0, 10, 1, "on time", 0, true)], "a watermark that reaches end + L at once: the on-time result is final");
});

// ---------------------------------------------------------------------------
// Memory, snapshots.

test("held counts the windows over all keys, drops to 0 once every window expired, and stays bounded over a long run of many windows, as does the snapshot", () => {
  const op = m6.windowOperator({ window: { tumbling: 10 }, reduce: sum, allowedLatenessMs: 20, earlyMs: 5, lateMs: 5 });
  const keys = ["a", "b", "c"];
  let most = 0;
  let early = 0;
  let outputs = 0;
  for (let i = 0; i < 6000; i++) {
    const time = i * 3;
    for (const key of keys) outputs += op.add({ key, value: 1, time }, time).length;
    outputs += op.time(time).length;
    outputs += op.watermark(time - 5).length;
    most = Math.max(most, op.held());
    if (i === 300) early = textLength(op.snapshot());
  }
  assert.ok(outputs > 0);
  assert.ok(most <= 3 * 4, `at most 4 windows per key are alive with 20 ms of lateness (held reached ${most})`);
  const lateText = textLength(op.snapshot());
  assert.ok(lateText <= early * 2 + 1000, `the snapshot does not grow with the windows that expired (${early} characters after 300 steps, ${lateText} after 6000)`);
  op.watermark(Number.POSITIVE_INFINITY);
  assert.equal(op.held(), 0, "every window expired");

  const sessions = m6.windowOperator({ window: { session: 4 }, reduce: sum });
  for (let i = 0; i < 2000; i++) {
    sessions.add({ key: `k${i % 5}`, value: 1, time: i * 10 }, 0);
    sessions.watermark(i * 10 - 20);
    assert.ok(sessions.held() <= 15, `sessions expire (held ${sessions.held()} at step ${i})`);
  }
  sessions.watermark(Number.POSITIVE_INFINITY);
  assert.equal(sessions.held(), 0);
});

/** A random script of calls on a window operator. */
type Call = { add: StreamRecord; now: number } | { watermark: number } | { time: number };

/** A random run: records around the watermark, some far behind it, watermarks and processing time that move forward. */
function randomScript(random: Random, length: number, keys: readonly string[]): Call[] {
  const calls: Call[] = [];
  let now = 0;
  let watermark = 0;
  for (let i = 0; i < length; i++) {
    const pick = random.int(0, 9);
    if (pick < 6) {
      const time = watermark + random.int(-60, 40) + (random.bool(0.2) ? 0.5 : 0);
      calls.push({ add: { key: random.pick([...keys]), value: `v${i}.`, time }, now });
    } else if (pick < 8) {
      watermark += random.int(0, 15);
      calls.push({ watermark: random.bool(0.1) ? watermark - 30 : watermark });
    } else {
      now += random.int(0, 12);
      calls.push({ time: now });
    }
  }
  calls.push({ watermark: Number.POSITIVE_INFINITY });
  return calls;
}

/** Runs a call. */
function run(op: WindowOperator, call: Call): WindowOutput[] {
  if ("add" in call) return op.add({ ...call.add }, call.now);
  if ("watermark" in call) return op.watermark(call.watermark);
  return op.time(call.time);
}

test("an operator restored from a snapshot sent through milestone 1 goes on exactly as the one it was taken from, for tumbling, sliding and session windows with early and late results pending", withSeed((random) => {
  const specs: WindowingOptions[] = [
    { window: { tumbling: 20 }, reduce: concat, allowedLatenessMs: 30, earlyMs: 7, lateMs: 5 },
    { window: { sliding: 20, every: 10 }, reduce: concat, allowedLatenessMs: 25, earlyMs: 9, lateMs: 0 },
    { window: { session: 8 }, reduce: concat, allowedLatenessMs: 15, earlyMs: 4, lateMs: 6 },
  ];
  for (const options of specs) {
    const script = randomScript(random, 400, ["a", "b", "c"]);
    const original = m6.windowOperator(options);
    const cuts = new Set([0, random.int(1, 130), random.int(131, 260), random.int(261, 399)]);
    const copies: Array<{ op: WindowOperator; from: number }> = [];
    script.forEach((call, i) => {
      if (cuts.has(i)) copies.push({ op: m6.windowOperator(options, roundTrip(original.snapshot())), from: i });
      const expected = outputFields(run(original, call));
      for (const copy of copies) {
        assert.deepEqual(outputFields(run(copy.op, call)), expected, `${preview(options.window)}: call ${i} (${preview(call)}) on the operator restored before call ${copy.from}`);
        assert.equal(copy.op.held(), original.held(), `${preview(options.window)}: held after call ${i}, restored before call ${copy.from}`);
      }
    });
    assert.equal(original.held(), 0);
  }
}));

test("over a random run of tumbling and sliding windows, a record is late exactly when every window it falls in has expired, each result's pane counts the results of its window before it, and each window's last result holds its records combined in the order added", withSeed((random) => {
  const specs: Array<{ options: WindowingOptions; windows: (time: number) => Array<[number, number]> }> = [
    { options: { window: { tumbling: 20 }, reduce: concat, allowedLatenessMs: 30, earlyMs: 7, lateMs: 5 }, windows: (t) => [[Math.floor(t / 20) * 20, Math.floor(t / 20) * 20 + 20]] },
    {
      options: { window: { sliding: 30, every: 10 }, reduce: concat, allowedLatenessMs: 10, lateMs: 0 },
      windows: (t) => [2, 1, 0].map((back) => (Math.floor(t / 10) - back) * 10).map((start): [number, number] => [start, start + 30]),
    },
  ];
  for (const { options, windows } of specs) {
    const lateness = options.allowedLatenessMs ?? 0;
    const script = randomScript(random, 600, ["a", "b"]);
    const op = m6.windowOperator(options);
    let watermark = Number.NEGATIVE_INFINITY;
    const taken = new Map<string, string>();
    const panes = new Map<string, number>();
    const last = new Map<string, WindowResult>();
    const finished = new Set<string>();
    script.forEach((call, i) => {
      const outputs = run(op, call);
      if ("watermark" in call) watermark = Math.max(watermark, call.watermark);
      let expectLate = false;
      if ("add" in call) {
        const alive = windows(call.add.time).filter(([, end]) => end + lateness > watermark);
        expectLate = alive.length === 0;
        for (const [start, end] of alive) {
          const name = `${call.add.key} ${start} ${end}`;
          taken.set(name, `${taken.get(name) ?? ""}${call.add.value as string}`);
        }
      }
      const lates = outputs.filter((output) => "late" in output);
      assert.deepEqual(lates.map((output) => ("late" in output ? output.late.value : undefined)), expectLate && "add" in call ? [call.add.value] : [], `call ${i} (${preview(call)}, watermark ${watermark}): late records`);
      for (const r of resultsOf(outputs)) {
        const name = `${r.key} ${r.start} ${r.end}`;
        assert.ok(!finished.has(name), `call ${i}: a result of ${name} after its final one`);
        assert.equal(r.pane, panes.get(name) ?? 0, `call ${i}: the pane of a result of ${name}`);
        panes.set(name, (panes.get(name) ?? 0) + 1);
        last.set(name, r);
        if (r.final) finished.add(name);
      }
    });
    assert.deepEqual([...last.keys()].sort(), [...taken.keys()].sort(), `${preview(options.window)}: every window that took a record gave a result`);
    for (const [name, value] of taken) assert.equal(last.get(name)?.value, value, `${preview(options.window)}: the last result of ${name}`);
    assert.equal(op.held(), 0);
  }
}));

test("a snapshot holds the watermark: an operator restored from it finds records of windows that expired before the snapshot late, and a lower watermark changes nothing", () => {
  const options: WindowingOptions = { window: { tumbling: 10 }, reduce: sum, allowedLatenessMs: 10 };
  const op = m6.windowOperator(options);
  op.add({ key: "k", value: 1, time: 5 }, 0);
  op.add({ key: "k", value: 2, time: 25 }, 0);
  op.watermark(20);
  const restored = m6.windowOperator(options, roundTrip(op.snapshot()));
  assert.equal(restored.held(), 1, "[20, 30) is held; [0, 10) expired at 20");
  gave(restored.add({ key: "k", value: 4, time: 5 }, 0), [late("k", 4, 5)], "[0, 10) expired before the snapshot");
  const taken = restored.add({ key: "k", value: 8, time: 15 }, 0);
  assert.ok(taken.every((output) => !("late" in output)), `a record of [10, 20), which takes records until the watermark reaches 30, is not late (gave ${preview(taken)})`);
  gave(restored.watermark(10), [], "a lower watermark");
  const rest = resultsOf([...taken, ...restored.watermark(Number.POSITIVE_INFINITY)]);
  assert.deepEqual(rest.filter((r) => r.start === 20).map((r) => [r.value, r.timing, r.pane, r.final]), [[2, "on time", 0, true]], "[20, 30) at the end");
  assert.equal(rest.filter((r) => r.start === 10).at(-1)?.value, 8, "[10, 20) gave a result with its record");
  const fresh = m6.windowOperator(options, roundTrip(m6.windowOperator(options).snapshot()));
  gave(fresh.add({ key: "k", value: 1, time: -1e9 }, 0), [], "a restored empty operator: the watermark is -Infinity");
});

// ---------------------------------------------------------------------------
// Errors.

test("an option outside its range is a RangeError: a window that is not one of the three kinds or has a size that is not a positive number, a reduce that is not a function, a negative allowed lateness or lateMs, an earlyMs that is not positive", () => {
  const base = { window: { tumbling: 10 }, reduce: sum };
  const bad: unknown[] = [
    { reduce: sum },
    { window: {}, reduce: sum },
    { window: { tumbling: 0 }, reduce: sum },
    { window: { tumbling: -10 }, reduce: sum },
    { window: { tumbling: Number.NaN }, reduce: sum },
    { window: { tumbling: "10" }, reduce: sum },
    { window: { sliding: 10 }, reduce: sum },
    { window: { sliding: 10, every: 0 }, reduce: sum },
    { window: { sliding: 0, every: 5 }, reduce: sum },
    { window: { sliding: 10, every: -5 }, reduce: sum },
    { window: { session: 0 }, reduce: sum },
    { window: { session: -1 }, reduce: sum },
    { window: { hopping: 10 }, reduce: sum },
    { window: { tumbling: 10 } },
    { window: { tumbling: 10 }, reduce: "sum" },
    { ...base, allowedLatenessMs: -1 },
    { ...base, allowedLatenessMs: Number.NaN },
    { ...base, earlyMs: 0 },
    { ...base, earlyMs: -5 },
    { ...base, earlyMs: Number.NaN },
    { ...base, lateMs: -1 },
    { ...base, lateMs: Number.NaN },
  ];
  for (const options of bad) assert.throws(() => m6.windowOperator(options as WindowingOptions), RangeError, `windowOperator(${preview(options)})`);
  for (const options of [{ ...base, allowedLatenessMs: 0, lateMs: 0 }, { ...base, earlyMs: 0.5 }, { window: { sliding: 10, every: 10 }, reduce: sum }, { window: { session: 0.5 }, reduce: sum }]) {
    assert.doesNotThrow(() => m6.windowOperator(options), `windowOperator(${preview(options)}) is allowed`);
  }
});

test("adding something that is not a StreamRecord is a RangeError and changes nothing: no key or a key that is not a string, a time that is missing or not a finite number", () => {
  const op = m6.windowOperator({ window: { tumbling: 10 }, reduce: sum });
  op.add({ key: "k", value: 1, time: 1 }, 0);
  const bad: unknown[] = [
    null,
    undefined,
    42,
    "k",
    { value: 1, time: 1 },
    { key: 5, value: 1, time: 1 },
    { key: null, value: 1, time: 1 },
    { key: "k", value: 1 },
    { key: "k", value: 1, time: Number.NaN },
    { key: "k", value: 1, time: Number.POSITIVE_INFINITY },
    { key: "k", value: 1, time: Number.NEGATIVE_INFINITY },
    { key: "k", value: 1, time: "5" },
  ];
  for (const record of bad) assert.throws(() => op.add(record as StreamRecord, 0), RangeError, `add(${preview(record)})`);
  assert.equal(op.held(), 1);
  gave(op.watermark(10), [result("k", 0, 10, 1, "on time", 0, true)], "the window holds only the good record");
});

// ---------------------------------------------------------------------------
// The simulated users of the local web (autograder/web/activity.ts).

test("fed the simulated users' searches as they arrive (Zipf queries, a burst, out of order, some very late), with watermarks over one partition bounded by the arrival delay, the operator counts each minute's queries as the users asked them, and gives out as late exactly the searches whose minute had expired", withSeed((random) => {
  const outOfOrderMs = 2_000;
  const { searches, perMinute } = userActivity({
    seed: random.uint32(),
    queries: ["vacuum", "create index", "select", "join", "wal", "autovacuum", "explain", "copy", "analyze", "cluster"],
    start: 0,
    durationMs: 5 * minute,
    rate: 30,
    burst: { query: "wal", at: 2 * minute, ms: minute, factor: 30 },
    outOfOrderMs,
    lateShare: 0.02,
    lateMs: 2 * minute,
  });
  const op = m6.windowOperator({ window: { tumbling: minute }, reduce: sum });
  const marks = m6.watermarks(1, outOfOrderMs);
  const counted = new Map<number, Map<string, number>>();
  const expected = new Map<number, Map<string, number>>();
  let lateSeen = 0;
  let lateExpected = 0;
  const count = (minuteStart: number, query: string) => {
    const counts = expected.get(minuteStart) ?? new Map<string, number>();
    expected.set(minuteStart, counts.set(query, (counts.get(query) ?? 0) + 1));
  };
  /** The operator's latest count of a query in a minute. */
  const latest = (given: WindowResult) => {
    const counts = counted.get(given.start) ?? new Map<string, number>();
    counted.set(given.start, counts.set(given.key, given.value as number));
  };
  for (const search of searches) {
    const start = Math.floor(search.time / minute) * minute;
    if (start + minute <= marks.current()) lateExpected++;
    else count(start, search.query);
    const outputs = [...op.add({ key: search.query, value: 1, time: search.time }, search.arrival)];
    marks.observe(0, search.time);
    outputs.push(...op.watermark(marks.current()));
    for (const output of outputs) {
      if ("late" in output) lateSeen++;
      else latest(output.result);
    }
  }
  for (const output of op.watermark(Infinity)) if ("result" in output) latest(output.result);
  assert.ok(lateExpected > 0, "some searches arrive after their minute expired");
  assert.equal(lateSeen, lateExpected, "the late searches are given out as late");
  assert.deepEqual(counted, expected, "each minute's counts are those of the searches not late");
  let asked = 0;
  for (const [minuteStart, counts] of perMinute) for (const [query, n] of counts) asked += n - (expected.get(minuteStart)?.get(query) ?? 0);
  assert.equal(asked, lateExpected, "what the users asked is what was counted plus what came late");
  assert.equal(op.held(), 0);
}));
