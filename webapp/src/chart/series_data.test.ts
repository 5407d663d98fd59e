import type {Series} from '@contract';
import {fixture} from '../testing/fixtures';
import {chartColumns} from './series_data';

describe('chartColumns', () => {
  it('places buckets in seconds and marks failed buckets on the latency line', () => {
    const series: Series = {start: 1_000_000, bucketMs: 60_000, probes: [{probe: 'ping', target: 'local', p95Ms: [5, null, 7], failures: [0, 2, 1], runs: [1, 2, 1]}]};
    const probe = series.probes[0];
    if (!probe) throw new Error('no probe');
    expect(chartColumns(series, probe)).toEqual({x: [1000, 1060, 1120], p95: [5, null, 7], failures: [null, 0, 7], failedBuckets: 2});
  });

  it('marks the failing probe of the golden report', () => {
    const series = fixture<{series: Series}>('report.v1.json').series;
    const roundtrip = series.probes.find((p) => p.probe === 'post_roundtrip');
    if (!roundtrip) throw new Error('fixture has no post_roundtrip series');
    expect(chartColumns(series, roundtrip).failedBuckets).toBeGreaterThan(0);
  });
});
