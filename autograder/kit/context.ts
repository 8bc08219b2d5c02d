/**
 * What a node runs on, injected through its context: the transport that
 * carries requests between nodes, the clock, randomness and the disk. Real in
 * deployment (HTTP, timers, node:fs), simulated in tests (the harness's
 * network, virtual time, and a disk in memory that a crash can cut short).
 * Milestone 2's api re-exports these types; the harness implements them.
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

/**
 * A node's disk: the few file operations a store needs. Paths are absolute.
 *
 * What survives a crash (a power cut, or a simulated crash) is what was made
 * durable, as on a real disk: a file's contents once `sync(file)` resolved
 * after the last `write` or `append`; a folder's entries (files created,
 * renamed or removed in it) once `syncFolder(folder)` resolved. A file whose
 * entry is durable but whose contents never were comes back empty. Folders
 * made by `mkdir` are durable at once.
 */
export interface Disk {
  /** Creates a folder and any missing parents; no error when it exists. */
  mkdir(path: string): Promise<void>;
  /** A file's contents, or undefined when there is no such file. */
  read(path: string): Promise<string | undefined>;
  /**
   * Creates a file, or replaces its contents.
   *
   * @throws Error (code ENOENT) when its folder does not exist
   */
  write(path: string, text: string): Promise<void>;
  /**
   * Adds text at the end of a file, creating it if needed.
   *
   * @throws Error (code ENOENT) when its folder does not exist
   */
  append(path: string, text: string): Promise<void>;
  /**
   * Makes a file's contents durable (fsync).
   *
   * @throws Error (code ENOENT) when there is no such file
   */
  sync(path: string): Promise<void>;
  /**
   * Gives a file a new name, replacing any file of that name, atomically:
   * the new name holds the old file or the moved one, never a mix.
   *
   * @throws Error (code ENOENT) when there is no file at `from`
   */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; no error when there is none. */
  remove(path: string): Promise<void>;
  /** The names in a folder, in no particular order ([] when there is no such folder). */
  list(path: string): Promise<string[]>;
  /**
   * Makes a folder's entries durable: the files created, renamed and removed
   * in it (fsync of the folder).
   *
   * @throws Error (code ENOENT) when there is no such folder
   */
  syncFolder(path: string): Promise<void>;
}

/** What a node runs on. */
export interface NodeContext {
  transport: Transport;
  clock: Clock;
  /** Uniform in [0, 1). */
  random: () => number;
  disk: Disk;
}
