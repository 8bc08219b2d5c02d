/**
 * handouts/m4.md#reconfiguration and #local-stores, when a member dies in the
 * middle of a move: what the handout promises still holds among the members
 * that survive. A key that stays on a surviving member, or moves between
 * surviving members, is not lost (pulling "takes it from the old member and
 * keeps it", and no other key moves); and a member on a folder, killed with
 * SIGKILL, finds again after a restart every key it held and was not giving
 * away (its writes resolved, so they survive). Keys the dead member was
 * giving or taking are not checked: the handout promises nothing for them.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Random } from "../../autograder/harness/random.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import { eventually } from "../../autograder/harness/wait.ts";
import type * as Api from "../api.ts";
import { Children } from "./_children.ts";
import { describe, ids, inBatches, setView, settle, startNodes, storeAtOwners } from "./_group.ts";
import { Placer } from "./_placement.ts";
import { tempFolder } from "./_stores.ts";

/** Resolves after `ms` of real time. */

/** Resolves with the outcome of `promise`, or with undefined if it has not settled within `limitMs`. */
async function within<T>(promise: Promise<T>, limitMs: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), limitMs)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Waits until `snapshot` gives the same answer twice, 300 ms apart (a move
 * that failed may still be finishing its batches), or `limitMs` pass.
 */
async function quiet(snapshot: () => Promise<string>, limitMs: number): Promise<void> {
  let last = await snapshot();
  await eventually(async () => {
    const next = await snapshot();
    const same = next === last;
    last = next;
    return same;
  }, limitMs, 300);
}

/** A value of about 4 KB that names its key. */
const valueOf = (key: string, i: number) => ({ key, i, pad: `${key}:${i};`.repeat(200) });

test("a member stopped in the middle of a leave loses none of the keys that surviving members held or were to hold", withSeed(async (random, t) => {
  const nodes = await startNodes(t, 6);
  await setView(nodes, "kv", nodes);
  const placer = new Placer();
  const keys = Array.from({ length: 4_000 }, (_, i) => `key:${i}:${random.uint32().toString(36)}`);
  await storeAtOwners(nodes, "kv", placer, nodes, keys.map((key, i) => [key, valueOf(key, i)] as const));
  const [leaver, stopped] = [nodes[5]!, nodes[2]!];
  const next = nodes.filter((node) => node !== leaver);
  const survivors = nodes.filter((node) => node !== stopped);
  const survivorIds = new Set(ids(survivors));
  const held = (await leaver.local.keys("kv")).length;

  const move = settle(nodes[0]!.store("kv").reconfigure(next.map((node) => node.address)));
  let pending = true;
  void move.then(() => (pending = false));
  // Stop a member as soon as the leaver has given away its first keys.
  await eventually(async () => !pending || (await leaver.local.keys("kv")).length !== held, 20_000, 1);
  const midMove = pending;
  await stopped.stop();
  const outcome = await within(move, 20_000);
  t.diagnostic(`stopped ${midMove ? "during" : "after"} the move; reconfigure ${outcome === undefined ? "still pending after 20 s" : outcome.ok ? `moved ${outcome.value.moved}` : `failed: ${describe(outcome.error)}`}`);
  await quiet(async () => (await Promise.all(survivors.map((node) => node.local.keys("kv")))).map((keys) => keys.length).join(), 20_000);

  const found = new Map<string, unknown>();
  for (const node of survivors) {
    for (const key of await node.local.keys("kv")) {
      const lookup = await node.local.get("kv", key);
      if (lookup.found) found.set(key, lookup.value);
    }
  }
  const lost: string[] = [];
  for (const [i, key] of keys.entries()) {
    const before = placer.owner(key, ids(nodes));
    const after = placer.owner(key, ids(next));
    if (!survivorIds.has(before) || !survivorIds.has(after)) continue;
    if (!found.has(key)) lost.push(key);
    else assert.deepEqual(found.get(key), valueOf(key, i), `${key} holds another value`);
  }
  assert.deepEqual(lost.slice(0, 10), [], `${lost.length} keys held by, or moving between, surviving members are lost`);
}));

test("a member killed with SIGKILL during a join loses no key of the survivors, and finds its own kept keys after a restart", withSeed(async (random, t) => {
  const parent = await tempFolder(t);
  const [client] = await startNodes(t, 1);
  const children = new Children(t);
  try {
    await killDuringJoin(t, random, client!, children, parent);
  } finally {
    await children.killAll();
  }
}));

