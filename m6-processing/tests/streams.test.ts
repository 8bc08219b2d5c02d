/**
 * The stream processor (handouts/m6.md#the-processor): its pure cores as
 * api.ts's examples use them, Apache Beam's on-time LeaderBoard scenario,
 * and a job on three members, drained.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type * as Api from "../api.ts";
import { m6 } from "./_engine.ts";

const sum = (a: unknown, b: unknown): unknown => (a as number) + (b as number);
const minute = 60_000;

test("windowOperator and watermarks give what api.ts's examples say, and Beam's on-time LeaderBoard scenario gives blue 12 and red 4", () => {
  const op = m6.windowOperator({ window: { tumbling: 10 }, reduce: sum });
  op.add({ key: "red", value: 3, time: 1 }, 0);
  op.add({ key: "red", value: 4, time: 9 }, 0);
  assert.deepEqual(op.watermark(10), [{ result: { key: "red", start: 0, end: 10, value: 7, timing: "on time", pane: 0, final: true } }]);
  assert.deepEqual(op.add({ key: "red", value: 5, time: 2 }, 0), [{ late: { key: "red", value: 5, time: 2 } }]);
  assert.equal(op.held(), 0);

  const marks = m6.watermarks(2, 5);
  marks.observe(0, 100);
  assert.equal(marks.current(), -Infinity);
  marks.observe(1, 50);
  assert.equal(marks.current(), 45);
  marks.idle(1);
  assert.equal(marks.current(), 95);
  marks.observe(1, 60);
  assert.equal(marks.current(), 95);
  marks.observe(0, 300);
  marks.idle(0);
  assert.equal(marks.current(), 95);
  marks.idle(1);
  assert.equal(marks.current(), 295);

  // Beam's testTeamScoresOnTime: 20-minute windows, an hour of allowed lateness, scores summed by team.
  const teams = m6.windowOperator({ window: { tumbling: 20 * minute }, reduce: sum, allowedLatenessMs: 60 * minute, earlyMs: 5 * minute, lateMs: 10 * minute });
  const given: Api.WindowOutput[] = [...teams.watermark(0)];
  for (const [team, score, time] of [["blue", 3, 3_000], ["blue", 2, minute], ["red", 3, 22_000], ["blue", 5, 3 * minute]] as const) given.push(...teams.add({ key: team, value: score, time }, 0));
  given.push(...teams.watermark(3 * minute));
  for (const [team, score, time] of [["red", 1, 4 * minute], ["blue", 2, 270_000]] as const) given.push(...teams.add({ key: team, value: score, time }, 0));
  given.push(...teams.watermark(Infinity));
  assert.deepEqual(given.map((output) => ("result" in output ? [output.result.key, output.result.value, output.result.timing] : output)), [["blue", 12, "on time"], ["red", 4, "on time"]]);
});

test("a job on three members, drained, appends one on-time result per key and window to its sink, each the sum of its records", async (t) => {
  const nodes: Api.EngineNode[] = [];
  t.after(() => Promise.all(nodes.map((node) => node.stop())));
  for (let i = 0; i < 4; i++) nodes.push(await m6.startNode());
  const members = nodes.slice(0, 3).map((node) => node.address);
  for (const node of nodes) await node.groups.put("g", members);
  const outsider = nodes[3] as Api.EngineNode;
  const log = outsider.log("g");
  await log.createTopic("clicks", { partitions: 3 });
  await log.createTopic("counts", { partitions: 2 });
  const events: Api.LogEvent[] = [];
  for (let time = 0; time < 60; time++) for (const key of ["a", "b", "c", "d"]) events.push({ key, value: time, time });
  await log.append("clicks", events);

  const streams = outsider.streams("g");
  const started = await streams.start({ name: "per-key", source: "clicks", sink: "counts", window: { tumbling: 20 }, reduce: sum, checkpointEvery: 50 });
  assert.equal(started.running, true);
  const stopped = await streams.stop("per-key", { drain: true });
  assert.deepEqual([stopped.running, stopped.offsets.reduce((a, b) => a + b), stopped.watermark, stopped.held, stopped.results], [false, 240, Infinity, 0, 12]);

  const results: Api.WindowResult[] = [];
  for (const partition of [0, 1]) results.push(...(await log.read("counts", partition, 0, 100)).events.map((event) => event.value as Api.WindowResult));
  const expected = ["a", "b", "c", "d"].flatMap((key) => [0, 20, 40].map((start) => ({ key, start, end: start + 20, value: 10 * (2 * start + 19), timing: "on time", pane: 0, final: true })));
  const order = (a: Api.WindowResult, b: Api.WindowResult) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.start - b.start);
  assert.deepEqual(results.sort(order), expected);
});

test("served with learn, a search logs its query to \"queries\" and its hits to \"views\", and a click posted to /click logs a view [0, 1]", async (t) => {
  const nodes: Api.EngineNode[] = [];
  t.after(() => Promise.all(nodes.map((node) => node.stop())));
  for (let i = 0; i < 3; i++) nodes.push(await m6.startNode());
  for (const node of nodes) await node.groups.put("g", nodes.map((member) => member.address));
  const server = await (nodes[0] as Api.EngineNode).engine("g").serve({ learn: true });
  assert.equal((await fetch(`${server.url}/search?q=${encodeURIComponent("  Vacuum FULL ")}`)).status, 200);
  assert.equal((await fetch(`${server.url}/click?url=${encodeURIComponent("http://example.test/a")}`, { method: "POST" })).status, 204);
  const log = (nodes[1] as Api.EngineNode).log("g");
  const all = async (topic: string) => (await Promise.all([0, 1, 2, 3].map((partition) => log.read(topic, partition, 0)))).flatMap((read) => read.events);
  assert.deepEqual((await all("queries")).map((event) => [event.key, event.value]), [["vacuum full", 1]]);
  assert.deepEqual((await all("views")).map((event) => [event.key, event.value]), [["http://example.test/a", [0, 1]]]);
});
