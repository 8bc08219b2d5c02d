/**
 * Failure detection in the manner of SWIM (Das, Gupta, Motivala, 2002), as
 * state and rules only: no network, no clock. The node's adapter
 * (membership.ts) calls `tick` at the start of each protocol period,
 * `timeout` a little later, and `step` for each message; it sends what they
 * return and reports `takeChanges()`.
 *
 * Each period a node probes one member (round robin over a shuffled order of
 * all the others, dead ones included, so every member is probed within two
 * passes): a ping, answered by an ack.
 * No ack by the probe timeout: a second ping, and `indirectProbes` other
 * members ping the target on its behalf and relay the ack. Still none by the
 * end of the period: the target becomes suspect, and is told so at once. A
 * suspect that does not refute within
 * `suspicionMs` is declared dead. News (alive, suspect, dead, each with the
 * member's incarnation) rides on the protocol's own messages, each item
 * `3·⌈log2(n + 1)⌉` times. A member that hears it is suspected or dead
 * refutes by raising its incarnation; a higher incarnation's "alive" beats a
 * suspicion or a death.
 */
import type { MemberState } from "../api.ts";

export interface Update {
  nid: string;
  state: MemberState;
  incarnation: number;
}

export type SwimMessage =
  | { kind: "ping"; seq: number; updates: Update[] }
  | { kind: "ack"; seq: number; updates: Update[] }
  | { kind: "pingReq"; seq: number; target: string; updates: Update[] };

/** A message before the news that rides on it (the conditional type applies Omit to each kind). */
type WithoutUpdates<M> = M extends SwimMessage ? Omit<M, "updates"> : never;
type Bare = WithoutUpdates<SwimMessage>;

/** A message to send: to which member (by node id). */
export interface Out {
  to: string;
  message: SwimMessage;
}

export interface SwimSettings {
  periodMs: number;
  probeTimeoutMs: number;
  indirectProbes: number;
  suspicionMs: number;
  /** News items carried per message. */
  piggyback: number;
}

interface Member {
  state: MemberState;
  incarnation: number;
  suspectSince: number;
}

export class SwimCore {
  readonly #self: string;
  readonly #settings: SwimSettings;
  readonly #random: () => number;
  readonly #members = new Map<string, Member>();
  #incarnation = 0;
  #seq = 0;
  #order: string[] = [];
  #probe: { target: string; seq: number; acked: boolean; indirect: boolean } | undefined;
  /** Pings sent on others' behalf: our seq → whom to tell, under their seq. */
  #relays = new Map<number, { requester: string; seq: number; until: number }>();
  #news = new Map<string, { update: Update; left: number }>();
  #changes: Update[] = [];

  constructor(self: string, members: string[], settings: SwimSettings, random: () => number) {
    this.#self = self;
    this.#settings = settings;
    this.#random = random;
    for (const nid of members) if (nid !== self) this.#members.set(nid, { state: "alive", incarnation: 0, suspectSince: 0 });
  }

