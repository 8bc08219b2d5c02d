/**
 * handouts/m4.md#reconfiguration: a reconfiguration gives every member, old
 * and new, the new view; moves exactly the keys whose owner changed, to
 * their new owner, and says how many; and the group keeps serving while it
 * does: reads find every value, and writes, appends and deletes made during
 * the move are neither lost nor undone by it. A member that leaves holds
 * nothing of the group after.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import type { Random } from "../../autograder/harness/random.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import type * as Api from "../api.ts";
import { describe, ids, inBatches, locate, misplaced, setView, settle, startNodes, storeAtOwners } from "./_group.ts";
import { changedOwners, Placer } from "./_placement.ts";

const sorted = (keys: readonly string[]): string[] => [...keys].sort();
const addresses = (nodes: readonly Api.StoreNode[]) => nodes.map((node) => node.address);

interface Loaded {
  nodes: Api.StoreNode[];
  members: Api.StoreNode[];
  keys: string[];
  placer: Placer;
}

/**
 * Starts `count` nodes, the first `members` of which form group `gid` (in
 * their own views), and stores `keys` keys on their owners, `value(i)` each.
 */
async function loaded(
  t: TestContext,
  random: Random,
  options: { count: number; members: number; keys: number; gid?: string; placement?: Api.Placement; value?: (i: number) => unknown },
): Promise<Loaded> {
  const gid = options.gid ?? "kv";
  const nodes = await startNodes(t, options.count);
  const members = nodes.slice(0, options.members);
  await setView(members, gid, members);
  const placer = new Placer(options.placement);
  const keys = Array.from({ length: options.keys }, (_, i) => `key:${i}:${random.uint32().toString(36)}`);
  await storeAtOwners(nodes, gid, placer, members, keys.map((key, i) => [key, (options.value ?? ((n) => n))(i)] as const));
  return { nodes, members, keys, placer };
}

/** The keys whose owner changes from `before` to `after` (moving), and the others (staying). */
function movingFirst(placer: Placer, keys: readonly string[], before: readonly Api.StoreNode[], after: readonly Api.StoreNode[]): { moving: string[]; staying: string[] } {
  const moving = keys.filter((key) => placer.owner(key, ids(before)) !== placer.owner(key, ids(after)));
  const staying = keys.filter((key) => placer.owner(key, ids(before)) === placer.owner(key, ids(after)));
  return { moving, staying };
}

/** Runs `fn` over `items` (20 at a time) while `move` is pending, and at least once; returns how many ran during the move. */
async function whileMoving<T>(move: Promise<{ ok: boolean }>, items: readonly T[], fn: (item: T) => Promise<void>): Promise<number> {
  let pending = true;
  void move.finally(() => (pending = false));
  let during = 0;
  await inBatches(items, 20, async (item) => {
    const counts = pending;
    await fn(item);
    if (counts) during++;
  });
  return during;
}

test("every member, old and new, takes the new view", withSeed(async (random, t) => {
  const { nodes, members } = await loaded(t, random, { count: 6, members: 4, keys: 200 });
  const next = [...members.slice(1), nodes[4]!, nodes[5]!];
  await members[1]!.store("kv").reconfigure(addresses(next));
  const expected = sorted(next.map((node) => `${node.address.ip}:${node.address.port}`));
  for (const node of nodes) {
    const view = await node.groups.get("kv");
    assert.ok(view !== undefined, `${node.sid} knows the group`);
    assert.deepEqual(sorted(view.map((address) => `${address.ip}:${address.port}`)), expected, `${node.sid}'s view`);
  }
}));

