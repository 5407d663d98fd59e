// Card for incident posts (custom_healthcheck_alert): open or resolved, for how long, and why.
import {parseAlertPost, type Alert} from '@contract';
import {formatDuration, formatTime} from '../format';
import type {PostTypeProps} from '../host/types';
import {useLocale, useT} from '../i18n/use_t';
import {card, mutedText} from '../styles';
import {PlainPost} from './plain_post';
import {ProbeReason} from './probe_reason';
import {StateBadge} from './state_badge';
import {useTrusted} from './use_trusted';

function AlertBody({alert, now}: {alert: Alert; now: number}) {
  const t = useT();
  const locale = useLocale();
  const duration = alert.durationMs ?? (alert.resolvedAt ?? now) - alert.openedAt;
  return (
    <div style={card} data-testid='healthcheck-alert-card'>
      <div style={{display: 'flex', gap: 12, alignItems: 'baseline', flexWrap: 'wrap'}}>
        <StateBadge state={alert.state}>{t(`alert.${alert.state}`)}</StateBadge>
        <span>{t(alert.state === 'open' ? 'alert.openFor' : 'alert.resolvedAfter', {duration: formatDuration(t, duration)})}</span>
        {alert.event !== 'open' && <span style={mutedText}>{t(`alert.event.${alert.event}`)}</span>}
      </div>
      <div style={mutedText}>
        {t('alert.target', {target: alert.target})} · {t('alert.openedAt', {time: formatTime(locale, alert.openedAt)})}
      </div>
      {alert.probes.map((p) => (
        <div key={p.probe} style={{marginTop: 4}}>
          <strong>{p.probe}</strong>
          <ProbeReason checks={p.checks} error={p.error} />
        </div>
      ))}
    </div>
  );
}

export default function AlertCard({post}: PostTypeProps) {
  const trusted = useTrusted(post, parseAlertPost);
  if (trusted.status === 'loading') return <PlainPost post={post} />;
  if (trusted.status === 'untrusted') return <PlainPost post={post} untrusted detail={trusted.detail} />;
  return <AlertBody alert={trusted.value} now={Date.now()} />;
}
