// Latest result per probe and target: state, latency, 24 h uptime, p50/p95 and why it failed.
import type {ProbeReport} from '@contract';
import {ProbeReason} from '../cards/probe_reason';
import {StateBadge} from '../cards/state_badge';
import {formatMs, formatPercent} from '../format';
import {useT} from '../i18n/use_t';
import {cell, table} from '../styles';

export function ProbeTable({probes}: {probes: readonly ProbeReport[]}) {
  const t = useT();
  // Headers and figures stay on one line; only the first column (name and reason) wraps.
  const head = {...cell, fontWeight: 600, whiteSpace: 'nowrap'} as const;
  const figure = {...cell, whiteSpace: 'nowrap'} as const;
  return (
    <table style={table} data-testid='healthcheck-probes'>
      <thead>
        <tr>
          <th style={head}>{t('probes.probe')}</th>
          <th style={head}>{t('probes.state')}</th>
          <th style={head}>{t('probes.latency')}</th>
          <th style={head}>{t('probes.uptime')}</th>
          <th style={head}>{t('probes.p50p95')}</th>
        </tr>
      </thead>
      <tbody>
        {probes.map((p) => (
          <tr key={`${p.target}/${p.probe}`} data-probe={p.probe}>
            <td style={{...cell, overflowWrap: 'anywhere'}}>
              <strong>{p.probe}</strong> <span>{p.target}</span>
              <ProbeReason probe={p.probe} checks={p.checks} error={p.error} />
            </td>
            <td style={figure}>
              <StateBadge state={p.state}>{t(`state.${p.state}`)}</StateBadge>
            </td>
            <td style={figure}>{formatMs(p.durationMs)}</td>
            <td style={figure}>{formatPercent(p.uptime24h)}</td>
            <td style={figure}>
              {formatMs(p.p50Ms)} / {formatMs(p.p95Ms)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