/**
 * Three members on folders (child processes) hold keys written through
 * `client`; a fourth joins; one of the three is killed as soon as the
 * newcomer holds its first keys, then restarted on its folder.
 */
async function killDuringJoin(t: TestContext, random: Random, client: Api.StoreNode, children: Children, parent: string): Promise<void> {
  const spawnMember = async (i: number) => {
    const script = children.run("_store-node.ts", [JSON.stringify({ folder: join(parent, `member-${i}`), callTimeoutMs: 2_000 })]);
    await script.waitForLines(1, 30_000);
    const info = JSON.parse(script.lines[0] as string) as { address: Api.NodeAddress; id: string };
    return { script, ...info };
  };
  const members = await Promise.all([0, 1, 2, 3].map(spawnMember));
  const [first, victim, third, joiner] = members as [(typeof members)[0], (typeof members)[0], (typeof members)[0], (typeof members)[0]];
  const old = [first, victim, third];
  const probe = (member: { address: Api.NodeAddress }, method: string, args: unknown[], timeoutMs = 10_000) =>
    client.comm.send(args, { node: member.address, service: "probe", method }, { timeoutMs });
  await client.groups.put("kv", old.map((member) => member.address));
  await client.group("kv").groups.put("kv", old.map((member) => member.address));

  const placer = new Placer();
  const keys = Array.from({ length: 1_200 }, (_, i) => `key:${i}:${random.uint32().toString(36)}`);
  await inBatches(keys, 20, (key, i) => client.store("kv").put(key, valueOf(key, i)));
  assert.equal(await probe(joiner, "count", ["kv"]), 0);

  const next = [...old, joiner];
  const move = settle(probe(first, "reconfigure", ["kv", next.map((member) => member.address)], 60_000));
  let pending = true;
  void move.then(() => (pending = false));
  // Kill a member as soon as the newcomer holds its first keys.
  await eventually(async () => !pending || ((await probe(joiner, "count", ["kv"])) as number) !== 0, 20_000, 2);
  const midMove = pending;
  await victim.script.kill();
  const outcome = await within(move, 30_000);
  t.diagnostic(`killed ${midMove ? "during" : "after"} the move; reconfigure ${outcome === undefined ? "still pending after 30 s" : outcome.ok ? `moved ${outcome.value}` : `failed: ${describe(outcome.error)}`}`);
  await quiet(async () => (await Promise.all([first, third, joiner].map((member) => probe(member, "count", ["kv"])))).join(), 20_000);

  const found = new Map<string, unknown>();
  for (const member of [first, third, joiner]) {
    for (const [key, value] of (await probe(member, "dump", ["kv"], 30_000)) as Array<[string, unknown]>) found.set(key, value);
  }
  const survivorIds = new Set([first.id, third.id, joiner.id]);
  const lost: string[] = [];
  const keptByVictim: string[] = [];
  for (const [i, key] of keys.entries()) {
    const before = placer.owner(key, old.map((member) => member.id));
    const after = placer.owner(key, next.map((member) => member.id));
    if (before === victim.id && after === victim.id) keptByVictim.push(key);
    if (!survivorIds.has(before) || !survivorIds.has(after)) continue;
    if (!found.has(key)) lost.push(key);
    else assert.deepEqual(found.get(key), valueOf(key, i), `${key} holds another value`);
  }
  assert.deepEqual(lost.slice(0, 10), [], `${lost.length} keys held by, or moving between, surviving members are lost`);

  const restarted = children.run("_store-node.ts", [JSON.stringify({ folder: join(parent, "member-1") })]);
  await restarted.waitForLines(1, 30_000);
  const again = JSON.parse(restarted.lines[0] as string) as { address: Api.NodeAddress };
  const own = new Map((await probe(again, "dump", ["kv"], 30_000)) as Array<[string, unknown]>);
  const missing = keptByVictim.filter((key) => !own.has(key));
  assert.deepEqual(missing.slice(0, 10), [], `${missing.length} of the ${keptByVictim.length} keys the killed member kept are gone after its restart`);
  for (const key of keptByVictim) assert.deepEqual(own.get(key), valueOf(key, keys.indexOf(key)));
}
