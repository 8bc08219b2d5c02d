/**
 * At most once: the responses to the requests a node handled recently, by
 * request id. A duplicate of a request (the network may deliver one twice)
 * gets the first one's response instead of running again. Memory is bounded:
 * the ids sit in a ring, and the oldest is forgotten when a new one takes its
 * place. (Evicting with `map.keys().next()` instead looks O(1) but is not:
 * the map's deleted slots pile up at the front and each lookup skips them.)
 */
import type { WireResponse } from "../api.ts";

export class RecentRequests {
  #responses = new Map<string, Promise<WireResponse>>();
  #ring: Array<string | undefined>;
  #next = 0;

  constructor(capacity = 1000) {
    this.#ring = new Array(capacity);
  }

  /** The response to `id`: the remembered one, or `handle()`'s, remembered. */
  once(id: string, handle: () => Promise<WireResponse>): Promise<WireResponse> {
    const known = this.#responses.get(id);
    if (known !== undefined) return known;
    const response = handle();
    const oldest = this.#ring[this.#next];
    if (oldest !== undefined) this.#responses.delete(oldest);
    this.#ring[this.#next] = id;
    this.#next = (this.#next + 1) % this.#ring.length;
    this.#responses.set(id, response);
    return response;
  }
}
