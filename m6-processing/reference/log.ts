/**
 * `node.log(gid)`: the event log of a group, from any node, member or not
 * (api.ts, part 2). It checks its arguments here, routes each call to the
 * member that owns what it names (log-service.ts), and throws a member's
 * RangeError (an offset past a partition's end, a topic with other
 * settings) as its own.
 */
import type { ConsumerOptions, Log, LogEvent, LogPosition, LogRead, NodeAddress, TopicOptions } from "../api.ts";
import { RemoteError } from "../../autograder/kit/errors.ts";
import type * as M5 from "../../m5-mapreduce/api.ts";
import { LogConsumer } from "./consumer.ts";
import { Group } from "./group.ts";
import { type Held, logServiceName } from "./log-service.ts";
import { partitionOf } from "./partition-of.ts";
import type { TopicSettings } from "./partition-log.ts";

/** A topic's or a consumer group's name: not empty, without "/" (it is part of the log's keys). */
export function checkName(what: string, name: string): void {
  if (typeof name !== "string" || name === "" || name.includes("/")) throw new RangeError(`Cannot use ${what} ${JSON.stringify(name)}: expected a non-empty name without "/"`);
}

function checkSettings({ partitions = 4, retainEvents, retainMs }: TopicOptions): TopicSettings {
  if (!(Number.isInteger(partitions) && partitions >= 1 && partitions <= 256)) throw new RangeError(`Cannot create a topic of ${partitions} partitions: expected an integer in [1, 256]`);
  if (retainEvents !== undefined && !(Number.isInteger(retainEvents) && retainEvents >= 1)) throw new RangeError(`Cannot retain ${retainEvents} events: expected a positive integer`);
  if (retainMs !== undefined && !(retainMs > 0 && Number.isFinite(retainMs))) throw new RangeError(`Cannot retain events for ${retainMs} ms: expected a positive number`);
  return { partitions, ...(retainEvents === undefined ? {} : { retainEvents }), ...(retainMs === undefined ? {} : { retainMs }) };
}

function checkEvent(event: LogEvent, i: number): void {
  const { key, time } = (event ?? {}) as Partial<LogEvent>;
  if (typeof key !== "string" || typeof time !== "number" || !Number.isFinite(time)) {
    throw new RangeError(`Cannot append event ${i}: expected { key: string, value, time: finite number }`);
  }
}

function checkCount(what: string, value: number, least: number): void {
  if (!(Number.isInteger(value) && value >= least)) throw new RangeError(`Cannot read with ${what} ${value}: expected an integer ≥ ${least}`);
}

/** A call's RangeError from the member, thrown as this node's. */
export async function asOwn<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof RemoteError && error.cause instanceof Error && error.cause.name === "RangeError") throw new RangeError(error.cause.message);
    throw error;
  }
}

export function eventLog(node: M5.MapReduceNode, gid: string): Log {
  /** The settings of the topics met: they never change once created. */
  const known = new Map<string, TopicSettings>();
  const call = <T>(member: NodeAddress, method: string, args: unknown[]) =>
    asOwn(node.comm.send(args, { node: member, service: logServiceName, method }) as Promise<T>);
  /** The group, and the settings of a topic, asked of the member that owns the topic's name when first met. */
  const topicOf = async (topic: string): Promise<[Group, TopicSettings]> => {
    const group = await Group.of(node, gid);
    let settings = known.get(topic);
    if (settings === undefined) {
      const found = await call<TopicSettings | null>(group.ownerOf(topic), "settings", [gid, topic]);
      if (found === null) throw new RangeError(`Cannot use topic ${JSON.stringify(topic)} of group "${gid}": it does not exist`);
      known.set(topic, (settings = found));
    }
    return [group, settings];
  };

  const read = async (topic: string, partition: number, offset: number, max = 100): Promise<LogRead> => {
    const [group, { partitions }] = await topicOf(topic);
    if (!(Number.isInteger(partition) && partition >= 0 && partition < partitions)) throw new RangeError(`Cannot read partition ${partition} of topic ${JSON.stringify(topic)}: it has ${partitions}`);
    checkCount("offset", offset, 0);
    checkCount("max", max, 1);
    return call<LogRead>(group.ownerOf(`${topic}/${partition}`), "read", [gid, topic, partition, offset, max]);
  };

  return {
    async createTopic(topic: string, options: TopicOptions = {}): Promise<void> {
      checkName("topic", topic);
      const settings = checkSettings(options);
      const group = await Group.of(node, gid);
      await Promise.all(group.members.map((member) => call(member, "defineTopic", [gid, topic, settings])));
    },

    async append(topic: string, events: readonly LogEvent[]): Promise<LogPosition[]> {
      const [group, { partitions }] = await topicOf(topic);
      events.forEach(checkEvent);
      // Each event's place: by member, by partition, in the order given.
      const byMember = new Map<NodeAddress, Map<number, number[]>>();
      events.forEach((event, i) => {
        const partition = partitionOf(event.key, partitions);
        const member = group.ownerOf(`${topic}/${partition}`);
        const batches = byMember.get(member) ?? new Map<number, number[]>();
        byMember.set(member, batches);
        const batch = batches.get(partition) ?? [];
        batches.set(partition, batch);
        batch.push(i);
      });
      const positions = new Array<LogPosition>(events.length);
      await Promise.all([...byMember].map(async ([member, batches]) => {
        const sent = [...batches];
        const firsts = await call<number[]>(member, "append", [gid, topic, sent.map(([partition, at]) => [partition, at.map((i) => events[i])])]);
        sent.forEach(([partition, at], b) => at.forEach((i, k) => (positions[i] = { partition, offset: (firsts[b] as number) + k })));
      }));
      return positions;
    },

    read,

    async consumer(name: string, topic: string, { sessionMs = 10_000 }: ConsumerOptions = {}) {
      checkName("consumer group", name);
      if (!(sessionMs > 0 && Number.isFinite(sessionMs))) throw new RangeError(`Cannot keep a session of ${sessionMs} ms: expected a positive number`);
      const [group] = await topicOf(topic);
      const coordinator = group.ownerOf(`${name}/${topic}`);
      return new LogConsumer({
        name: `topic ${JSON.stringify(topic)} for consumer group ${JSON.stringify(name)}`,
        poll: (id, ms) => call<Held>(coordinator, "poll", [gid, name, topic, id, ms]),
        commit: (id, offsets) => call<number[]>(coordinator, "commit", [gid, name, topic, id, offsets]),
        leave: (id) => call<void>(coordinator, "leave", [gid, name, topic, id]),
        read: (partition, offset, max) => read(topic, partition, offset, max),
      }, sessionMs);
    },

    async committed(name: string, topic: string) {
      checkName("consumer group", name);
      const [group] = await topicOf(topic);
      const committed = await call<Array<number | null>>(group.ownerOf(`${name}/${topic}`), "committed", [gid, name, topic]);
      return committed.map((offset) => offset ?? undefined);
    },
  };
}
