// The bucketed 24 h series for the chart: per probe+target and bucket, the p95 latency of
// successful runs, the runs and the failures. 48 buckets of 30 min stay small in a post.
import type {Series} from '../contract/report';
import {percentile, roundMs} from './aggregate';
import type {SampleWindow} from './samples';

export const SERIES_BUCKETS = 48;

export interface SeriesInput {
  probe: string;
  target: string;
  window: SampleWindow;
}

/** Buckets aligned to multiples of bucketMs; the last one holds `now`. */
export function buildSeries(inputs: readonly SeriesInput[], now: number, windowMs: number, buckets = SERIES_BUCKETS): Series {
  const bucketMs = Math.max(1, Math.floor(windowMs / buckets));
  const start = Math.floor(now / bucketMs) * bucketMs - (buckets - 1) * bucketMs;
  return {
    start,
    bucketMs,
    probes: inputs.map(({probe, target, window}) => {
      const durations: number[][] = Array.from({length: buckets}, () => []);
      const runs = new Array<number>(buckets).fill(0);
      const failures = new Array<number>(buckets).fill(0);
      window.forEach((at, ok, durationMs) => {
        const i = Math.floor((at - start) / bucketMs);
        if (i < 0 || i >= buckets) return;
        runs[i] = (runs[i] as number) + 1;
        if (ok) (durations[i] as number[]).push(durationMs);
        else failures[i] = (failures[i] as number) + 1;
      });
      return {probe, target, p95Ms: durations.map((d) => roundMs(percentile(Float64Array.from(d).sort(), 0.95))), failures, runs};
    }),
  };
}
