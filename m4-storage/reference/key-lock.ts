/**
 * One operation at a time per key: each call waits for the ones on the same
 * key before it, in order. Keys with nothing waiting take no memory.
 */
export class KeyLock {
  #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, operation: () => Promise<T> | T): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(operation);
    const tail = result.catch(() => undefined);
    this.#tails.set(key, tail);
    tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
