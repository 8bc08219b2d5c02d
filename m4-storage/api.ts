/**
 * Milestone 4: distributed storage. Each node has a local store (in memory,
 * or in files that survive a crash); a group store spreads keys over the
 * members of a group, each key on the member its placement names; and a
 * group can change its members, moving only the keys whose owner changed,
 * while it keeps serving.
 *
 * Values are any value milestone 1 serializes. Keys are any string: `../`,
 * `/`, NUL, unicode and 10 KB keys included. Each store is divided into
 * namespaces, one per group id, so two groups never see each other's keys.
 *
 * @example
 * const node = await startNode();
 * await node.groups.put("kv", [node.address]);
 * const store = node.store("kv"); // consistent hashing, 100 virtual nodes per member
 * await store.put("user:42", { name: "Ada" });
 * await store.get("user:42"); // { found: true, value: { name: "Ada" } }
 */
import type { Disk } from "../m2-actors/api.ts";
import type { ChildNode, GroupNode, GroupNodeConfig, NodeAddress } from "../m3-gossip/api.ts";

export { RemoteError, TimeoutError, UnreachableError } from "../autograder/kit/errors.ts";
export type { Disk } from "../m2-actors/api.ts";
export type { ChildNode, NodeAddress } from "../m3-gossip/api.ts";

/** What a lookup found: a value (any value, `undefined` included), or nothing. */
export type Lookup = { found: true; value: unknown } | { found: false };

/**
 * A node's own store, divided into namespaces (`gid`). Operations on one key
 * happen one at a time, in the order they were called; a persistent store
 * writes each value atomically (never half a value, even if the process dies
 * mid-write) and durably before it resolves.
 */
export interface LocalStore {
  get(gid: string, key: string): Promise<Lookup>;
  /** Stores a value, replacing any. */
  put(gid: string, key: string, value: unknown): Promise<void>;
  /** Stores a value unless the key has one; returns whether it stored it. */
  putIfAbsent(gid: string, key: string, value: unknown): Promise<boolean>;
  /** Removes a key; returns what it held. */
  del(gid: string, key: string): Promise<Lookup>;
  /**
   * Reads the key, lets `fn` choose what it holds next, and writes that, with
   * no other operation on the key in between. `fn` gets the current lookup
   * and returns the next one: `{ found: false }` removes the key, and
   * returning `current` itself leaves it as it is (nothing is written).
   *
   * @returns what the key held before
   * @throws what `fn` throws (the key is left as it was)
   */
  update(gid: string, key: string, fn: (current: Lookup) => Lookup | Promise<Lookup>): Promise<Lookup>;
  /**
   * Adds a value to the array stored at the key (an absent key starts as []);
   * returns the array's new length. Its cost does not grow with the array.
   *
   * @throws TypeError when the key holds something that is not an array
   */
  append(gid: string, key: string, value: unknown): Promise<number>;
  /**
   * Adds values, in order, to the array stored at the key, as one write (an
   * absent key starts as []); returns the array's new length.
   *
   * @throws TypeError when the key holds something that is not an array
   */
  appendAll(gid: string, key: string, values: unknown[]): Promise<number>;
  /** The keys of a namespace, in no particular order. */
  keys(gid: string): Promise<string[]>;
}

/** How a group store places keys on members. */
export interface Placement {
  /** "naive" (hash mod n), "consistent" (a ring with virtual nodes), or "rendezvous" (highest random weight). */
  scheme: "naive" | "consistent" | "rendezvous";
  /** Virtual nodes per member, for "consistent" (default 100). */
  vnodes?: number;
}

/**
 * The default placement: consistent hashing, 100 virtual nodes per member.
 *
 * @example
 * const node = await startNode();
 * node.store("kv", defaultPlacement); // the same as node.store("kv")
 */
export declare const defaultPlacement: Placement;

/** What a reconfiguration did. */
export interface Moved {
  /** Keys moved from one member to another: exactly those whose owner changed. */
  moved: number;
  /**
   * The members that failed during the move, by node id (RemoteError,
   * TimeoutError or UnreachableError): empty when every member took part.
   */
  errors: Map<string, Error>;
}

/**
 * A store over a group: each key lives on the member its placement names,
 * among the members of the calling node's view. Any member answers for any
 * key (it forwards to the owner), so nodes whose views lag still find keys.
 *
 * Each operation throws what its call to the owner throws: RemoteError
 * (with the owner's error as `cause`: a TypeError for an append to a key
 * that holds no array, say), TimeoutError or UnreachableError; and a
 * RangeError when this node's view of the group is empty.
 */
