import {exposedNames, metricNames} from './promql';

describe('metricNames', () => {
  it('finds the metrics and leaves out functions, labels, grouping, ranges and Grafana variables', () => {
    expect(metricNames('histogram_quantile(0.95, sum by (target, le) (rate(healthcheck_probe_duration_seconds_bucket{probe="post_roundtrip", target=~"$target"}[$__rate_interval]))) > 2')).toEqual([
      'healthcheck_probe_duration_seconds_bucket',
    ]);
    expect(metricNames('up{job="b"} == 0 or absent(up{job="b"})')).toEqual(['up']);
    expect(metricNames('time() - healthcheck_report_last_delivered_timestamp_seconds > 2 * healthcheck_report_heartbeat_seconds')).toEqual([
      'healthcheck_report_last_delivered_timestamp_seconds',
      'healthcheck_report_heartbeat_seconds',
    ]);
    expect(metricNames('count(made_up_metric == 0) or vector(0)')).toEqual(['made_up_metric']);
  });
});

describe('exposedNames', () => {
  it('adds the series of histograms', () => {
    const names = exposedNames('# HELP a_seconds x\n# TYPE a_seconds histogram\n# TYPE b gauge\nb 1\n');
    expect([...names].sort()).toEqual(['a_seconds', 'a_seconds_bucket', 'a_seconds_count', 'a_seconds_sum', 'b']);
  });
});
