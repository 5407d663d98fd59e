// What the hourly rollups need to know of the configured objectives and probes: the latency
// threshold each probe's slow runs are counted against, and how long a gap still counts as observed.
import type {Slo} from './definitions';
import type {RollupPolicy} from '../results/history';

/** Probes at their intervals; a gap up to 2.5 intervals (a missed run, jitter) is still observed. */
export function rollupPolicy(slos: readonly Slo[], probes: readonly {name: string; intervalMs: number}[]): RollupPolicy {
  const slow = new Map<string, number>();
  for (const s of slos) if (s.kind === 'latency' && s.thresholdMs !== null) for (const p of s.probes) if (!slow.has(p)) slow.set(p, s.thresholdMs);
  const interval = new Map(probes.map((p) => [p.name, p.intervalMs]));
  return {slowMs: (probe) => slow.get(probe) ?? null, coverMaxMs: (probe) => 2.5 * (interval.get(probe) ?? 60_000)};
}
