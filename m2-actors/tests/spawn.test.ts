import assert from "node:assert/strict";
import { test } from "node:test";
import { UnreachableError } from "../../autograder/kit/errors.ts";
import { m2, nodes } from "./_nodes.ts";

test("spawnNode starts a node in a child process, and stop() ends it", async (t) => {
  const [parent] = await nodes(t, 1);
  const child = await m2.spawnNode();
  const remote = { node: child.address, service: "status", method: "get" };
  assert.equal(await parent?.comm.send(["nid"], remote), child.id);
  assert.notEqual(child.address.port, parent?.address.port);
  await child.stop();
  await assert.rejects(parent!.comm.send(["nid"], remote), UnreachableError);
});
