// Several bridges: which report (the leader marked) and which went silent, from the report's `bridges`.
import type {Report} from '@contract';
import {formatAgo} from '../format';
import {useT} from '../i18n/use_t';
import {color, mutedText} from '../styles';

export function BridgeList({bridges, now}: {bridges: NonNullable<Report['bridges']>; now: number}) {
  const t = useT();
  const live = bridges.filter((b) => !b.silent);
  const silent = bridges.filter((b) => b.silent);
  return (
    <div data-testid='healthcheck-bridges' style={{display: 'flex', gap: 12, flexWrap: 'wrap', marginBottom: 6}}>
      <span style={mutedText}>{t('panel.bridges', {list: live.map((b) => (b.leader ? t('panel.bridgeLeader', {name: b.instance}) : b.instance)).join(', ') || '—'})}</span>
      {silent.map((b) => (
        <span key={b.instance} data-silent={b.instance} style={{color: color.error}}>
          {t('panel.bridgeSilent', {name: b.instance, ago: formatAgo(t, b.lastSeenAt, now)})}
        </span>
      ))}
    </div>
  );
}