  /** Every member's state and incarnation, this node's own included. */
  view(): Map<string, { state: MemberState; incarnation: number }> {
    const view = new Map([[this.#self, { state: "alive" as MemberState, incarnation: this.#incarnation }]]);
    for (const [nid, { state, incarnation }] of this.#members) view.set(nid, { state, incarnation });
    return view;
  }

  /** The changes of mind since the last call. */
  takeChanges(): Update[] {
    return this.#changes.splice(0);
  }

  /**
   * The start of a period: settle the last probe, age suspicions, start the
   * next probe. A member this node has just suspected is told at once, so a
   * live one can refute quickly.
   */
  tick(now: number): Out[] {
    const outs: Out[] = [];
    if (this.#probe !== undefined && !this.#probe.acked && this.#suspect(this.#probe.target, now)) {
      outs.push(this.#out(this.#probe.target, { kind: "ping", seq: ++this.#seq }));
    }
    for (const [nid, member] of this.#members) {
      if (member.state === "suspect" && now - member.suspectSince >= this.#settings.suspicionMs) {
        this.#decide(nid, { nid, state: "dead", incarnation: member.incarnation }, now);
      }
    }
    for (const [seq, relay] of this.#relays) if (relay.until <= now) this.#relays.delete(seq);
    const target = this.#nextTarget();
    this.#probe = target === undefined ? undefined : { target, seq: ++this.#seq, acked: false, indirect: false };
    const held = target === undefined ? undefined : this.#members.get(target);
    if (held?.state === "dead") this.#spreadNews({ nid: target as string, state: "dead", incarnation: held.incarnation });
    if (this.#probe !== undefined) outs.push(this.#out(this.#probe.target, { kind: "ping", seq: this.#probe.seq }));
    return outs;
  }

  /**
   * The probe timeout: no ack yet, so ask others to probe the target, and
   * ping it once more directly (one lost packet should not make a suspect).
   */
  timeout(_now: number): Out[] {
    const probe = this.#probe;
    if (probe === undefined || probe.acked || probe.indirect) return [];
    probe.indirect = true;
    const helpers = this.#live().filter((nid) => nid !== probe.target);
    return [
      this.#out(probe.target, { kind: "ping", seq: probe.seq }),
      ...this.#shuffle(helpers).slice(0, this.#settings.indirectProbes)
        .map((helper) => this.#out(helper, { kind: "pingReq", seq: probe.seq, target: probe.target })),
    ];
  }

  /** A message from member `from`. */
  step(from: string, message: SwimMessage, now: number): Out[] {
    for (const update of message.updates) this.#hear(update, now);
    // A member this node holds dead is talking: it restarted. Tell it, so it can refute.
    const sender = this.#members.get(from);
    if (sender?.state === "dead") this.#spreadNews({ nid: from, state: "dead", incarnation: sender.incarnation });
    switch (message.kind) {
      case "ping":
        return [this.#out(from, { kind: "ack", seq: message.seq })];
      case "ack": {
        if (this.#probe?.seq === message.seq) this.#probe.acked = true;
        const relay = this.#relays.get(message.seq);
        if (relay === undefined) return [];
        this.#relays.delete(message.seq);
        return [this.#out(relay.requester, { kind: "ack", seq: relay.seq })];
      }
      case "pingReq": {
        if (!this.#members.has(message.target)) return [];
        const seq = ++this.#seq;
        this.#relays.set(seq, { requester: from, seq: message.seq, until: now + this.#settings.periodMs });
        return [this.#out(message.target, { kind: "ping", seq })];
      }
    }
  }

  /** A message with news riding on it. */
  #out(to: string, message: Bare): Out {
    const items = [...this.#news.values()].sort((a, b) => b.left - a.left).slice(0, this.#settings.piggyback);
    for (const item of items) if (--item.left <= 0) this.#news.delete(item.update.nid);
    return { to, message: { ...message, updates: items.map(({ update }) => update) } as SwimMessage };
  }

  #spreadNews(update: Update): void {
    this.#news.set(update.nid, { update, left: 3 * Math.ceil(Math.log2(this.#members.size + 2)) });
  }

  /** Suspects a member this node believed alive; returns whether it did. */
  #suspect(nid: string, now: number): boolean {
    const member = this.#members.get(nid);
    if (member?.state !== "alive") return false;
    this.#decide(nid, { nid, state: "suspect", incarnation: member.incarnation }, now);
    return true;
  }

  /** News from elsewhere: about this node, refute; about a member, take it if it wins. */
  #hear(update: Update, now: number): void {
    if (update.nid === this.#self) {
      if (update.state !== "alive" && update.incarnation >= this.#incarnation) {
        this.#incarnation = update.incarnation + 1;
        this.#spreadNews({ nid: this.#self, state: "alive", incarnation: this.#incarnation });
      }
      return;
    }
    const member = this.#members.get(update.nid);
    if (member !== undefined && wins(update, member)) this.#decide(update.nid, update, now);
  }

  #decide(nid: string, update: Update, now: number): void {
    const member = this.#members.get(nid) as Member;
    member.state = update.state;
    member.incarnation = update.incarnation;
    if (update.state === "suspect") member.suspectSince = now;
    this.#spreadNews(update);
    this.#changes.push(update);
  }

  #live(): string[] {
    return [...this.#members].filter(([, member]) => member.state !== "dead").map(([nid]) => nid);
  }

  /**
   * Round robin over a shuffled order of all the other members, a new order
   * after each pass. Members held dead are probed too: one that was only cut
   * off (a healed partition, a restart) hears that it is held dead and
   * refutes, so the group comes back together.
   */
  #nextTarget(): string | undefined {
    if (this.#order.length === 0) this.#order = this.#shuffle([...this.#members.keys()]);
    return this.#order.shift();
  }

  #shuffle<T>(items: T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.#random() * (i + 1));
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy;
  }
}

/** Whether news about a member beats what this node believes. */
function wins(update: Update, member: Member): boolean {
  switch (update.state) {
    case "alive":
      return update.incarnation > member.incarnation;
    case "suspect":
      return member.state === "alive" ? update.incarnation >= member.incarnation : member.state === "suspect" && update.incarnation > member.incarnation;
    case "dead":
      return member.state !== "dead" && update.incarnation >= member.incarnation;
  }
}
