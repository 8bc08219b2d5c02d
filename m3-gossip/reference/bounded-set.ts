/**
 * A set that remembers only its most recent `capacity` entries: the oldest
 * is forgotten when a new one arrives. It keeps duplicate detection in
 * bounded memory however long a node runs.
 */
export class BoundedSet<T> {
  #members = new Set<T>();
  #ring: Array<T | undefined>;
  #next = 0;

  constructor(capacity: number) {
    this.#ring = new Array(Math.max(1, capacity));
  }

  has(value: T): boolean {
    return this.#members.has(value);
  }

  /** Adds `value`; returns false if it was already there. */
  add(value: T): boolean {
    if (this.#members.has(value)) return false;
    const oldest = this.#ring[this.#next];
    if (oldest !== undefined) this.#members.delete(oldest);
    this.#ring[this.#next] = value;
    this.#next = (this.#next + 1) % this.#ring.length;
    this.#members.add(value);
    return true;
  }
}
