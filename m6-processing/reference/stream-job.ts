/**
 * A stream job as it runs on its member (api.ts, part 3): a reader per
 * partition of the source feeds the barrier aligner (barriers.ts); the job
 * takes records from it one at a time, through the steps, into the window
 * operator (window-operator.ts) and the watermarks (watermarks.ts), and
 * gives what comes out to its sink and late sink.
 *
 * A checkpoint is asked for by putting a barrier in every channel at once,
 * where each reader stands. When the aligner gives it, the job snapshots
 * its operator and watermarks there: the offsets are the barriers'. The
 * snapshot is stored (checkpoint-store.ts) in one write, after the one
 * before, and then, exactly once, its outputs are appended (outputs.ts).
 */
import { setImmediate as yieldTurn } from "node:timers/promises";
import type { JobStatus, LoggedEvent, LogRead, NodeAddress, StreamJob, StreamRecord, WindowOutput } from "../api.ts";
import { BarrierAligner } from "./barriers.ts";
import type { Checkpoint, CheckpointStore } from "./checkpoint-store.ts";
import type { Outputs } from "./outputs.ts";
import { PartitionWatermarks } from "./watermarks.ts";
import { KeyedWindows } from "./window-operator.ts";

/** How many records a reader asks for at once, and how far ahead of the job it may run (per partition). */
const batch = 500;
/** How long a reader's long poll waits at the end of its partition, and how long a reader or a checkpoint waits after a failed call (ms, the node's clock). */
const pollMs = 1000;
const retryMs = 100;
/** Records the job takes before it lets other work run. */
const turn = 256;
/** The longest delay setTimeout takes (a longer one fires at once). */
const longestTimerMs = 2 ** 31 - 1;

/** What a job needs of the node and the group it runs in. */
export interface JobHost {
  address: NodeAddress;
  now(): number;
  after(ms: number, callback: () => void): () => void;
  /** Reads a partition of the source, waiting up to `waitMs` for an event at `offset`. */
  readNext(partition: number, offset: number, max: number, waitMs: number): Promise<LogRead>;
  /** The end of each partition of the source now. */
  ends(): Promise<number[]>;
  checkpoints: CheckpointStore;
  outputs: Outputs;
}

/** A job with its defaults filled in. */
export type CheckedJob = Required<Pick<StreamJob, "name" | "source" | "steps" | "sink" | "outOfOrderMs" | "idleMs" | "checkpointEvery" | "checkpointMs" | "guarantee">> & StreamJob;

/** A record through the job's steps; undefined when a filter drops it. */
export function throughSteps(job: CheckedJob, record: StreamRecord): StreamRecord | undefined {
  let current = record;
  for (const step of job.steps) {
    if ("map" in step) current = { ...current, value: step.map(current) };
    else if ("filter" in step) {
      if (step.filter(current) !== true) return undefined;
    } else {
      const key = step.keyBy(current);
      if (typeof key !== "string") throw new TypeError(`Cannot key a record by ${String(key)}: keyBy must return a string`);
      current = { ...current, key };
    }
  }
  return current;
}

export class RunningJob {
  readonly #job: CheckedJob;
  readonly #host: JobHost;
  readonly #operator: KeyedWindows;
  readonly #marks: PartitionWatermarks;
  readonly #aligner: BarrierAligner<LoggedEvent>;
  /** Where each reader stands (what it handed to the aligner), and where the job stands (what it took). */
  readonly #read: number[];
  readonly #taken: number[];
  /** When the job last took a record of each partition, on its node's clock (this run's start, for none yet). */
  readonly #takenAt: number[];
  /** The last checkpoint asked for, and the last completed. */
  #asked: number;
  #completed: number;
  #results: number;
  #late: number;
  #sinceCheckpoint = 0;
  #pending: WindowOutput[] = [];
  /** Stores checkpoints one after another, and appends (at least once) in order. */
  #saving: Promise<void> = Promise.resolve();
  #appending: Promise<void> = Promise.resolve();
  /** Set by stop: where the readers end, per partition, and whether the watermark then goes to Infinity. */
  #until: number[] | undefined;
  #drain = false;
  /** Set when the node stops: everything ends where it is. */
  #killed = false;
  /** Set when a step, the reduce or the source failed the job. */
  #error: string | undefined;
  #stopping = false;
  #wake: (() => void) | undefined;
  #cancelDue: (() => void) | undefined;
  #dueAt = Infinity;
  #cancelTick: () => void = () => {};
  readonly #done: Promise<void>;

