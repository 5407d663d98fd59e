// Rolling aggregates of one probe+target: uptime, p50/p95 latency of successful runs, failures.
import type {SampleWindow} from './samples';

export interface Aggregate {
  /** Successful runs / runs; null without runs. */
  uptime: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  runs: number;
  failures: number;
}

/** Linear interpolation between closest ranks of a sorted array (q in [0, 1]). */
export function percentile(sorted: ArrayLike<number>, q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

/** Latency in reports: 0.1 ms is finer than any probe can measure over HTTP. */
export function roundMs(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms * 10) / 10;
}

export function aggregate(window: SampleWindow, now: number): Aggregate {
  window.prune(now);
  // Straight from the window's typed arrays: at 50 targets a report aggregates 450 windows of a day.
  const {runs, failures, okDurations: sorted} = window.summary();
  return {
    uptime: runs === 0 ? null : (runs - failures) / runs,
    p50Ms: roundMs(percentile(sorted, 0.5)),
    p95Ms: roundMs(percentile(sorted, 0.95)),
    runs,
    failures,
  };
}
