// Builds a ProbeContext for one run of one probe against one target (the scheduler and tests use it).
import {MattermostClient, type FetchLike} from '../mm/client';
import type {ProbeContext, TargetSettings} from './types';

export interface ProbeContextOptions {
  timeoutMs: number;
  /** Shared across runs of the same target (lookups, the probe user's session). */
  cache: Map<string, unknown>;
  /** Aborts the run early (shutdown); the timeout is added to it. */
  signal?: AbortSignal;
  fetch?: FetchLike;
  userAgent?: string;
}

export function probeContext(target: TargetSettings, options: ProbeContextOptions): ProbeContext {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const client = new MattermostClient({url: target.url, fetch: options.fetch, userAgent: options.userAgent});
  return {target, signal, timeoutMs: options.timeoutMs, client, cache: options.cache};
}
