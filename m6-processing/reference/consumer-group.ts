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
 *
 * Who is in the group and who holds what survive a restart of the
 * coordinator as a `GroupSnapshot`, which the log service stores whenever
 * `version` moves. Restored, every consumer's session counts from the
 * restart: a consumer still reading keeps its partitions, and one that is
 * gone loses them a session later, as if it had polled at the restart.
 */
export class ConsumerGroup {
  /** Each consumer in the group: its session, and when it last polled. */
  readonly #consumers = new Map<string, { sessionMs: number; seen: number }>();
  /** Who holds each partition, if anyone. */
  readonly #holders: Array<string | undefined>;
  /** Who held each partition last, if anyone ever did. */
  readonly #lastHolders: Array<string | undefined>;
  #version = 0;

  constructor(partitions: number) {
    this.#holders = new Array<string | undefined>(partitions).fill(undefined);
    this.#lastHolders = [...this.#holders];
  }

  /** A group as `snapshot` left it, each consumer last seen at `now`. */
  static restore(partitions: number, snapshot: GroupSnapshot, now: number): ConsumerGroup {
    const group = new ConsumerGroup(partitions);
    for (const [id, sessionMs] of snapshot.consumers) group.#consumers.set(id, { sessionMs, seen: now });
    snapshot.holders.forEach((holder, partition) => (group.#holders[partition] = holder ?? undefined));
    snapshot.lastHolders.forEach((holder, partition) => (group.#lastHolders[partition] = holder ?? undefined));
    return group;
  }

  /** Moves whenever a consumer joins or leaves or a partition changes hands: then the snapshot is new. */
  get version(): number {
    return this.#version;
  }

  /** Who is in the group and who holds what (without the times of polls, which a restart does not keep). */
  snapshot(): GroupSnapshot {
    const held = (holders: Array<string | undefined>) => holders.map((holder) => holder ?? null);
    return { consumers: [...this.#consumers].map(([id, { sessionMs }]) => [id, sessionMs]), holders: held(this.#holders), lastHolders: held(this.#lastHolders) };
  }

  /**
   * A poll of consumer `id` at `now`: it is in the group until `now +
   * sessionMs`. Returns the partitions it holds, ascending, and whether it
   * joined with this poll (first, or again after its session ran out).
   */
  poll(id: string, sessionMs: number, now: number): { partitions: number[]; joined: boolean } {
    this.#expire(now);
    const joined = !this.#consumers.has(id);
    if (joined || this.#consumers.get(id)?.sessionMs !== sessionMs) this.#version++;
    this.#consumers.set(id, { sessionMs, seen: now });
    const sorted = [...this.#consumers.keys()].sort();
    const held: number[] = [];
    this.#holders.forEach((holder, partition) => {
      const due = sorted[partition % sorted.length];
      if (holder === id && due !== id) this.#hand(partition, undefined);
      else if (due === id && (holder === undefined || holder === id)) {
        this.#hand(partition, id);
        held.push(partition);
      }
    });
    return { partitions: held, joined };
  }

  /** Consumer `id` leaves: the partitions it held are free. */
  leave(id: string): void {
    if (this.#consumers.delete(id)) this.#version++;
    this.#holders.forEach((holder, partition) => {
      if (holder === id) this.#hand(partition, undefined);
    });
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

  /** Gives a partition to a consumer (or to no one), who then holds it last. */
  #hand(partition: number, to: string | undefined): void {
    if (this.#holders[partition] === to) return;
    this.#holders[partition] = to;
    if (to !== undefined) this.#lastHolders[partition] = to;
    this.#version++;
  }
}

/** A consumer group as a restart keeps it: its consumers with their sessions, ms, and each partition's holder and last holder (null: none). */
export interface GroupSnapshot {
  consumers: Array<[id: string, sessionMs: number]>;
  holders: Array<string | null>;
  lastHolders: Array<string | null>;
}
