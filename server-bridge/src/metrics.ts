// Prometheus metrics on an injected registry, blackbox-style names; the only labels are the
// configured probe and target names (and the result of a run), so series stay bounded.
import {Counter, Gauge, Histogram, type Registry} from 'prom-client';
import type {ProbeResult} from './probes/types';

export const RUN_RESULTS = ['ok', 'failed', 'not_configured'] as const;

export interface BridgeMetrics {
  /** Records one run; results of probes or targets that are not configured are ignored. */
  observe(result: ProbeResult): void;
}

export function createMetrics(registry: Registry, options: {version: string; jobs: readonly {probe: string; target: string}[]}): BridgeMetrics {
  const registers = [registry];
  const labelNames = ['probe', 'target'] as const;
  const success = new Gauge({name: 'healthcheck_probe_success', help: '1 when the latest run of the probe succeeded, 0 when it failed', labelNames, registers});
  const duration = new Histogram({
    name: 'healthcheck_probe_duration_seconds',
    help: 'Duration of probe runs',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const runs = new Counter({name: 'healthcheck_probe_runs_total', help: 'Probe runs by result', labelNames: ['probe', 'target', 'result'], registers});
  const lastRun = new Gauge({name: 'healthcheck_probe_last_run_timestamp_seconds', help: 'When the latest run of the probe started (Unix time)', labelNames, registers});
  const buildInfo = new Gauge({name: 'healthcheck_bridge_build_info', help: 'The bridge version (plugin.json), always 1', labelNames: ['version'], registers});
  buildInfo.set({version: options.version}, 1);

  const known = new Set(options.jobs.map((j) => `${j.target}/${j.probe}`));
  // Every counter starts at zero, so rate() works from the first scrape.
  for (const {probe, target} of options.jobs) for (const result of RUN_RESULTS) runs.inc({probe, target, result}, 0);

  return {
    observe(r) {
      if (!known.has(`${r.target}/${r.probe}`)) return;
      const labels = {probe: r.probe, target: r.target};
      lastRun.set(labels, r.startedAt / 1000);
      if (r.notConfigured) {
        runs.inc({...labels, result: 'not_configured'});
        return;
      }
      runs.inc({...labels, result: r.ok ? 'ok' : 'failed'});
      success.set(labels, r.ok ? 1 : 0);
      duration.observe(labels, r.durationMs / 1000);
    },
  };
}
