// The compact body of a report: overall state, failing probes with reasons, latency of every probe;
// with several targets, one line per target instead (TargetLines).
import type {Report} from '@contract';
import {formatAgo, formatMs} from '../format';
import {useT} from '../i18n/use_t';
import {banner, mutedText} from '../styles';
import {isMultiTarget} from '../targets';
import {TargetLines} from './target_lines';
import {ProbeReason} from './probe_reason';
import {StateBadge} from './state_badge';

export function ReportSummary({report, now, staleAfterMs}: {report: Report; now: number; staleAfterMs?: number}) {
  const t = useT();
  const notOk = report.probes.filter((p) => p.state === 'failing' || p.state === 'degraded');
  const stale = staleAfterMs !== undefined && now - report.generatedAt > staleAfterMs;
  const multi = isMultiTarget(report);
  return (
    <div data-testid='healthcheck-report-summary'>
      <div style={{display: 'flex', gap: 12, alignItems: 'baseline', flexWrap: 'wrap'}}>
        <StateBadge state={report.overall}>{t(`state.${report.overall}`)}</StateBadge>
        <span style={mutedText}>
          {t('report.generated', {ago: formatAgo(t, report.generatedAt, now)})} · {multi ? t('report.targets', {count: report.targets.length}) : report.targets.map((x) => x.name).join(', ')}
        </span>
      </div>
      {stale && (
        <div style={banner('warn')} role='alert' data-testid='healthcheck-stale'>
          {t('report.stale', {ago: formatAgo(t, report.generatedAt, now)})}
        </div>
      )}
      {multi ? (
        <TargetLines report={report} />
      ) : notOk.length === 0 ? (
        <div>{t('report.allOk', {count: report.probes.length})}</div>
      ) : (
        notOk.map((p) => (
          <div key={`${p.target}/${p.probe}`} style={{marginTop: 4}}>
            <StateBadge state={p.state}>{p.probe}</StateBadge> <span style={mutedText}>{p.target}</span>
            <ProbeReason probe={p.probe} checks={p.checks} error={p.error ?? p.lastFailureReason} />
          </div>
        ))
      )}
      {!multi && <div style={{...mutedText, marginTop: 4}}>{report.probes.map((p) => `${p.probe} ${formatMs(p.durationMs)}`).join(' · ')}</div>}
    </div>
  );
}
