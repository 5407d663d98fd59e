// One line of live ping facts: status, database and file store (deep check), search, version, round trip.
import type {PingResult} from '../api/ping';
import {formatMs} from '../format';
import {useT} from '../i18n/use_t';
import {mutedText} from '../styles';
import {StateBadge} from './state_badge';

const pingState = (s: string | undefined) => (s === 'OK' ? 'ok' : s === undefined ? 'unknown' : 'failing');

export function PingLine({ping}: {ping: PingResult}) {
  const t = useT();
  return (
    <div style={{display: 'flex', gap: 12, flexWrap: 'wrap', alignItems: 'baseline'}} data-testid='healthcheck-ping'>
      <StateBadge state={pingState(ping.status)}>{t('ping.status', {status: ping.status})}</StateBadge>
      {ping.database !== undefined && <StateBadge state={pingState(ping.database)}>{t('ping.database', {status: ping.database})}</StateBadge>}
      {ping.filestore !== undefined && <StateBadge state={pingState(ping.filestore)}>{t('ping.filestore', {status: ping.filestore})}</StateBadge>}
      <span style={mutedText}>{t('ping.search', {backend: ping.searchBackend ?? '–'})}</span>
      <span style={mutedText}>{t('ping.version', {version: ping.version ?? '–'})}</span>
      <span style={mutedText}>{t('ping.rtt', {rtt: formatMs(ping.rttMs)})}</span>
    </div>
  );
}
