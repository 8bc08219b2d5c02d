/**
 * pageRank() against the published anchors (FACTS.md), and on the
 * generated web's link graph.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { crawlTruth, createWeb, pageRank } from "../web/index.ts";

function assertClose(actual: number | undefined, expected: number, what: string): void {
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 5e-8, `${what}: expected ${expected}, got ${actual}`);
}

function sum(ranks: Map<unknown, number>): number {
  return [...ranks.values()].reduce((a, b) => a + b, 0);
}

test("pageRank() matches networkx's six-node test graph with alpha 0.9", () => {
  const edges: Array<[number, number]> = [[1, 2], [1, 3], [3, 1], [3, 2], [3, 5], [4, 5], [4, 6], [5, 4], [5, 6], [6, 4]];
  const ranks = pageRank(edges, { damping: 0.9 });
  const expected = { 1: 0.03721197, 2: 0.05395735, 3: 0.04150565, 4: 0.37508082, 5: 0.20599833, 6: 0.28624589 };
  for (const [node, rank] of Object.entries(expected)) assertClose(ranks.get(Number(node)), rank, `node ${node}`);
});

test("pageRank() matches the eleven-node A…K graph with d 0.85, dangling A spread uniformly", () => {
  const edges: Array<[string, string]> = [["B", "C"], ["C", "B"], ["D", "A"], ["D", "B"], ["E", "B"], ["E", "D"], ["E", "F"], ["F", "B"], ["F", "E"]];
  for (const from of ["G", "H", "I"]) edges.push([from, "B"], [from, "E"]);
  edges.push(["J", "E"], ["K", "E"]);
  const ranks = pageRank(edges);
  const expected = { A: 0.03278149, B: 0.38440095, C: 0.34291029, D: 0.03908709, E: 0.08088569, F: 0.03908709 };
  for (const [node, rank] of Object.entries(expected)) assertClose(ranks.get(node), rank, node);
  for (const node of "GHIJK") assertClose(ranks.get(node), 0.01616948, node);
});

test("pageRank() sums to 1, counts a repeated edge once, and ranks isolated nodes given in `nodes`", () => {
  assert.deepEqual(pageRank([["a", "b"], ["a", "b"], ["b", "c"]]), pageRank([["a", "b"], ["b", "c"]]));
  const ranks = pageRank([["a", "b"], ["b", "c"]], { nodes: ["z"] });
  assert.deepEqual([...ranks.keys()], ["z", "a", "b", "c"]);
  assert.ok(Math.abs(sum(ranks) - 1) < 1e-12);
  assert.deepEqual(pageRank([]), new Map());
});

test("pageRank() refuses a damping factor outside [0, 1] and says when it does not converge", () => {
  assert.throws(() => pageRank([["a", "b"]], { damping: 1.5 }), RangeError);
  assert.throws(() => pageRank([["a", "b"]], { damping: Number.NaN }), RangeError);
  assert.throws(() => pageRank([["a", "b"], ["b", "a"], ["b", "c"]], { damping: 1, maxIterations: 3 }), /no convergence/);
});

test("on the generated web's graph, PageRank sums to 1 and the root ranks first", () => {
  const truth = crawlTruth(createWeb({ pages: 1000, seed: 5 }));
  const ranks = pageRank(truth.edges, { nodes: truth.pages });
  assert.equal(ranks.size, truth.pages.length);
  assert.ok(Math.abs(sum(ranks) - 1) < 1e-9);
  const [top] = [...ranks].sort((a, b) => b[1] - a[1]);
  assert.equal(top?.[0], "/");
});
