/**
 * handouts/m4.md#reconfiguration: a reconfiguration gives every member, old
 * and new, the new view; moves exactly the keys whose owner changed, to
 * their new owner, and says how many (and that no member failed); and the
 * group keeps serving while it does: reads find every value, and writes,
 * appends and deletes made during the move are neither lost nor undone by
 * it. A member that leaves holds nothing of the group after.
 *
 * The tests of operations during a move run in the simulation (./_sim.ts),
 * where the test sees when the move began and ended, and requires that many
 * operations, on keys that move among them, ran in between; one holds the
 * old members' hand-offs back until the newcomer has settled and changed
 * some of the keys they carry, so that the copies arrive stale, every time.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import type { Random } from "../../autograder/harness/random.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import type { Simulation } from "../../autograder/harness/sim/simulation.ts";
import { withSimulation } from "../../autograder/harness/sim/with-simulation.ts";
import type { NodeContext, WireRequest } from "../../autograder/kit/context.ts";
import type { TracedMessage } from "../../autograder/harness/sim/trace.ts";
import type * as Api from "../api.ts";
import { describe, ids, inBatches, locate, misplaced, setView, startNodes, storeAtOwners } from "./_group.ts";
import { changedOwners, Placer } from "./_placement.ts";
import { at, Gate, type MoveRun, overlapLine, simNodes, throughMove } from "./_sim.ts";

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

/** The items of two lists taken in turn, one from each, then the rest of the longer. */
function interleave<T>(a: readonly T[], b: readonly T[]): T[] {
  const both: T[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i < a.length) both.push(a[i] as T);
    if (i < b.length) both.push(b[i] as T);
  }
  return both;
}

test("every member, old and new, takes the new view", withSeed(async (random, t) => {
  const { nodes, members } = await loaded(t, random, { count: 6, members: 4, keys: 200 });
  const next = [...members.slice(1), nodes[4]!, nodes[5]!];
  assert.equal((await members[1]!.store("kv").reconfigure(addresses(next))).errors.size, 0, "no member failed");
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
    const { moved, errors } = await random.pick(current).store("kv").reconfigure(addresses(next));
    assert.equal(moved, expected, `step ${k}: moved`);
    assert.equal(errors.size, 0, `step ${k}: no member failed`);
    assert.equal(misplaced(await locate(nodes, "kv"), placer.owners(keys, ids(next))), "", `step ${k}: where the keys are`);
    current = next;
  }
  for (const [i, key] of keys.entries()) {
    if (i % 10 === 0) assert.deepEqual(await random.pick(current).store("kv").get(key), { found: true, value: i });
  }
}));

test("a reconfiguration to the same members moves nothing", withSeed(async (random, t) => {
  const { nodes, members, keys, placer } = await loaded(t, random, { count: 4, members: 4, keys: 500 });
  assert.deepEqual(await members[2]!.store("kv").reconfigure(addresses(random.shuffle([...members]))), { moved: 0, errors: new Map() });
  assert.equal(misplaced(await locate(nodes, "kv"), placer.owners(keys, ids(members))), "");
}));

test("naive placement moves exactly the keys whose owner changed: nearly all of them on a join", withSeed(async (random, t) => {
  const placement: Api.Placement = { scheme: "naive" };
  const { nodes, members, keys, placer } = await loaded(t, random, { count: 6, members: 5, keys: 1_500, placement });
  for (const node of nodes) node.store("kv", placement);
  const next = [...members, nodes[5]!];
  const expected = changedOwners(placer, keys, ids(members), ids(next));
  const { moved, errors } = await members[0]!.store("kv", placement).reconfigure(addresses(next));
  assert.equal(moved, expected);
  assert.equal(errors.size, 0, "no member failed");
  assert.ok(moved > keys.length / 2, `${moved} of ${keys.length} keys moved`);
  assert.equal(misplaced(await locate(nodes, "kv"), placer.owners(keys, ids(next))), "");
}));

// ---------------------------------------------------------------------------
// The group keeps serving during the move: in the simulation, where the test
// sees when the move began (its coordinator's first request) and ended
// (reconfigure resolved), and requires that many operations, on keys that
// move among them, started after the one and finished before the other.
// They start once every member holds the new view (./_sim.ts says why).

/** One-way latency of each message in the simulated moves: a move takes several of them end to end, an operation two to six. */
const latency: [number, number] = [5, 15];

/** Operations the tests keep in flight during a move. */
const width = 40;

