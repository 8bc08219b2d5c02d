import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { m2, nodes } from "./_nodes.ts";

test("a node listens on a free loopback port and knows its id", async (t) => {
  const [node] = await nodes(t, 1);
  assert.equal(node?.address.ip, "127.0.0.1");
  assert.ok((node?.address.port ?? 0) > 0);
  assert.equal(node?.id.length, 64);
  assert.equal(node?.sid, node?.id.slice(0, 5));
});

test("a node id is the SHA-256 of ip:port", () => {
  const expected = createHash("sha256").update("127.0.0.1:8080").digest("hex");
  assert.equal(m2.nodeId({ ip: "127.0.0.1", port: 8080 }), expected);
});

test("stop() frees the node's port", async (t) => {
  const first = await m2.startNode();
  const { port } = first.address;
  await first.stop();
  const [second] = await nodes(t, 1, { port });
  assert.equal(second?.address.port, port);
});
