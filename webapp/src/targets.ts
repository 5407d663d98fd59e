// Many targets, read summary first: one line per target (its worst state, the probe behind it, its
// 24 h uptime), failing targets first. The cards, the panel and /healthcheck all read it this way.
import type {ProbeReport, ProbeState, Report} from '@contract';

export interface TargetSummary {
  name: string;
  state: Exclude<ProbeState, 'not_configured'>;
  /** The probe that gives the target its state (the worst, then the slowest); null when none ran. */
  worst: ProbeReport | null;
  /** Share of the target's runs in 24 h that passed, over all its probes; null without runs. */
  uptime24h: number | null;
  probes: ProbeReport[];
}

const RANK: Record<ProbeState, number> = {not_configured: -1, ok: 0, unknown: 1, degraded: 2, failing: 3};

export const needsAttention = (s: TargetSummary): boolean => s.state === 'failing' || s.state === 'degraded';

function worstOf(probes: readonly ProbeReport[]): ProbeReport | null {
  let worst: ProbeReport | null = null;
  for (const p of probes) {
    if (p.state === 'not_configured') continue;
    if (!worst || RANK[p.state] > RANK[worst.state] || (RANK[p.state] === RANK[worst.state] && (p.durationMs ?? 0) > (worst.durationMs ?? 0))) worst = p;
  }
  return worst;
}

function uptimeOf(probes: readonly ProbeReport[]): number | null {
  let runs = 0;
  let failures = 0;
  for (const p of probes) {
    runs += p.runs24h;
    failures += p.failures24h;
  }
  return runs === 0 ? null : (runs - failures) / runs;
}

/** Every target of the report (also one whose probes are all unconfigured), failing ones first, then by name. */
export function summariseTargets(report: Report): TargetSummary[] {
  const byTarget = new Map<string, ProbeReport[]>(report.targets.map((t) => [t.name, []]));
  for (const p of report.probes) {
    const list = byTarget.get(p.target);
    if (list) list.push(p);
    else byTarget.set(p.target, [p]);
  }
  const summaries = [...byTarget].map(([name, probes]): TargetSummary => {
    const worst = worstOf(probes);
    return {name, state: worst ? (worst.state as TargetSummary['state']) : 'unknown', worst, uptime24h: uptimeOf(probes), probes};
  });
  return summaries.sort((a, b) => RANK[b.state] - RANK[a.state] || a.name.localeCompare(b.name));
}

/** More than one target: the views summarise per target instead of listing every probe. */
export const isMultiTarget = (report: Report): boolean => new Set([...report.targets.map((t) => t.name), ...report.probes.map((p) => p.target)]).size > 1;

/** Targets or probes whose name contains the text (case-insensitive); all when it is empty. */
export function filterTargets(summaries: readonly TargetSummary[], text: string, onlyProblems: boolean): TargetSummary[] {
  const q = text.trim().toLowerCase();
  return summaries.filter((s) => (!onlyProblems || needsAttention(s)) && (!q || s.name.toLowerCase().includes(q) || s.probes.some((p) => p.probe.toLowerCase().includes(q))));
}