/** Starts `count` simulated nodes, all of which know group "kv" as its first `members`, and stores `keys` keys on their owners. */
async function simLoaded(
  t: TestContext,
  sim: Simulation,
  random: Random,
  options: { count: number; members: number; keys: number; value?: (i: number) => unknown; adapt?: (context: NodeContext) => NodeContext },
): Promise<Loaded> {
  const nodes = await simNodes(t, sim, options.count, options.adapt);
  const members = nodes.slice(0, options.members);
  await setView(nodes, "kv", members);
  const placer = new Placer();
  const keys = Array.from({ length: options.keys }, (_, i) => `key:${i}:${random.uint32().toString(36)}`);
  await sim.settle(storeAtOwners(nodes, "kv", placer, members, keys.map((key, i) => [key, (options.value ?? ((n) => n))(i)] as const)));
  return { nodes, members, keys, placer };
}

/** Items taken in turn from a list, round and round: what every worker draws from. */
function cycling<T>(items: readonly T[]): () => T | undefined {
  let next = 0;
  return () => (items.length === 0 ? undefined : items[next++ % items.length]);
}

/** Items taken in turn from a list, each once. */
function once<T>(items: readonly T[]): () => T | undefined {
  let next = 0;
  return () => items[next++];
}

/**
 * Checks that operations really overlapped a move: at least `least.all` of
 * them, `least.moving` of those on keys that move, started after the move
 * began and finished before it ended.
 */
function assertOverlapped(run: MoveRun, moving: ReadonlySet<string>, least: { all: number; moving: number }, what: string): void {
  const onMoving = run.overlapped.filter((op) => moving.has(op.key)).length;
  const line = overlapLine(run, what, moving);
  assert.ok(run.overlapped.length >= least.all, `${line}: expected at least ${least.all}`);
  assert.ok(onMoving >= least.moving, `${line}: expected at least ${least.moving} on keys that move`);
}

/** Fails with the first operation that failed, if any. */
function assertAllOk(run: MoveRun, describeKey: (key: string) => string): void {
  const failed = run.operations.filter((op) => !op.outcome.ok);
  const first = failed[0];
  assert.ok(first === undefined, first === undefined ? "" : `${failed.length} operations failed, e.g. ${describeKey(first.key)} at ${first.start.toFixed(1)} ms: ${first.outcome.ok ? "" : describe(first.outcome.error)}`);
}

/**
 * The least overlap the tests require. A move takes at least three round
 * trips end to end (the new view to every member, a hand-off to each new
 * owner, the end of the move), 60 ms or more at these latencies, and every
 * member holds the new view after the first half of the first; an
 * operation takes one to three, and 40 of them are always in flight, so
 * even a move twice as fast as the reference's (100 to 140 ms) sees
 * dozens.
 */
const least = { all: 24, moving: 12 };

test("reads during a join and during a leave find every value", withSimulation({ latency }, async (sim, random, t) => {
  const { nodes, members, keys, placer } = await simLoaded(t, sim, random, { count: 6, members: 5, keys: 3_000, value: (i) => ({ i }) });
  const index = new Map(keys.map((key, i) => [key, i]));
  const coordinator = members[0]!;
  const steps = [[...members, nodes[5]!], [...members, nodes[5]!].filter((node) => node !== members[1])];
  let current = members;
  for (const [k, next] of steps.entries()) {
    const { moving, staying } = movingFirst(placer, keys, current, next);
    const clients = nodes.filter((node) => node !== coordinator);
    const run = await throughMove(sim, {
      coordinator, members: [...new Set([...current, ...next])], gid: "kv", next: addresses(next), width,
      key: cycling(interleave(moving, staying)),
      run: async (key) => {
        const lookup = await random.pick(clients).store("kv").get(key);
        assert.deepEqual(lookup, { found: true, value: { i: index.get(key) } }, `step ${k}: a read of ${key} during the move`);
      },
    });
    t.diagnostic(`step ${k}: ${overlapLine(run, "reads", new Set(moving))}`);
    assertAllOk(run, (key) => `step ${k}: the read of ${key}`);
    assertOverlapped(run, new Set(moving), least, `step ${k}: reads`);
    assert.deepEqual(run.moved, { moved: moving.length, errors: new Map() }, `step ${k}: the outcome of the move`);
    assert.equal(misplaced(await sim.settle(locate(nodes, "kv")), placer.owners(keys, ids(next))), "", `step ${k}: where the keys are`);
    current = next;
  }
}));