test("a join, a leave and a change of several members each move exactly the keys whose owner changed", withSeed(async (random, t) => {
  const { nodes, members, keys, placer } = await loaded(t, random, { count: 8, members: 5, keys: 2_000 });
  const steps: Api.StoreNode[][] = [
    [...members, nodes[5]!],
    [...members, nodes[5]!].filter((node) => node !== members[2]),
    [members[0]!, members[1]!, members[3]!, nodes[6]!, nodes[7]!],
  ];
  let current = members;
  for (const [k, next] of steps.entries()) {
    const expected = changedOwners(placer, keys, ids(current), ids(next));
    const { moved } = await random.pick(current).store("kv").reconfigure(addresses(next));
    assert.equal(moved, expected, `step ${k}: moved`);
    assert.equal(misplaced(await locate(nodes, "kv"), placer.owners(keys, ids(next))), "", `step ${k}: where the keys are`);
    current = next;
  }
  for (const [i, key] of keys.entries()) {
    if (i % 10 === 0) assert.deepEqual(await random.pick(current).store("kv").get(key), { found: true, value: i });
  }
}));

test("a reconfiguration to the same members moves nothing", withSeed(async (random, t) => {
  const { nodes, members, keys, placer } = await loaded(t, random, { count: 4, members: 4, keys: 500 });
  assert.deepEqual(await members[2]!.store("kv").reconfigure(addresses(random.shuffle([...members]))), { moved: 0 });
  assert.equal(misplaced(await locate(nodes, "kv"), placer.owners(keys, ids(members))), "");
}));

test("naive placement moves exactly the keys whose owner changed: nearly all of them on a join", withSeed(async (random, t) => {
  const placement: Api.Placement = { scheme: "naive" };
  const { nodes, members, keys, placer } = await loaded(t, random, { count: 6, members: 5, keys: 1_500, placement });
  for (const node of nodes) node.store("kv", placement);
  const next = [...members, nodes[5]!];
  const expected = changedOwners(placer, keys, ids(members), ids(next));
  const { moved } = await members[0]!.store("kv", placement).reconfigure(addresses(next));
  assert.equal(moved, expected);
  assert.ok(moved > keys.length / 2, `${moved} of ${keys.length} keys moved`);
  assert.equal(misplaced(await locate(nodes, "kv"), placer.owners(keys, ids(next))), "");
}));

test("reads during a join and during a leave find every value", withSeed(async (random, t) => {
  const { nodes, members, keys, placer } = await loaded(t, random, { count: 6, members: 5, keys: 3_000, value: (i) => ({ i }) });
  const index = new Map(keys.map((key, i) => [key, i]));
  const steps = [[...members, nodes[5]!], [...members, nodes[5]!].filter((node) => node !== members[1])];
  let current = members;
  for (const [k, next] of steps.entries()) {
    const { moving, staying } = movingFirst(placer, keys, current, next);
    const clients = current.filter((node) => next.includes(node));
    const move = settle(members[0]!.store("kv").reconfigure(addresses(next)));
    const during = await whileMoving(move, [...moving, ...staying], async (key) => {
      const lookup = await random.pick(clients).store("kv").get(key);
      assert.deepEqual(lookup, { found: true, value: { i: index.get(key) } }, `step ${k}: a read during the move`);
    });
    const outcome = await move;
    assert.ok(outcome.ok, `step ${k}: the reconfiguration failed: ${outcome.ok ? "" : describe(outcome.error)}`);
    t.diagnostic(`step ${k}: ${during} of ${keys.length} reads ran during the move`);
    assert.equal(misplaced(await locate(nodes, "kv"), placer.owners(keys, ids(next))), "", `step ${k}: where the keys are`);
    current = next;
  }
}));

test("the moved count is exactly the keys whose owner changed, even when reads during the move pulled some of them first", withSeed(async (random, t) => {
  const { nodes, members, keys, placer } = await loaded(t, random, { count: 6, members: 5, keys: 2_000 });
  const next = [...members, nodes[5]!];
  const { moving } = movingFirst(placer, keys, members, next);
  const move = settle(members[0]!.store("kv").reconfigure(addresses(next)));
  const during = await whileMoving(move, moving, async (key) => {
    assert.deepEqual(await random.pick(members).store("kv").get(key), { found: true, value: keys.indexOf(key) });
  });
  const outcome = await move;
  assert.ok(outcome.ok, `the reconfiguration failed: ${outcome.ok ? "" : describe(outcome.error)}`);
  t.diagnostic(`${during} of ${moving.length} reads of moving keys ran during the move`);
  assert.equal(outcome.value.moved, moving.length, "keys moved, counting those pulled early by reads");
  assert.equal(misplaced(await locate(nodes, "kv"), placer.owners(keys, ids(next))), "");
}));

