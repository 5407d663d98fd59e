// SLO figures in words, for /healthcheck slo, the monthly report and the burn-rate alert posts
// (plain Markdown: readable on web, mobile and in notifications).
import {formatDuration} from '../text/format';
import {BURN_WINDOWS, scaledWindowMs, type Slo} from './definitions';
import type {SloStatus} from './evaluate';

/** 99.5 → "99.5 %", 0.99912 → "99.91 %": two decimals at most, none wasted. */
export function pct(share: number | null, digits = 2): string {
  if (share === null) return 'n/a';
  const f = Math.round(share * 100 * 10 ** digits) / 10 ** digits;
  return `${f} %`;
}

export const burnText = (b: number | null) => (b === null ? 'n/a' : b < 10 ? b.toFixed(2) : b.toFixed(0));

export function sloLabel(slo: Slo): string {
  const what = slo.kind === 'latency' ? `runs under ${slo.thresholdMs} ms` : 'runs that work';
  return `**${slo.name}** (${pct(slo.objective, 3)} of ${what} of ${slo.probes.map((p) => `\`${p}\``).join(', ')} on \`${slo.target}\` over ${formatDuration(slo.windowMs)})`;
}

/** "over the 3 h observed" or "over 30 d (all of it observed)". */
export function coverageText(s: SloStatus): string {
  if (s.total === 0) return 'nothing observed yet';
  if (s.coverage >= 0.995) return `over ${formatDuration(s.slo.windowMs)}`;
  return `over the ${formatDuration(s.observedMs)} observed of ${formatDuration(s.slo.windowMs)}`;
}

/** One SLO as a few lines. */
export function statusLines(s: SloStatus): string[] {
  const burns = BURN_WINDOWS.map((w) => `${w.label === scaledLabel(s.slo, w.ms) ? w.label : `${w.label}≙${scaledLabel(s.slo, scaledWindowMs(s.slo, w.label))}`} ${burnText(s.burn[w.label])}`).join(
    ' · ',
  );
  return [`${sloLabel(s.slo)}`, `  attained ${pct(s.attained, 3)} ${coverageText(s)} (${s.total - s.good} bad of ${s.total} runs) · budget left ${pct(s.budgetLeft, 1)}`, `  burn rate ${burns}`];
}

function scaledLabel(slo: Slo, ms: number): string {
  return slo.windowMs === 30 * 86_400_000 ? (BURN_WINDOWS.find((w) => w.ms === ms)?.label ?? formatDuration(ms)) : formatDuration(ms).replace(/ /g, '');
}

/** /healthcheck slo */
export function sloAnswer(statuses: readonly SloStatus[]): string {
  if (statuses.length === 0) return 'No service level objectives are configured (HEALTHCHECK_SLOS=off or an empty "slos" list).';
  const lines = ['#### Service level objectives', ''];
  for (const s of statuses) lines.push(...statusLines(s).map((l, i) => (i === 0 ? `- ${l}` : `  ${l.trim()}`)));
  lines.push('', 'Budget left: 100 % untouched, 0 % spent. Burn rate 1 spends the budget exactly over the window. Time the bridge did not watch counts neither way.');
  return lines.join('\n');
}

/** The monthly report post: the month just ended (or so far), one line per SLO. */
export function monthlyReport(statuses: readonly SloStatus[], monthLabel: string): string {
  const lines = [`#### SLO report: ${monthLabel}`, '', '| SLO | objective | attained | budget left | observed | bad runs |', '| --- | --- | --- | --- | --- | --- |'];
  for (const s of statuses) {
    const met = s.attained === null ? '' : s.attained >= s.slo.objective ? ' ✅' : ' ❌';
    lines.push(`| ${s.slo.name} | ${pct(s.slo.objective, 3)} | ${pct(s.attained, 3)}${met} | ${pct(s.budgetLeft, 1)} | ${formatDuration(s.observedMs)} | ${s.total - s.good} of ${s.total} |`);
  }
  if (statuses.length === 0) lines.push('| (none configured) | | | | | |');
  lines.push('', 'Over observed time only: hours the bridge did not watch count neither as up nor as down.');
  return lines.join('\n');
}
