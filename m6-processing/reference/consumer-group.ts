/**
 * A consumer group of one topic, as its coordinator sees it: which
 * consumers are in (those that polled within their session), and which one
 * holds each partition. A pure core: the log service drives it with the
 * coordinator's clock, and keeps its committed offsets in the store.
 *
 * The group's consumers, sorted by id, are due the partitions in turn
 * (partition p to consumer p mod n). A partition is held from the poll that
 * gave it to the next poll of its holder, its leaving or the end of its
 * session; only then does it go to the consumer it is due to, at that
 * consumer's next poll. So no two consumers read a partition between two
 * polls of theirs. A consumer may commit a partition until another one
 * takes it: a partition freed when its holder's session ran out is still
 * its to commit, since no one else has read it since.
 */
export class ConsumerGroup {
  /** Each consumer in the group: its session, and when it last polled. */
  readonly #consumers = new Map<string, { sessionMs: number; seen: number }>();
  /** Who holds each partition, if anyone. */
  readonly #holders: Array<string | undefined>;
  /** Who held each partition last, if anyone ever did. */
  readonly #lastHolders: Array<string | undefined>;

  constructor(partitions: number) {
    this.#holders = new Array<string | undefined>(partitions).fill(undefined);
    this.#lastHolders = [...this.#holders];
  }

  /**
   * A poll of consumer `id` at `now`: it is in the group until `now +
   * sessionMs`. Returns the partitions it holds, ascending, and whether it
   * joined with this poll (first, or again after its session ran out).
   */
  poll(id: string, sessionMs: number, now: number): { partitions: number[]; joined: boolean } {
    this.#expire(now);
    const joined = !this.#consumers.has(id);
    this.#consumers.set(id, { sessionMs, seen: now });
    const sorted = [...this.#consumers.keys()].sort();
    const held: number[] = [];
    this.#holders.forEach((holder, partition) => {
      const due = sorted[partition % sorted.length];
      if (holder === id && due !== id) this.#holders[partition] = undefined;
      else if (due === id && (holder === undefined || holder === id)) {
        this.#holders[partition] = id;
        this.#lastHolders[partition] = id;
        held.push(partition);
      }
    });
    return { partitions: held, joined };
  }

  /** Consumer `id` leaves: the partitions it held are free. */
  leave(id: string): void {
    this.#consumers.delete(id);
    this.#release(id);
  }

  /** Whether consumer `id` may commit `partition` at `now`: it holds it, or held it last and no one has taken it since. */
  mayCommit(id: string, partition: number, now: number): boolean {
    this.#expire(now);
    const holder = this.#holders[partition];
    return this.#lastHolders[partition] === id && (holder === undefined || holder === id);
  }

  /** Drops the consumers whose session has run out. */
  #expire(now: number): void {
    for (const [id, { sessionMs, seen }] of this.#consumers) {
      if (now - seen > sessionMs) this.leave(id);
    }
  }

  #release(id: string): void {
    this.#holders.forEach((holder, partition) => {
      if (holder === id) this.#holders[partition] = undefined;
    });
  }
}
