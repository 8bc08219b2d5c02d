/**
 * One partition of a topic, on the member that owns it: the only writer of
 * its events. They live in its own store, in segments of `segmentEvents`
 * events at keys `${topic}/${p}/${n}` (segment n holds offsets
 * [n × segmentEvents, (n + 1) × segmentEvents)), each a list that
 * `appendAll` grows, beside a record of the partition's bounds at
 * `${topic}/${p}/bounds`.
 *
 * Operations run one at a time, in order. Appends that arrive while one
 * runs wait together and go in the next write: one `appendAll` per segment
 * they reach, whatever their number. A crash between the bounds and the
 * segment leaves what was acknowledged, and the end is read back from the
 * last segment.
 */
import type { LogEvent, LoggedEvent, LogRead } from "../api.ts";
import type * as M4 from "../../m4-storage/api.ts";

/** Events per segment. */
const segmentEvents = 500;

/** A topic's settings, as every member keeps them. */
export interface TopicSettings {
  partitions: number;
  retainEvents?: number;
  retainMs?: number;
}

/** An event as a segment keeps it: with when its member appended it, by its clock. */
type Entry = [key: string, value: unknown, time: number, appended: number];

/** Where the partition starts (the first offset kept), and the last segment ever begun (-1: none). */
interface Bounds {
  start: number;
  last: number;
}

/** Appends waiting for the next write. */
interface Waiting {
  events: LogEvent[];
  resolve: (first: number) => void;
  reject: (error: unknown) => void;
}

export class PartitionLog {
  readonly #store: M4.LocalStore;
  readonly #ns: string;
  readonly #partition: number;
  readonly #prefix: string;
  readonly #settings: TopicSettings;
  readonly #now: () => number;
  #bounds: Bounds = { start: 0, last: -1 };
  #end = 0;
  #loaded = false;
  #waiting: Waiting[] = [];
  /** Readers waiting for the partition to grow (`arrival`). */
  #arrivals: Array<() => void> = [];
  /** The last operation begun: each next one runs after it. */
  #tail: Promise<unknown> = Promise.resolve();

  constructor(store: M4.LocalStore, ns: string, topic: string, partition: number, settings: TopicSettings, now: () => number) {
    this.#store = store;
    this.#ns = ns;
    this.#partition = partition;
    this.#prefix = `${topic}/${partition}/`;
    this.#settings = settings;
    this.#now = now;
  }

  /** Appends events in order; resolves, once they are stored, with the offset of the first. */
  append(events: LogEvent[]): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ events, resolve, reject });
      if (this.#waiting.length === 1) void this.#run(() => this.#write());
    });
  }

  /**
   * At most `max` events from `offset` (from the start, if that is later).
   *
   * @throws RangeError when `offset` is past the end
   */
  read(offset: number, max: number): Promise<LogRead> {
    return this.#run(async () => {
      await this.#load();
      if (offset > this.#end) throw new RangeError(`Cannot read ${this.#prefix.slice(0, -1)} from offset ${offset}: it ends at ${this.#end}`);
      await this.#retain();
      const events: LoggedEvent[] = [];
      for (let at = Math.max(offset, this.#bounds.start); at < this.#end && events.length < max;) {
        const [entries, first] = await this.#segmentAt(at);
        if (entries.length <= at - first) break;
        for (let i = at - first; i < entries.length && events.length < max; i++, at++) {
          const [key, value, time] = entries[i] as Entry;
          events.push({ key, value, time, partition: this.#partition, offset: at });
        }
      }
      return { events, start: this.#bounds.start, end: this.#end };
    });
  }

  /**
   * Resolves once the partition holds an event at `offset` or later, or
   * `waitMs` after the call (by `after`), whichever comes first: a long poll.
   */
  async arrival(offset: number, waitMs: number, after: (ms: number, callback: () => void) => () => void): Promise<void> {
    await this.#run(() => this.#load());
    if (offset < this.#end) return;
    await new Promise<void>((resolve) => {
      const cancel = after(waitMs, done);
      this.#arrivals.push(done);
      function done(): void {
        cancel();
        resolve();
      }
    });
  }

  #run<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(operation);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** Writes every append waiting, as one batch. */
  async #write(): Promise<void> {
    const batch = this.#waiting;
    this.#waiting = [];
    try {
      await this.#load();
      const appended = this.#now();
      const entries: Entry[] = batch.flatMap(({ events }) => events.map((event): Entry => [event.key, event.value, event.time, appended]));
      const first = this.#end;
      for (let i = 0; i < entries.length;) {
        const segment = Math.floor(this.#end / segmentEvents);
        const room = (segment + 1) * segmentEvents - this.#end;
        if (segment > this.#bounds.last) await this.#saveBounds({ ...this.#bounds, last: segment });
        const piece = entries.slice(i, i + room);
        await this.#store.appendAll(this.#ns, this.#prefix + segment, piece);
        this.#end += piece.length;
        i += piece.length;
      }
      await this.#retain();
      let offset = first;
      for (const { events, resolve } of batch) {
        resolve(offset);
        offset += events.length;
      }
      const arrivals = this.#arrivals;
      this.#arrivals = [];
      for (const arrived of arrivals) arrived();
    } catch (error) {
      for (const { reject } of batch) reject(error);
    }
  }

  /** Moves the start past what retention removes, and deletes the segments wholly before it. */
  async #retain(): Promise<void> {
    const { retainEvents, retainMs } = this.#settings;
    let start = this.#bounds.start;
    if (retainEvents !== undefined) start = Math.max(start, this.#end - retainEvents);
    if (retainMs !== undefined) start = await this.#firstSince(start, this.#now() - retainMs);
    if (start === this.#bounds.start) return;
    const before = Math.floor(this.#bounds.start / segmentEvents);
    await this.#saveBounds({ ...this.#bounds, start });
    for (let segment = before; segment < Math.floor(start / segmentEvents); segment++) await this.#store.del(this.#ns, this.#prefix + segment);
  }

  /** The first offset from `from` on appended at `since` or later (the end, if none was). */
  async #firstSince(from: number, since: number): Promise<number> {
    for (let at = from; at < this.#end;) {
      const [entries, first] = await this.#segmentAt(at);
      if (entries.length <= at - first) break;
      for (let i = at - first; i < entries.length; i++, at++) {
        if ((entries[i] as Entry)[3] >= since) return at;
      }
    }
    return this.#end;
  }

  /** The entries of the segment that holds `offset`, and the offset of its first. */
  async #segmentAt(offset: number): Promise<[Entry[], number]> {
    const segment = Math.floor(offset / segmentEvents);
    const lookup = await this.#store.get(this.#ns, this.#prefix + segment);
    return [lookup.found ? (lookup.value as Entry[]) : [], segment * segmentEvents];
  }

  async #saveBounds(bounds: Bounds): Promise<void> {
    await this.#store.put(this.#ns, `${this.#prefix}bounds`, bounds);
    this.#bounds = bounds;
  }

  /**
   * Reads the bounds back from the store, once: the end is where the last
   * segment begun ends (or the start, when retention removed that segment).
   */
  async #load(): Promise<void> {
    if (this.#loaded) return;
    const lookup = await this.#store.get(this.#ns, `${this.#prefix}bounds`);
    if (lookup.found) {
      this.#bounds = lookup.value as Bounds;
      const [entries, first] = await this.#segmentAt(this.#bounds.last * segmentEvents);
      this.#end = Math.max(this.#bounds.start, first + entries.length);
    }
    this.#loaded = true;
  }
}