test("the moved count is exactly the keys whose owner changed, even when reads during the move settled some of them first", withSimulation({ latency }, async (sim, random, t) => {
  const { nodes, members, keys, placer } = await simLoaded(t, sim, random, { count: 6, members: 5, keys: 2_000 });
  const next = [...members, nodes[5]!];
  const { moving } = movingFirst(placer, keys, members, next);
  const index = new Map(keys.map((key, i) => [key, i]));
  // The newcomer reads too: once it holds the new view, it owns the keys it reads and settles them itself.
  const clients = nodes.slice(1);
  const run = await throughMove(sim, {
    coordinator: members[0]!, members: next, gid: "kv", next: addresses(next), width,
    key: cycling(random.shuffle([...moving])),
    run: async (key) => {
      assert.deepEqual(await random.pick(clients).store("kv").get(key), { found: true, value: index.get(key) }, `a read of ${key} during the move`);
    },
  });
  t.diagnostic(overlapLine(run, "reads of keys that move", new Set(moving)));
  assertAllOk(run, (key) => `the read of ${key}`);
  assertOverlapped(run, new Set(moving), least, "reads");
  assert.equal(run.moved.moved, moving.length, "keys moved, counting those that reads settled first");
  assert.equal(run.moved.errors.size, 0, "no member failed");
  assert.equal(misplaced(await sim.settle(locate(nodes, "kv")), placer.owners(keys, ids(next))), "");
}));

test("writes during a move are neither lost nor overwritten by the move", withSimulation({ latency }, async (sim, random, t) => {
  const { nodes, members, keys, placer } = await simLoaded(t, sim, random, { count: 6, members: 6, keys: 3_000, value: () => "old" });
  const next = members.filter((node) => node !== members[2] && node !== members[4]);
  const { moving, staying } = movingFirst(placer, keys, members, next);
  const written = interleave(moving, staying.filter((_, i) => i % 4 === 0));
  // Each worker writes its own keys, round and round, so the last write to each key is known.
  const mine = Array.from({ length: width }, (_, w) => cycling(written.filter((_, i) => i % width === w)));
  const coordinator = members[3]!;
  const clients = nodes.filter((node) => node !== coordinator);
  const last = new Map<string, string>();
  let writes = 0;
  const run = await throughMove(sim, {
    coordinator, members: nodes, gid: "kv", next: addresses(next), width,
    key: (w) => mine[w]!(),
    run: async (key) => {
      const value = `new ${writes++}`;
      await random.pick(clients).store("kv").put(key, value);
      last.set(key, value);
    },
  });
  t.diagnostic(overlapLine(run, "writes", new Set(moving)));
  assertAllOk(run, (key) => `the write to ${key}`);
  assertOverlapped(run, new Set(moving), least, "writes");
  assert.deepEqual(run.moved, { moved: moving.length, errors: new Map() }, "the outcome of the move");
  assert.equal(misplaced(await sim.settle(locate(nodes, "kv")), placer.owners(keys, ids(next))), "");
  const values = await sim.settle(inBatches(keys, 50, (key) => random.pick(next).store("kv").get(key)));
  for (const [i, key] of keys.entries()) {
    assert.deepEqual(values[i], { found: true, value: last.get(key) ?? "old" }, `${key} (${moving.includes(key) ? "moved" : "stayed"})`);
  }
}));

/**
 * Appends through a move, from many members at once: each extends its key's
 * old list, and none is lost. With `atOnce`, the appends start as the move
 * is called, and the link from the coordinator to the newcomer is slow (its
 * requests held for 30 ms): members hear of the move long before the
 * newcomer, and forward appends to it meanwhile.
 */
