/**
 * Milestone 5: MapReduce over a group of milestone-4 nodes. A job maps each
 * key of a group's store on the member that holds it, shuffles the pairs the
 * maps emit to the members that own their keys (by the group's placement),
 * and reduces each key's values there, into an output store of the same
 * group. The node that calls `exec` coordinates: it sends control messages,
 * and no input, shuffled or output data passes through it (unless it is a
 * member too, holding its own share).
 *
 * A job's functions travel to the members as source text (milestone 1) and
 * run there: they may use their arguments and the runtime's built-ins, never
 * variables of the code around them.
 *
 * @example
 * const nodes = await Promise.all([startNode(), startNode(), startNode()]);
 * const members = nodes.map((node) => node.address);
 * for (const node of nodes) await node.groups.put("docs", members);
 * await nodes[0].store("docs").put("a", "the cat sat");
 * await nodes[0].store("docs").put("b", "the dog");
 * const result = await nodes[0].mr("docs").exec({
 *   map: (key: string, text: unknown) => (text as string).split(" ").map((word): [string, unknown] => [word, 1]),
 *   reduce: (word: string, counts: unknown[]) => counts.length,
 * });
 * await nodes[0].store(result.out).get("the"); // { found: true, value: 2 }
 */
import type { ChildNode, Placement, StoreNode, StoreNodeConfig } from "../m4-storage/api.ts";

export { JobError, RemoteError, TimeoutError, UnreachableError } from "../autograder/kit/errors.ts";
export type { JobStep } from "../autograder/kit/errors.ts";
export type { ChildNode, NodeAddress, Placement } from "../m4-storage/api.ts";

/** A key and a value, as a map emits them: the key decides which member reduces the value. */
export type Pair = [key: string, value: unknown];

/** A job: what to compute over the keys of a group's store. Every option has one meaning, given here. */
export interface Job {
  /**
   * Called once for each input key, on the member whose store holds it,
   * with the key's value; returns the pairs to shuffle (an array of
   * `[key, value]` with string keys), or a promise of them.
   */
  map: (key: string, value: unknown) => Pair[] | Promise<Pair[]>;
  /**
   * Called once for each key the maps emitted, on the member that owns it,
   * with every value emitted for it (or combined, see `combine`), in no
   * particular order; what it returns (or resolves to) is the key's output.
   */
  reduce: (key: string, values: unknown[]) => unknown;
  /**
   * Shaped like `reduce`, run on each member's map output before the
   * shuffle, once per key: its result replaces the values that member
   * emitted for the key, so one value per key and member travels. `reduce`
   * must then accept combined values (a sum of counts, say). Default: none.
   */
  combine?: (key: string, values: unknown[]) => unknown;
  /** The input keys of the first round (default: every key of the store); keys the store does not hold are skipped. */
  keys?: string[];
  /**
   * The output store: a group id, whose store over the same members must
   * be empty when the job starts; every member's view of it, and this
   * node's, is set to the members. Default: `${id}-out`.
   */
  out?: string;
  /**
   * Where the intermediate data lives: the shuffled pairs, and the outputs
   * of every round but the last. `false` (the default): in the members' own
   * stores (`node.local`, on disk when a node has a folder), in namespaces
   * `${id}-shuffle-${round}` and `${id}-round-${round}`. `true`: in memory,
   * beside the members' stores: faster, and lost if a member restarts.
   */
  memory?: boolean;
  /**
   * How many rounds to run (default 1). Each round's output is the next
   * round's input, keys and values: `map` gets what `reduce` returned.
   */
  rounds?: number;
  /**
   * Iterating: how much a key's value moved in a round, from `before` (its
   * value in the round's input; undefined for a new key) to `after` (its
   * output). Called on the member that reduced the key. A round's change is
   * the sum over its output keys.
   */
  distance?: (key: string, before: unknown, after: unknown) => number;
  /** Iterating: stop after the first round whose change is at most this (it needs `distance`). Default: run every round. */
  tolerance?: number;
  /**
   * How long a member may take over one step of a round (its maps and
   * shuffle, or its reduces), ms (default 60,000). A member that fails or
   * takes longer fails the job.
   */
  timeoutMs?: number;
}

