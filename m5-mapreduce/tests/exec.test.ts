import { test } from "node:test";
import assert from "node:assert/strict";
import { JobError } from "../../autograder/kit/errors.ts";
import { contents, documents, group, wordCounts } from "./_nodes.ts";

const split = (_name: string, text: unknown) => (text as string).split(" ").map((word): [string, unknown] => [word, 1]);
const sum = (_word: string, counts: unknown[]) => (counts as number[]).reduce((total, count) => total + count, 0);

test("a word count over three members gives what a plain loop gives", async (t) => {
  const nodes = await group(t, 3, "docs", documents);
  const result = await nodes[0]!.mr("docs").exec({ map: split, reduce: sum });
  assert.deepEqual(await contents(nodes[1]!, result.out), wordCounts(documents));
  assert.equal(result.rounds, 1);
});

test("every input key is mapped once, and every emitted key reduced once", async (t) => {
  const nodes = await group(t, 3, "docs", documents);
  const { counts } = await nodes[2]!.mr("docs").exec({ map: split, reduce: sum });
  const total = (field: "maps" | "reduces" | "emitted") => [...counts.values()].reduce((all, mine) => all + mine[field], 0);
  assert.equal(total("maps"), Object.keys(documents).length);
  assert.equal(total("reduces"), Object.keys(wordCounts(documents)).length);
  assert.equal(total("emitted"), Object.values(documents).join(" ").split(" ").length);
});

test("a combiner shuffles fewer pairs and gives the same output", async (t) => {
  const nodes = await group(t, 2, "docs", documents);
  const plain = await nodes[0]!.mr("docs").exec({ map: split, reduce: sum });
  const combined = await nodes[0]!.mr("docs").exec({ map: split, reduce: sum, combine: sum });
  const shuffled = (result: typeof plain) => [...result.counts.values()].reduce((all, mine) => all + mine.shuffled, 0);
  assert.ok(shuffled(combined) < shuffled(plain), `${shuffled(combined)} pairs shuffled with the combiner, ${shuffled(plain)} without`);
  assert.deepEqual(await contents(nodes[0]!, combined.out), await contents(nodes[0]!, plain.out));
});

test("each round's output is the next round's input, and a tolerance stops the rounds early", async (t) => {
  const nodes = await group(t, 3, "numbers", { x: 64, y: 1 });
  const halve = { map: (key: string, value: unknown): Array<[string, unknown]> => [[key, (value as number) / 2]], reduce: (_key: string, values: unknown[]) => values[0] };
  const fixed = await nodes[0]!.mr("numbers").exec({ ...halve, rounds: 3 });
  assert.deepEqual(await contents(nodes[0]!, fixed.out), { x: 8, y: 0.125 });
  const early = await nodes[0]!.mr("numbers").exec({ ...halve, rounds: 100, distance: (_key, before, after) => Math.abs((before as number) - (after as number)), tolerance: 1 });
  assert.equal(early.rounds, 7, "round r changes x and y by 65 / 2^r in all: at most 1 first in round 7");
  assert.deepEqual(await contents(nodes[0]!, early.out), { x: 0.5, y: 1 / 128 });
});

test("a map that throws fails the job with a JobError naming the step and the key, and leaves no output", async (t) => {
  const nodes = await group(t, 2, "docs", documents);
  const failing = nodes[0]!.mr("docs").exec({ out: "never", map: (name: string) => { if (name === "c.txt") throw new Error("bad page"); return []; }, reduce: sum });
  await assert.rejects(failing, (error: unknown) => error instanceof JobError && error.step === "map" && error.key === "c.txt" && /bad page/.test(error.message));
  assert.deepEqual(await contents(nodes[1]!, "never"), {});
});
