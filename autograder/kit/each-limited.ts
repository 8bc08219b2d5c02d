/**
 * Runs `work` on every item, at most `limit` at a time (so that a batch of
 * ten thousand keys does not open ten thousand files at once); resolves when
 * all are done, or rejects with the first failure once the rest have
 * settled.
 *
 * @example
 * await eachLimited(keys, 16, (key) => store.del("kv", key));
 */
export async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item).catch((error: unknown) => {
        failure ??= { error };
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
}
