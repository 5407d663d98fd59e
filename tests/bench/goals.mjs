// The figures of issue 25 against their goals, from the parts' results on each Node the bench ran
// (run.sh: the bench's node, then Node 24 for footprint and latency), beside the baselines.
import {readFileSync} from 'node:fs';
import {fmt, heading} from './lib.mjs';

const MB = 2 ** 20;
const ROWS = [
  {
    figure: 'RSS, 1 target (max; private max)',
    baseline: 'Node 20 86.0 MB; Node 24 86.4 MB (33.7 private)',
    goal: '<= 64 MB RSS on Node 24, private <= 24 MB',
    value: (r) => r.footprint && `${fmt(r.footprint.one.rss / MB, 1)} MB (${fmt(r.footprint.one.anon / MB, 1)})`,
    // The goal is set on Node 24 only.
    met: (r, node24) => (node24 ? r.footprint && r.footprint.one.rss <= 64 * MB && r.footprint.one.anon <= 24 * MB : null),
  },
  {
    figure: 'RSS, 50 targets (max)',
    baseline: 'max 219 MB, mean 152 MB',
    goal: '<= 128 MB',
    value: (r) => r.footprint && `${fmt(r.footprint.fifty.rss / MB, 1)} MB`,
    met: (r) => r.footprint && r.footprint.fifty.rss <= 128 * MB,
  },
  {
    figure: 'startup cycle, 50 targets of one server',
    baseline: '45 of 500 first runs timed out',
    goal: '0 failed, first report within one interval',
    value: (r) =>
      r.footprint && `${r.footprint.fifty.startupFailed} of ${r.footprint.fifty.startupRuns} failed, report after ${fmt(r.footprint.fifty.firstReportS, 1)} s of ${r.footprint.fifty.intervalS}`,
    met: (r) => r.footprint && r.footprint.fifty.startupFailed === 0 && r.footprint.fifty.firstReportS <= r.footprint.fifty.intervalS,
  },
  {
    figure: 'delivery-latency accuracy p95, warm listener',
    baseline: '3.18 ms',
    goal: '<= 2 ms',
    value: (r) => r.latency && `${fmt(r.latency.warmP95, 2)} ms`,
    met: (r) => r.latency && r.latency.warmP95 <= 2,
  },
  {
    figure: 'delivery-latency accuracy p95, fresh listener',
    baseline: '1.82 ms',
    goal: '<= 2 ms',
    value: (r) => r.latency && `${fmt(r.latency.freshP95, 2)} ms`,
    met: (r) => r.latency && r.latency.freshP95 <= 2,
  },
];

/** byNode: [label, results of the parts by name] for each Node the bench ran. */
export function printGoals(byNode) {
  // A run of other parts only (BENCH_ONLY=slo-history, say) has none of these figures.
  if (!byNode.some(([, r]) => ROWS.some((row) => row.value(r)))) return;
  heading("issue 25's figures against their goals (baselines: the issue's quiet run of 2026-12-07)");
  for (const row of ROWS) {
    const cells = byNode.map(([label, r]) => {
      const value = row.value(r);
      if (!value) return `${label}: not run`;
      const met = row.met(r, label.startsWith('Node v24'));
      return `${label}: ${value}${met === null ? '' : met ? ' met' : ' NOT MET'}`;
    });
    console.log(`${row.figure}\n    now    ${cells.join('  |  ')}\n    goal   ${row.goal}   (baseline: ${row.baseline})`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) printGoals(process.argv.slice(2).map((file) => JSON.parse(readFileSync(file, 'utf8'))));
