/**
 * Aligned checkpoint barriers (Flink's asynchronous barrier snapshotting),
 * as a pure core: one channel per source partition, fed by that
 * partition's reader with records and, when a checkpoint is asked for,
 * with a barrier that says where in the partition the reader stood.
 *
 * The job takes what `next` gives. A channel whose next item is barrier n
 * is blocked: the records after it wait, while the other channels go on,
 * until barrier n has come from every channel. Then `next` gives the
 * checkpoint, with each channel's position at its barrier, and unblocks
 * them all. Everything the job took before that is exactly what lies
 * before the barriers, so a snapshot taken then matches the positions.
 */

type Item<T> = { record: T } | { barrier: number; position: number };

/** What the job does next: process a record of a channel, or snapshot checkpoint `id`. */
export type Next<T> = { channel: number; record: T } | { checkpoint: number; positions: number[] };

export class BarrierAligner<T> {
  readonly #queues: Array<Array<Item<T>>>;
  /** Where each channel's next record is taken from. */
  readonly #heads: number[];
  /** The channel to look at first next time, so that no channel waits behind a busy one. */
  #turn = 0;

  constructor(channels: number) {
    this.#queues = Array.from({ length: channels }, () => []);
    this.#heads = new Array<number>(channels).fill(0);
  }

  push(channel: number, record: T): void {
    (this.#queues[channel] as Array<Item<T>>).push({ record });
  }

  barrier(channel: number, id: number, position: number): void {
    (this.#queues[channel] as Array<Item<T>>).push({ barrier: id, position });
  }

  /** How many records a channel holds that the job has not taken. */
  backlog(channel: number): number {
    return (this.#queues[channel] as Array<Item<T>>).length - (this.#heads[channel] as number);
  }

  /** The next thing to do, or undefined when every channel is empty or blocked at a barrier that has not come from all. */
  next(): Next<T> | undefined {
    const count = this.#queues.length;
    for (let i = 0; i < count; i++) {
      const channel = (this.#turn + i) % count;
      const item = this.#peek(channel);
      if (item !== undefined && "record" in item) {
        this.#take(channel);
        this.#turn = (channel + 1) % count;
        return { channel, record: item.record };
      }
    }
    const barriers = this.#queues.map((_, channel) => this.#peek(channel));
    const first = barriers[0];
    if (first === undefined || !("barrier" in first)) return undefined;
    if (!barriers.every((item) => item !== undefined && "barrier" in item && item.barrier === first.barrier)) return undefined;
    const positions = barriers.map((item) => (item as { position: number }).position);
    for (let channel = 0; channel < count; channel++) this.#take(channel);
    return { checkpoint: first.barrier, positions };
  }

  #peek(channel: number): Item<T> | undefined {
    return (this.#queues[channel] as Array<Item<T>>)[this.#heads[channel] as number];
  }

  /** Takes a channel's next item, dropping what was taken once it is most of the queue. */
  #take(channel: number): void {
    const queue = this.#queues[channel] as Array<Item<T>>;
    const head = (this.#heads[channel] as number) + 1;
    if (head >= 1024 && head * 2 >= queue.length) {
      queue.splice(0, head);
      this.#heads[channel] = 0;
    } else this.#heads[channel] = head;
  }
}