async function appendsThroughMove(sim: Simulation, random: Random, t: TestContext, atOnce: boolean): Promise<void> {
  const gate = new Gate();
  const { nodes, members, keys, placer } = await simLoaded(t, sim, random, { count: 6, members: 5, keys: 2_500, value: (i) => [`first ${i}`], adapt: gate.adapt });
  const next = [...members, nodes[5]!];
  if (atOnce) {
    const [coordinator, newcomer] = [at(members[4]!.address), at(nodes[5]!.address)];
    gate.hold("slow link", (from, to) => from === coordinator && to === newcomer);
    sim.scheduler.after(30, () => {
      gate.stop("slow link");
      gate.release("slow link");
    });
  }
  const { moving, staying } = movingFirst(placer, keys, members, next);
  // Ten keys that move take three appends in a row, from three workers at once; then every key that moves, and some that stay.
  const hot = moving.slice(0, 10);
  // As the move is called, every append goes to a key that moves: the first of them race the move's first step.
  const order = atOnce ? moving : [...hot.flatMap((key) => [key, key, key]), ...interleave(moving.slice(10), staying.slice(0, 300))];
  const coordinator = members[4]!;
  const clients = nodes.filter((node) => node !== coordinator);
  const told: Array<{ key: string; value: string; length: number }> = [];
  let appends = 0;
  const run = await throughMove(sim, {
    coordinator, members: nodes, gid: "kv", next: addresses(next), width, atOnce,
    key: cycling(order),
    run: async (key) => {
      const value = `second ${appends++}`;
      told.push({ key, value, length: await random.pick(clients).store("kv").append(key, value) });
    },
  });
  t.diagnostic(overlapLine(run, "appends", new Set(moving)));
  assertAllOk(run, (key) => `the append to ${key}`);
  assertOverlapped(run, new Set(moving), least, "appends");
  assert.deepEqual(run.moved, { moved: moving.length, errors: new Map() }, "the outcome of the move");
  const byKey = new Map<string, Array<{ value: string; length: number }>>();
  for (const { key, ...append } of told) byKey.set(key, [...(byKey.get(key) ?? []), append]);
  for (const [key, appended] of byKey) {
    const i = keys.indexOf(key);
    const lookup = await sim.settle(random.pick(next).store("kv").get(key));
    assert.ok(lookup.found && Array.isArray(lookup.value), `${key} holds a list`);
    const list = lookup.value as unknown[];
    assert.equal(list[0], `first ${i}`, `${key}: the appends extend the old list`);
    assert.deepEqual(sorted(list.slice(1).map(String)), sorted(appended.map((append) => append.value)), `${key}: every append landed, once`);
    for (const { value, length } of appended) assert.equal(list[length - 1], value, `${key}: the append of ${value} was told length ${length}`);
  }
  assert.equal(misplaced(await sim.settle(locate(nodes, "kv")), placer.owners(keys, ids(next))), "");
}

test("appends during a move extend the old lists, from many members at once, and lose nothing", withSimulation({ latency }, (sim, random, t) => appendsThroughMove(sim, random, t, false)));

test("appends sent as a move is called extend the old lists too: every member knows the old view before any takes the new one", withSimulation({ latency }, (sim, random, t) => appendsThroughMove(sim, random, t, true)));

test("a delete during a move stays deleted", withSimulation({ latency }, async (sim, random, t) => {
  const { nodes, members, keys, placer } = await simLoaded(t, sim, random, { count: 6, members: 5, keys: 2_500 });
  const next = [...members, nodes[5]!].filter((node) => node !== members[0]);
  const { moving, staying } = movingFirst(placer, keys, members, next);
  const index = new Map(keys.map((key, i) => [key, i]));
  const doomed = interleave(moving.filter((_, i) => i % 2 === 0), staying.filter((_, i) => i % 8 === 0));
  const coordinator = members[1]!;
  const clients = nodes.filter((node) => node !== coordinator);
  const run = await throughMove(sim, {
    coordinator, members: nodes, gid: "kv", next: addresses(next), width,
    key: once(doomed),
    run: async (key) => {
      assert.deepEqual(await random.pick(clients).store("kv").del(key), { found: true, value: index.get(key) }, `the delete of ${key} finds its value`);
    },
  });
  t.diagnostic(overlapLine(run, "deletes", new Set(moving)));
  assertAllOk(run, (key) => `the delete of ${key}`);
  assertOverlapped(run, new Set(moving), least, "deletes");
  const deleted = new Set(run.operations.map((op) => op.key));
  // A key deleted during its move may or may not have reached its new owner first; every other key that moves did.
  const movingDeleted = moving.filter((key) => deleted.has(key)).length;
  assert.ok(run.moved.moved >= moving.length - movingDeleted && run.moved.moved <= moving.length, `reconfigure said ${run.moved.moved} keys moved: ${moving.length} changed owner, ${movingDeleted} of them deleted during the move`);
  assert.equal(run.moved.errors.size, 0, "no member failed");
  for (const key of deleted) assert.deepEqual(await sim.settle(random.pick(next).store("kv").get(key)), { found: false }, `${key} was deleted during the move`);
  const remaining = keys.filter((key) => !deleted.has(key));
  assert.equal(misplaced(await sim.settle(locate(nodes, "kv")), placer.owners(remaining, ids(next))), "");
}));

