/**
 * A job's watermark over the partitions of its source (api.ts, Watermarks):
 * per partition, the largest event time read from it less the bound on
 * out-of-orderness; the watermark is the least of them. The largest times
 * only grow, so it never moves back.
 */
import type { Watermarks } from "../api.ts";

interface Snapshot {
  largest: number[];
}

export class PartitionWatermarks implements Watermarks {
  readonly #outOfOrderMs: number;
  /** The largest event time read from each partition (-Infinity: none yet). */
  readonly #largest: number[];

  constructor(partitions: number, outOfOrderMs: number, snapshot?: unknown) {
    if (!(Number.isInteger(partitions) && partitions >= 1)) throw new RangeError(`Cannot keep watermarks of ${partitions} partitions: expected a positive integer`);
    if (!(typeof outOfOrderMs === "number" && outOfOrderMs >= 0 && Number.isFinite(outOfOrderMs))) throw new RangeError(`Cannot use outOfOrderMs ${outOfOrderMs}: expected a number ≥ 0`);
    this.#outOfOrderMs = outOfOrderMs;
    this.#largest = new Array<number>(partitions).fill(-Infinity);
    if (snapshot !== undefined) {
      const { largest } = (snapshot ?? {}) as Partial<Snapshot>;
      if (!Array.isArray(largest) || largest.length !== partitions || !largest.every((time) => typeof time === "number")) throw new RangeError(`Cannot restore watermarks of ${partitions} partitions: not a snapshot of them`);
      this.#largest = [...largest];
    }
  }

  observe(partition: number, time: number): void {
    if (!(Number.isInteger(partition) && partition >= 0 && partition < this.#largest.length)) throw new RangeError(`Cannot observe partition ${partition}: there are ${this.#largest.length}`);
    if (time > (this.#largest[partition] as number)) this.#largest[partition] = time;
  }

  current(): number {
    return Math.min(...this.#largest) - this.#outOfOrderMs;
  }

  snapshot(): Snapshot {
    return { largest: [...this.#largest] };
  }
}

export const watermarks = (partitions: number, outOfOrderMs: number, snapshot?: unknown): Watermarks => new PartitionWatermarks(partitions, outOfOrderMs, snapshot);
