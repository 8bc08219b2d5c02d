/**
 * Virtual time. Events wait in a queue ordered by time (ties in the order
 * they were scheduled); running the scheduler takes them one by one, sets the
 * clock to each one's time, runs it, and lets every promise it resolved run
 * to completion before the next. Nothing waits for real time, so a minute of
 * simulated gossip takes milliseconds, and the same events always run in the
 * same order. An event that starts real I/O stops the run with an error
 * (real-io.ts): it would escape virtual time.
 */
import { setImmediate } from "node:timers";
import { watchRealIo } from "./real-io.ts";

interface Event {
  at: number;
  seq: number;
  run: () => void;
  cancelled: boolean;
}

/** Lets every pending promise callback run (one macrotask turn drains the microtask queue). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class Scheduler {
  #now = 0;
  #seq = 0;
  #heap: Event[] = [];

  /** The current virtual time, ms. */
  now(): number {
    return this.#now;
  }

  /** Runs `run` at `now() + ms`; returns a function that cancels it. */
  after(ms: number, run: () => void): () => void {
    const event: Event = { at: this.#now + Math.max(0, ms), seq: this.#seq++, run, cancelled: false };
    this.#push(event);
    return () => {
      event.cancelled = true;
    };
  }

  /** Runs every event due within the next `ms` milliseconds; the clock ends at now + ms. */
  async runFor(ms: number): Promise<void> {
    const end = this.#now + ms;
    await settle();
    while (this.#heap.length > 0 && (this.#heap[0] as Event).at <= end) await this.#step();
    this.#now = end;
  }

  /**
   * Runs events until `done()` holds, or until `limitMs` of virtual time
   * have passed; returns whether `done()` held.
   */
  async runUntil(done: () => boolean, limitMs: number): Promise<boolean> {
    const end = this.#now + limitMs;
    await settle();
    while (!done() && this.#heap.length > 0 && (this.#heap[0] as Event).at <= end) await this.#step();
    if (!done()) this.#now = Math.max(this.#now, end);
    return done();
  }

  async #step(): Promise<void> {
    const event = this.#pop();
    if (event.cancelled) return;
    this.#now = event.at;
    const check = watchRealIo();
    event.run();
    await settle();
    check(event.at);
  }

  #before(a: Event, b: Event): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  #push(event: Event): void {
    const heap = this.#heap;
    heap.push(event);
    for (let i = heap.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!this.#before(heap[i] as Event, heap[parent] as Event)) break;
      [heap[i], heap[parent]] = [heap[parent] as Event, heap[i] as Event];
      i = parent;
    }
  }

  #pop(): Event {
    const heap = this.#heap;
    const top = heap[0] as Event;
    const last = heap.pop() as Event;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && this.#before(heap[left] as Event, heap[smallest] as Event)) smallest = left;
        if (right < heap.length && this.#before(heap[right] as Event, heap[smallest] as Event)) smallest = right;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest] as Event, heap[i] as Event];
        i = smallest;
      }
    }
    return top;
  }
}
