/**
 * A simulation: many nodes in one process, on a simulated network, in
 * virtual time, all driven by one seed. Start nodes with `sim.context()` as
 * their context, then advance time with `run`, `runUntil` or `settle`.
 *
 * Each context is a new machine with an empty disk (disk.ts), known by the
 * address its node listens on. `sim.crash(address)` is a power cut: the node
 * is dead (what it sends never leaves, replies to its calls are dropped, its
 * timers never fire, its calls and disk operations never settle, so none of
 * its code runs on), and its disk loses what was not made durable.
 * `sim.restart(address)` gives the context of the machine's next life: a
 * node started with it on the same address is the restarted node, with the
 * disk as the crash left it and nothing else of its earlier life. Every
 * message goes into `sim.trace` (trace.ts); `sim.timers` counts the timers
 * the nodes set. A node that does real I/O instead of using its context
 * stops the run with an error (real-io.ts).
 *
 * @example
 * const sim = new Simulation({ seed: 42, drop: 0.1 });
 * const a = await startNode({ context: sim.context() });
 * const b = await startNode({ context: sim.context() });
 * const answer = await sim.settle(a.comm.send(["nid"], { node: b.address, service: "status", method: "get" }));
 * sim.crash(b.address);
 * const again = await startNode({ ...b.address, context: sim.restart(b.address) });
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

/** Timers set on nodes' clocks: how many in all, and how many are pending (neither fired, cancelled, nor lost in a crash). */
export interface TimerCounts {
  set: number;
  pending: number;
}

/** One life of a node: from its context to its crash. */
interface Life {
  alive: boolean;
  timersSet: number;
  pendingTimers: Set<object>;
}

/** A simulated machine: its disk, and the life of the node that last listened on its address. */
interface Machine {
  disk: SimDisk;
  life: Life;
}

const key = (address: NodeAddress) => `${address.ip}:${address.port}`;

export class Simulation {
  readonly scheduler = new Scheduler();
  readonly network: SimNetwork;
  readonly #random: Random;
  readonly #diskRandom: Random;
  readonly #diskLatency: [number, number];
  readonly #machines = new Map<string, Machine>();
  readonly #lives: Life[] = [];

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
   * A fresh context for a node on a new machine: a transport on this
   * network, the virtual clock, a generator of its own from the
   * simulation's seed, and an empty disk.
   */
  context(): NodeContext {
    return this.#newLife(new SimDisk({ scheduler: this.scheduler, random: this.#diskRandom, latency: this.#diskLatency }));
  }

  /**
   * The context of the next life of the node at `address`, after a crash or
   * a stop: a fresh generator and the same disk. Start the node again with
   * it, on the same address.
   *
   * @throws Error when no node of this simulation has listened on `address`
   */
  restart(address: NodeAddress): NodeContext {
    return this.#newLife(this.#machine(address, "restart").disk, address);
  }

  /**
   * Crashes the node at `address`: it is dead from now on (it stops
   * receiving; what it sends never leaves; its timers, calls and disk
   * operations never settle), and its disk loses what was not durable.
   *
   * @throws Error when no node of this simulation has listened on `address`
   */
  crash(address: NodeAddress): void {
    const machine = this.#machine(address, "crash");
    this.network.disconnect(address);
    machine.life.alive = false;
    machine.life.pendingTimers.clear();
    machine.disk.crash();
  }

  /**
   * The disk of the machine at `address`, for a test to look at (its
   * operations run in virtual time too: `sim.settle(sim.disk(a).read(path))`).
   *
   * @throws Error when no node of this simulation has listened on `address`
   */
  disk(address: NodeAddress): SimDisk {
    return this.#machine(address, "read the disk of").disk;
  }

  /** The timers set on the clock of the node at `address` (its current life), or of every node. */
  timers(address?: NodeAddress): TimerCounts {
    const lives = address === undefined ? this.#lives : [this.#machine(address, "count the timers of").life];
    return {
      set: lives.reduce((sum, life) => sum + life.timersSet, 0),
      pending: lives.reduce((sum, life) => sum + life.pendingTimers.size, 0),
    };
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

  #machine(address: NodeAddress, action: string): Machine {
    const machine = this.#machines.get(key(address));
    if (machine === undefined) throw new Error(`Cannot ${action} ${key(address)}: no node of this simulation has listened there`);
    return machine;
  }

  /**
   * A context for a new life of a node with `disk`; the machine is known by
   * its address once the node listens (on `address`, if it is given).
   */
  #newLife(disk: SimDisk, address?: NodeAddress): NodeContext {
    const life: Life = { alive: true, timersSet: 0, pendingTimers: new Set() };
    this.#lives.push(life);
    const clock: Clock = {
      now: () => this.scheduler.now(),
      after: (ms, callback) => {
        const timer = {};
        life.timersSet++;
        life.pendingTimers.add(timer);
        const cancel = this.scheduler.after(ms, () => {
          if (!life.alive) return;
          life.pendingTimers.delete(timer);
          callback();
        });
        return () => {
          life.pendingTimers.delete(timer);
          cancel();
        };
      },
    };
    const random = this.#random.fork("node");
    const transport = this.network.transport(() => life.alive);
    const listen = transport.listen;
    transport.listen = async (asked, handler) => {
      if (address !== undefined && key(asked) !== key(address)) {
        throw new Error(`Cannot listen on ${key(asked)}: this context restarts the node at ${key(address)}`);
      }
      const listener = await listen(asked, handler);
      this.#machines.set(key(listener.address), { disk, life });
      return listener;
    };
    return { transport, clock, random: () => random.next(), disk: disk.forLife(() => life.alive) };
  }
}
