/**
 * handouts/m4.md#local-stores, crash safety on a simulated disk: a node on a
 * folder (its store on `node.context.disk`) is crashed, a power cut, at a
 * random virtual instant while it puts, deletes, updates, appends and
 * appendAll's, and restarted on its folder and port (`sim.restart`). Every
 * operation that resolved before the crash is there; of those still running,
 * each is there whole or not at all, in the order they were called (a key
 * holds the state after a prefix of its operations: all that resolved, and
 * perhaps some that did not); keys() lists exactly the keys held; and the
 * restarted node goes on writing, and its writes survive the next crash.
 * Only acknowledged operations must survive: a write that never resolved may
 * be lost. A crash can also cut the last record of a list's file short (a
 * real disk may write back part of an append before the power goes): a test
 * cuts it by hand, and another runs on a disk that tears appends. A crash is
 * cheap in virtual time, so each test crashes dozens of times, at seeded
 * instants.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Random } from "../../autograder/harness/random.ts";
import type { Simulation } from "../../autograder/harness/sim/simulation.ts";
import { withSimulation } from "../../autograder/harness/sim/with-simulation.ts";
import type * as Api from "../api.ts";
import { m4 } from "./_group.ts";
import { Histories, type Op, run } from "./_histories.ts";

/** A value of these tests: whole or not is plain, since each part repeats its serial number. */
function valueFor(random: Random, key: string, serial: number): unknown {
  const unit = `${key}|${serial}|`;
  return { serial, key, at: new Date(serial), tags: new Map([["serial", serial]]), body: unit.repeat(random.int(0, 200)) };
}

/** How a test changes the disk a node runs on (not at all, by default). */
type DiskView = (disk: Api.Disk) => Api.Disk;

/** A node of this simulation on `folder`: a new machine, or the next life of the one at `address`. */
function startOn(sim: Simulation, folder: string, address?: Api.NodeAddress, view: DiskView = (disk) => disk): Promise<Api.StoreNode> {
  const context = address === undefined ? sim.context() : sim.restart(address);
  return sim.settle(m4.startNode({ ...address, folder, context: { ...context, disk: view(context.disk) } }));
}

/** Picks the next operation for a key. */
type Chooser = (random: Random, key: string, serial: number) => Op;

/** Puts, deletes and updates of whole values (and, rarely, an append onto one, which fails). */
const valueOps: Chooser = (random, key, serial) => {
  const value = valueFor(random, key, serial);
  switch (random.pick(["put", "put", "put", "putIfAbsent", "del", "update", "update", "append"] as const)) {
    case "put":
      return { kind: "put", value };
    case "putIfAbsent":
      return { kind: "putIfAbsent", value };
    case "del":
      return { kind: "del" };
    case "append":
      return { kind: "append", value };
    case "update":
      return { kind: "update", change: random.pick(["set", "set", "remove", "keep", "wrap", "wrap", "throw"] as const), value };
  }
};

/** A list's element: small, and whole or not is plain. */
const element = (key: string, serial: number) => ({ serial, key, text: `${key}#${serial}`.repeat(1 + (serial % 5)) });

/** Appends and appendAll's, and now and then a put of a new list or a delete. */
const listOps: Chooser = (random, key, serial) => {
  switch (random.pick(["append", "append", "append", "append", "appendAll", "appendAll", "put", "del"] as const)) {
    case "append":
      return { kind: "append", value: element(key, serial) };
    case "appendAll":
      return { kind: "appendAll", values: Array.from({ length: random.int(0, 4) }, (_, i) => element(key, serial + i / 10)) };
    case "put":
      return { kind: "put", value: [element(key, serial)] };
    case "del":
      return { kind: "del" };
  }
};

/** Many keys, each made, dropped and made again: putIfAbsent, del and update. */
const churnOps: Chooser = (random, key, serial) => {
  switch (random.pick(["putIfAbsent", "putIfAbsent", "del", "update", "append"] as const)) {
    case "putIfAbsent":
      return { kind: "putIfAbsent", value: serial };
    case "del":
      return { kind: "del" };
    case "update":
      return { kind: "update", change: random.pick(["set", "remove", "keep"] as const), value: serial };
    case "append":
      return { kind: "append", value: serial };
  }
};

interface Workload {
  keys: string[];
  choose: Chooser;
  /** Operations started at once, each on a key picked at random (several may run on one key). */
  workers: number;
  /** Crashes, each at a random instant of the next stretch of work. */
  crashes: number;
  /** The longest stretch of work before a crash, virtual ms. */
  maxMs: number;
  view?: DiskView;
}

/**
 * Runs a workload on a node on a folder, crashing it at a random instant of
 * each stretch of work and restarting it on its folder and port, and checks
 * the store after each restart. Last, it lets a stretch of work end, checks,
 * crashes the quiet node, and checks again: then every operation had ended.
 */
