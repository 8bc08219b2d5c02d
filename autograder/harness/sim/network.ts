/**
 * The simulated network: a transport for each node, over virtual time. Each
 * message (a request, or its response) takes a random latency, and may be
 * lost or delivered twice, as the faults say; partitions and cut links lose
 * every message they cover; a node that crashed receives nothing, and a
 * request to an address nobody listens on fails as refused. A transport
 * belongs to one life of a node: once that life is over (a crash), what it
 * sends never leaves, and its pending calls never settle. Every message goes
 * into the trace (trace.ts). Every decision comes from one seeded generator,
 * in event order, so a run replays exactly.
 */
import { TimeoutError, UnreachableError } from "../../kit/errors.ts";
import type { Handler, Listener, NodeAddress, Transport, WireRequest, WireResponse } from "../../kit/context.ts";
import type { Random } from "../random.ts";
import type { Scheduler } from "./scheduler.ts";
import { type Fate, Trace, type TracedMessage } from "./trace.ts";

export interface NetworkFaults {
  /** One-way latency of each message, ms, drawn uniformly from [min, max] (default [1, 5]). */
  latency?: [min: number, max: number];
  /** Probability that a message is lost (default 0). */
  drop?: number;
  /** Probability that a message arrives twice (default 0). */
  duplicate?: number;
}

/** What the network has carried so far. */
export interface NetworkStats {
  /** Messages sent: requests and responses. */
  sent: number;
  delivered: number;
  dropped: number;
  duplicated: number;
  /** Bytes of the bodies sent. */
  bytes: number;
}

const key = (address: NodeAddress) => `${address.ip}:${address.port}`;

export class SimNetwork {
  #scheduler: Scheduler;
  #random: Random;
  #faults: Required<NetworkFaults> = { latency: [1, 5], drop: 0, duplicate: 0 };
  #handlers = new Map<string, Handler>();
  #blocked = new Set<string>();
  #nextPort = 1;
  readonly stats: NetworkStats = { sent: 0, delivered: 0, dropped: 0, duplicated: 0, bytes: 0 };
  readonly trace = new Trace();

  constructor(scheduler: Scheduler, random: Random, faults: NetworkFaults = {}) {
    this.#scheduler = scheduler;
    this.#random = random;
    this.setFaults(faults);
  }

  /** Changes the faults from now on. */
  setFaults(faults: NetworkFaults): void {
    this.#faults = { ...this.#faults, ...faults };
  }

  /** Loses every message from `from` to `to` (one way) until `heal`. */
  cut(from: NodeAddress, to: NodeAddress): void {
    this.#blocked.add(`${key(from)}>${key(to)}`);
  }

  /** Splits the nodes into groups that cannot reach each other until `heal`. */
  partition(...groups: NodeAddress[][]): void {
    for (const [i, group] of groups.entries()) {
      for (const other of groups.slice(i + 1)) {
        for (const a of group) for (const b of other) {
          this.cut(a, b);
          this.cut(b, a);
        }
      }
    }
  }

  /** Removes every cut and partition. */
  heal(): void {
    this.#blocked.clear();
  }

  /** Stops a node answering: it is gone from the network, and requests to it are refused. */
  disconnect(address: NodeAddress): void {
    this.#handlers.delete(key(address));
  }

  /** A transport for one life of a node, which lasts while `alive()` holds. */
  transport(alive: () => boolean = () => true): Transport {
    return {
      listen: async (address, handler) => this.#listen(address, handler),
      request: (to, request, timeoutMs) => this.#request(to, request, timeoutMs, alive),
      close: async () => {},
    };
  }

  #listen(address: NodeAddress, handler: Handler): Listener {
    const bound = { ip: address.ip, port: address.port === 0 ? this.#freePort(address.ip) : address.port };
    if (this.#handlers.has(key(bound))) throw new Error(`Cannot listen on ${key(bound)}: the address is in use`);
    this.#handlers.set(key(bound), handler);
    return {
      address: bound,
      close: async () => {
        if (this.#handlers.get(key(bound)) === handler) this.#handlers.delete(key(bound));
      },
    };
  }

  #freePort(ip: string): number {
    while (this.#handlers.has(`${ip}:${this.#nextPort}`)) this.#nextPort++;
    return this.#nextPort++;
  }

  /** A call: the request, then its response, unless the network or a death loses one (then a timeout). */
  #request(to: NodeAddress, request: WireRequest, timeoutMs: number, alive: () => boolean): Promise<WireResponse> {
    const sent: TracedMessage = { at: this.#scheduler.now(), kind: "request", from: key(request.from), to: key(to), path: request.path, id: request.id, bytes: request.body.length, body: request.body, fate: "in flight" };
    if (!alive()) {
      sent.fate = "lost";
      this.trace.record(sent);
      return new Promise(() => {}); // a dead node's code runs no further
    }
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (outcome: () => void) => {
        if (settled || !alive()) return;
        settled = true;
        cancelTimeout();
        outcome();
      };
      const cancelTimeout = this.#scheduler.after(timeoutMs, () =>
        finish(() => reject(new TimeoutError(`no answer from ${key(to)} within ${timeoutMs} ms`)))
      );
      /** The answer's arrival back at the caller, unless the caller is dead by then. */
      const back = (outcome: () => void): Fate => {
        if (!alive()) return "lost";
        finish(outcome);
        return "delivered";
      };
      this.#transmit(sent, () => {
        const handler = this.#handlers.get(key(to));
        if (handler === undefined) {
          this.#transmit(this.#answer(sent, "refusal", ""), () => back(() => reject(new UnreachableError("connection refused"))));
          return "refused";
        }
        handler(request).then((response) => {
          if (this.#handlers.get(key(to)) !== handler) return; // it crashed meanwhile: no answer
          this.#transmit({ ...this.#answer(sent, "response", response.body), status: response.status }, () => back(() => resolve(response)));
        });
        return "delivered";
      });
    });
  }

  /** The message that answers `request`, sent now: its response, or the network's refusal. */
  #answer(request: TracedMessage, kind: "response" | "refusal", body: string): TracedMessage {
    return { at: this.#scheduler.now(), kind, from: request.to, to: request.from, path: request.path, id: request.id, bytes: body.length, body, fate: "in flight" };
  }

  /**
   * Sends one message and traces it: after a latency, maybe lost, maybe
   * twice. `arrive` runs at each arrival and says what became of it.
   */
  #transmit(message: TracedMessage, arrive: () => Fate): void {
    this.stats.sent++;
    this.stats.bytes += message.bytes;
    this.trace.record(message);
    if (this.#blocked.has(`${message.from}>${message.to}`) || this.#random.bool(this.#faults.drop)) {
      this.stats.dropped++;
      message.fate = "dropped";
      return;
    }
    const copies = this.#random.bool(this.#faults.duplicate) ? 2 : 1;
    if (copies === 2) this.stats.duplicated++;
    for (let copy = 0; copy < copies; copy++) {
      const [min, max] = this.#faults.latency;
      this.#scheduler.after(min + this.#random.next() * (max - min), () => {
        this.stats.delivered++;
        const fate = arrive();
        if (message.fate === "in flight") message.fate = fate === "delivered" && copies === 2 ? "duplicated" : fate;
      });
    }
  }
}
