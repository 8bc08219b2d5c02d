/**
 * Milestone 2: a node. A node is a value: `startNode()` returns an object with
 * its services, and many nodes can live in one process or in separate
 * processes. A node listens on an address, runs services (plain objects of
 * async methods) and calls the services of other nodes through `comm`, with
 * arguments and results serialized by milestone 1.
 *
 * What a node runs on (the network, the clock, randomness) is its `context`,
 * injected at start: real by default (HTTP, timers), simulated in tests, where
 * the harness delays, drops, duplicates and partitions messages in virtual time.
 *
 * @example
 * const a = await startNode();
 * const b = await startNode();
 * await b.routes.put({ greet: (name: string) => `hello ${name}` }, "greeter");
 * await a.comm.send(["kit"], { node: b.address, service: "greeter", method: "greet" }); // "hello kit"
 * await Promise.all([a.stop(), b.stop()]);
 */
import type { NodeAddress, NodeContext } from "../autograder/kit/context.ts";

export { RemoteError, TimeoutError, UnreachableError } from "../autograder/kit/errors.ts";
export type { RemoteReason } from "../autograder/kit/errors.ts";
export type {
  Clock,
  Disk,
  Handler,
  Listener,
  NodeAddress,
  NodeContext,
  Transport,
  WireRequest,
  WireResponse,
} from "../autograder/kit/context.ts";

/**
 * A service: any object; its own function-valued properties are the methods
 * other nodes may call (async or plain). Arguments and results must be
 * serializable (milestone 1).
 */
export type Service = object;

/** How a service takes its messages. */
export interface ServiceOptions {
  /** The group it belongs to (default "local"). */
  gid?: string;
  /**
   * "actor" (default): one message at a time, in arrival order, so the
   * service's state needs no locks. "concurrent": every message at once.
   */
  mode?: "actor" | "concurrent";
}

/** What `status.get` knows. */
export interface StatusReport {
  /** The node id: the SHA-256 of "ip:port", in hex. */
  nid: string;
  /** The short id: the first 5 characters of the node id. */
  sid: string;
  ip: string;
  port: number;
  /** Messages this node has received and sent through comm. */
  counts: { received: number; sent: number };
  heapTotal: number;
  heapUsed: number;
  /** Milliseconds since the node started, by its clock. */
  uptime: number;
}

export interface Status {
  /**
   * One field of the node's status.
   *
   * @throws RangeError when `key` is not a field of StatusReport
   */
  get<K extends keyof StatusReport>(key: K): Promise<StatusReport[K]>;
  /** All of it. */
  report(): Promise<StatusReport>;
}

export interface Routes {
  /**
   * Registers a service under a name (replacing any service of that name in that group).
   *
   * @throws TypeError when `service` is not an object
   */
  put(service: Service, name: string, options?: ServiceOptions): Promise<void>;
  /** The service of that name, or undefined. */
  get(name: string, options?: { gid?: string }): Promise<Service | undefined>;
  /** Removes a service; returns it, or undefined if there was none. */
  rem(name: string, options?: { gid?: string }): Promise<Service | undefined>;
}

/** Which method of which service of which node to call. */
export interface Remote {
  node: NodeAddress;
  service: string;
  method: string;
  /** The service's group (default "local"). */
  gid?: string;
}

export interface Comm {
  /**
   * Calls `remote` with `args` and returns its result. Each call is delivered
   * at most once: a request the network duplicates runs once.
   *
   * @throws RemoteError when the remote side failed; its `reason` says how: "threw" (the
   *   remote error is its `cause`), "not-found" (no such service or method there) or
   *   "bad-request" (the node could not read the request)
   * @throws TimeoutError after `timeoutMs` (default: the node's `callTimeoutMs`) without a response
   * @throws UnreachableError when the node cannot be reached
   */
  send(args: unknown[], remote: Remote, options?: { timeoutMs?: number }): Promise<unknown>;
  /**
   * Inside a service method this node runs for a call: the address of the
   * node that made the call. Undefined anywhere else (and in the built-in
   * `status` and `routes`, which run outside any call's context).
   */
  caller(): NodeAddress | undefined;
}

export interface Rpc {
  /**
   * Turns a local function into a stub: a function that can be serialized and
   * sent anywhere, and that, called on any node (inside a service method),
   * runs `fn` here, on its home node, and returns its result.
   */
  stub<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => Promise<Awaited<R>>;
}

/** A running node. */
export interface DistNode {
  readonly id: string;
  readonly sid: string;
  readonly address: NodeAddress;
  readonly context: NodeContext;
  readonly status: Status;
  readonly routes: Routes;
  readonly comm: Comm;
  readonly rpc: Rpc;
  /**
   * Stops serving, cancels its timers (every timer set through its
   * `context.clock`, and sets none after), fails its pending calls at once,
   * frees every handle.
   */
  stop(): Promise<void>;
}

/** How to start a node. */
export interface NodeConfig {
  /** Default "127.0.0.1": loopback only. */
  ip?: string;
  /** Default 0: any free port. */
  port?: number;
  /** What the node runs on; each part defaults to the real one. */
  context?: Partial<NodeContext>;
  /** Default time limit of comm calls, ms (default 5000). */
  callTimeoutMs?: number;
  /**
   * Largest request body accepted, bytes (default 16 MiB); larger gets 413.
   * It configures the default transport; an injected one has its own limit.
   */
  bodyLimitBytes?: number;
}

/** A node running in a child process. */
export interface ChildNode {
  readonly id: string;
  readonly address: NodeAddress;
  /** Stops the node and its process. */
  stop(): Promise<void>;
}

/**
 * Starts a node.
 *
 * @param config where to listen and what to run on
 * @returns the running node, with its built-in services registered: status, routes and rpc
 * @throws Error when the address cannot be bound
 * @example
 * const node = await startNode({ port: 0 });
 * node.address.port; // the port the system chose
 */
export declare function startNode(config?: NodeConfig): Promise<DistNode>;

/** Options of `spawnNode`. */
export interface SpawnOptions {
  /**
   * The module (absolute path or file URL) whose `startNode(config)` the
   * child runs; default: this milestone's. Later milestones spawn their own
   * nodes this way.
   */
  module?: string;
}

/**
 * Starts a node in a child process under the same runtime as this one (Node
 * through tsx, Bun or Deno). The child stops when this process exits.
 *
 * @param config where the child listens (its context is always real); it must be JSON
 * @param options which module's `startNode` the child runs
 * @returns the child's id and address, and a way to stop it
 * @throws Error when the child fails to start within 10 seconds
 * @example
 * const node = await startNode();
 * const child = await spawnNode();
 * await node.comm.send(["nid"], { node: child.address, service: "status", method: "get" }); // child.id
 * await child.stop();
 */
export declare function spawnNode(config?: Omit<NodeConfig, "context">, options?: SpawnOptions): Promise<ChildNode>;

/**
 * A node's id: the SHA-256 of "ip:port", in hex.
 *
 * @example
 * nodeId({ ip: "127.0.0.1", port: 8080 }).length; // 64
 */
export declare function nodeId(address: NodeAddress): string;

/**
 * The real context: HTTP with keep-alive, timers, Math.random, node:fs. Each call
 * makes a new transport, with connections of its own.
 *
 * @param options the largest request body the transport accepts (default 16 MiB)
 * @example
 * const node = await startNode({ context: realContext({ bodyLimitBytes: 1024 }) });
 */
export declare function realContext(options?: { bodyLimitBytes?: number }): NodeContext;
