/**
 * The "mr" service every member runs: its part of each job, step by step, as
 * the coordinator asks (coordinator.ts).
 *
 *   begin(spec)            remember the job
 *   map(id, round)         map the round's input keys this member holds,
 *                          combine, and shuffle: one batch per owner (and
 *                          more for big ones), each appended there with
 *                          milestone 4's appendAll
 *   shuffle(id, round, t)  take a batch another member shuffled here
 *   reduce(id, round)      take out each key shuffled here and reduce it,
 *                          writing its output here too (this member owns the
 *                          key); then drop the round before's output, which
 *                          nothing reads again
 *   publish(id, round)     move an early last round's output into `out`
 *   end(id, failed)        remove the job's namespaces (and its output, if
 *                          it failed), and forget it
 *
 * A round reads the group's store or the previous round's output, and each
 * key of those lives on its owner: nothing is read across the network.
 * What was shuffled to a member waits for its reduce in the member's store,
 * or in memory for a job with `memory` (shuffled-pairs.ts).
 */
import { eachLimited } from "../../autograder/kit/each-limited.ts";
import { JobError, type JobStep } from "../../autograder/kit/errors.ts";
import type { NodeAddress, Pair } from "../api.ts";
import type * as M4 from "../../m4-storage/api.ts";
import { m1, m2, m4 } from "../deps.ts";
import { type JobSpec, roundNamespace, shuffleNamespace } from "./job-spec.ts";
import { inMemory, inStore, type ShuffledPairs } from "./shuffled-pairs.ts";

export const workerServiceName = "mr";

/** Keys a member works on at once. */
const keysInFlight = 16;
/** Keys a shuffled batch carries at most. */
const batchKeys = 5_000;

/** What a member did in the map step of a round. */
export interface MapCounts {
  maps: number;
  emitted: number;
  shuffled: number;
  bytes: number;
}

/** What a member did in the reduce step of a round. */
export interface ReduceCounts {
  reduces: number;
  change: number;
}

/** A namespace of a store. */
interface Place {
  store: M4.LocalStore;
  ns: string;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The pairs a map returned, checked. */
function pairsOf(value: unknown): Pair[] {
  if (!Array.isArray(value) || !value.every((pair) => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === "string")) {
    throw new TypeError("map must return an array of [key, value] pairs with string keys");
  }
  return value as Pair[];
}

export function workerService(node: M4.StoreNode, scratch: M4.LocalStore) {
  const jobs = new Map<string, JobSpec>();
  const here = `${node.address.ip}:${node.address.port}`;
  const job = (id: string) => {
    const spec = jobs.get(id);
    if (spec === undefined) throw new RangeError(`Cannot work on job ${id}: ${here} has not begun it`);
    return spec;
  };
  /** Where the outputs of rounds before the last live. */
  const intermediate = (spec: JobSpec) => (spec.memory ? scratch : node.local);
  /** The shuffled pairs kept in memory, by their round's shuffle namespace. */
  const inMemoryPairs = new Map<string, ShuffledPairs>();
  /** Where a round's shuffled pairs wait for its reduce. */
  const shuffledPairs = (spec: JobSpec, round: number): ShuffledPairs => {
    const ns = shuffleNamespace(spec.id, round);
    if (!spec.memory) return inStore(node.local, ns, keysInFlight);
    let pairs = inMemoryPairs.get(ns);
    if (pairs === undefined) inMemoryPairs.set(ns, (pairs = inMemory()));
    return pairs;
  };
  /** Where a round reads: the group's store, then the previous round's output. */
  const input = (spec: JobSpec, round: number): Place =>
    round === 1 ? { store: node.local, ns: spec.gid } : { store: intermediate(spec), ns: roundNamespace(spec.id, round - 1) };
  /** Where a round writes: `out` in the last round, a namespace of its own before. */
  const output = (spec: JobSpec, round: number): Place =>
    round === spec.rounds ? { store: node.local, ns: spec.out } : { store: intermediate(spec), ns: roundNamespace(spec.id, round) };
  /** Runs a user function on a key; what it throws fails the job, naming the step, the key and this node. */
  const run = async <T>(spec: JobSpec, step: JobStep, key: string, fn: () => T | Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw new JobError(`Cannot run job ${spec.id}: ${step} threw on key ${JSON.stringify(key)} at ${here}: ${message(error)}`, { cause: error, job: spec.id, step, node: here, key });
    }
  };
  /**
   * Appends shuffled values where this member keeps the round's pairs, as
   * long as the job lasts (a job ended meanwhile, after a failure elsewhere,
   * must leave nothing behind).
   */
  const take = (id: string, round: number, entries: Array<[string, unknown[]]>) => shuffledPairs(job(id), round).add(entries);
  /** Removes every key of a namespace. */
  const clear = async ({ store, ns }: Place) => eachLimited(await store.keys(ns), keysInFlight, (key) => store.del(ns, key));