/** What one member did for a job, summed over its rounds. */
export interface NodeCounts {
  /** Map calls: input keys it mapped. */
  maps: number;
  /** Pairs its maps returned. */
  emitted: number;
  /** Pairs it shuffled, after its combiner: one per key and value it sent to an owner (itself included). */
  shuffled: number;
  /** Bytes of the serialized batches it sent to other members. */
  bytes: number;
  /** Reduce calls: keys it reduced. */
  reduces: number;
}

/** How a job ended. */
export interface JobResult {
  /** The job's id: unique, and the prefix of its namespaces. */
  id: string;
  /** The output store's group id. */
  out: string;
  /** How many rounds ran. */
  rounds: number;
  /** The last round's change, when the job has a `distance`. */
  change?: number;
  /** What each member did, by node id. */
  counts: Map<string, NodeCounts>;
}

export interface MapReduce {
  /**
   * Runs a job on the members of this node's view of the group, over the
   * keys of the group's store. Resolves once every output is written
   * (nothing arrives later) and every intermediate namespace is removed.
   *
   * @param job the functions and options
   * @returns the job's id, its output store, the rounds run, and each member's counts
   * @throws RangeError before any work starts: this node knows no members of
   *   the group, `out` is not empty, `rounds` or `timeoutMs` is not a positive
   *   integer, or `tolerance` comes without `distance`
   * @throws EncodeError before any work starts, when a function cannot travel (milestone 1)
   * @throws JobError when a function throws (naming the step, the key and the
   *   node) or a member fails or does not answer in time (naming the member);
   *   then nothing of the job, not even part of its output, remains on any member it can reach
   * @example
   * const node = await startNode();
   * await node.groups.put("temperatures", [node.address]);
   * await node.store("temperatures").put("2024-07-01", [["Paris", 31], ["Oslo", 22]]);
   * await node.store("temperatures").put("2024-07-02", [["Paris", 28], ["Oslo", 25]]);
   * const { out } = await node.mr("temperatures").exec({
   *   map: (day: string, readings: unknown) => readings as Array<[string, unknown]>,
   *   reduce: (city: string, values: unknown[]) => Math.max(...(values as number[])),
   *   combine: (city: string, values: unknown[]) => Math.max(...(values as number[])),
   * });
   * await node.store(out).get("Oslo"); // { found: true, value: 25 }
   */
  exec(job: Job): Promise<JobResult>;
}

/** A node of milestone 5. */
export interface MapReduceNode extends StoreNode {
  /** MapReduce over the group `gid`, placed as `placement` says (the placement of its store: all users of a group must agree on it). */
  mr(gid: string, placement?: Placement): MapReduce;
}

/** How to start a milestone-5 node: as a milestone-4 node. */
export type MapReduceNodeConfig = StoreNodeConfig;

/**
 * Starts a node with MapReduce (on top of milestone 4).
 *
 * @param config as milestone 4's
 * @returns the running node
 * @throws Error when the address cannot be bound or the folder not created
 * @example
 * const node = await startNode({ folder: "/tmp/mr-node" });
 */
export declare function startNode(config?: MapReduceNodeConfig): Promise<MapReduceNode>;

/**
 * Starts a milestone-5 node in a child process.
 *
 * @param config as `startNode`'s, without a context
 * @returns the child's id and address, and a way to stop it
 * @throws Error when the child fails to start within 10 seconds
 * @example
 * const child = await spawnNode();
 * await child.stop();
 */
export declare function spawnNode(config?: Omit<MapReduceNodeConfig, "context">): Promise<ChildNode>;
