// Card for SLO burn-rate alert roots (custom_healthcheck_slo): how fast the objective's error
// budget burns against the rule's threshold, what is left, who acknowledged, and the post's buttons
// while it is open. Every value is text (none is rendered as HTML).
import {parseSloAlertPost, type SloAlertData} from '@contract';
import {formatDuration, formatIncidentAge, formatPercent, formatTime} from '../format';
import type {HostPost, PostTypeProps} from '../host/types';
import {useLocale, useT} from '../i18n/use_t';
import {card, mutedText, toneColor} from '../styles';
import {OPEN_INCIDENT_TICK_MS, useNow} from '../use_now';
import {AlertActions} from './alert_actions';
import {PlainPost} from './plain_post';
import {StateBadge} from './state_badge';
import {UntrustedPost} from './untrusted_post';
import {useTrusted} from './use_trusted';

const times = (b: number | null) => (b === null ? '–' : b < 10 ? b.toFixed(2) : b.toFixed(0));

function budgetTone(left: number | null) {
  return left === null ? 'muted' : left < 0 ? 'error' : left < 0.25 ? 'warn' : 'ok';
}

function SloAlertBody({alert, post}: {alert: SloAlertData; post: HostPost}) {
  const t = useT();
  const locale = useLocale();
  const open = alert.state === 'open';
  const now = useNow(open ? OPEN_INCIDENT_TICK_MS : null);
  const badge = open ? t(alert.severity === 'page' ? 'slo.alertPage' : 'slo.alertTicket') : t('alert.resolved');
  const peak = times(alert.peakBurn);
  const threshold = times(alert.threshold);
  const left = alert.budgetLeft;
  return (
    <div style={card} data-testid='healthcheck-slo-alert-card' data-severity={alert.severity}>
      <div style={{display: 'flex', gap: 12, alignItems: 'baseline', flexWrap: 'wrap'}}>
        <StateBadge state={alert.state} tone={open && alert.severity === 'ticket' ? 'warn' : undefined}>
          {badge}
        </StateBadge>
        <strong data-testid='healthcheck-slo-alert-name' style={{overflowWrap: 'anywhere'}}>
          {t('sloAlert.title', {slo: alert.slo})}
        </strong>
        <span>{formatIncidentAge(t, alert, open ? now : (alert.resolvedAt ?? now))}</span>
      </div>
      <div data-testid='healthcheck-slo-alert-burn'>
        {alert.burnWindowMs === null
          ? t('sloAlert.burnNoWindow', {threshold, peak})
          : t('sloAlert.burn', {burn: times(alert.burnRate), window: formatDuration(t, alert.burnWindowMs), threshold, peak})}
      </div>
      <div data-testid='healthcheck-slo-alert-budget' style={{color: toneColor[budgetTone(left)], fontWeight: 600}}>
        {left === null ? t('sloAlert.budgetUnknown') : t('sloAlert.budgetLeft', {left: formatPercent(left)})}
      </div>
      <div style={mutedText}>
        {alert.objective !== null && alert.windowMs !== null && <>{t('sloAlert.objective', {objective: formatPercent(alert.objective), window: formatDuration(t, alert.windowMs)})} · </>}
        {alert.probes.length > 0 && <>{t('sloAlert.probes', {probes: alert.probes.join(', ')})} · </>}
        {t('alert.openedAt', {time: formatTime(locale, alert.openedAt)})}
      </div>
      {alert.closedNote && <div style={mutedText}>{alert.closedNote}</div>}
      {alert.ack && (
        <div style={mutedText} data-testid='healthcheck-slo-alert-ack'>
          {t('alert.acknowledged', {user: alert.ack.by, time: formatTime(locale, alert.ack.at)})}
        </div>
      )}
      {open && <AlertActions post={post} />}
    </div>
  );
}

export default function SloAlertCard({post}: PostTypeProps) {
  const trusted = useTrusted(post, parseSloAlertPost);
  if (trusted.status === 'loading') return <PlainPost post={post} />;
  if (trusted.status === 'untrusted') return <UntrustedPost post={post} detail={trusted.detail} />;
  return <SloAlertBody alert={trusted.value} post={post} />;
}
