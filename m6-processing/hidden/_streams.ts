/**
 * Shared by m6's hidden tests of stream processing (part 3,
 * handouts/m6.md#the-processor): the fields api.ts gives a window
 * operator's outputs (an implementation's extra fields do not count),
 * snapshots sent through milestone 1's serializer (the grader's own copy)
 * as a job's checkpoint would be, and, for jobs on in-process nodes, where
 * a job runs (milestone 4's default placement of its name in
 * `${gid}-streams`), waits on a job's status that move the test's clock by
 * hand, and reads of a sink topic. No time here comes from the machine's
 * clock: waits are bounded in turns of the event loop, not in time.
 */
import type * as Api from "../api.ts";
import type * as M1 from "../../m1-serialization/api.ts";
import { load } from "../../autograder/kit/implementations.ts";
import { logLimitMs, ownerOf, readAll, settle, within, type LogCluster } from "./_log.ts";
import { preview } from "./_truth.ts";

export const m1 = await load<typeof M1>("m1", "reference");

/** A value sent through milestone 1 and back, as a checkpoint stores it. */
export const roundTrip = (value: unknown): unknown => m1.deserialize(m1.serialize(value));

/** How long the text of a value is, through milestone 1. */
export const textLength = (value: unknown): number => m1.serialize(value).length;

// ---------------------------------------------------------------------------
// Outputs of a window operator.

/** The fields api.ts gives a WindowResult. */
export function resultFields(result: unknown): unknown {
  if (typeof result !== "object" || result === null) return result;
  const { key, start, end, value, timing, pane, final } = result as Partial<Api.WindowResult>;
  return { key, start, end, value, timing, pane, final };
}

/** The fields api.ts gives a StreamRecord. */
export function recordFields(record: unknown): unknown {
  if (typeof record !== "object" || record === null) return record;
  const { key, value, time } = record as Partial<Api.StreamRecord>;
  return { key, value, time };
}

/** The fields api.ts gives each output. */
export function outputFields(outputs: readonly Api.WindowOutput[]): unknown[] {
  return outputs.map((output) => {
    if (typeof output !== "object" || output === null) return output;
    if ("result" in output) return { result: resultFields(output.result) };
    if ("late" in output) return { late: recordFields(output.late) };
    return output;
  });
}

/** A result, as an output. */
export const result = (key: string, start: number, end: number, value: unknown, timing: Api.WindowResult["timing"], pane: number, final: boolean): Api.WindowOutput => ({
  result: { key, start, end, value, timing, pane, final },
});

/** A late record, as an output. */
export const late = (key: string, value: unknown, time: number): Api.WindowOutput => ({ late: { key, value, time } });

/** Sums numbers (a reduce that travels as source). */
export const sum = (a: unknown, b: unknown): unknown => (a as number) + (b as number);

/** Joins strings, the first one first: a reduce whose result shows the order it combined values in. */
export const concat = (a: unknown, b: unknown): unknown => `${a as string}${b as string}`;

// ---------------------------------------------------------------------------
// Jobs on in-process nodes.

/** The member that runs job `name`: the owner of its name in `${gid}-streams`, by milestone 4's default placement. */
export const jobMember = (cluster: LogCluster, name: string): Api.EngineNode => ownerOf(cluster, name);

/** The index in `cluster.members` of the member that runs job `name`. */
export const jobMemberIndex = (cluster: LogCluster, name: string): number => cluster.members.indexOf(jobMember(cluster, name));

/** How the waits below move the clock: by `stepMs` each look, at most `looks` looks. */
export interface WaitOptions {
  /** How far each look moves the nodes' clock, ms (default 20): timers a job sets to poll its source fire. */
  stepMs?: number;
  /** How many looks before giving up (default 3,000): a bound on a hang, not on speed. */
  looks?: number;
}

/**
 * Looks at a job's status until `done` holds, moving the cluster's clock by
 * a small step between looks; the status that held.
 *
 * @throws Error naming `what` and the last status seen when it never holds
 */
export async function waitForStatus(cluster: LogCluster, name: string, done: (status: Api.JobStatus) => boolean, what: string, options: WaitOptions = {}): Promise<Api.JobStatus> {
  const streams = cluster.outsider.streams(cluster.gid);
  const looks = options.looks ?? 3_000;
  const stepMs = options.stepMs ?? 20;
  let last: Api.JobStatus | undefined;
  for (let i = 0; i < looks; i++) {
    last = await within(streams.status(name), logLimitMs, `status(${name})`);
    if (done(last)) return last;
    if (stepMs > 0) await cluster.clock.advance(stepMs);
    else await settle();
  }
  throw new Error(`job ${name} never reached this: ${what} (last status ${preview(last)})`);
}

/**
 * Reads a topic until it holds at least `count` events, moving the
 * cluster's clock by a small step between reads; its events then.
 *
 * @throws Error naming `what` when it never does
 */
export async function waitForEvents(cluster: LogCluster, topic: string, partitions: number, count: number, what: string, options: WaitOptions = {}): Promise<Api.LoggedEvent[]> {
  const looks = options.looks ?? 3_000;
  let events: Api.LoggedEvent[] = [];
  for (let i = 0; i < looks; i++) {
    events = await eventsOf(cluster.log, topic, partitions);
    if (events.length >= count) return events;
    await cluster.clock.advance(options.stepMs ?? 20);
  }
  throw new Error(`${topic} never held ${count} events: ${what} (it holds ${events.length})`);
}

/** Whether a job's offsets are `ends`, partition by partition. */
export const offsetsAre = (status: Api.JobStatus, ends: readonly number[]): boolean => status.offsets.length === ends.length && status.offsets.every((offset, p) => offset === ends[p]);

/** The ends of every partition of a topic, read now. */
export async function endsOf(log: Api.Log, topic: string, partitions: number): Promise<number[]> {
  const ends: number[] = [];
  for (let p = 0; p < partitions; p++) ends.push((await within(log.read(topic, p, 0, 1), logLimitMs, `read(${topic}, ${p}, 0)`)).end);
  return ends;
}

/** Every event of a topic, partition after partition. */
export async function eventsOf(log: Api.Log, topic: string, partitions: number): Promise<Api.LoggedEvent[]> {
  const events: Api.LoggedEvent[] = [];
  for (let p = 0; p < partitions; p++) events.push(...(await readAll(log, topic, p)).events);
  return events;
}

/** The WindowResults a sink holds (the value of each event), each with the event that carried it. */
export async function sinkResults(log: Api.Log, topic: string, partitions: number): Promise<Array<{ event: Api.LoggedEvent; result: Api.WindowResult }>> {
  return (await eventsOf(log, topic, partitions)).map((event) => ({ event, result: event.value as Api.WindowResult }));
}

/** "key [start, end)": names a key's window. */
export const windowName = (key: string, start: number, end: number): string => `${key} [${start}, ${end})`;
