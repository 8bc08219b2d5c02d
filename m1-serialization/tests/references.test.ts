import assert from "node:assert/strict";
import { test } from "node:test";
import { roundTrip } from "./_round-trip.ts";

test("an object reached twice is one object after a round trip", () => {
  const shared = { count: 1 };
  const copy = roundTrip({ left: shared, right: shared, list: [shared] });
  assert.equal(copy.left, copy.right);
  assert.equal(copy.list[0], copy.left);
});

test("a cycle survives a round trip", () => {
  const node: { name: string; self?: unknown; map: Map<string, unknown> } = { name: "loop", map: new Map() };
  node.self = node;
  node.map.set("back", node);
  const copy = roundTrip(node);
  assert.equal(copy.self, copy);
  assert.equal(copy.map.get("back"), copy);
});

test("a value nested 100,000 levels deep survives a round trip", () => {
  let deep: unknown = "bottom";
  for (let level = 0; level < 100_000; level++) deep = { level, next: deep };
  roundTrip(deep);
});
