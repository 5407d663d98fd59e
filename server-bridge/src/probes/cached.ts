// Per-target lookups kept in ctx.cache: one request per key, forgotten when it fails.
import {cachedIn} from '../once';
import type {ProbeContext} from './types';

export function cached<T>(ctx: ProbeContext, key: string, load: () => Promise<T>): Promise<T> {
  return cachedIn(ctx.cache, key, load);
}

export function forget(ctx: ProbeContext, key: string): void {
  ctx.cache.delete(key);
}