  constructor(job: CheckedJob, host: JobHost, from: Checkpoint) {
    this.#job = job;
    this.#host = host;
    this.#operator = new KeyedWindows(job, from.operator);
    this.#marks = new PartitionWatermarks(from.offsets.length, job.outOfOrderMs, from.watermarks);
    this.#aligner = new BarrierAligner(from.offsets.length);
    this.#read = [...from.offsets];
    this.#taken = [...from.offsets];
    this.#takenAt = from.offsets.map(() => host.now());
    this.#asked = this.#completed = from.id;
    this.#results = from.results;
    this.#late = from.late;
    this.#tick();
    from.offsets.forEach((_, partition) => void this.#reader(partition));
    this.#done = this.#process().catch((error: unknown) => {
      this.#error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      this.kill();
    });
  }

  /** Whether it runs: not stopped, not failed, and its node has not stopped. */
  get running(): boolean {
    return !this.#stopping && !this.#killed;
  }

  status(): JobStatus {
    return {
      name: this.#job.name,
      node: this.#host.address,
      running: this.running,
      checkpoints: this.#completed,
      offsets: [...this.#taken],
      watermark: this.#operator.reached(),
      held: this.#operator.held(),
      results: this.#results,
      late: this.#late,
      ...(this.#error === undefined ? {} : { error: this.#error }),
    };
  }

  /**
   * Ends the job after a last checkpoint: at what the readers hold now, or,
   * with `drain`, at the partitions' ends now, with the watermark at Infinity.
   */
  async stop(drain: boolean): Promise<void> {
    this.#stopping = true;
    this.#until = drain ? await this.#host.ends() : [...this.#read];
    this.#drain = drain;
    this.#wake?.();
    await this.#done;
  }

  /** The node stops: the job ends at once, with no checkpoint, as in a crash. */
  kill(): void {
    this.#killed = true;
    this.#wake?.();
  }

  async #reader(partition: number): Promise<void> {
    while (!this.#killed) {
      const offset = this.#read[partition] as number;
      const until = this.#until?.[partition];
      if (until !== undefined && offset >= until) return;
      if (this.#aligner.backlog(partition) >= batch) {
        await this.#sleep(0);
        continue;
      }
      let read: LogRead;
      try {
        read = await this.#host.readNext(partition, offset, until === undefined ? batch : Math.min(batch, until - offset), pollMs);
      } catch {
        await this.#sleep(retryMs);
        continue;
      }
      if (this.#killed) return;
      const end = this.#until?.[partition] ?? Infinity;
      const events = read.events.filter((event) => event.offset < end);
      for (const event of events) this.#aligner.push(partition, event);
      this.#read[partition] = Math.max(read.start, offset + events.length);
      this.#wake?.();
    }
  }

  async #process(): Promise<void> {
    let taken = 0;
    while (!this.#killed) {
      const now = this.#host.now();
      this.#give(this.#operator.time(now));
      this.#goIdle(now);
      this.#schedule();
      const next = this.#aligner.next();
      if (next === undefined) {
        if (this.#until !== undefined && this.#read.every((at, p) => at >= (this.#until as number[])[p]!)) break;
        await new Promise<void>((resolve) => (this.#wake = resolve));
        continue;
      }
      if ("checkpoint" in next) this.#checkpoint(next.checkpoint, next.positions);
      else this.#take(next.channel, next.record);
      if (++taken % turn === 0) await yieldTurn();
    }
    this.#cancelTick();
    this.#cancelDue?.();
    if (this.#killed) return;
    if (this.#drain) this.#give(this.#operator.watermark(Infinity));
    this.#checkpoint(this.#asked + 1, [...this.#taken]);
    await Promise.all([this.#appending, this.#saving]);
  }

  #take(partition: number, event: LoggedEvent): void {
    const now = this.#host.now();
    const record = throughSteps(this.#job, { key: event.key, value: event.value, time: event.time });
    if (record !== undefined) this.#give(this.#operator.add(record, now));
    this.#marks.observe(partition, event.time);
    this.#give(this.#operator.watermark(this.#marks.current()));
    this.#taken[partition] = event.offset + 1;
    this.#takenAt[partition] = now;
    if (++this.#sinceCheckpoint >= this.#job.checkpointEvery) this.#askCheckpoint();
  }

  /**
   * Puts barrier n in every channel, where each reader stands; one
   * checkpoint at a time, and only when there is something new to keep: a
   * record processed, or an output waiting to go out with it.
   */
  #askCheckpoint(): void {
    if (this.#asked > this.#completed || (this.#sinceCheckpoint === 0 && this.#pending.length === 0)) return;
    this.#asked++;
    this.#read.forEach((position, partition) => this.#aligner.barrier(partition, this.#asked, position));
    this.#sinceCheckpoint = 0;
  }

  /** Snapshots the job at checkpoint `id` and stores it after the ones before; its outputs go out once it is stored. */
  #checkpoint(id: number, offsets: number[]): void {
    const checkpoint: Checkpoint = {
      id,
      offsets,
      operator: this.#operator.snapshot(),
      watermarks: this.#marks.snapshot(),
      results: this.#results,
      late: this.#late,
      outputs: this.#pending,
      ends: {},
    };
    this.#asked = Math.max(this.#asked, id);
    this.#pending = [];
    this.#saving = this.#saving.then(async () => {
      await this.#retried(async () => {
        await this.#host.outputs.markEnds(checkpoint);
        await this.#host.checkpoints.save(checkpoint);
      });
      if (this.#killed) return;
      this.#completed = id;
      await this.#retried(() => this.#host.outputs.publish(checkpoint));
      if (this.#sinceCheckpoint >= this.#job.checkpointEvery) this.#askCheckpoint();
      this.#wake?.();
    });
  }

  /** What the operator gave out: counted, and appended now (at least once) or with the next checkpoint (exactly once). */
  #give(outputs: WindowOutput[]): void {
    for (const output of outputs) {
      if ("result" in output) this.#results++;
      else this.#late++;
    }
    if (outputs.length === 0) return;
    if (this.#job.guarantee === "exactly-once") this.#pending.push(...outputs);
    else this.#appending = this.#appending.then(() => this.#retried(() => this.#host.outputs.append(outputs)));
  }

  /** Runs a step of a checkpoint or an append until it succeeds (a member may be restarting), or the node stops. */
  async #retried(step: () => Promise<void>): Promise<void> {
    while (!this.#killed) {
      try {
        return await step();
      } catch {
        await this.#sleep(retryMs);
      }
    }
  }

  /**
   * The partitions that can go idle (api.ts, idleMs), each with the moment
   * it does: those not idle yet with no record or barrier waiting in the
   * aligner, idleMs after the job last took a record of one (or after this
   * run began, for none yet). None without idleMs.
   */
  #idleAt(): Array<[partition: number, at: number]> {
    if (this.#job.idleMs === Infinity) return [];
    return this.#takenAt.flatMap((taken, partition) =>
      this.#marks.isIdle(partition) || this.#aligner.backlog(partition) > 0 ? [] : [[partition, taken + this.#job.idleMs]]
    );
  }

  /** Partitions whose moment has come go idle; the watermark moves on if that lets it. */
  #goIdle(now: number): void {
    const idle = this.#idleAt().filter(([, at]) => at <= now);
    if (idle.length === 0) return;
    for (const [partition] of idle) this.#marks.idle(partition);
    this.#give(this.#operator.watermark(this.#marks.current()));
  }

  /** A timer for the next early or late result, or the next partition to go idle. */
  #schedule(): void {
    const due = Math.min(this.#operator.nextDue(), ...this.#idleAt().map(([, at]) => at));
    if (due >= this.#dueAt) return;
    this.#cancelDue?.();
    this.#dueAt = due;
    if (due === Infinity) return;
    // A timer further off than setTimeout can wait fires early, and the job sets it again.
    this.#cancelDue = this.#host.after(Math.min(due - this.#host.now(), longestTimerMs), () => {
      this.#dueAt = Infinity;
      this.#wake?.();
    });
  }

  /** Every checkpointMs, a checkpoint if there is something new to keep. */
  #tick(): void {
    this.#cancelTick = this.#host.after(this.#job.checkpointMs, () => {
      this.#askCheckpoint();
      this.#wake?.();
      this.#tick();
    });
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.#host.after(ms, resolve));
  }
}
