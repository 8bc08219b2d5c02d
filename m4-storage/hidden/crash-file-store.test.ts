/**
 * handouts/m4.md#local-stores, crash safety: a file store whose process is
 * killed (SIGKILL) in the middle of writes keeps every write that resolved,
 * and holds no half value: each key holds the last acknowledged value or a
 * later one, whole. The same holds for a node on a folder, for the group
 * writes it acknowledged. The writers run in child processes (../tests/_writer.ts,
 * ../tests/_store-node.ts), killed after a random number of acknowledgements.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertIsomorphic } from "../../autograder/harness/isomorphic.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import type * as Api from "../api.ts";
import { Children } from "./_children.ts";
import { allKeys, parseAck, seqOf, valueFor } from "../tests/_crash.ts";
import { inBatches, m4, settle, startNodes } from "./_group.ts";
import { tempFolder } from "./_stores.ts";

/** Checks a folder left by killed writers against what they acknowledged. */
async function checkFolder(folder: string, lastSeq: Map<string, number>, lastLength: Map<string, number>, round: number): Promise<void> {
  const store = m4.fileStore(folder);
  const listed = await store.keys("g");
  const strange = listed.filter((key) => !allKeys.includes(key));
  assert.deepEqual(strange, [], `round ${round}: keys() lists keys that were never written`);
  for (const key of [...lastSeq.keys(), ...lastLength.keys()]) assert.ok(listed.includes(key), `round ${round}: an acknowledged key ${JSON.stringify(key)} is not listed`);
  for (const key of listed) {
    const lookup = await store.get("g", key);
    assert.ok(lookup.found, `round ${round}: a listed key ${JSON.stringify(key)} is not found`);
    if (lastLength.has(key) || Array.isArray(lookup.value)) {
      const list = lookup.value as unknown[];
      assert.ok(Array.isArray(list), `round ${round}: ${JSON.stringify(key)} is a list`);
      assert.deepEqual(list, Array.from({ length: list.length }, (_, i) => i), `round ${round}: the list at ${JSON.stringify(key)} is whole and in order`);
      assert.ok(list.length >= (lastLength.get(key) ?? 0), `round ${round}: the list at ${JSON.stringify(key)} has ${list.length} items, ${lastLength.get(key)} were acknowledged`);
    } else {
      const seq = seqOf(lookup.value);
      assert.ok(seq !== undefined, `round ${round}: ${JSON.stringify(key)} holds something never written`);
      assertIsomorphic(lookup.value, valueFor(key, seq), `round ${round}: the value at ${JSON.stringify(key)} is not whole`);
      assert.ok(seq >= (lastSeq.get(key) ?? 0), `round ${round}: ${JSON.stringify(key)} holds write ${seq}, older than the acknowledged ${lastSeq.get(key)}`);
    }
  }
}

test("a file store killed with SIGKILL mid-write keeps every acknowledged write, and no value is ever half written", withSeed(async (random, t) => {
  const folder = join(await tempFolder(t), "store");
  const children = new Children(t);
  const lastSeq = new Map<string, number>();
  const lastLength = new Map<string, number>();
  try {
    for (let round = 0; round < 2; round++) {
      const writer = children.run("_writer.ts", [folder, "g", String((round + 1) * 1_000_000)]);
      await writer.waitForLines(1, 20_000);
      assert.equal(writer.lines[0], "ready", writer.errors());
      await writer.waitForLines(1 + random.int(40, 160), 20_000);
      await writer.kill();
      for (const line of writer.lines.slice(1)) {
        const ack = parseAck(line);
        if (ack.op === "put") lastSeq.set(ack.key, Math.max(ack.seq, lastSeq.get(ack.key) ?? 0));
        else lastLength.set(ack.key, Math.max(ack.length, lastLength.get(ack.key) ?? 0));
      }
      await checkFolder(folder, lastSeq, lastLength, round);
    }
  } finally {
    await children.killAll();
  }
  const reopened = m4.fileStore(folder);
  await reopened.put("g", "after the crashes", 1);
  assert.deepEqual(await reopened.get("g", "after the crashes"), { found: true, value: 1 }, "a store on the folder works after the crashes");
}));

test("a node on a folder killed with SIGKILL keeps every group write it acknowledged", withSeed(async (random, t) => {
  const parent = await tempFolder(t);
  const folder = join(parent, "node");
  const [client] = await startNodes(t, 1);
  const children = new Children(t);
  try {
    await nodeSurvives(client!, children, folder, random.int(50, 150));
  } finally {
    await children.killAll();
  }
}));

/** Writes through a node on `folder` until `target` keys are acknowledged, kills it, restarts it, and checks. */
async function nodeSurvives(client: Api.StoreNode, children: Children, folder: string, target: number): Promise<void> {
  const first = children.run("_store-node.ts", [JSON.stringify({ folder })]);
  await first.waitForLines(1, 20_000);
  const child = JSON.parse(first.lines[0] as string) as { address: Api.NodeAddress };
  await client.groups.put("kv", [child.address]);
  await client.group("kv").groups.put("kv", [child.address]);
  const store = client.store("kv");
  const acknowledged = new Map<string, number>();
  let next = 0;
  let killed = false;
  const writes = inBatches(Array.from({ length: 2_000 }, (_, i) => i), 16, async (i) => {
    if (killed) return;
    const key = `key ${i % 500}`;
    const seq = next++;
    const outcome = await settle(store.put(key, valueFor(key, seq)));
    if (outcome.ok) acknowledged.set(key, Math.max(seq, acknowledged.get(key) ?? -1));
    if (outcome.ok && !killed && acknowledged.size >= target) {
      killed = true;
      await first.kill();
    }
  });
  await writes;
  assert.ok(killed, "the node was killed mid-stream");
  const second = children.run("_store-node.ts", [JSON.stringify({ folder })]);
  await second.waitForLines(1, 20_000);
  const restarted = JSON.parse(second.lines[0] as string) as { address: Api.NodeAddress };
  const entries = (await client.comm.send(["kv"], { node: restarted.address, service: "probe", method: "dump" }, { timeoutMs: 20_000 })) as Array<[string, unknown]>;
  const held = new Map(entries);
  for (const [key, seq] of acknowledged) {
    assert.ok(held.has(key), `the acknowledged ${JSON.stringify(key)} is lost`);
    const value = held.get(key);
    const found = seqOf(value);
    assert.ok(found !== undefined && found >= seq, `${JSON.stringify(key)} holds write ${found}, older than the acknowledged ${seq}`);
    assertIsomorphic(value, valueFor(key, found), `the value at ${JSON.stringify(key)} is not whole`);
  }
  for (const [key, value] of held) {
    const seq = seqOf(value);
    assert.ok(seq !== undefined, `${JSON.stringify(key)} holds something never written`);
    assertIsomorphic(value, valueFor(key, seq), `the value at ${JSON.stringify(key)} is not whole`);
  }
}
