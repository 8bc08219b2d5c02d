/**
 * The gossip protocol, with nothing but state and rules: no network, no
 * clock. A rumor is pushed by every node that knows it, for a few rounds
 * after it learned it; each round a node picks `fanout` random members of the
 * rumor's group and sends them, in one batch, every rumor of that group it is
 * still pushing. A rumor seen before is dropped, by id, from a bounded memory.
 * The node's adapter (gossip.ts) calls `learn` and `round` and does the sending.
 */
import { BoundedSet } from "./bounded-set.ts";

/** A rumor as it travels. */
export interface RumorMessage {
  id: string;
  gid: string;
  topic: string;
  origin: string;
  value: unknown;
}

/** Who gets which rumors this round. */
export interface Push<Member> {
  to: Member;
  rumors: RumorMessage[];
}

export interface GossipSettings {
  fanout: (groupSize: number) => number;
  rounds: (groupSize: number) => number;
  remember: number;
}

/** The default fan-out, ⌈ln n⌉ (at least 1), and rounds, ⌈log2 n⌉ + 1, for a group of n. */
export const defaultSettings: GossipSettings = {
  fanout: (n) => Math.max(1, Math.ceil(Math.log(n))),
  rounds: (n) => Math.ceil(Math.log2(Math.max(2, n))) + 1,
  remember: 10_000,
};

export class GossipCore<Member> {
  #settings: GossipSettings;
  #random: () => number;
  #seen: BoundedSet<string>;
  /** Rumors still being pushed, with the rounds left. */
  #active = new Map<string, { rumor: RumorMessage; roundsLeft: number }>();

  constructor(settings: GossipSettings, random: () => number) {
    this.#settings = settings;
    this.#random = random;
    this.#seen = new BoundedSet(settings.remember);
  }

  /** Takes in a rumor; returns whether it is new here (and so to be delivered). */
  learn(rumor: RumorMessage, groupSize: number): boolean {
    if (!this.#seen.add(rumor.id)) return false;
    this.#active.set(rumor.id, { rumor, roundsLeft: this.#settings.rounds(groupSize) });
    return true;
  }

  /** Whether any rumor is still being pushed. */
  get busy(): boolean {
    return this.#active.size > 0;
  }

  /**
   * One round: for each group with rumors to push, `fanout` random members
   * (other than this node), each sent all of them.
   */
  round(othersOf: (gid: string) => Member[], groupSize: (gid: string) => number): Push<Member>[] {
    const byGroup = new Map<string, RumorMessage[]>();
    for (const [id, entry] of this.#active) {
      const rumors = byGroup.get(entry.rumor.gid) ?? [];
      rumors.push(entry.rumor);
      byGroup.set(entry.rumor.gid, rumors);
      if (--entry.roundsLeft <= 0) this.#active.delete(id);
    }
    const pushes: Push<Member>[] = [];
    for (const [gid, rumors] of byGroup) {
      for (const to of this.targets(othersOf(gid), groupSize(gid))) pushes.push({ to, rumors });
    }
    return pushes;
  }

  /** `fanout` distinct members of a group of `groupSize` at random (all of them if there are fewer). */
  targets(members: Member[], groupSize: number): Member[] {
    const count = this.#settings.fanout(groupSize);
    const pool = [...members];
    for (let i = 0; i < Math.min(count, pool.length); i++) {
      const j = i + Math.floor(this.#random() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j] as Member, pool[i] as Member];
    }
    return pool.slice(0, count);
  }
}
