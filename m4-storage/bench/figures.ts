/**
 * m4's figures: how many keys a join or a leave moves under each placement
 * (counted with `owner`, then checked once with a real reconfiguration), how
 * evenly consistent hashing spreads keys, whether a file store keeps
 * every acknowledged write when its process is killed mid-stream, and what
 * an append to a long list costs in a file store.
 */
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { Figure } from "../../autograder/bench/figure.ts";
import { median } from "../../autograder/bench/measure.ts";
import { Random } from "../../autograder/harness/random.ts";
import type * as Api from "../api.ts";
import { killMidWrites } from "./kill.ts";

type M4 = typeof Api;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const keys = Array.from({ length: 10_000 }, (_, i) => `key-${i}`);

/** Moved keys ÷ (K / N) for 10 joins and 10 leaves of a 10-member group. */
function movement(m4: M4, placement: Api.Placement): number {
  const random = new Random(11);
  const ratios: number[] = [];
  let members = Array.from({ length: 10 }, (_, i) => sha256(`member ${i}`));
  let owners = keys.map((key) => m4.owner(key, members, placement));
  for (let change = 0; change < 20; change++) {
    const leaving = random.pick(members);
    const next = change % 2 === 0 ? [...members, sha256(`newcomer ${change}`)] : members.filter((member) => member !== leaving);
    const nextOwners = keys.map((key) => m4.owner(key, next, placement));
    const moved = nextOwners.filter((nid, i) => nid !== owners[i]).length;
    ratios.push(moved / (keys.length / Math.max(members.length, next.length)));
    [members, owners] = [next, nextOwners];
  }
  return ratios.reduce((sum, ratio) => sum + ratio, 0) / ratios.length;
}

/** The fullest member's keys ÷ the average, for 10,000 keys on 10 members, median of 20 seeds. */
function balance(m4: M4): number {
  return median(Array.from({ length: 20 }, (_, seed) => {
    const members = Array.from({ length: 10 }, (_, i) => sha256(`seed ${seed} member ${i}`));
    const load = new Map<string, number>();
    for (const key of keys) {
      const nid = m4.owner(`${seed}:${key}`, members, { scheme: "consistent", vnodes: 100 });
      load.set(nid, (load.get(nid) ?? 0) + 1);
    }
    return Math.max(...load.values()) / (keys.length / members.length);
  }));
}

/** A real join of a fourth node to a 3-node group holding 2,000 keys: moved ÷ the keys whose owner changed. */
async function realJoin(m4: M4): Promise<number> {
  const nodes = await Promise.all(Array.from({ length: 4 }, () => m4.startNode()));
  try {
    const three = nodes.slice(0, 3).map(({ address }) => address);
    for (const node of nodes) await node.groups.put("kv", three);
    const store = (nodes[0] as Api.StoreNode).store("kv");
    for (let i = 0; i < 2000; i++) await store.put(`k${i}`, i);
    const { moved } = await store.reconfigure(nodes.map(({ address }) => address));
    const ids = (list: Api.StoreNode[]) => list.map(({ id }) => id);
    const expected = Array.from({ length: 2000 }, (_, i) => `k${i}`)
      .filter((key) => m4.owner(key, ids(nodes.slice(0, 3))) !== m4.owner(key, ids(nodes))).length;
    return moved / expected;
  } finally {
    await Promise.all(nodes.map((node) => node.stop()));
  }
}

/** Milliseconds per append to a file store's list of `length` elements (100 appends timed, on the real disk). */
async function appendCost(m4: M4, length: number): Promise<number> {
  const folder = await mkdtemp(join(tmpdir(), "m4-append-"));
  try {
    const store = m4.fileStore(folder);
    await store.appendAll("bench", "list", Array.from({ length }, (_, i) => `element ${i}`));
    const started = performance.now();
    for (let i = 0; i < 100; i++) await store.append("bench", "list", `appended ${i}`);
    return (performance.now() - started) / 100;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

export async function figures(m4: M4): Promise<Figure[]> {
  const crash = await killMidWrites(m4);
  const lengths = [100, 1_000, 10_000];
  const appends: number[] = [];
  for (const length of lengths) appends.push(await appendCost(m4, length));
  const [short = 0, , long = 0] = appends;
  return [
    { name: "consistent (100 vnodes): keys moved per join or leave ÷ K/N, mean of 20", value: movement(m4, { scheme: "consistent", vnodes: 100 }), unit: "", goal: { atMost: 1.1 } },
    { name: "rendezvous: keys moved per join or leave ÷ K/N, mean of 20", value: movement(m4, { scheme: "rendezvous" }), unit: "", goal: { atMost: 1.1 } },
    { name: "naive: keys moved per join or leave ÷ K/N, mean of 20", value: movement(m4, { scheme: "naive" }), unit: "" },
    { name: "consistent (100 vnodes): fullest member ÷ average, median of 20", value: balance(m4), unit: "", goal: { atMost: 1.25 } },
    { name: "a real join: keys moved ÷ keys whose owner changed", value: await realJoin(m4), unit: "", goal: { atMost: 1 } },
    { name: "kill -9 mid-writes: acknowledged writes", value: crash.acknowledged, unit: "writes" },
    { name: "kill -9 mid-writes: acknowledged writes lost after restart", value: crash.lost, unit: "writes", goal: { atMost: 0 } },
    ...lengths.map((length, i) => ({ name: `file store: one append to a list of ${length.toLocaleString("en-US")}`, value: appends[i] ?? 0, unit: "ms" })),
    { name: "file store: an append to a list of 10,000 ÷ one to a list of 100", value: long / short, unit: "", goal: { atMost: 2 } },
  ];
}
