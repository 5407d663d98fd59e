// Builds a ProbeContext for one run of one probe against one target, for tests (the scheduler builds its own).
import {deadline} from '../../deadline';
import {MattermostClient, type FetchLike} from '../../mm/client';
import type {ProbeContext, TargetSettings} from '../types';

export interface ProbeContextOptions {
  timeoutMs: number;
  /** Shared across runs of the same target (lookups, the probe user's session). */
  cache: Map<string, unknown>;
  /** Shared by every target of one prober (locks on one server's probe user and channel). */
  shared?: Map<string, unknown>;
  /** Aborts the run early (shutdown); the timeout is added to it. */
  signal?: AbortSignal;
  fetch?: FetchLike;
  userAgent?: string;
}

export function probeContext(target: TargetSettings, options: ProbeContextOptions): ProbeContext {
  // Not disposed: one run's context lives until its deadline, which then only fires once.
  const {signal} = deadline(options.timeoutMs, options.signal);
  const client = new MattermostClient({url: target.url, fetch: options.fetch, userAgent: options.userAgent});
  return {target, signal, timeoutMs: options.timeoutMs, client, cache: options.cache, ...(options.shared ? {shared: options.shared} : {})};
}
