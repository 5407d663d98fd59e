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

  // The label children of each configured probe+target, resolved once (label hashing is per call).
  const children = new Map(
    options.jobs.map(({probe, target}) => {
      const labels = {probe, target};
      const byResult = Object.fromEntries(RUN_RESULTS.map((result) => [result, runs.labels({...labels, result})])) as Record<(typeof RUN_RESULTS)[number], ReturnType<typeof runs.labels>>;
      // Every counter starts at zero, so rate() works from the first scrape.
      for (const counter of Object.values(byResult)) counter.inc(0);
      return [`${target}/${probe}`, {success: success.labels(labels), duration: duration.labels(labels), lastRun: lastRun.labels(labels), runs: byResult}] as const;
    }),
  );

  return {
    observe(r) {
      const c = children.get(`${r.target}/${r.probe}`);
      if (!c) return;
      c.lastRun.set(r.startedAt / 1000);
      if (r.notConfigured) {
        c.runs.not_configured.inc();
        return;
      }
      (r.ok ? c.runs.ok : c.runs.failed).inc();
      c.success.set(r.ok ? 1 : 0);
      c.duration.observe(r.durationMs / 1000);
    },
  };
}
