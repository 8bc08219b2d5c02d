/**
 * Milestone 3: groups, gossip and failure detection. A node of this
 * milestone is a milestone-2 node with more services: named groups of nodes
 * that can be addressed as one, epidemic gossip within a group, an efficient
 * reliable broadcast, and a membership service that tells which members are
 * alive.
 *
 * Each node keeps its own view of each group. A group-wide call goes to the
 * members in the calling node's view; nodes whose views differ address
 * different members, and nothing makes views agree but the calls that set
 * them (`group(gid).groups.put`): membership reports who is alive and changes
 * no view.
 *
 * @example
 * const nodes = await Promise.all([startNode(), startNode(), startNode()]);
 * const members = nodes.map((node) => node.address);
 * await nodes[0].groups.put("search", members); // this node's own view first
 * await nodes[0].group("search").groups.put("search", members); // then every member's
 * const { values, errors } = await nodes[0].group("search").status.get("nid");
 * values.size; // 3
 * errors.size; // 0
 */
import type { ChildNode, DistNode, NodeAddress, NodeConfig, Service, StatusReport } from "../m2-actors/api.ts";

export { RemoteError, TimeoutError, UnreachableError } from "../autograder/kit/errors.ts";
export type { ChildNode, NodeAddress, Service, StatusReport } from "../m2-actors/api.ts";

/** What a group-wide call returns: each member's value or error, by node id. */
export interface GroupOutcome<T> {
  values: Map<string, T>;
  /** RemoteError, TimeoutError or UnreachableError, by node id. */
  errors: Map<string, Error>;
}

/** The status of a group: sums over the members that answered. */
export interface GroupStatus {
  /** How many members answered. */
  nodes: number;
  counts: { received: number; sent: number };
  heapTotal: number;
  heapUsed: number;
  /** The members that did not answer, by node id. */
  errors: Map<string, Error>;
}

/** This node's views of its groups. */
export interface Groups {
  /** Sets the members of a group (creating it). */
  put(gid: string, members: NodeAddress[]): Promise<void>;
  /** The members of a group, or undefined if this node knows no such group. */
  get(gid: string): Promise<NodeAddress[] | undefined>;
  /** Adds a member (no duplicates; creates the group if needed). */
  add(gid: string, member: NodeAddress): Promise<void>;
  /** Removes a member, if present. */
  rem(gid: string, member: NodeAddress): Promise<void>;
  /** Forgets a group; returns its members, or undefined. */
  del(gid: string): Promise<NodeAddress[] | undefined>;
}

/** A group addressed as one: each call goes to every member of this node's view, in parallel. */
export interface Group {
  readonly gid: string;
  comm: {
    /** Calls `service.method(...args)` on every member; each member's result or error. */
    send(args: unknown[], remote: { service: string; method: string; gid?: string }, options?: { timeoutMs?: number }): Promise<GroupOutcome<unknown>>;
  };
  status: {
    get<K extends keyof StatusReport>(key: K): Promise<GroupOutcome<StatusReport[K]>>;
    /** Counts and memory summed over the members that answered. */
    sum(): Promise<GroupStatus>;
  };
  routes: {
    /** Registers the service on every member (its methods travel as source, milestone 1). */
    put(service: Service, name: string): Promise<GroupOutcome<void>>;
    /** Removes it from every member; each value says whether the member had it. */
    rem(name: string): Promise<GroupOutcome<boolean>>;
  };
  groups: {
    /** Sets group `gid`'s members on every member of this group. */
    put(gid: string, members: NodeAddress[]): Promise<GroupOutcome<void>>;
    add(gid: string, member: NodeAddress): Promise<GroupOutcome<void>>;
    rem(gid: string, member: NodeAddress): Promise<GroupOutcome<void>>;
    del(gid: string): Promise<GroupOutcome<void>>;
  };
}

/** What a gossip handler learns besides the value. */
export interface Rumor {
  /** Unique per spread. */
  id: string;
  gid: string;
  topic: string;
  /** The id of the node that spread it. */
  origin: string;
}

/** How gossip spreads (every field has a default). */
export interface GossipOptions {
  /** Members each node pushes a rumor to per round (default ⌈ln n⌉, at least 1, for a group of n). */
  fanout?: number;
  /** The length of a round, ms (default 100). */
  roundMs?: number;
  /** Rounds a node keeps pushing a rumor after it learns it (default ⌈log2 n⌉ + 1). */
  rounds?: number;
  /** Rumor ids remembered to drop duplicates (default 10,000): memory stays bounded. */
  remember?: number;
}