  /** Sends each key's values to its owner, in batches; returns what it sent. */
  const shuffle = async (spec: JobSpec, round: number, emitted: Map<string, unknown[]>) => {
    const byId = new Map(spec.members.map((member) => [m2.nodeId(member), member]));
    const ids = [...byId.keys()];
    const byOwner = new Map<string, Array<[string, unknown[]]>>();
    for (const entry of emitted) {
      const nid = m4.owner(entry[0], ids, spec.placement);
      const entries = byOwner.get(nid);
      if (entries === undefined) byOwner.set(nid, [entry]);
      else entries.push(entry);
    }
    const sent = { shuffled: 0, bytes: 0 };
    // Every batch settles before the map answers, even after one failed: the
    // coordinator ends a failed job at once, and a batch still on its way
    // would land after the end had cleared the job away.
    await eachLimited([...byOwner], byOwner.size, async ([nid, entries]) => {
      const to = byId.get(nid) as NodeAddress;
      for (let first = 0; first < entries.length; first += batchKeys) {
        const batch = entries.slice(first, first + batchKeys);
        sent.shuffled += batch.reduce((sum, [, values]) => sum + values.length, 0);
        if (nid === node.id) {
          await take(spec.id, round, batch);
          continue;
        }
        // The batch travels as text serialized here, so its size is known.
        const text = m1.serialize(batch);
        sent.bytes += text.length;
        try {
          await node.comm.send([spec.id, round, text], { node: to, service: workerServiceName, method: "shuffle" }, { timeoutMs: spec.timeoutMs });
        } catch (error) {
          const there = `${to.ip}:${to.port}`;
          throw new JobError(`Cannot run job ${spec.id}: shuffling to ${there} failed: ${message(error)}`, { cause: error, job: spec.id, step: "shuffle", node: there });
        }
      }
    });
    return sent;
  };

  return {
    begin: (spec: JobSpec) => void jobs.set(spec.id, spec),
    async map(id: string, round: number): Promise<MapCounts> {
      const spec = job(id);
      const from = input(spec, round);
      const wanted = round === 1 && spec.keys !== undefined ? new Set(spec.keys) : undefined;
      const keys = (await from.store.keys(from.ns)).filter((key) => wanted === undefined || wanted.has(key));
      const emitted = new Map<string, unknown[]>();
      const counts = { maps: 0, emitted: 0 };
      await eachLimited(keys, keysInFlight, async (key) => {
        const lookup = await from.store.get(from.ns, key);
        if (!lookup.found) return;
        const pairs = await run(spec, "map", key, async () => pairsOf(await spec.map(key, lookup.value)));
        counts.maps++;
        counts.emitted += pairs.length;
        for (const [k, v] of pairs) {
          const values = emitted.get(k);
          if (values === undefined) emitted.set(k, [v]);
          else values.push(v);
        }
      });
      const { combine } = spec;
      if (combine !== undefined) {
        for (const [key, values] of emitted) emitted.set(key, [await run(spec, "combine", key, () => combine(key, values))]);
      }
      return { ...counts, ...(await shuffle(spec, round, emitted)) };
    },
    shuffle: (id: string, round: number, text: string) => take(id, round, m1.deserialize(text) as Array<[string, unknown[]]>),
    async reduce(id: string, round: number): Promise<ReduceCounts> {
      const spec = job(id);
      const { distance } = spec;
      const shuffled = shuffledPairs(spec, round);
      const from = input(spec, round);
      const to = output(spec, round);
      const keys = await shuffled.keys();
      let change = 0;
      await eachLimited(keys, keysInFlight, async (key) => {
        // Taken out as it is reduced: nothing reads a round's shuffled pairs again.
        const values = await shuffled.take(key);
        const result = await run(spec, "reduce", key, () => spec.reduce(key, values));
        job(id); // still running: an output written after the job ended would stay
        await to.store.put(to.ns, key, result);
        if (distance !== undefined) {
          const before = await from.store.get(from.ns, key);
          const moved = await run(spec, "distance", key, () => distance(key, before.found ? before.value : undefined, result));
          change += moved;
        }
      });
      // Nor does anything read the round before's output again: drop it now, not when the job ends.
      if (round > 1) await clear(from);
      return { reduces: keys.length, change };
    },
    async publish(id: string, round: number): Promise<void> {
      const spec = job(id);
      const from = output(spec, round);
      await eachLimited(await from.store.keys(from.ns), keysInFlight, async (key) => {
        const lookup = await from.store.del(from.ns, key);
        if (lookup.found) await node.local.put(spec.out, key, lookup.value);
      });
    },
    async end(id: string, failed: boolean): Promise<void> {
      const spec = jobs.get(id);
      if (spec === undefined) return;
      for (let round = 1; round <= spec.rounds; round++) {
        await shuffledPairs(spec, round).clear();
        inMemoryPairs.delete(shuffleNamespace(id, round));
        await clear({ store: intermediate(spec), ns: roundNamespace(id, round) });
      }
      if (failed) await clear({ store: node.local, ns: spec.out });
      jobs.delete(id);
    },
  };
}
