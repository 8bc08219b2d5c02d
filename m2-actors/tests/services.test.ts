import assert from "node:assert/strict";
import { test } from "node:test";
import { at, nodes } from "./_nodes.ts";

test("status reports the node's id and address, locally and remotely", async (t) => {
  const [a, b] = await nodes(t, 2);
  assert.equal(await a?.status.get("nid"), a?.id);
  assert.equal(await a?.comm.send(["port"], at(b!, "status", "get")), b?.address.port);
  await assert.rejects(a!.status.get("nonsense" as never), RangeError);
});

test("routes register, look up and remove services, per group", async (t) => {
  const [node] = await nodes(t, 1);
  const echo = { echo: (x: unknown) => x };
  await node?.routes.put(echo, "echo");
  await node?.routes.put(echo, "echo", { gid: "other" });
  assert.equal(await node?.routes.get("echo"), echo);
  assert.equal(await node?.routes.rem("echo"), echo);
  assert.equal(await node?.routes.get("echo"), undefined);
  assert.equal(await node?.routes.get("echo", { gid: "other" }), echo);
});

test("a service handles its messages one at a time", async (t) => {
  const [a, b] = await nodes(t, 2);
  let count = 0;
  // Reading, waiting, then writing: without one-at-a-time, increments are lost.
  await b?.routes.put({
    increment: async () => {
      const seen = count;
      await new Promise((resolve) => setImmediate(resolve));
      count = seen + 1;
      return count;
    },
  }, "counter");
  await Promise.all(Array.from({ length: 50 }, () => a?.comm.send([], at(b!, "counter", "increment"))));
  assert.equal(count, 50);
});
