// Many targets in a card: the targets that need attention expanded with their reasons, the
// healthy ones folded into one line ("48 targets OK") that opens to one line each.
import type {Report} from '@contract';
import {formatMs, formatPercent} from '../format';
import {useT} from '../i18n/use_t';
import {mutedText} from '../styles';
import {needsAttention, summariseTargets, type TargetSummary} from '../targets';
import {ProbeReason} from './probe_reason';
import {StateBadge} from './state_badge';

function TargetLine({summary}: {summary: TargetSummary}) {
  const t = useT();
  const {worst} = summary;
  const uptime = formatPercent(summary.uptime24h);
  // A failed run's latency says nothing: a target in trouble shows its uptime, its reasons follow.
  let text = t('targets.noRuns');
  if (worst && needsAttention(summary)) text = t('targets.lineTrouble', {uptime});
  else if (worst) text = t('targets.line', {probe: worst.probe, latency: formatMs(worst.durationMs), uptime});
  return (
    <div data-target={summary.name} data-state={summary.state}>
      <StateBadge state={summary.state}>{summary.name}</StateBadge> <span style={mutedText}>{text}</span>
    </div>
  );
}

export function TargetLines({report}: {report: Report}) {
  const t = useT();
  const summaries = summariseTargets(report);
  const attention = summaries.filter(needsAttention);
  const rest = summaries.filter((s) => !needsAttention(s));
  const ok = rest.filter((s) => s.state === 'ok').length;
  return (
    <div data-testid='healthcheck-targets-summary'>
      {attention.map((s) => (
        <div key={s.name} style={{marginTop: 4}}>
          <TargetLine summary={s} />
          {s.probes
            .filter((p) => p.state === 'failing' || p.state === 'degraded')
            .map((p) => (
              <div key={p.probe} style={{paddingLeft: 14}}>
                <StateBadge state={p.state}>{p.probe}</StateBadge>
                <ProbeReason probe={p.probe} checks={p.checks} error={p.error ?? p.lastFailureReason} />
              </div>
            ))}
        </div>
      ))}
      {rest.length > 0 && (
        <details style={{marginTop: 4}} data-testid='healthcheck-targets-folded'>
          <summary style={{cursor: 'pointer', display: 'list-item'}}>
            {ok > 0 && t('targets.folded', {count: ok})}
            {ok > 0 && ok < rest.length && ' · '}
            {ok < rest.length && t('targets.foldedOther', {count: rest.length - ok})}
          </summary>
          {rest.map((s) => (
            <TargetLine key={s.name} summary={s} />
          ))}
        </details>
      )}
    </div>
  );
}