test("writes during a move are neither lost nor overwritten by the move", withSeed(async (random, t) => {
  const { nodes, members, keys, placer } = await loaded(t, random, { count: 6, members: 6, keys: 3_000, value: () => "old" });
  const next = members.filter((node) => node !== members[2] && node !== members[4]);
  const { moving, staying } = movingFirst(placer, keys, members, next);
  const written = new Set([...moving, ...staying.filter((_, i) => i % 4 === 0)]);
  const move = settle(members[3]!.store("kv").reconfigure(addresses(next)));
  const during = await whileMoving(move, [...written], (key) => random.pick(next).store("kv").put(key, "new"));
  const outcome = await move;
  assert.ok(outcome.ok, `the reconfiguration failed: ${outcome.ok ? "" : describe(outcome.error)}`);
  t.diagnostic(`${during} of ${written.size} writes ran during the move`);
  assert.equal(misplaced(await locate(nodes, "kv"), placer.owners(keys, ids(next))), "");
  const values = await inBatches(keys, 50, (key) => random.pick(nodes).store("kv").get(key));
  for (const [i, key] of keys.entries()) {
    assert.deepEqual(values[i], { found: true, value: written.has(key) ? "new" : "old" }, `${key} (${moving.includes(key) ? "moved" : "stayed"})`);
  }
}));

test("appends during a move extend the old lists, from many members at once, and lose nothing", withSeed(async (random, t) => {
  const { nodes, members, keys, placer } = await loaded(t, random, { count: 6, members: 5, keys: 2_500, value: (i) => [`first ${i}`] });
  const next = [...members, nodes[5]!];
  const { moving, staying } = movingFirst(placer, keys, members, next);
  const hot = moving.slice(0, 10);
  const appends = [...hot.flatMap((key) => [key, key, key]), ...moving, ...staying.slice(0, 300)];
  const move = settle(members[4]!.store("kv").reconfigure(addresses(next)));
  const lengths = new Map<string, number[]>();
  const during = await whileMoving(move, appends, async (key) => {
    const length = await random.pick(members).store("kv").append(key, "second");
    lengths.set(key, [...(lengths.get(key) ?? []), length]);
  });
  const outcome = await move;
  assert.ok(outcome.ok, `the reconfiguration failed: ${outcome.ok ? "" : describe(outcome.error)}`);
  t.diagnostic(`${during} of ${appends.length} appends ran during the move`);
  const count = new Map<string, number>();
  for (const key of appends) count.set(key, (count.get(key) ?? 0) + 1);
  for (const [key, n] of count) {
    const i = keys.indexOf(key);
    assert.deepEqual(sorted((lengths.get(key) ?? []).map(String)), sorted(Array.from({ length: n }, (_, j) => String(j + 2))), `lengths told for ${key}`);
    assert.deepEqual(await random.pick(next).store("kv").get(key), { found: true, value: [`first ${i}`, ...Array.from({ length: n }, () => "second")] }, key);
  }
  assert.equal(misplaced(await locate(nodes, "kv"), placer.owners(keys, ids(next))), "");
}));

