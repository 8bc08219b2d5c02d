/**
 * handouts/m4.md#reconfiguration and #local-stores, when a member dies in the
 * middle of a move. In the simulation, the new owner of some keys crashes as
 * the first request handing keys to it leaves: every key it had not
 * acknowledged must still be on its old member (copy first, delete second),
 * every other key at its new owner, and reconfigure must resolve naming it
 * in errors, by node id. With real nodes and processes, what the handout
 * promises still holds among the members that survive: a key that stays on
 * a surviving member, or moves between surviving members, is not lost;
 * reconfigure resolves and blames no member that did not fail; and a member
 * on a folder, killed with SIGKILL, finds again after a restart every key it
 * held and was not giving away (its writes resolved, so they survive). Keys
 * a dead member was giving or taking are not checked there: the handout
 * promises nothing for them.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Random } from "../../autograder/harness/random.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import { withSimulation } from "../../autograder/harness/sim/with-simulation.ts";
import type { TracedMessage } from "../../autograder/harness/sim/trace.ts";
import { eventually } from "../../autograder/harness/wait.ts";
import type * as Api from "../api.ts";
import { Children } from "./_children.ts";
import { describe, ids, inBatches, locate, misplaced, setView, settle, startNodes, storeAtOwners } from "./_group.ts";
import { Placer } from "./_placement.ts";
import { at, simNodes } from "./_sim.ts";
import { tempFolder } from "./_stores.ts";

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

const sorted = (items: readonly string[]): string[] => [...items].sort();
const addresses = (nodes: readonly Api.StoreNode[]) => nodes.map((node) => node.address);

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
  t.diagnostic(`stopped ${midMove ? "during" : "after"} the move; reconfigure ${outcome === undefined ? "still pending after 20 s" : outcome.ok ? `moved ${outcome.value.moved}, errors from [${[...outcome.value.errors.keys()].map((id) => id.slice(0, 5))}]` : `failed: ${describe(outcome.error)}`}`);
  assert.ok(outcome !== undefined, "reconfigure has not settled 20 s after a member stopped");
  assert.ok(outcome.ok, `reconfigure rejected instead of naming the failed member in errors: ${outcome.ok ? "" : describe(outcome.error)}`);
  const blamed = [...outcome.value.errors.keys()].filter((id) => id !== stopped.id);
  assert.deepEqual(blamed, [], "errors names members that did not fail (errors are by node id)");
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

test("when a new owner dies while keys are handed to it, each key it had not acknowledged stays on its old member, every other key reaches its new owner, and reconfigure names the dead one in errors", withSimulation({ latency: [5, 15] }, async (sim, random, t) => {
  const nodes = await simNodes(t, sim, 6);
  const [a, b, c, d, e, f] = nodes as [Api.StoreNode, Api.StoreNode, Api.StoreNode, Api.StoreNode, Api.StoreNode, Api.StoreNode];
  const before = [a, b, c, d];
  const next = [a, b, c, e, f]; // d leaves, e and f join; e dies as the first keys are handed to it
  await setView(nodes, "kv", before);
  const placer = new Placer();
  const keys = Array.from({ length: 2_000 }, (_, i) => `key-${i}-${random.uint32().toString(36)}`);
  const index = new Map(keys.map((key, i) => [key, i]));
  await sim.settle(storeAtOwners(nodes, "kv", placer, before, keys.map((key, i) => [key, { i }] as const)));
  const oldOwner = placer.owners(keys, ids(before));
  const newOwner = placer.owners(keys, ids(next));
  const toVictim = keys.filter((key) => newOwner.get(key) === e.id);

  // From the trace: the requests that carry keys to e, and e's answers to them; e crashes as the first leaves.
  const carried = new Map<string, string[]>();
  const answers: TracedMessage[] = [];
  let crashedAt: number | undefined;
  sim.trace.subscribe((message) => {
    if (message.kind === "request" && message.to === at(e.address) && message.from !== at(e.address)) {
      const inside = toVictim.filter((key) => message.body.includes(key));
      if (inside.length === 0) return;
      carried.set(message.id, inside);
      if (crashedAt === undefined) {
        crashedAt = message.at;
        sim.scheduler.after(0, () => sim.crash(e.address));
      }
    } else if (message.kind === "response" && message.from === at(e.address) && carried.has(message.id)) answers.push(message);
  });
  const outcome = await sim.settle(a.store("kv").reconfigure(addresses(next)));
  assert.ok(crashedAt !== undefined, "no request carried keys to their new owner e during the move");
  const acknowledged = new Set(answers.filter((answer) => answer.fate === "delivered").flatMap((answer) => carried.get(answer.id) ?? []));
  t.diagnostic(`e crashed at ${crashedAt.toFixed(1)} ms, as the first of ${carried.size} requests carrying its keys left; it had acknowledged ${acknowledged.size} of its ${toVictim.length} keys`);

  assert.deepEqual([...outcome.errors.keys()], [e.id], "errors names the dead new owner, by node id, and no other member");
  assert.ok(outcome.errors.get(e.id) instanceof Error, "the dead member's entry in errors is an Error");
  const alive = nodes.filter((node) => node !== e);
  const where = await sim.settle(locate(alive, "kv"));
  for (const key of acknowledged) where.delete(key);
  const expected = new Map(keys.filter((key) => !acknowledged.has(key)).map((key) => [key, (newOwner.get(key) === e.id ? oldOwner.get(key) : newOwner.get(key)) as string]));
  assert.equal(misplaced(where, expected), "", "each key bound for e that e had not acknowledged is on its old member (and nowhere else); every other key is on its new owner");
  const byId = new Map(alive.map((node) => [node.id, node]));
  for (const key of toVictim.filter((key) => !acknowledged.has(key))) {
    assert.deepEqual(await sim.settle(byId.get(oldOwner.get(key) as string)!.local.get("kv", key)), { found: true, value: { i: index.get(key) } }, `${key} on its old member`);
  }
  const changed = keys.filter((key) => oldOwner.get(key) !== newOwner.get(key) && newOwner.get(key) !== e.id).length;
  assert.ok(outcome.moved >= changed && outcome.moved <= changed + acknowledged.size, `reconfigure said ${outcome.moved} keys moved; ${changed} changed owner to a living member, and e acknowledged ${acknowledged.size}`);
  for (const node of alive) {
    assert.deepEqual(sorted(((await sim.settle(node.groups.get("kv"))) ?? []).map(at)), sorted(addresses(next).map(at)), `${node.sid} holds the new view: the move ended on every member it could reach`);
  }
  for (const [i, key] of keys.entries()) {
    if (i % 10 === 0 && newOwner.get(key) !== e.id) assert.deepEqual(await sim.settle(random.pick([a, b, c, f]).store("kv").get(key), 5_000), { found: true, value: { i } }, `${key} after the move`);
  }
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
    const script = children.run("_store-node.ts", [JSON.stringify({ folder: join(parent, `member-${i}`), callTimeoutMs: 15_000 })]);
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
  const keys = Array.from({ length: 600 }, (_, i) => `key:${i}:${random.uint32().toString(36)}`);
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
  const said = outcome?.ok ? (outcome.value as { moved: number; failed: string[] }) : undefined;
  t.diagnostic(`killed ${midMove ? "during" : "after"} the move; reconfigure ${outcome === undefined ? "still pending after 30 s" : said ? `moved ${said.moved}, errors from [${said.failed.map((id) => id.slice(0, 5))}]` : `failed: ${outcome.ok ? "" : describe(outcome.error)}`}`);
  assert.ok(outcome !== undefined, "reconfigure has not settled 30 s after a member was killed");
  assert.ok(said !== undefined, `reconfigure rejected instead of naming the killed member in errors: ${outcome.ok ? "" : describe(outcome.error)}`);
  assert.deepEqual(said.failed.filter((id) => id !== victim.id), [], "errors names members that did not fail (errors are by node id)");
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
