// Memoize with retry: the one way the bridge learns a value once (ids, keys, a probe's lookups).

/** The value under `key` in `cache`, loaded once; a failure is forgotten, so the next call loads again. */
export function cachedIn<T>(cache: Map<string, unknown>, key: string, load: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit instanceof Promise) return hit as Promise<T>;
  const pending = load();
  cache.set(key, pending);
  pending.catch(() => {
    if (cache.get(key) === pending) cache.delete(key);
  });
  return pending;
}

/** A lazily resolved value, retried on the next call after a failure. */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  const cache = new Map<string, unknown>();
  return () => cachedIn(cache, 'value', load);
}
