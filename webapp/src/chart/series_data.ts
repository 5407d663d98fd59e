// Turns one probe's bucketed 24 h series from the report into chart columns (seconds, ms, failures).
import type {Series} from '@contract';

export interface ChartColumns {
  x: number[];
  p95: (number | null)[];
  /** Where a bucket had failures: plotted at the p95 line (or 0) so the marker sits on the curve. */
  failures: (number | null)[];
  failedBuckets: number;
}

export function chartColumns(series: Series, probe: Series['probes'][number]): ChartColumns {
  const n = Math.max(probe.p95Ms.length, probe.failures.length);
  const x: number[] = [];
  const p95: (number | null)[] = [];
  const failures: (number | null)[] = [];
  let failedBuckets = 0;
  for (let i = 0; i < n; i++) {
    x.push((series.start + i * series.bucketMs) / 1000);
    const latency = probe.p95Ms[i] ?? null;
    p95.push(latency);
    const failed = (probe.failures[i] ?? 0) > 0;
    if (failed) failedBuckets++;
    failures.push(failed ? (latency ?? 0) : null);
  }
  return {x, p95, failures, failedBuckets};
}