export interface GroupStore {
  get(key: string): Promise<Lookup>;
  put(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<Lookup>;
  append(key: string, value: unknown): Promise<number>;
  /**
   * Appends many values to many keys: one call to each owner, carrying all
   * of its keys; each key's values land in the order given.
   *
   * @throws what the first failing owner's call throws (RemoteError, TimeoutError, UnreachableError)
   */
  appendBatch(pairs: Array<[key: string, value: unknown]>): Promise<void>;
  /** Every key of the group's namespace, on all members (it throws what the first member that fails throws). */
  keys(): Promise<string[]>;
  /**
   * Changes the group's members (a join, a leave, or any change): every
   * member, old and new, takes the new view; keys whose owner changed move
   * to their new owner, and no other key moves. Reads and writes keep working
   * during the move: a read finds the value wherever it is. Old members copy
   * each key to its new owner before they delete it.
   *
   * @returns how many keys moved, and which members failed (the others still moved every key they could)
   */
  reconfigure(members: NodeAddress[]): Promise<Moved>;
}

/** A node of milestone 4. */
export interface StoreNode extends GroupNode {
  /** This node's own store. */
  readonly local: LocalStore;
  /** The group `gid`'s store, placed as `placement` says (all users of a group must agree on it). */
  store(gid: string, placement?: Placement): GroupStore;
}

/** How to start a milestone-4 node. */
export interface StoreNodeConfig extends GroupNodeConfig {
  /** Keep the local store in this folder (created if needed); default: in memory. */
  folder?: string;
}

/**
 * Starts a node with a local store and group stores (on top of milestone 3).
 *
 * @param config as milestone 3's, plus where the local store lives
 * @returns the running node
 * @throws Error when the address cannot be bound or the folder not created
 * @example
 * const node = await startNode({ folder: "/tmp/node-1" });
 */
export declare function startNode(config?: StoreNodeConfig): Promise<StoreNode>;

/**
 * Starts a milestone-4 node in a child process.
 *
 * @param config as `startNode`'s, without a context
 * @returns the child's id and address, and a way to stop it
 * @throws Error when the child fails to start within 10 seconds
 * @example
 * const child = await spawnNode({ folder: "/tmp/node-2" });
 */
export declare function spawnNode(config?: Omit<StoreNodeConfig, "context">): Promise<ChildNode>;

/**
 * A store in memory, lost with its process.
 *
 * @example
 * const store = memoryStore();
 */
export declare function memoryStore(): LocalStore;

/**
 * A store in a folder: one file per key, written atomically (temporary file,
 * sync, rename, sync of the folder), so it survives its process being killed,
 * or its machine losing power, at any moment; appends add to the end of the
 * file instead of rewriting it.
 *
 * @param folder where the files live (created if needed)
 * @param disk the disk they live on (default: the real one; a node passes its context's)
 * @example
 * const store = fileStore("/tmp/store");
 * await store.put("kv", "a", 1);
 */
export declare function fileStore(folder: string, disk?: Disk): LocalStore;

/**
 * A key's position: the SHA-256 of the key's UTF-8 bytes, in hex. Placements
 * compare these.
 *
 * @example
 * keyHash("a").length; // 64
 */
export declare function keyHash(key: string): string;

/**
 * The member (a node id) that owns a key among `members` (node ids), as a
 * placement says. Every node computes the same owner from the same members.
 *
 * @throws RangeError when there are no members
 * @example
 * owner("user:42", ["a", "b", "c"], { scheme: "rendezvous" }); // one of "a", "b", "c"
 */
export declare function owner(key: string, members: string[], placement?: Placement): string;

/**
 * The first `n` distinct members (node ids) for a key, as a placement says:
 * the owner first, then where replicas go (milestone 7): the next members in
 * sorted order (naive), the next distinct members on the ring (consistent),
 * or the next highest weights (rendezvous). All the members when there are
 * fewer than `n`.
 *
 * @throws RangeError when there are no members, or `n` is not a positive integer
 * @example
 * owners("user:42", ["a", "b", "c"], defaultPlacement, 2).length; // 2
 */
export declare function owners(key: string, members: string[], placement: Placement, n: number): string[];
