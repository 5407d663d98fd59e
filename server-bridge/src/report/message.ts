// The short plain message of a report post: what mobile apps and notifications show.
import type {Report} from '../contract/report';
import {markdownLiteral} from '../text/markdown';

const SHOWN = 3;
/** Reasons go in code spans (no mention, link or markup from a server answer is rendered), this long at most. */
const REASON_CHARS = 160;

export function reportMessage(report: Report): string {
  const measured = report.probes.filter((p) => p.state !== 'not_configured');
  const ok = measured.filter((p) => p.state === 'ok').length;
  const bad = measured.filter((p) => p.state === 'failing' || p.state === 'degraded');
  const why = (p: Report['probes'][number]) => `${p.state}${p.error ? `: ${markdownLiteral(p.error, REASON_CHARS)}` : ''}`;
  if (report.targets.length <= 1) {
    const head = `Health check: ${report.overall.toUpperCase()} · ${ok}/${measured.length} probes OK on ${report.targets[0]?.name ?? ''}`;
    const lines = bad.slice(0, SHOWN).map((p) => `- ${p.probe} ${why(p)}`);
    if (bad.length > SHOWN) lines.push(`- and ${bad.length - SHOWN} more`);
    return [head, ...lines].join('\n');
  }
  // Several targets: counted by target, and one line per target in trouble (its worst probe first).
  const troubled = [...new Set(bad.map((p) => p.target))];
  const head = `Health check: ${report.overall.toUpperCase()} · ${report.targets.length - troubled.length}/${report.targets.length} targets OK (${ok}/${measured.length} probes)`;
  const lines = troubled.slice(0, SHOWN).map((target) => {
    const probes = bad.filter((p) => p.target === target).sort((a, b) => Number(b.state === 'failing') - Number(a.state === 'failing'));
    const [first] = probes;
    const more = probes.length > 1 ? ` (+${probes.length - 1} more)` : '';
    return first ? `- ${target}: ${first.probe} ${why(first)}${more}` : `- ${target}`;
  });
  const rest = troubled.length - SHOWN;
  if (rest > 0) lines.push(`- and ${rest} more ${rest === 1 ? 'target' : 'targets'}`);
  return [head, ...lines].join('\n');
}
