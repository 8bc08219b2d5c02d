import assert from "node:assert/strict";
import { test } from "node:test";
import { m3 } from "./_nodes.ts";

test("spawnNode starts a milestone-3 node in a child process", async (t) => {
  const parent = await m3.startNode();
  t.after(() => parent.stop());
  const child = await m3.spawnNode();
  t.after(() => child.stop());
  await parent.groups.put("pair", [parent.address, child.address]);
  await parent.group("pair").groups.put("pair", [parent.address, child.address]);
  const view = await parent.comm.send(["pair"], { node: child.address, service: "groups", method: "get" });
  assert.deepEqual(view, [parent.address, child.address]);
});
