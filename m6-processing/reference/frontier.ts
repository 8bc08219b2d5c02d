/**
 * A member's share of a crawl: the URLs it owns and has still to fetch, and
 * when it may start the next fetch. Pure bookkeeping, no I/O: the crawl
 * worker asks `next(now)` what to fetch and reports each fetch's end.
 */
export interface Politeness {
  concurrency: number;
  delayMs: number;
}

export class Frontier {
  readonly #politeness: Politeness;
  readonly #queue: string[] = [];
  #inFlight = 0;
  #lastStart = -Infinity;

  constructor(politeness: Politeness) {
    this.#politeness = politeness;
  }

  add(url: string): void {
    this.#queue.push(url);
  }

  /**
   * The URL to fetch now, if the limits allow one; otherwise how long to
   * wait (ms) before asking again, or undefined when only a fetch's end can
   * free a slot (or nothing is queued).
   */
  next(now: number): { url: string } | { waitMs: number } | undefined {
    if (this.#queue.length === 0 || this.#inFlight >= this.#politeness.concurrency) return undefined;
    const waitMs = this.#lastStart + this.#politeness.delayMs - now;
    if (waitMs > 0) return { waitMs };
    this.#inFlight++;
    this.#lastStart = now;
    return { url: this.#queue.shift() as string };
  }

  /** A fetch that `next` started has ended. */
  done(): void {
    this.#inFlight--;
  }

  /** Nothing queued and nothing in flight. */
  get idle(): boolean {
    return this.#queue.length === 0 && this.#inFlight === 0;
  }
}
