// Memoize with retry: the one way the bridge learns a value from the server once (ids, keys).

/** A lazily resolved value, retried on the next call after a failure. */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    pending ??= load().catch((err: unknown) => {
      pending = null;
      throw err;
    });
    return pending;
  };
}
