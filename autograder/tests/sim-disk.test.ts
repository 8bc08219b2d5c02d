import assert from "node:assert/strict";
import { test } from "node:test";
import { Random } from "../harness/random.ts";
import { SimDisk } from "../harness/sim/disk.ts";
import { Simulation } from "../harness/sim/simulation.ts";

/** A disk in a simulation of its own, and a way to run one of its operations to its end. */
function setup(latency: [number, number] = [0.1, 1]) {
  const sim = new Simulation({ seed: 7 });
  const disk = new SimDisk({ scheduler: sim.scheduler, random: new Random(7), latency });
  const run = <T>(operation: Promise<T>) => sim.settle(operation);
  return { sim, disk, run };
}

/** A folder /store holding a file `name` whose entry and contents are durable. */
async function durableFile(name: string, text: string) {
  const parts = setup();
  const { disk, run } = parts;
  await run(disk.mkdir("/store"));
  await run(disk.write(`/store/${name}`, text));
  await run(disk.sync(`/store/${name}`));
  await run(disk.syncFolder("/store"));
  return parts;
}

test("a write not synced is lost at a crash (the contents last synced come back), one synced is kept", async () => {
  for (const synced of [false, true]) {
    const { disk, run } = await durableFile("a", "first");
    await run(disk.write("/store/a", "second"));
    assert.equal(await run(disk.read("/store/a")), "second");
    if (synced) await run(disk.sync("/store/a"));
    disk.crash();
    assert.equal(await run(disk.read("/store/a")), synced ? "second" : "first");
  }
});

test("an append not synced is lost at a crash, one synced is kept", async () => {
  const { disk, run } = await durableFile("log", "a;");
  await run(disk.append("/store/log", "b;"));
  await run(disk.sync("/store/log"));
  await run(disk.append("/store/log", "c;"));
  disk.crash();
  assert.equal(await run(disk.read("/store/log")), "a;b;");
});

test("a new file survives a crash only once its folder is synced, and a durable entry whose contents were never synced comes back empty", async () => {
  for (const [syncFile, syncFolder, expected] of [[false, false, undefined], [true, false, undefined], [false, true, ""], [true, true, "text"]] as const) {
    const { disk, run } = setup();
    await run(disk.mkdir("/store"));
    await run(disk.write("/store/a", "text"));
    if (syncFile) await run(disk.sync("/store/a"));
    if (syncFolder) await run(disk.syncFolder("/store"));
    disk.crash();
    assert.equal(await run(disk.read("/store/a")), expected, `sync: ${syncFile}, syncFolder: ${syncFolder}`);
  }
});

test("a rename is durable only once its folder is synced", async () => {
  for (const synced of [false, true]) {
    const { disk, run } = await durableFile("a.tmp", "new");
    await run(disk.rename("/store/a.tmp", "/store/a"));
    assert.deepEqual(await run(disk.list("/store")), ["a"]);
    if (synced) await run(disk.syncFolder("/store"));
    disk.crash();
    assert.deepEqual(await run(disk.list("/store")), synced ? ["a"] : ["a.tmp"], synced ? "after syncFolder" : "without syncFolder");
    assert.equal(await run(disk.read(synced ? "/store/a" : "/store/a.tmp")), "new");
  }
});

test("a rename replaces the file of that name, and a crash before syncFolder brings the old one back", async () => {
  const { disk, run } = await durableFile("a", "old");
  await run(disk.write("/store/a.tmp", "new"));
  await run(disk.sync("/store/a.tmp"));
  await run(disk.rename("/store/a.tmp", "/store/a"));
  assert.equal(await run(disk.read("/store/a")), "new");
  disk.crash();
  assert.equal(await run(disk.read("/store/a")), "old");
});

