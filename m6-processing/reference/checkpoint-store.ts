/**
 * Where a job's checkpoints live: its member's own store, namespace
 * `${gid}-streams`, key the job's name; each checkpoint replaces the one
 * before in one write, so what is there is always a complete one.
 */
import type { WindowOutput } from "../api.ts";
import type * as M4 from "../../m4-storage/api.ts";

export const streamsNamespace = (gid: string): string => `${gid}-streams`;

/** A job's state at a checkpoint: its source offsets, the snapshots that match them, and what it gave out since the checkpoint before. */
export interface Checkpoint {
  id: number;
  offsets: number[];
  operator: unknown;
  watermarks: unknown;
  /** What the job had given out over its life, this checkpoint's outputs included. */
  results: number;
  late: number;
  /** Exactly once: the outputs to append once this checkpoint is stored, and each output topic's partition ends before them. */
  outputs: WindowOutput[];
  ends: Record<string, number[]>;
}

/** The checkpoint of a job that has none: nothing read, nothing held. */
export const firstCheckpoint = (partitions: number): Checkpoint => ({
  id: 0,
  offsets: new Array<number>(partitions).fill(0),
  operator: undefined,
  watermarks: undefined,
  results: 0,
  late: 0,
  outputs: [],
  ends: {},
});

export class CheckpointStore {
  readonly #local: M4.LocalStore;
  readonly #ns: string;
  readonly #name: string;

  constructor(local: M4.LocalStore, gid: string, name: string) {
    this.#local = local;
    this.#ns = streamsNamespace(gid);
    this.#name = name;
  }

  async load(): Promise<Checkpoint | undefined> {
    const lookup = await this.#local.get(this.#ns, this.#name);
    return lookup.found ? (lookup.value as Checkpoint) : undefined;
  }

  async save(checkpoint: Checkpoint): Promise<void> {
    await this.#local.put(this.#ns, this.#name, checkpoint);
  }
}
