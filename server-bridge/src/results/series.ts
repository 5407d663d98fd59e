// The bucketed 24 h series for the chart: per probe+target and bucket, the p95 latency of
// successful runs, the runs and the failures. 48 buckets of 30 min stay small in a post. A bucket
// well in the past no longer changes, so it is computed once per window and kept: a report over
// 50 targets reads only the runs of the newest buckets.
import type {Series} from '../contract/report';
import {percentile, roundMs} from './aggregate';
import type {SampleWindow} from './samples';

export const SERIES_BUCKETS = 48;
/** A bucket is final this long after its end: a run is recorded when it ends, dated when it began. */
export const BUCKET_SETTLE_MS = 120_000;

export interface SeriesInput {
  probe: string;
  target: string;
  window: SampleWindow;
}

interface BucketStat {
  p95Ms: number | null;
  runs: number;
  failures: number;
}

/** Final buckets of each window, by absolute bucket number (time / bucketMs). */
const finalBuckets = new WeakMap<SampleWindow, {bucketMs: number; stats: Map<number, BucketStat>}>();

function bucketsOf(window: SampleWindow, from: number, to: number, bucketMs: number): Map<number, BucketStat> {
  const durations = new Map<number, number[]>();
  const out = new Map<number, BucketStat>();
  for (let b = from; b <= to; b++) {
    durations.set(b, []);
    out.set(b, {p95Ms: null, runs: 0, failures: 0});
  }
  window.forEachSince(from * bucketMs, (at, ok, durationMs) => {
    const b = Math.floor(at / bucketMs);
    const stat = out.get(b);
    if (!stat) return;
    stat.runs++;
    if (ok) durations.get(b)?.push(durationMs);
    else stat.failures++;
  });
  for (const [b, d] of durations) (out.get(b) as BucketStat).p95Ms = roundMs(percentile(Float64Array.from(d).sort(), 0.95));
  return out;
}

/** Buckets aligned to multiples of bucketMs; the last one holds `now`. */
export function buildSeries(inputs: readonly SeriesInput[], now: number, windowMs: number, buckets = SERIES_BUCKETS): Series {
  const bucketMs = Math.max(1, Math.floor(windowMs / buckets));
  const last = Math.floor(now / bucketMs);
  const first = last - (buckets - 1);
  /** The newest bucket that is final now. */
  const lastFinal = Math.floor((now - BUCKET_SETTLE_MS) / bucketMs) - 1;
  return {
    start: first * bucketMs,
    bucketMs,
    probes: inputs.map(({probe, target, window}) => {
      let cache = finalBuckets.get(window);
      if (!cache || cache.bucketMs !== bucketMs) finalBuckets.set(window, (cache = {bucketMs, stats: new Map()}));
      for (const b of cache.stats.keys()) if (b < first) cache.stats.delete(b);
      let from = first;
      while (from <= lastFinal && cache.stats.has(from)) from++;
      const fresh = bucketsOf(window, from, last, bucketMs);
      for (const [b, stat] of fresh) if (b <= lastFinal) cache.stats.set(b, stat);
      const stats = Array.from({length: buckets}, (_, i) => (cache.stats.get(first + i) ?? fresh.get(first + i)) as BucketStat);
      return {probe, target, p95Ms: stats.map((s) => s.p95Ms), failures: stats.map((s) => s.failures), runs: stats.map((s) => s.runs)};
    }),
  };
}
