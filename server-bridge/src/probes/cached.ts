// Per-target lookups kept in ctx.cache: one request per key, forgotten when it fails.
import type {ProbeContext} from './types';

export function cached<T>(ctx: ProbeContext, key: string, load: () => Promise<T>): Promise<T> {
  const hit = ctx.cache.get(key);
  if (hit instanceof Promise) return hit as Promise<T>;
  const pending = load();
  ctx.cache.set(key, pending);
  pending.catch(() => {
    if (ctx.cache.get(key) === pending) ctx.cache.delete(key);
  });
  return pending;
}

export function forget(ctx: ProbeContext, key: string): void {
  ctx.cache.delete(key);
}
