/**
 * A job's watermark over the partitions of its source (api.ts, Watermarks):
 * per partition, the largest event time read from it less the bound on
 * out-of-orderness; the watermark is the least of them over the partitions
 * that are not idle, or, once every partition is idle, the largest. It
 * moves with each call, looked at or not, and never moves back: a partition
 * back from idleness may be behind the others, and then its records are.
 */
import type { Watermarks } from "../api.ts";

interface Snapshot {
  largest: number[];
  idle: boolean[];
  watermark: number;
}

const isSnapshot = (value: unknown, partitions: number): value is Snapshot => {
  const { largest, idle, watermark } = (value ?? {}) as Partial<Snapshot>;
  return Array.isArray(largest) && largest.length === partitions && largest.every((time) => typeof time === "number")
    && Array.isArray(idle) && idle.length === partitions && idle.every((flag) => typeof flag === "boolean")
    && typeof watermark === "number";
};

export class PartitionWatermarks implements Watermarks {
  readonly #outOfOrderMs: number;
  /** The largest event time read from each partition (-Infinity: none yet), and whether it is idle. */
  readonly #largest: number[];
  readonly #idle: boolean[];
  #watermark = -Infinity;

  constructor(partitions: number, outOfOrderMs: number, snapshot?: unknown) {
    if (!(Number.isInteger(partitions) && partitions >= 1)) throw new RangeError(`Cannot keep watermarks of ${partitions} partitions: expected a positive integer`);
    if (!(typeof outOfOrderMs === "number" && outOfOrderMs >= 0 && Number.isFinite(outOfOrderMs))) throw new RangeError(`Cannot use outOfOrderMs ${outOfOrderMs}: expected a number ≥ 0`);
    this.#outOfOrderMs = outOfOrderMs;
    this.#largest = new Array<number>(partitions).fill(-Infinity);
    this.#idle = new Array<boolean>(partitions).fill(false);
    if (snapshot !== undefined) {
      if (!isSnapshot(snapshot, partitions)) throw new RangeError(`Cannot restore watermarks of ${partitions} partitions: not a snapshot of them`);
      this.#largest = [...snapshot.largest];
      this.#idle = [...snapshot.idle];
      this.#watermark = snapshot.watermark;
    }
  }

  observe(partition: number, time: number): void {
    this.#check(partition, "observe");
    if (time > (this.#largest[partition] as number)) this.#largest[partition] = time;
    this.#idle[partition] = false;
    this.#advance();
  }

  idle(partition: number): void {
    this.#check(partition, "idle");
    this.#idle[partition] = true;
    this.#advance();
  }

  /** Whether a partition is idle now (for the job, which decides when one goes idle). */
  isIdle(partition: number): boolean {
    return this.#idle[partition] === true;
  }

  current(): number {
    return this.#watermark;
  }

  snapshot(): Snapshot {
    return { largest: [...this.#largest], idle: [...this.#idle], watermark: this.#watermark };
  }

  /**
   * Moves the watermark to the least largest time over the partitions not
   * idle (with every partition idle, nothing is left to wait for: the
   * largest over all), if that is ahead of it.
   */
  #advance(): void {
    const counted = this.#largest.filter((_, partition) => !this.#idle[partition]);
    const time = counted.length > 0 ? Math.min(...counted) : Math.max(...this.#largest);
    this.#watermark = Math.max(this.#watermark, time - this.#outOfOrderMs);
  }

  #check(partition: number, what: string): void {
    if (!(Number.isInteger(partition) && partition >= 0 && partition < this.#largest.length)) throw new RangeError(`Cannot ${what} partition ${partition}: there are ${this.#largest.length}`);
  }
}

export const watermarks = (partitions: number, outOfOrderMs: number, snapshot?: unknown): Watermarks => new PartitionWatermarks(partitions, outOfOrderMs, snapshot);
