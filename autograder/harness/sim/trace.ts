/**
 * The trace of a simulated network: every message it carried (a request, a
 * response, or the refusal that answers a request to an address nobody
 * listens on), with when it was sent, between whom, what it was for, its size,
 * and what became of it. The most recent messages stay in a bounded ring, so
 * that a failure can show what led to it; a test that wants every message
 * subscribes. Each message has a one-line text form:
 *
 *      120.4 ms 127.0.0.1:3 → 127.0.0.1:5 request /local/gossip/push #1f0a…-0-12 312 B dropped
 *
 * @example
 * const lost = [];
 * sim.trace.subscribe((message) => message.fate === "dropped" && lost.push(message));
 * await sim.run(1_000);
 * console.log(sim.trace.lines(10).join("\n"));
 */

/**
 * What became of a message: still on its way; arrived (once, or twice);
 * lost by the network (a fault, a cut link, a partition); refused (nobody
 * listens at its address); or lost because its sender or receiver was dead.
 */
export type Fate = "in flight" | "delivered" | "duplicated" | "dropped" | "refused" | "lost";

/** One message as the network carried it. */
export interface TracedMessage {
  /** When it was sent, virtual ms. */
  at: number;
  kind: "request" | "response" | "refusal";
  /** The sender, `ip:port` (of a request: the address it says it comes from). */
  from: string;
  /** The receiver, `ip:port`. */
  to: string;
  /** The request's path; an answer carries its request's. */
  path: string;
  /** The request's id; an answer carries its request's. */
  id: string;
  /** A response's status (undefined for a request). */
  status?: number;
  /** Length of the body. */
  bytes: number;
  body: string;
  /** Filled in when it is decided: at once for a message the network loses, on arrival otherwise. */
  fate: Fate;
}

/** How many messages a trace keeps by default. */
const defaultCapacity = 500;

/** A long id (a node id, a start time and a counter) shortened to its first and last characters. */
const shortId = (id: string) => (id.length <= 24 ? id : `${id.slice(0, 8)}…${id.slice(-12)}`);

/** The one-line text form of a message. */
export function messageLine(message: TracedMessage): string {
  const kind = message.status === undefined ? message.kind : `${message.kind} ${message.status}`;
  return `${message.at.toFixed(1).padStart(9)} ms ${message.from} → ${message.to} ${kind} ${message.path} #${shortId(message.id)} ${message.bytes} B ${message.fate}`;
}

export class Trace {
  #ring: TracedMessage[] = [];
  #next = 0;
  #count = 0;
  #capacity: number;
  #listeners = new Set<(message: TracedMessage) => void>();

  constructor(capacity = defaultCapacity) {
    this.#capacity = capacity;
  }

  /** How many messages were recorded in all. */
  get count(): number {
    return this.#count;
  }

  /** Records a message as it is sent, and tells every subscriber (its fate may come later). */
  record(message: TracedMessage): void {
    this.#ring[this.#next] = message;
    this.#next = (this.#next + 1) % this.#capacity;
    this.#count++;
    for (const listener of this.#listeners) listener(message);
  }

  /** Calls `listener` with every message from now on, as it is sent; returns a function that stops it. */
  subscribe(listener: (message: TracedMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The last `count` messages kept (at most the capacity), oldest first. */
  recent(count = this.#capacity): TracedMessage[] {
    const kept = this.#count < this.#capacity ? this.#ring : [...this.#ring.slice(this.#next), ...this.#ring.slice(0, this.#next)];
    return kept.slice(Math.max(0, kept.length - count));
  }

  /** The last `count` messages as lines, oldest first, under a line that says how many there were in all. */
  lines(count: number): string[] {
    const recent = this.recent(count);
    return [`the last ${recent.length} of ${this.#count} messages:`, ...recent.map(messageLine)];
  }
}