/**
 * A group of three members holding 600 keys (each a list, `[old i]`), a
 * newcomer, and a gate every node sends through: the move that adds the
 * newcomer starts with the old members' requests that carry keys to it held
 * back. Resolves once those first hand-offs are held and every member holds
 * the new view, with the keys they carry (`stale`).
 */
async function heldHandOffs(t: TestContext, sim: Simulation, random: Random) {
  const gate = new Gate();
  const nodes = await simNodes(t, sim, 4, gate.adapt);
  const members = nodes.slice(0, 3);
  const newcomer = nodes[3]!;
  await setView(nodes, "kv", members);
  const placer = new Placer();
  const keys = Array.from({ length: 600 }, (_, i) => `key:${i}:${random.uint32().toString(36)}`);
  const index = new Map(keys.map((key, i) => [key, i]));
  await sim.settle(storeAtOwners(nodes, "kv", placer, members, keys.map((key, i) => [key, [`old ${i}`]] as const)));
  const toNewcomer = keys.filter((key) => placer.owner(key, ids(nodes)) === newcomer.id);
  const carried = (request: WireRequest) => toNewcomer.filter((key) => request.body.includes(key));
  gate.hold("hand-off", (from, to, request) => to === at(newcomer.address) && from !== to && carried(request).length > 0);

  let ended = false;
  const move = members[0]!.store("kv").reconfigure(addresses(nodes)).finally(() => (ended = true));
  move.catch(() => {}); // a failure is reported where the test settles it
  await sim.runUntil(() => gate.held("hand-off").length > 0 || ended);
  await sim.run(6 * latency[1]); // the other old members' first hand-offs are held too
  gate.stop("hand-off");
  assert.ok(gate.held("hand-off").length > 0, "no old member sent the newcomer a request carrying its keys before the move ended");
  const newView = JSON.stringify(sorted(addresses(nodes).map(at)));
  const views = async () => Promise.all(nodes.map(async (node) => JSON.stringify(sorted(((await node.groups.get("kv")) ?? []).map(at)))));
  for (let i = 0; i < 100 && (await views()).some((view) => view !== newView); i++) await sim.run(latency[1]);
  assert.deepEqual(await views(), nodes.map(() => newView), "not every member has taken the new view, though keys are being handed off");
  const stale = [...new Set(gate.held("hand-off").flatMap(carried))];
  assert.ok(stale.length >= 3, `the held hand-offs carry only ${stale.length} keys`);
  return { gate, nodes, members, newcomer, keys, index, placer, toNewcomer, stale, move, ended: () => ended };
}

test("a handed-off copy neither overwrites a key written since its new owner settled it, nor brings back one deleted since", withSimulation({ latency }, async (sim, random, t) => {
  // The old members' first hand-offs to the newcomer are held back until it
  // has settled and changed keys they carry: their copies arrive stale.
  const { gate, nodes, newcomer, keys, index, placer, toNewcomer, stale, move, ended } = await heldHandOffs(t, sim, random);
  const [written, deleted, appended] = [0, 1, 2].map((r) => stale.filter((_, i) => i % 3 === r)) as [string[], string[], string[]];
  await sim.settle(Promise.all([
    ...written.map((key) => random.pick(nodes).store("kv").put(key, "written during the move")),
    ...deleted.map(async (key) => assert.deepEqual(await random.pick(nodes).store("kv").del(key), { found: true, value: [`old ${index.get(key)}`] }, `the delete of ${key} finds the old value`)),
    ...appended.map(async (key) => assert.equal(await random.pick(nodes).store("kv").append(key, "added"), 2, `the append to ${key} extends the old list`)),
  ]));
  assert.equal(ended(), false, "the move ended while its hand-offs were held back");
  t.diagnostic(`${gate.held("hand-off").length} hand-offs held back, carrying ${stale.length} keys: ${written.length} written, ${deleted.length} deleted, ${appended.length} appended to before they arrived`);
  gate.release("hand-off");

  assert.deepEqual(await sim.settle(move), { moved: toNewcomer.length, errors: new Map() }, "every key whose owner changed moved once, however it came");
  for (const key of written) {
    assert.deepEqual(await sim.settle(random.pick(nodes).store("kv").get(key)), { found: true, value: "written during the move" }, `${key}, written during the move`);
    assert.deepEqual(await sim.settle(newcomer.local.get("kv", key)), { found: true, value: "written during the move" }, `${key} on the newcomer's own store`);
  }
  for (const key of deleted) {
    assert.deepEqual(await sim.settle(random.pick(nodes).store("kv").get(key)), { found: false }, `${key}, deleted during the move, came back`);
    assert.deepEqual(await sim.settle(newcomer.local.get("kv", key)), { found: false }, `${key}, deleted during the move, is back on the newcomer's own store`);
  }
  for (const key of appended) {
    assert.deepEqual(await sim.settle(random.pick(nodes).store("kv").get(key)), { found: true, value: [`old ${index.get(key)}`, "added"] }, `${key}, appended to during the move`);
  }
  const gone = new Set(deleted);
  const remaining = keys.filter((key) => !gone.has(key));
  assert.equal(misplaced(await sim.settle(locate(nodes, "kv")), placer.owners(remaining, ids(nodes))), "", "where the keys are after the move");
}));

