/**
 * A mailbox: the messages of one actor, handled one at a time in arrival
 * order. A message's handler starts only after the previous one's promise
 * settles, so an actor's state needs no locks, even when its methods await.
 */
export class Mailbox {
  #tail: Promise<unknown> = Promise.resolve();

  /** Queues `handle` behind every message already queued; resolves with its result. */
  post<T>(handle: () => T | Promise<T>): Promise<T> {
    const result = this.#tail.then(handle);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