async function crashAndCheck(sim: Simulation, random: Random, workload: Workload): Promise<void> {
  const gid = "g";
  const folder = "/data/store";
  let node = await startOn(sim, folder, undefined, workload.view);
  const address = node.address;
  const histories = new Histories();
  const pause = () => new Promise<void>((resolve) => sim.scheduler.after(0.1, resolve));
  let serial = 0;
  for (let crash = 0; crash <= workload.crashes; crash++) {
    const store = node.local;
    let stopped = false;
    const work = async () => {
      while (!stopped) {
        const key = random.pick(workload.keys);
        const op = workload.choose(random, key, serial++);
        await histories.note(key, op, run(store, gid, key, op, pause));
      }
    };
    const workers = Array.from({ length: workload.workers }, work);
    const last = crash === workload.crashes;
    await sim.run(random.next() * workload.maxMs);
    if (last) {
      stopped = true;
      await sim.settle(Promise.all(workers));
      await histories.check(sim, store, gid, "before the last crash, with every operation ended");
    }
    sim.crash(address);
    stopped = true;
    node = await startOn(sim, folder, address, workload.view);
    await histories.check(sim, node.local, gid, `after crash ${crash + 1} at ${sim.now().toFixed(1)} ms`);
  }
  await sim.settle(node.stop());
}

test("a node's store, crashed at random instants during puts, deletes and updates, keeps every one that resolved, and no value is half written", withSimulation({}, async (sim, random) => {
  const keys = Array.from({ length: 6 }, (_, i) => `value ${i} ../\u0000`);
  await crashAndCheck(sim, random, { keys, choose: valueOps, workers: 4, crashes: 40, maxMs: 40 });
}));

test("a node's store, crashed at random instants during appends and appendAll's, keeps every list whole and in order, with every element that was acknowledged", withSimulation({}, async (sim, random) => {
  const keys = Array.from({ length: 4 }, (_, i) => `list ${i} 🗝`);
  await crashAndCheck(sim, random, { keys, choose: listOps, workers: 4, crashes: 40, maxMs: 40 });
}));

test("after a crash, a node's keys() lists exactly the keys its store holds, as keys are made and removed around the crash", withSimulation({}, async (sim, random) => {
  const keys = Array.from({ length: 40 }, (_, i) => `key ${i}`);
  await crashAndCheck(sim, random, { keys, choose: churnOps, workers: 8, crashes: 30, maxMs: 30 });
}));

/**
 * A disk that may tear an append, as a real one may write back part of it
 * before the power goes: it makes a random first part of the text durable,
 * then adds the rest. A crash in between leaves the last record cut short.
 */
function tearing(random: Random): DiskView {
  return (disk) => ({
    mkdir: (path) => disk.mkdir(path),
    read: (path) => disk.read(path),
    write: (path, text) => disk.write(path, text),
    append: async (path, text) => {
      const cut = random.int(0, text.length);
      await disk.append(path, text.slice(0, cut));
      await disk.sync(path);
      await disk.append(path, text.slice(cut));
    },
    sync: (path) => disk.sync(path),
    rename: (from, to) => disk.rename(from, to),
    remove: (path) => disk.remove(path),
    list: (path) => disk.list(path),
    syncFolder: (path) => disk.syncFolder(path),
  });
}

/** Single appends, and now and then a put of a new list or a delete. */
const appendOps: Chooser = (random, key, serial) => {
  switch (random.pick(["append", "append", "append", "append", "put", "del"] as const)) {
    case "append":
      return { kind: "append", value: element(key, serial) };
    case "put":
      return { kind: "put", value: [element(key, serial)] };
    case "del":
      return { kind: "del" };
  }
};

test("on a disk that tears appends, a node's store crashed during appends drops each cut-short record, keeps every acknowledged element, and goes on appending", withSimulation({}, async (sim, random) => {
  const keys = Array.from({ length: 4 }, (_, i) => `torn ${i}`);
  await crashAndCheck(sim, random, { keys, choose: appendOps, workers: 4, crashes: 40, maxMs: 40, view: tearing(random.fork("tears")) });
}));

/** Every file under `folder` on a simulated disk, with its contents. */
async function files(sim: Simulation, disk: Api.Disk, folder: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const name of await sim.settle(disk.list(folder))) {
    const path = `${folder}/${name}`;
    const text = await sim.settle(disk.read(path)).catch(() => undefined);
    if (text !== undefined) found.set(path, text);
    else for (const [inner, contents] of await files(sim, disk, path)) found.set(inner, contents);
  }
  return found;
}

