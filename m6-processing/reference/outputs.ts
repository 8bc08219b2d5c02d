/**
 * Where a job's outputs go: each result to its sink, as an event keyed by
 * the result's key at time end − 1; each late record to its late sink, as
 * it left the steps (or nowhere, without one).
 *
 * At least once, outputs are appended as they come. Exactly
 * once, a checkpoint's outputs are appended after it is stored, and
 * `publish` may run again for the same checkpoint after a crash: it counts
 * what each sink partition holds past the ends stored with the checkpoint
 * (the job is its only writer, and a partition's events arrive in order)
 * and appends only the rest.
 */
import type { Log, LogEvent, WindowOutput } from "../api.ts";
import type { Checkpoint } from "./checkpoint-store.ts";
import { partitionOf } from "./partition-of.ts";

/** An output topic, and how many partitions it has. */
export interface Topic {
  name: string;
  partitions: number;
}

export class Outputs {
  readonly #log: Log;
  readonly #sink: Topic;
  readonly #lateSink: Topic | undefined;

  constructor(log: Log, sink: Topic, lateSink: Topic | undefined) {
    this.#log = log;
    this.#sink = sink;
    this.#lateSink = lateSink;
  }

  /** Appends outputs now (at least once). */
  async append(outputs: WindowOutput[]): Promise<void> {
    await Promise.all(this.#byTopic(outputs).map(([topic, events]) => this.#log.append(topic.name, events)));
  }

  /** Records in the checkpoint where each output topic's partitions end now. */
  async markEnds(checkpoint: Checkpoint): Promise<void> {
    for (const topic of this.#topics()) checkpoint.ends[topic.name] = await this.#ends(topic);
  }

  /** Appends the checkpoint's outputs that its output topics do not hold yet. */
  async publish(checkpoint: Checkpoint): Promise<void> {
    await Promise.all(this.#byTopic(checkpoint.outputs).map(async ([topic, events]) => {
      const before = checkpoint.ends[topic.name] ?? new Array<number>(topic.partitions).fill(0);
      const now = await this.#ends(topic);
      // What each partition holds past its end at the checkpoint: the first that many of its events are there already.
      const there = now.map((end, p) => Math.max(0, end - (before[p] as number)));
      const missing = events.filter((event) => {
        const p = partitionOf(event.key, topic.partitions);
        if (there[p]! === 0) return true;
        there[p]!--;
        return false;
      });
      if (missing.length > 0) await this.#log.append(topic.name, missing);
    }));
  }

  #topics(): Topic[] {
    return this.#lateSink === undefined ? [this.#sink] : [this.#sink, this.#lateSink];
  }

  async #ends(topic: Topic): Promise<number[]> {
    const reads = await Promise.all(Array.from({ length: topic.partitions }, (_, p) => this.#log.read(topic.name, p, 0, 1)));
    return reads.map((read) => read.end);
  }

  /** The events each output topic gets, in order. */
  #byTopic(outputs: readonly WindowOutput[]): Array<[Topic, LogEvent[]]> {
    const results: LogEvent[] = [];
    const late: LogEvent[] = [];
    for (const output of outputs) {
      if ("result" in output) results.push({ key: output.result.key, value: output.result, time: output.result.end - 1 });
      else late.push(output.late);
    }
    const topics: Array<[Topic, LogEvent[]]> = [];
    if (results.length > 0) topics.push([this.#sink, results]);
    if (late.length > 0 && this.#lateSink !== undefined) topics.push([this.#lateSink, late]);
    return topics;
  }
}