test("a removed file comes back at a crash unless its folder was synced", async () => {
  for (const synced of [false, true]) {
    const { disk, run } = await durableFile("a", "text");
    await run(disk.remove("/store/a"));
    await run(disk.remove("/store/a"));
    assert.equal(await run(disk.read("/store/a")), undefined);
    if (synced) await run(disk.syncFolder("/store"));
    disk.crash();
    assert.equal(await run(disk.read("/store/a")), synced ? undefined : "text");
  }
});

test("folders made by mkdir, with their parents, survive a crash at once", async () => {
  const { disk, run } = setup();
  await run(disk.mkdir("/a/b/c"));
  await run(disk.mkdir("/a/b"));
  disk.crash();
  assert.deepEqual(await run(disk.list("/a")), ["b"]);
  assert.deepEqual(await run(disk.list("/a/b")), ["c"]);
});

test("list names the files and folders of a folder, and gives [] for a missing one", async () => {
  const { disk, run } = setup();
  await run(disk.mkdir("/store/sub"));
  await run(disk.write("/store/a", "1"));
  await run(disk.append("/store/b", "2"));
  assert.deepEqual((await run(disk.list("/store"))).sort(), ["a", "b", "sub"]);
  assert.deepEqual(await run(disk.list("/nowhere")), []);
});

test("a missing folder or file gives ENOENT where node:fs does, undefined on read and [] on list", async () => {
  const { disk, run } = setup();
  await run(disk.mkdir("/store"));
  const enoent = { code: "ENOENT" };
  await assert.rejects(run(disk.write("/missing/a", "x")), enoent);
  await assert.rejects(run(disk.append("/missing/a", "x")), enoent);
  await assert.rejects(run(disk.sync("/store/a")), { code: "ENOENT", message: "ENOENT: no such file or directory, open '/store/a'" });
  await assert.rejects(run(disk.rename("/store/a", "/store/b")), { code: "ENOENT", message: "ENOENT: no such file or directory, rename '/store/a' -> '/store/b'" });
  await assert.rejects(run(disk.syncFolder("/missing")), enoent);
  assert.equal(await run(disk.read("/missing/a")), undefined);
  assert.equal(await run(disk.read("/store/a")), undefined);
  await run(disk.remove("/store/a"));
  await run(disk.remove("/missing/a"));
});

test("a file cannot stand where a folder is, nor a folder where a file is", async () => {
  const { disk, run } = setup();
  await run(disk.mkdir("/store"));
  await run(disk.write("/file", "x"));
  await assert.rejects(run(disk.write("/store", "x")), { code: "EISDIR" });
  await assert.rejects(run(disk.read("/store")), { code: "EISDIR" });
  await assert.rejects(run(disk.mkdir("/file")), { code: "EEXIST" });
  await assert.rejects(run(disk.mkdir("/file/sub")), { code: "ENOTDIR" });
  await assert.rejects(run(disk.list("/file")), { code: "ENOTDIR" });
});

test("paths are absolute and normalized", async () => {
  const { disk, run } = setup();
  await run(disk.mkdir("/store/"));
  await run(disk.write("/store/./x/../a", "text"));
  assert.equal(await run(disk.read("//store//a")), "text");
  await assert.rejects(run(disk.read("store/a")), TypeError);
});

test("each operation takes a latency drawn from the range given", async () => {
  const { sim, disk, run } = setup([2, 3]);
  for (let i = 0; i < 20; i++) {
    const started = sim.now();
    await run(disk.write("/a", String(i)));
    const took = sim.now() - started;
    assert.ok(took >= 2 && took <= 3, `an operation took ${took} ms`);
  }
});

test("the operations of a life that is over never settle, and change nothing", async () => {
  const { sim, disk, run } = setup();
  let alive = true;
  const life = disk.forLife(() => alive);
  await run(life.write("/a", "before"));
  const late = life.write("/a", "after");
  alive = false;
  let settled = false;
  late.then(() => (settled = true), () => (settled = true));
  await sim.run(1_000);
  assert.equal(settled, false);
  assert.equal(await run(disk.read("/a")), "before");
});
