import {Registry} from 'prom-client';
import {createMetrics} from './metrics';
import type {ProbeResult} from './probes/types';

const run = (probe: string, target: string, ok: boolean, extra: Partial<ProbeResult> = {}): ProbeResult => ({probe, target, ok, durationMs: 42, startedAt: 1_764_115_200_000, checks: [], ...extra});

describe('createMetrics', () => {
  it('exports success, duration, runs by result, last run and build info', async () => {
    const registry = new Registry();
    const m = createMetrics(registry, {
      version: '0.1.0',
      jobs: [
        {probe: 'ping', target: 'local'},
        {probe: 'login', target: 'local'},
      ],
    });
    m.observe(run('ping', 'local', true));
    m.observe(run('ping', 'local', false));
    m.observe(run('login', 'local', false, {notConfigured: ['probePassword']}));
    const text = await registry.metrics();
    expect(text).toContain('healthcheck_probe_success{probe="ping",target="local"} 0');
    expect(text).toContain('healthcheck_probe_runs_total{probe="ping",target="local",result="ok"} 1');
    expect(text).toContain('healthcheck_probe_runs_total{probe="ping",target="local",result="failed"} 1');
    expect(text).toContain('healthcheck_probe_runs_total{probe="login",target="local",result="not_configured"} 1');
    expect(text).toContain('healthcheck_probe_runs_total{probe="login",target="local",result="ok"} 0');
    expect(text).toContain('healthcheck_probe_duration_seconds_bucket{le="0.05",probe="ping",target="local"} 2');
    expect(text).toContain('healthcheck_probe_last_run_timestamp_seconds{probe="ping",target="local"} 1764115200');
    expect(text).toContain('healthcheck_bridge_build_info{version="0.1.0"} 1');
    expect(text).not.toMatch(/healthcheck_probe_success\{probe="login"/);
  });

  it('keeps labels bounded to the configured probes and targets', async () => {
    const registry = new Registry();
    const m = createMetrics(registry, {version: '0.1.0', jobs: [{probe: 'ping', target: 'local'}]});
    m.observe(run('ping', 'someone-else', true));
    m.observe(run('made_up', 'local', true));
    const labels = new Set<string>();
    for (const metric of await registry.getMetricsAsJSON()) for (const v of metric.values) for (const [k, val] of Object.entries(v.labels)) labels.add(`${k}=${String(val)}`);
    expect([...labels].sort()).toEqual(['probe=ping', 'result=failed', 'result=not_configured', 'result=ok', 'target=local', 'version=0.1.0']);
  });
});
