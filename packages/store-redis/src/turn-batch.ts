/**
 * Gathers the calls made during one turn of the event loop, by key, and sends each key's
 * calls together at the end of the turn (`setImmediate`): under load, many callers share one
 * round trip to Redis and one script call. Each call gets its own answer: `send` answers
 * every item in order, an `Error` in its place failing just that call; a failed `send` fails
 * them all. Items keep the order they came in.
 */
export function batchPerTurn<T, R>(
  send: (key: string, items: T[]) => Promise<(R | Error)[]>,
  maxBatch = Number.POSITIVE_INFINITY,
): (key: string, item: T) => Promise<R> {
  interface Batch {
    items: T[];
    waiters: { resolve: (result: R) => void; reject: (error: unknown) => void }[];
  }
  const open = new Map<string, Batch>();

  const flush = (key: string, batch: Batch) => {
    if (open.get(key) === batch) open.delete(key);
    send(key, batch.items).then(
      (results) => {
        batch.waiters.forEach((waiter, k) => {
          const result = results[k];
          if (result instanceof Error) waiter.reject(result);
          else if (k >= results.length) waiter.reject(new Error('no answer for this call in its batch'));
          else waiter.resolve(result as R);
        });
      },
      (error: unknown) => {
        for (const waiter of batch.waiters) waiter.reject(error);
      },
    );
  };

  return (key, item) => {
    let batch = open.get(key);
    if (batch === undefined || batch.items.length >= maxBatch) {
      const created: Batch = { items: [], waiters: [] };
      open.set(key, created);
      setImmediate(() => flush(key, created));
      batch = created;
    }
    batch.items.push(item);
    const { waiters } = batch;
    return new Promise<R>((resolve, reject) => {
      waiters.push({ resolve, reject });
    });
  };
}
