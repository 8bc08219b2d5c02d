/**
 * A simulation: many nodes in one process, on a simulated network, in
 * virtual time, all driven by one seed. Start nodes with `sim.context()` as
 * their context, then advance time with `run`, `runUntil` or `settle`.
 * Every message goes into `sim.trace` (trace.ts).
 *
 * @example
 * const sim = new Simulation({ seed: 42, drop: 0.1 });
 * const a = await startNode({ context: sim.context() });
 * const b = await startNode({ context: sim.context() });
 * const answer = await sim.settle(a.comm.send(["nid"], { node: b.address, service: "status", method: "get" }));
 * sim.crash(b.address);
 */
import type { Clock, NodeAddress, NodeContext } from "../../kit/context.ts";
import { Random } from "../random.ts";
import { SimDisk } from "./disk.ts";
import { type NetworkFaults, SimNetwork } from "./network.ts";
import { Scheduler } from "./scheduler.ts";
import type { Trace } from "./trace.ts";

export interface SimulationOptions extends NetworkFaults {
  seed: number;
  /** Default IP of the nodes (each gets its own port). */
  ip?: string;
  /** How long each disk operation takes, ms, drawn uniformly from [min, max] (default [0.1, 1]). */
  diskLatency?: [min: number, max: number];
}

/** The outcome of a promise that a simulation ran to completion. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export class Simulation {
  readonly scheduler = new Scheduler();
  readonly network: SimNetwork;
  readonly #random: Random;
  readonly #diskRandom: Random;
  readonly #diskLatency: [number, number];
  readonly #clocks = new Map<string, { alive: boolean }>();

  constructor(options: SimulationOptions) {
    this.#random = new Random(options.seed);
    this.network = new SimNetwork(this.scheduler, this.#random.fork("network"), options);
    this.#diskRandom = this.#random.fork("disk");
    this.#diskLatency = options.diskLatency ?? [0.1, 1];
  }

  /** Every message the network carried (the recent ones, and a subscription to all). */
  get trace(): Trace {
    return this.network.trace;
  }

  /** The current virtual time, ms. */
  now(): number {
    return this.scheduler.now();
  }

  /**
   * A fresh context for one node: a transport on this network, the virtual
   * clock, a generator of its own from the simulation's seed, and an empty
   * disk in memory (disk.ts).
   */
  context(): NodeContext {
    const life = { alive: true };
    const clock: Clock = {
      now: () => this.scheduler.now(),
      after: (ms, callback) => this.scheduler.after(ms, () => life.alive && callback()),
    };
    const random = this.#random.fork("node");
    const transport = this.network.transport();
    const listen = transport.listen;
    transport.listen = async (address, handler) => {
      const listener = await listen(address, handler);
      this.#clocks.set(`${listener.address.ip}:${listener.address.port}`, life);
      return listener;
    };
    const disk = new SimDisk({ scheduler: this.scheduler, random: this.#diskRandom, latency: this.#diskLatency });
    return { transport, clock, random: () => random.next(), disk };
  }

  /**
   * Crashes the node at `address`: it stops receiving, and its pending
   * timers never fire. Start a node with a new context on the same address to
   * restart it.
   */
  crash(address: NodeAddress): void {
    this.network.disconnect(address);
    const life = this.#clocks.get(`${address.ip}:${address.port}`);
    if (life !== undefined) life.alive = false;
  }

  /** Advances virtual time by `ms`, running everything due. */
  run(ms: number): Promise<void> {
    return this.scheduler.runFor(ms);
  }

  /** Advances virtual time until `done()` holds (or `limitMs` pass); returns whether it held. */
  runUntil(done: () => boolean, limitMs = 60_000): Promise<boolean> {
    return this.scheduler.runUntil(done, limitMs);
  }

  /**
   * Runs the simulation until `promise` settles (or `limitMs` of virtual
   * time pass), then returns its value or throws its error.
   *
   * @throws Error when the promise is still pending at the limit.
   */
  async settle<T>(promise: Promise<T>, limitMs = 60_000): Promise<T> {
    let outcome: Settled<T> | undefined;
    promise.then((value) => (outcome = { ok: true, value }), (error) => (outcome = { ok: false, error }));
    await this.runUntil(() => outcome !== undefined, limitMs);
    if (outcome === undefined) throw new Error(`Cannot settle the promise: still pending after ${limitMs} ms of virtual time`);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }
}