test("a record cut short at the end of a list's file is dropped when read, and the next write repairs the file", withSimulation({}, async (sim, random) => {
  const ways = ["put", "appendAll", "append"] as const;
  const nexts = ["append", "appendAll", "put"] as const;
  for (let round = 0; round < 27; round++) {
    const made = ways[round % 3] as (typeof ways)[number];
    const next = nexts[Math.floor(round / 3) % 3] as (typeof nexts)[number];
    const what = `round ${round} (a list made by ${made}, then ${next})`;
    const folder = `/data/${round}`;
    let node = await startOn(sim, folder);
    const address = node.address;
    const disk = sim.disk(address);
    const key = `list ${round} ../\u0000`;
    const first = [element(key, 0), element(key, 1)];
    if (made === "put") await sim.settle(node.local.put("g", key, first));
    if (made === "appendAll") await sim.settle(node.local.appendAll("g", key, first));
    if (made === "append") for (const item of first) await sim.settle(node.local.append("g", key, item));
    await sim.settle(node.local.put("g", "other", { round }));

    const before = await files(sim, disk, folder);
    assert.equal(await sim.settle(node.local.append("g", key, element(key, 2))), 3);
    const after = await files(sim, disk, folder);
    const changed = [...after].filter(([path, text]) => before.get(path) !== text);
    assert.equal(changed.length, 1, `${what}: an append changes one file, its key's, not ${changed.length}`);
    const [path, text] = changed[0] as [string, string];
    const old = before.get(path);
    assert.ok(old !== undefined && text.length > old.length && text.startsWith(old), `${what}: an append adds to the end of the key's file`);

    // The power goes while the record is written: all or part of it is lost.
    sim.crash(address);
    const lost = random.int(1, text.length - old.length);
    await sim.settle(disk.write(path, text.slice(0, text.length - lost)));
    await sim.settle(disk.sync(path));
    node = await startOn(sim, folder, address);
    assert.deepEqual(await sim.settle(node.local.get("g", key)), { found: true, value: first }, `${what}: the list without the cut-short record (${lost} of its ${text.length - old.length} characters lost)`);
    assert.deepEqual((await sim.settle(node.local.keys("g"))).sort(), [key, "other"].sort(), `${what}: keys() after the cut`);

    const expected = [...first];
    if (next === "append") {
      assert.equal(await sim.settle(node.local.append("g", key, element(key, 3))), 3, `${what}: append's new length`);
      expected.push(element(key, 3));
    } else if (next === "appendAll") {
      assert.equal(await sim.settle(node.local.appendAll("g", key, [element(key, 3), element(key, 4)])), 4, `${what}: appendAll's new length`);
      expected.push(element(key, 3), element(key, 4));
    } else {
      await sim.settle(node.local.put("g", key, [element(key, 5)]));
      expected.splice(0, expected.length, element(key, 5));
    }
    assert.equal(await sim.settle(node.local.append("g", key, element(key, 6))), expected.length + 1);
    expected.push(element(key, 6));
    assert.deepEqual(await sim.settle(node.local.get("g", key)), { found: true, value: expected }, `${what}: the list after writing on`);

    // A crash once all is quiet: the repaired file holds exactly what was acknowledged.
    sim.crash(address);
    node = await startOn(sim, folder, address);
    assert.deepEqual(await sim.settle(node.local.get("g", key)), { found: true, value: expected }, `${what}: the list after another crash`);
    assert.deepEqual(await sim.settle(node.local.get("g", "other")), { found: true, value: { round } });
    assert.equal(await sim.settle(node.local.append("g", key, element(key, 7))), expected.length + 1, `${what}: appending after another crash`);
    await sim.settle(node.stop());
  }
}));

test("a node on a simulated disk, crashed and restarted on its folder and port, keeps every group put, append and delete that a client acknowledged", withSimulation({}, async (sim, random) => {
  const gid = "kv";
  const client = await sim.settle(m4.startNode({ context: sim.context() }));
  const folder = "/data/member";
  let member = await startOn(sim, folder);
  const address = member.address;
  const histories = new Histories();
  const workers = 4;
  let serial = 0;
  for (let crash = 0; crash < 15; crash++) {
    await sim.settle(client.groups.put(gid, [address]));
    await sim.settle(member.groups.put(gid, [address]));
    const store = client.store(gid);
    let stopped = false;
    // Each worker has keys of its own and one call at a time, so each key's calls reach the member in the order they were made.
    const work = async (worker: number) => {
      while (!stopped) {
        const key = `worker ${worker} key ${random.int(0, 2)}`;
        const op = appendOps(random, key, serial++);
        const started = op.kind === "append" ? store.append(key, op.value) : op.kind === "put" ? store.put(key, op.value) : store.del(key);
        await histories.note(key, op, started, false);
      }
    };
    const working = Array.from({ length: workers }, (_, worker) => work(worker));
    await sim.run(random.next() * 60);
    sim.crash(address);
    stopped = true;
    // Let every call in flight to the dead member end, so that none reaches its next life.
    await sim.settle(Promise.all(working));
    member = await startOn(sim, folder, address);
    await histories.check(sim, member.local, gid, `after crash ${crash + 1} at ${sim.now().toFixed(1)} ms`);
  }
  await sim.settle(Promise.all([client.stop(), member.stop()]));
}));