test("a delete during a move stays deleted", withSeed(async (random, t) => {
  const { nodes, members, keys, placer } = await loaded(t, random, { count: 6, members: 5, keys: 2_500 });
  const next = [...members, nodes[5]!].filter((node) => node !== members[0]);
  const { moving } = movingFirst(placer, keys, members, next);
  const deleted = moving.filter((_, i) => i % 2 === 0);
  const move = settle(members[1]!.store("kv").reconfigure(addresses(next)));
  const during = await whileMoving(move, deleted, async (key) => {
    assert.deepEqual(await random.pick(members.slice(1)).store("kv").del(key), { found: true, value: keys.indexOf(key) });
  });
  const outcome = await move;
  assert.ok(outcome.ok, `the reconfiguration failed: ${outcome.ok ? "" : describe(outcome.error)}`);
  t.diagnostic(`${during} of ${deleted.length} deletes ran during the move`);
  const gone = new Set(deleted);
  for (const key of deleted) assert.deepEqual(await random.pick(next).store("kv").get(key), { found: false }, `${key} was deleted during the move`);
  const remaining = keys.filter((key) => !gone.has(key));
  assert.equal(misplaced(await locate(nodes, "kv"), placer.owners(remaining, ids(next))), "");
}));

test("members that leave hold no keys of the group after, and keys() is the union of the rest", withSeed(async (random, t) => {
  const { nodes, members, keys } = await loaded(t, random, { count: 5, members: 5, keys: 1_000 });
  const leavers = [members[1]!, members[3]!];
  const next = members.filter((node) => !leavers.includes(node));
  await members[3]!.store("kv").reconfigure(addresses(next));
  for (const leaver of leavers) assert.deepEqual(await leaver.local.keys("kv"), [], `${leaver.sid} left but holds keys`);
  for (const node of nodes) assert.deepEqual(sorted(await node.store("kv").keys()), sorted(keys), `keys() through ${node.sid}`);
  for (const [i, key] of keys.entries()) {
    if (i % 20 === 0) assert.deepEqual(await random.pick(leavers).store("kv").get(key), { found: true, value: i }, "a read through a member that left");
  }
}));

test("once a reconfiguration ends, every member forgets the old view: a key that appears on an old owner later is not pulled", withSeed(async (random, t) => {
  const { nodes, members, placer } = await loaded(t, random, { count: 5, members: 4, keys: 100 });
  await members[0]!.store("kv").reconfigure(addresses(nodes));
  const late = Array.from({ length: 200 }, (_, i) => `late:${i}:${random.uint32().toString(36)}`)
    .filter((key) => placer.owner(key, ids(members)) !== placer.owner(key, ids(nodes)));
  assert.ok(late.length > 0, "some keys change owner");
  const byId = new Map(nodes.map((node) => [node.id, node]));
  for (const key of late) await byId.get(placer.owner(key, ids(members)))!.local.put("kv", key, "stray");
  for (const key of late) {
    assert.deepEqual(await random.pick(nodes).store("kv").get(key), { found: false }, `${key} was pulled from its old owner after the move`);
    assert.deepEqual(await byId.get(placer.owner(key, ids(members)))!.local.get("kv", key), { found: true, value: "stray" }, `${key} left its old owner`);
  }
}));

test("reconfiguring one group moves none of another group's keys", withSeed(async (random, t) => {
  const { nodes, members, keys, placer } = await loaded(t, random, { count: 5, members: 4, keys: 600, gid: "one" });
  await setView(members, "two", members);
  await storeAtOwners(nodes, "two", placer, members, keys.map((key) => [key, "two"] as const));
  const { moved } = await members[0]!.store("one").reconfigure(addresses(nodes));
  assert.equal(moved, changedOwners(placer, keys, ids(members), ids(nodes)));
  assert.equal(misplaced(await locate(nodes, "two"), placer.owners(keys, ids(members))), "", "group two's keys stay where they were");
  assert.equal(misplaced(await locate(nodes, "one"), placer.owners(keys, ids(nodes))), "", "group one's keys moved");
  for (const [i, key] of keys.entries()) {
    if (i % 15 === 0) {
      assert.deepEqual(await random.pick(members).store("two").get(key), { found: true, value: "two" });
      assert.deepEqual(await random.pick(nodes).store("one").get(key), { found: true, value: i });
    }
  }
}));