export interface Gossip {
  /**
   * Spreads a rumor to every member of `gid` (this node's view), epidemically:
   * each node that learns it pushes it to `fanout` random members each round,
   * for `rounds` rounds. Every member's handlers for `topic` get it once.
   *
   * @returns the rumor's id
   */
  spread(gid: string, topic: string, value: unknown): Promise<string>;
  /** Calls `handler` once for each rumor on `topic` this node learns (its own too); returns a function that stops it. */
  on(topic: string, handler: (value: unknown, rumor: Rumor) => void): () => void;
  /** Calls `fn` every `intervalMs` on the node's clock; returns a function that cancels it. */
  at(intervalMs: number, fn: () => unknown): () => void;
}

/** How broadcast batches (every field has a default). */
export interface BroadcastOptions {
  /** How long values wait to be sent together, ms (default 100); 0 sends each value at once. */
  batchMs?: number;
}

/**
 * Reliable broadcast: a set of values that every member of a group ends up
 * holding, even across partitions that heal, at a small number of messages
 * per value. It assumes the members share one view of the group.
 */
export interface Broadcast {
  /** Adds a value to the group's set; every member gets it. */
  send(gid: string, value: unknown): Promise<void>;
  /** The values this node holds for the group, in the order it learned them. */
  values(gid: string): unknown[];
  /** Calls `handler` once for each value this node learns for the group (its own too); returns a function that stops it. */
  on(gid: string, handler: (value: unknown) => void): () => void;
}

/** A member's state, as one node sees it. */
export type MemberState = "alive" | "suspect" | "dead";

export interface MemberView {
  address: NodeAddress;
  state: MemberState;
  /** Raised by the member itself to refute a suspicion of it. */
  incarnation: number;
}

/** How membership probes (every field has a default). */
export interface MembershipOptions {
  /** The protocol period: each node probes one member per period (default 200 ms). */
  periodMs?: number;
  /** How long a direct probe waits before asking others (default periodMs / 4). */
  probeTimeoutMs?: number;
  /** How many other members probe on this node's behalf when a direct probe fails (default 3). */
  indirectProbes?: number;
  /** How long a member stays suspect before it is declared dead, unless it refutes (default 10 periods). */
  suspicionMs?: number;
}

export interface Membership {
  /**
   * Starts failure detection among the members of `gid` (this node's view,
   * which must include this node): SWIM-style probing, with indirect probes
   * and suspicion. Every member should watch the group.
   *
   * @throws RangeError when this node is not a member of its view of `gid`
   */
  watch(gid: string, options?: MembershipOptions): Promise<void>;
  /** Stops watching. */
  unwatch(gid: string): Promise<void>;
  /** This node's view of the watched group: every member by node id (itself included). */
  view(gid: string): Map<string, MemberView>;
  /** Calls `handler` when this node changes its mind about a member of a watched group; returns a function that stops it. */
  on(handler: (gid: string, nid: string, view: MemberView) => void): () => void;
}

/** A node of milestone 3. */
export interface GroupNode extends DistNode {
  readonly groups: Groups;
  /** The group `gid` as this node sees it. */
  group(gid: string): Group;
  readonly gossip: Gossip;
  readonly broadcast: Broadcast;
  readonly membership: Membership;
}

/** How to start a milestone-3 node. */
export interface GroupNodeConfig extends NodeConfig {
  gossip?: GossipOptions;
  broadcast?: BroadcastOptions;
}

/**
 * Starts a node with groups, gossip and membership (on top of milestone 2's
 * `startNode`, through the implementation switch).
 *
 * @param config as milestone 2's, plus gossip's defaults
 * @returns the running node
 * @throws Error when the address cannot be bound
 * @example
 * const node = await startNode({ gossip: { roundMs: 50 } });
 */
export declare function startNode(config?: GroupNodeConfig): Promise<GroupNode>;

/**
 * Starts a milestone-3 node in a child process (see milestone 2's `spawnNode`).
 *
 * @param config as `startNode`'s, without a context
 * @returns the child's id and address, and a way to stop it
 * @throws Error when the child fails to start within 10 seconds
 * @example
 * const children = await Promise.all(Array.from({ length: 3 }, () => spawnNode()));
 * await Promise.all(children.map((child) => child.stop()));
 */
export declare function spawnNode(config?: Omit<GroupNodeConfig, "context">): Promise<ChildNode>;
