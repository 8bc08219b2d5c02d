/**
 * extendNode (kit/extend-node.ts): a later milestone's node is the earlier
 * node's fields plus its own, with its services registered and a stop that
 * closes both, whether the earlier node is a plain object or a class
 * instance with private state.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { extendNode } from "../kit/extend-node.ts";

/** An earlier node written as a class, as a student might: private fields, methods on the prototype, a getter. */
class ClassNode {
  readonly registered: Array<{ name: string; mode: string | undefined }> = [];
  readonly events: string[] = [];
  #id = "n1";
  get id(): string {
    return this.#id;
  }
  readonly routes = {
    put: async (_service: object, name: string, options?: { mode?: "actor" | "concurrent" }) => void this.registered.push({ name, mode: options?.mode }),
  };
  describe(): string {
    return `node ${this.#id}`;
  }
  async stop(): Promise<void> {
    this.events.push(`base stopped ${this.#id}`);
  }
}

test("the earlier node's fields, getters and methods carry over, methods still bound to it", async () => {
  const base = new ClassNode();
  const node = await extendNode(base, { fields: { extra: 42 } });
  assert.equal(node.id, "n1");
  assert.equal(node.describe(), "node n1", "a prototype method reading a private field");
  const { describe } = node;
  assert.equal(describe(), "node n1", "detached, it is still bound");
  assert.equal(node.extra, 42);
  assert.equal(node.routes, base.routes);
});

test("new fields replace the earlier node's fields of the same name", async () => {
  const node = await extendNode({ routes: { put: async () => {} }, stop: async () => {}, status: "old", kept: 1 }, { fields: { status: "new" } });
  assert.equal(node.status, "new");
  assert.equal(node.kept, 1);
});

test("each service is registered on the earlier node, concurrent, under its name", async () => {
  const base = new ClassNode();
  await extendNode(base, { fields: {}, services: { groups: { put() {} }, gossip: { push() {} } } });
  assert.deepEqual(base.registered, [{ name: "groups", mode: "concurrent" }, { name: "gossip", mode: "concurrent" }]);
});

test("stop closes the extension first, then the earlier node, once however often it is called", async () => {
  const base = new ClassNode();
  const node = await extendNode(base, { fields: {}, stop: () => void base.events.push("extension stopped") });
  await Promise.all([node.stop(), node.stop()]);
  await node.stop();
  assert.deepEqual(base.events, ["extension stopped", "base stopped n1"]);
});

test("the earlier node stops even when the extension's stop throws, and stop rejects with that error", async () => {
  const base = new ClassNode();
  const node = await extendNode(base, { fields: {}, stop: () => { throw new Error("cannot close"); } });
  await assert.rejects(node.stop(), /cannot close/);
  assert.deepEqual(base.events, ["base stopped n1"]);
});
