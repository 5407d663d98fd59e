// Open and recent incidents from the report, each linking to its thread in the ops channel.
import type {IncidentSummary} from '@contract';
import {StateBadge} from '../cards/state_badge';
import {formatIncidentAge, formatTime} from '../format';
import {useLocale, useT} from '../i18n/use_t';
import {color, mutedText} from '../styles';
import {OPEN_INCIDENT_TICK_MS, useNow} from '../use_now';

export function permalink(siteUrl: string, teamName: string, postId: string): string {
  return `${siteUrl}/${encodeURIComponent(teamName)}/pl/${encodeURIComponent(postId)}`;
}

export function IncidentList({incidents, siteUrl, teamName}: {incidents: readonly IncidentSummary[]; siteUrl: string; teamName: string | null}) {
  const t = useT();
  const locale = useLocale();
  const now = useNow(incidents.some((i) => i.resolvedAt === null) ? OPEN_INCIDENT_TICK_MS : null);
  if (incidents.length === 0)
    return (
      <div style={mutedText} data-testid='healthcheck-incidents-none'>
        {t('incidents.none')}
      </div>
    );
  // Open ones first, then the most recent.
  const sorted = [...incidents].sort((a, b) => Number(a.resolvedAt !== null) - Number(b.resolvedAt !== null) || b.openedAt - a.openedAt);
  return (
    <ul style={{margin: 0, paddingLeft: 0, listStyle: 'none'}} data-testid='healthcheck-incidents'>
      {sorted.map((inc) => {
        const open = inc.resolvedAt === null;
        return (
          <li key={inc.id} style={{padding: '4px 0'}} data-incident={inc.id}>
            <StateBadge state={open ? 'open' : 'resolved'}>{t(open ? 'alert.open' : 'alert.resolved')}</StateBadge> {inc.probes.join(', ')} <span style={mutedText}>({inc.target})</span>{' '}
            <span style={mutedText}>
              {formatTime(locale, inc.openedAt)} · {formatIncidentAge(t, inc, now)}
            </span>{' '}
            {inc.postId && teamName ? (
              <a href={permalink(siteUrl, teamName, inc.postId)} style={{color: color.link}}>
                {t('incidents.thread')}
              </a>
            ) : (
              <span style={mutedText}>{t('incidents.notDelivered')}</span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