test("a hand-off that reaches the new owner while it is settling the same key moves the key once: the moved count stays exact, and the operation that settled it lands once", withSimulation({ latency }, async (sim, random, t) => {
  // The newcomer starts settling keys that the held hand-offs carry; its
  // requests for them are held in turn, until the hand-offs have reached it.
  const { gate, nodes, members, newcomer, keys, index, placer, toNewcomer, stale, move } = await heldHandOffs(t, sim, random);
  const racing = stale.slice(0, 12);
  const memberAddresses = new Set(members.map((member) => at(member.address)));
  gate.hold("settle", (from, to, request) => from === at(newcomer.address) && memberAddresses.has(to) && racing.some((key) => request.body.includes(key)));
  const appends = Promise.all(racing.map((key) => newcomer.store("kv").append(key, "added")));
  await sim.run(4 * latency[1]);
  const settling = racing.filter((key) => gate.held("settle").some((request) => request.body.includes(key)));
  assert.ok(settling.length > 0, "the newcomer asked no old member for the keys it was about to append to");
  const arrived = new Map<string, TracedMessage>();
  const stop = sim.trace.subscribe((message) => message.kind === "request" && arrived.set(message.id, message));
  const handOffs = gate.release("hand-off").map((request) => request.id);
  const reached = await sim.runUntil(() => handOffs.every((id) => arrived.get(id) !== undefined && arrived.get(id)?.fate !== "in flight"), 1_000);
  stop();
  assert.ok(reached, "the released hand-offs did not reach the newcomer");
  t.diagnostic(`${handOffs.length} hand-offs reached the newcomer while it was settling ${settling.length} of the keys they carry`);
  gate.stop("settle");
  gate.release("settle");

  const lengths = await sim.settle(appends);
  for (const [i, key] of racing.entries()) assert.equal(lengths[i], 2, `the append to ${key} extends the old list`);
  assert.deepEqual(await sim.settle(move), { moved: toNewcomer.length, errors: new Map() }, "every key whose owner changed moved once, however it came");
  for (const key of racing) {
    assert.deepEqual(await sim.settle(newcomer.local.get("kv", key)), { found: true, value: [`old ${index.get(key)}`, "added"] }, `${key}, settled while its hand-off arrived`);
  }
  assert.equal(misplaced(await sim.settle(locate(nodes, "kv")), placer.owners(keys, ids(nodes))), "", "where the keys are after the move");
}));

test("members that leave hold no keys of the group after, and keys() is the union of the rest", withSeed(async (random, t) => {
  const { nodes, members, keys } = await loaded(t, random, { count: 5, members: 5, keys: 1_000 });
  const leavers = [members[1]!, members[3]!];
  const next = members.filter((node) => !leavers.includes(node));
  assert.equal((await members[3]!.store("kv").reconfigure(addresses(next))).errors.size, 0, "no member failed");
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
  assert.deepEqual(await members[0]!.store("one").reconfigure(addresses(nodes)), { moved: changedOwners(placer, keys, ids(members), ids(nodes)), errors: new Map() });
  assert.equal(misplaced(await locate(nodes, "two"), placer.owners(keys, ids(members))), "", "group two's keys stay where they were");
  assert.equal(misplaced(await locate(nodes, "one"), placer.owners(keys, ids(nodes))), "", "group one's keys moved");
  for (const [i, key] of keys.entries()) {
    if (i % 15 === 0) {
      assert.deepEqual(await random.pick(members).store("two").get(key), { found: true, value: "two" });
      assert.deepEqual(await random.pick(nodes).store("one").get(key), { found: true, value: i });
    }
  }
}));
