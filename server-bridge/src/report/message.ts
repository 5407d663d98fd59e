// The short plain message of a report post: what mobile apps and notifications show.
import type {Report} from '../contract/report';

const SHOWN = 3;
const REASON_CHARS = 160;

/** Reasons go in code spans: no mention, link or markup from a server answer is ever rendered. */
export function codeSpan(text: string): string {
  const flat = text.replace(/`/g, "'").replace(/\s+/g, ' ').trim();
  return `\`${flat.length > REASON_CHARS ? `${flat.slice(0, REASON_CHARS - 1)}…` : flat}\``;
}

export function reportMessage(report: Report): string {
  const measured = report.probes.filter((p) => p.state !== 'not_configured');
  const ok = measured.filter((p) => p.state === 'ok').length;
  const targets = report.targets.length === 1 ? (report.targets[0]?.name ?? '') : `${report.targets.length} targets`;
  const head = `Health check: ${report.overall.toUpperCase()} · ${ok}/${measured.length} probes OK on ${targets}`;
  const bad = measured.filter((p) => p.state === 'failing' || p.state === 'degraded');
  const lines = bad.slice(0, SHOWN).map((p) => `- ${p.probe}${report.targets.length > 1 ? ` on ${p.target}` : ''} ${p.state}${p.error ? `: ${codeSpan(p.error)}` : ''}`);
  if (bad.length > SHOWN) lines.push(`- and ${bad.length - SHOWN} more`);
  return [head, ...lines].join('\n');
}
