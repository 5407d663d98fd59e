// The rows /healthcheck shows, read straight from what the bridge already keeps (latest result,
// state, 24 h counts): no report, no chart series, no network; cheap enough for every call.
import type {ProbeState} from '../contract/report';
import {roundMs} from '../results/aggregate';
import type {ResultHistory} from '../results/history';
import {probeState} from '../report/builder';
import type {StateSource} from '../report/states';

export interface ProbeRow {
  probe: string;
  target: string;
  state: ProbeState;
  durationMs: number | null;
  /** When the latest run started (ms since epoch); null before the first. */
  startedAt: number | null;
  uptime24h: number | null;
  runs24h: number;
  failures24h: number;
  error: string | undefined;
  /** The server version the latest run saw (ping records it). */
  serverVersion?: string;
}

export interface StatusSources {
  history: ResultHistory;
  states: StateSource;
  /** Every configured probe+target, in the order a reader expects them. */
  jobs: readonly {probe: string; target: string}[];
}

export function statusRows(sources: StatusSources, now: number): ProbeRow[] {
  return sources.jobs.map(({probe, target}) => {
    const latest = sources.history.latest(probe, target);
    const {runs, failures} = sources.history.counts(probe, target, now);
    const version = latest?.facts?.serverVersion;
    return {
      probe,
      target,
      state: probeState(sources, probe, target),
      durationMs: latest && !latest.notConfigured ? roundMs(latest.durationMs) : null,
      startedAt: latest?.startedAt ?? null,
      uptime24h: runs === 0 ? null : (runs - failures) / runs,
      runs24h: runs,
      failures24h: failures,
      error: latest?.notConfigured ? `not configured: needs ${latest.notConfigured.join(', ')}` : latest?.error,
      ...(typeof version === 'string' && version ? {serverVersion: version} : {}),
    };
  });
}

/**
 * statusRows kept until a run is recorded or the second turns (the answer counts whole seconds):
 * at 50 targets the rows cost ~0.3 ms, a third of the bridge's share of a /healthcheck.
 */
export function cachedStatusRows(sources: StatusSources, clock: () => number = Date.now): () => ProbeRow[] {
  let kept: {version: number; second: number; rows: ProbeRow[]} | null = null;
  return () => {
    const now = clock();
    const second = Math.floor(now / 1000);
    if (kept?.version !== sources.history.version || kept.second !== second) kept = {version: sources.history.version, second, rows: statusRows(sources, now)};
    return kept.rows;
  };
}
