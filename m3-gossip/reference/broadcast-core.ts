/**
 * Reliable broadcast of a group's values, as state and rules only. The
 * members, ordered by node id, are laid out in rows of ⌈√n⌉. A value starts
 * at one member, which sends it to its row and to one member of every other
 * row; those pass it along their own rows. Every member gets it exactly once
 * if nothing is lost: n − 1 deliveries, in two hops. Sends are batched per
 * peer, and a batch that fails stays pending and goes again, so values get
 * through partitions once they heal. Members must share one view of the group.
 */

export interface Item {
  id: string;
  value: unknown;
}

export class BroadcastCore {
  readonly #self: string;
  #values = new Map<string, unknown>();
  /** What each peer still needs from this node, by peer id. */
  #pending = new Map<string, Map<string, Item>>();

  constructor(self: string) {
    this.#self = self;
  }

  /** The values, in the order this node learned them. */
  values(): unknown[] {
    return [...this.#values.values()];
  }

  /**
   * Takes in an item, from a peer or (without `from`) from this node's user;
   * returns whether it is new. A new item is queued for the peers the
   * layout says this node must pass it to.
   */
  add(item: Item, members: string[], from?: string): boolean {
    if (this.#values.has(item.id)) return false;
    this.#values.set(item.id, item.value);
    for (const peer of nextHops(this.#self, members, from)) {
      const queue = this.#pending.get(peer) ?? new Map();
      queue.set(item.id, item);
      this.#pending.set(peer, queue);
    }
    return true;
  }

  /** Whether anything waits to be sent. */
  get busy(): boolean {
    return this.#pending.size > 0;
  }

  /** Takes every peer's pending items, to send now; `requeue` gives back those that failed. */
  take(): Map<string, Item[]> {
    const batches = new Map([...this.#pending].map(([peer, queue]) => [peer, [...queue.values()]]));
    this.#pending.clear();
    return batches;
  }

  /** Puts items back for a peer after a failed send. */
  requeue(peer: string, items: Item[]): void {
    const queue = this.#pending.get(peer) ?? new Map();
    for (const item of items) queue.set(item.id, item);
    this.#pending.set(peer, queue);
  }
}

/** The members this node passes an item to, given where it came from. */
export function nextHops(self: string, members: string[], from?: string): string[] {
  const sorted = [...new Set(members)].sort();
  const side = Math.max(1, Math.ceil(Math.sqrt(sorted.length)));
  const rowOf = (nid: string) => Math.floor(sorted.indexOf(nid) / side);
  const rows = Array.from({ length: Math.ceil(sorted.length / side) }, (_, row) => sorted.slice(row * side, (row + 1) * side));
  const mine = rowOf(self);
  if (mine < 0) return [];
  const rowMates = (rows[mine] ?? []).filter((nid) => nid !== self);
  if (from === undefined) {
    const column = sorted.indexOf(self) % side;
    const others = rows.filter((_, row) => row !== mine).map((row) => row[column] ?? (row[0] as string));
    return [...rowMates, ...others];
  }
  return rowOf(from) === mine ? [] : rowMates;
}
