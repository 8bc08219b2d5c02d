/**
 * A consumer of a consumer group (api.ts, part 2): each poll tells the
 * group's coordinator it is alive and learns its partitions, then reads
 * them from its position in each. A partition it did not hold at its poll
 * before starts from the group's committed offset, or from the start; so
 * does every partition when it joins again after its session ran out (what
 * it held may have been read and committed by others meanwhile).
 */
import { randomUUID } from "node:crypto";
import type { Consumer, LoggedEvent, LogRead } from "../api.ts";
import type { Held } from "./log-service.ts";

/** What a consumer needs of its group and topic, wherever they live. */
export interface ConsumerLink {
  /** Names the group and topic in errors. */
  name: string;
  poll(id: string, sessionMs: number): Promise<Held>;
  commit(id: string, offsets: Array<[number, number]>): Promise<number[]>;
  leave(id: string): Promise<void>;
  read(partition: number, offset: number, max: number): Promise<LogRead>;
}

export class LogConsumer implements Consumer {
  readonly id = randomUUID();
  readonly #link: ConsumerLink;
  readonly #sessionMs: number;
  /** Where this consumer is in each partition it holds: undefined until it has read there or the group had committed there. */
  #positions = new Map<number, number | undefined>();
  #polls = 0;
  #closed = false;

  constructor(link: ConsumerLink, sessionMs: number) {
    this.#link = link;
    this.#sessionMs = sessionMs;
  }

  async poll(max = 100): Promise<LoggedEvent[]> {
    if (this.#closed) throw new RangeError(`Cannot poll ${this.#link.name}: consumer ${this.id} is closed`);
    if (!(Number.isInteger(max) && max >= 1)) throw new RangeError(`Cannot poll ${max} events: expected an integer ≥ 1`);
    const held = await this.#link.poll(this.id, this.#sessionMs);
    const kept = held.joined ? new Map<number, number | undefined>() : this.#positions;
    this.#positions = new Map(held.partitions.map((partition, i) => [
      partition,
      kept.has(partition) ? kept.get(partition) : held.committed[i] ?? undefined,
    ]));
    // Each poll begins at the next partition, so that a busy one does not starve the others.
    const order = held.partitions.map((_, i) => held.partitions[(i + this.#polls) % held.partitions.length] as number);
    this.#polls++;
    const events: LoggedEvent[] = [];
    for (const partition of order) {
      if (events.length === max) break;
      const position = this.#positions.get(partition) ?? 0;
      const read = await this.#link.read(partition, position, max - events.length);
      for (const event of read.events) events.push(event);
      const last = read.events.at(-1);
      this.#positions.set(partition, last === undefined ? Math.max(position, read.start) : last.offset + 1);
    }
    return events;
  }

  assignment(): number[] {
    return [...this.#positions.keys()];
  }

  async commit(): Promise<void> {
    const offsets: Array<[number, number]> = [];
    for (const [partition, position] of this.#positions) {
      if (position !== undefined) offsets.push([partition, position]);
    }
    const refused = await this.#link.commit(this.id, offsets);
    if (refused.length > 0) {
      throw new RangeError(`Cannot commit partitions ${refused.join(", ")} of ${this.#link.name}: consumer ${this.id} no longer holds them`);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#link.leave(this.id);
  }
}
