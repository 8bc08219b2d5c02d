/**
 * The "log" service every member runs: its share of each group's event log
 * (api.ts, part 2). Everything it keeps is in its own store, in namespace
 * `${gid}-log`: a topic's settings at `${topic}`, the partitions it owns
 * (partition-log.ts), and, for the consumer groups it coordinates, their
 * committed offsets at `${group}/${topic}` and who is in them and holds
 * what at `${group}/${topic}/consumers` (consumer-group.ts), stored before
 * a poll that changed it answers: a restart forgets no consumer's partitions.
 *
 *   defineTopic(gid, topic, settings)   keep a topic's settings (a RangeError if it has others)
 *   settings(gid, topic)                a topic's settings (null: unknown)
 *   append(gid, topic, batches)         append [partition, events] batches; each batch's first offset
 *   read(gid, topic, p, offset, max)    read a partition
 *   readNext(gid, topic, p, offset, max, waitMs)  read it once it holds an event at offset, or after waitMs (a long poll)
 *   poll(gid, group, topic, id, ms)     a consumer's poll: the partitions it holds, with their committed offsets
 *   commit(gid, group, topic, id, at)   commit [partition, offset] pairs; the partitions refused
 *   leave(gid, group, topic, id)        a consumer leaves
 *   committed(gid, group, topic)        the committed offsets (null where none)
 */
import type { LogEvent, LogRead } from "../api.ts";
import type * as M5 from "../../m5-mapreduce/api.ts";
import { ConsumerGroup, type GroupSnapshot } from "./consumer-group.ts";
import { PartitionLog, type TopicSettings } from "./partition-log.ts";

export const logServiceName = "log";

/** The namespace of a group's log, in each member's own store. */
export const logNamespace = (gid: string): string => `${gid}-log`;

/** What a poll tells a consumer: the partitions it holds, the group's committed offset for each (null: none), and whether it joined with this poll. */
export interface Held {
  partitions: number[];
  committed: Array<number | null>;
  joined: boolean;
}

const noneCommitted = (partitions: number): Array<number | null> => new Array<number | null>(partitions).fill(null);

const sameSettings = (a: TopicSettings, b: TopicSettings) =>
  a.partitions === b.partitions && a.retainEvents === b.retainEvents && a.retainMs === b.retainMs;

