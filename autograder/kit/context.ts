/**
 * What a node runs on, injected through its context: the transport that
 * carries requests between nodes, the clock, and randomness. Real in
 * deployment (HTTP, timers), simulated in tests (the harness's network in
 * virtual time). Milestone 2's api re-exports these types; the harness
 * implements them.
 */

/** Where a node listens. */
export interface NodeAddress {
  ip: string;
  port: number;
}

/** A request as it travels between nodes. */
export interface WireRequest {
  /** Unique per call (the sender's id and a counter), so a duplicate can be recognized. */
  id: string;
  /** The sender's address. */
  from: NodeAddress;
  /** `/<group>/<service>/<method>`. */
  path: string;
  /** The arguments, an array serialized by milestone 1. */
  body: string;
}

/** A response: a status (200, or 4xx/5xx with a serialized error) and a serialized body. */
export interface WireResponse {
  status: number;
  body: string;
}

/** What a node's server does with each request. */
export type Handler = (request: WireRequest) => Promise<WireResponse>;

/** A server that is listening. */
export interface Listener {
  /** The address actually bound (the real port when 0 was asked for). */
  address: NodeAddress;
  close(): Promise<void>;
}

/**
 * How requests travel: over HTTP in real mode, through the harness's
 * simulated network in tests. Nodes use nothing else to talk.
 */
export interface Transport {
  /** Starts serving `handler` at `address` (port 0: any free port). */
  listen(address: NodeAddress, handler: Handler): Promise<Listener>;
  /**
   * Sends a request and waits for its response.
   *
   * @throws TimeoutError when no response comes within `timeoutMs`
   * @throws UnreachableError when the node cannot be reached (refused, reset, gone)
   */
  request(to: NodeAddress, request: WireRequest, timeoutMs: number): Promise<WireResponse>;
  /** Frees what the transport holds for sending (idle connections). */
  close(): Promise<void>;
}

/** Time, as the node sees it: real, or virtual in a simulation. */
export interface Clock {
  /** Milliseconds since some fixed origin. */
  now(): number;
  /** Calls `callback` once after `ms` milliseconds; returns a function that cancels it. */
  after(ms: number, callback: () => void): () => void;
}

/** What a node runs on. */
export interface NodeContext {
  transport: Transport;
  clock: Clock;
  /** Uniform in [0, 1). */
  random: () => number;
}
