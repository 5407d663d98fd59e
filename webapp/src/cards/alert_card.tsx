// Card for incident posts (custom_healthcheck_alert): open or resolved, for how long, and why.
import {parseAlertPost, type Alert} from '@contract';
import {formatIncidentAge, formatTime} from '../format';
import type {HostPost, PostTypeProps} from '../host/types';
import {useLocale, useT} from '../i18n/use_t';
import {card, mutedText} from '../styles';
import {OPEN_INCIDENT_TICK_MS, useNow} from '../use_now';
import {AlertActions} from './alert_actions';
import {PlainPost} from './plain_post';
import {ProbeReason} from './probe_reason';
import {StateBadge} from './state_badge';
import {UntrustedPost} from './untrusted_post';
import {useTrusted} from './use_trusted';

function AlertBody({alert, post}: {alert: Alert; post: HostPost}) {
  const postedAt = post.create_at;
  const t = useT();
  const locale = useLocale();
  // A reminder tells how long it had been open when it was posted; the root post (patched once resolved) counts on.
  const live = alert.state === 'open' && alert.event !== 'reminder';
  const clock = useNow(live ? OPEN_INCIDENT_TICK_MS : null);
  const now = live ? clock : postedAt;
  return (
    <div style={card} data-testid='healthcheck-alert-card'>
      <div style={{display: 'flex', gap: 12, alignItems: 'baseline', flexWrap: 'wrap'}}>
        <StateBadge state={alert.state}>{t(`alert.${alert.state}`)}</StateBadge>
        <span data-testid='healthcheck-alert-age'>{formatIncidentAge(t, alert, now)}</span>
        {alert.event !== 'open' && <span style={mutedText}>{t(`alert.event.${alert.event}`)}</span>}
      </div>
      <div style={mutedText}>
        {t('alert.target', {target: alert.target})} · {t('alert.openedAt', {time: formatTime(locale, alert.openedAt)})}
      </div>
      {alert.probes.map((p) => (
        <div key={p.probe} style={{marginTop: 4}}>
          <strong>{p.probe}</strong>
          <ProbeReason probe={p.probe} checks={p.checks} error={p.error} />
        </div>
      ))}
      {alert.ack && (
        <div style={mutedText} data-testid='healthcheck-alert-ack'>
          {t('alert.acknowledged', {user: alert.ack.by, time: formatTime(locale, alert.ack.at)})}
        </div>
      )}
      {alert.event === 'open' && alert.state === 'open' && <AlertActions post={post} />}
    </div>
  );
}

export default function AlertCard({post}: PostTypeProps) {
  const trusted = useTrusted(post, parseAlertPost);
  if (trusted.status === 'loading') return <PlainPost post={post} />;
  if (trusted.status === 'untrusted') return <UntrustedPost post={post} detail={trusted.detail} />;
  return <AlertBody alert={trusted.value} post={post} />;
}
