// /healthcheck over many targets, summary first: healthy targets counted ("48 targets OK"), one
// line per target in trouble (its worst probe, why, its 24 h uptime), failing first, capped.
import type {ProbeState} from '../contract/report';
import {markdownLiteral} from '../text/markdown';
import type {ProbeRow} from './status-rows';
import {MARK} from '../text/marks';

type Measured = Exclude<ProbeState, 'not_configured'>;

export interface TargetLine {
  target: string;
  state: Measured;
  /** The probe behind the target's state (the worst, then the slowest); null when none ran. */
  worst: ProbeRow | null;
  /** How many other probes of the target are in trouble too. */
  othersInTrouble: number;
  uptime24h: number | null;
}

const RANK: Record<ProbeState, number> = {not_configured: -1, ok: 0, unknown: 1, degraded: 2, failing: 3};
const SHOWN = 10;
const inTrouble = (state: ProbeState) => state === 'failing' || state === 'degraded';

/** One summary per target, in the order the targets first appear. */
export function summariseTargets(rows: readonly ProbeRow[]): TargetLine[] {
  const byTarget = new Map<string, ProbeRow[]>();
  for (const row of rows) byTarget.set(row.target, [...(byTarget.get(row.target) ?? []), row]);
  return [...byTarget].map(([target, probes]) => {
    let worst: ProbeRow | null = null;
    let runs = 0;
    let failures = 0;
    for (const p of probes) {
      runs += p.runs24h;
      failures += p.failures24h;
      if (p.state === 'not_configured') continue;
      if (!worst || RANK[p.state] > RANK[worst.state] || (RANK[p.state] === RANK[worst.state] && (p.durationMs ?? 0) > (worst.durationMs ?? 0))) worst = p;
    }
    const othersInTrouble = probes.filter((p) => p !== worst && inTrouble(p.state)).length;
    return {target, state: worst ? (worst.state as Measured) : 'unknown', worst, othersInTrouble, uptime24h: runs === 0 ? null : (runs - failures) / runs};
  });
}

const pct = (value: number | null) => (value === null ? 'no runs in 24 h' : `${(value * 100).toFixed(value === 1 ? 0 : 2)} % up in 24 h`);
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function troubleLine(t: TargetLine): string {
  const w = t.worst as ProbeRow;
  const icon = t.state === 'failing' ? MARK.failing : MARK.warning;
  const why = t.state === 'failing' ? (w.error ? `: ${markdownLiteral(w.error)}` : '') : w.durationMs === null ? '' : `, ${Math.round(w.durationMs)} ms`;
  const more = t.othersInTrouble ? ` (+${t.othersInTrouble} more)` : '';
  return `- ${icon} ${markdownLiteral(t.target)}: **${w.probe}** ${t.state}${why}${more} · ${pct(t.uptime24h)}`;
}

export function targetSummaryLines(rows: readonly ProbeRow[]): string[] {
  const targets = summariseTargets(rows);
  const troubled = targets.filter((t) => inTrouble(t.state)).sort((a, b) => RANK[b.state] - RANK[a.state]);
  const ok = targets.filter((t) => t.state === 'ok').length;
  const waiting = targets.length - ok - troubled.length;
  const head = [`${troubled.length ? '' : `${MARK.ok} `}**${plural(ok, 'target OK', 'targets OK')}** of ${targets.length}`];
  if (troubled.length) head.push(`${MARK.failing} ${troubled.length} in trouble`);
  if (waiting) head.push(`${plural(waiting, 'target', 'targets')} without results yet`);
  const lines = [head.join(' · '), ...troubled.slice(0, SHOWN).map(troubleLine)];
  if (troubled.length > SHOWN) lines.push(`- and ${plural(troubled.length - SHOWN, 'more target', 'more targets')} in trouble`);
  return lines;
}