export function logService(node: M5.MapReduceNode) {
  const { local } = node;
  const now = () => node.context.clock.now();
  const partitions = new Map<string, PartitionLog>();
  const groups = new Map<string, ConsumerGroup>();

  const storedSettings = async (gid: string, topic: string): Promise<TopicSettings | null> => {
    const lookup = await local.get(logNamespace(gid), topic);
    return lookup.found ? (lookup.value as TopicSettings) : null;
  };
  const settingsOf = async (gid: string, topic: string): Promise<TopicSettings> => {
    const settings = await storedSettings(gid, topic);
    if (settings === null) throw new RangeError(`Cannot use topic "${topic}" of group "${gid}": it does not exist`);
    return settings;
  };
  /** What `made` holds at `${gid}-log` and `name`, made from the topic's settings when first asked for. */
  const kept = async <T>(made: Map<string, T>, gid: string, topic: string, name: string, make: (settings: TopicSettings) => T | Promise<T>): Promise<T> => {
    const key = `${logNamespace(gid)}\u0000${name}`;
    const found = made.get(key);
    if (found !== undefined) return found;
    const value = await make(await settingsOf(gid, topic));
    // Another call may have made one meanwhile: the first made is kept.
    if (!made.has(key)) made.set(key, value);
    return made.get(key) as T;
  };
  const partitionLog = (gid: string, topic: string, partition: number): Promise<PartitionLog> =>
    kept(partitions, gid, topic, `${topic}/${partition}`, (settings) => new PartitionLog(local, logNamespace(gid), topic, partition, settings, now));
  const membersKey = (group: string, topic: string) => `${group}/${topic}/consumers`;
  const consumerGroup = (gid: string, group: string, topic: string): Promise<ConsumerGroup> =>
    kept(groups, gid, topic, `${group}/${topic}`, async (settings) => {
      const stored = await local.get(logNamespace(gid), membersKey(group, topic));
      return stored.found ? ConsumerGroup.restore(settings.partitions, stored.value as GroupSnapshot, now()) : new ConsumerGroup(settings.partitions);
    });
  /** Runs `change` on a consumer group, then stores the group if it changed (the store keeps a key's writes in the order called). */
  const changing = async <T>(gid: string, group: string, topic: string, change: (consumers: ConsumerGroup) => T): Promise<T> => {
    const consumers = await consumerGroup(gid, group, topic);
    const before = consumers.version;
    const result = change(consumers);
    if (consumers.version !== before) await local.put(logNamespace(gid), membersKey(group, topic), consumers.snapshot());
    return result;
  };
  const committedOf = async (gid: string, group: string, topic: string): Promise<Array<number | null>> => {
    const { partitions: count } = await settingsOf(gid, topic);
    const lookup = await local.get(logNamespace(gid), `${group}/${topic}`);
    return lookup.found ? (lookup.value as Array<number | null>) : noneCommitted(count);
  };

  return {
    defineTopic: async (gid: string, topic: string, settings: TopicSettings): Promise<void> => {
      const ns = logNamespace(gid);
      const before = await local.update(ns, topic, (current) => (current.found ? current : { found: true, value: settings }));
      if (before.found && !sameSettings(before.value as TopicSettings, settings)) {
        throw new RangeError(`Cannot create topic "${topic}": it exists with other settings, ${JSON.stringify(before.value)}`);
      }
    },
    settings: storedSettings,
    append: (gid: string, topic: string, batches: Array<[number, LogEvent[]]>): Promise<number[]> =>
      Promise.all(batches.map(async ([partition, events]) => (await partitionLog(gid, topic, partition)).append(events))),
    read: async (gid: string, topic: string, partition: number, offset: number, max: number): Promise<LogRead> =>
      (await partitionLog(gid, topic, partition)).read(offset, max),
    readNext: async (gid: string, topic: string, partition: number, offset: number, max: number, waitMs: number): Promise<LogRead> => {
      const log = await partitionLog(gid, topic, partition);
      await log.arrival(offset, waitMs, (ms, callback) => node.context.clock.after(ms, callback));
      return log.read(offset, max);
    },
    poll: async (gid: string, group: string, topic: string, id: string, sessionMs: number): Promise<Held> => {
      const { partitions: held, joined } = await changing(gid, group, topic, (consumers) => consumers.poll(id, sessionMs, now()));
      const committed = await committedOf(gid, group, topic);
      return { partitions: held, committed: held.map((partition) => committed[partition] ?? null), joined };
    },
    commit: async (gid: string, group: string, topic: string, id: string, offsets: Array<[number, number]>): Promise<number[]> => {
      const { partitions: count } = await settingsOf(gid, topic);
      const refused = await changing(gid, group, topic, (consumers) =>
        offsets.filter(([partition]) => !consumers.mayCommit(id, partition, now())).map(([partition]) => partition)
      );
      const taken = offsets.filter(([partition]) => !refused.includes(partition));
      await local.update(logNamespace(gid), `${group}/${topic}`, (current) => {
        const committed = current.found ? [...(current.value as Array<number | null>)] : noneCommitted(count);
        for (const [partition, offset] of taken) committed[partition] = Math.max(committed[partition] ?? 0, offset);
        return { found: true, value: committed };
      });
      return refused;
    },
    leave: async (gid: string, group: string, topic: string, id: string): Promise<void> => {
      await changing(gid, group, topic, (consumers) => consumers.leave(id));
    },
    committed: (gid: string, group: string, topic: string): Promise<Array<number | null>> => committedOf(gid, group, topic),
  };
}

export type LogService = ReturnType<typeof logService>;
