// The objectives in the System Console panel: objective, attained over the window (with the time
// observed when less), error budget left, burn rates, an open burn-rate alert, and each budget
// over time in a lazily loaded chart. Every value is rendered as text (none as HTML).
import {lazy, Suspense} from 'react';
import type {SloReport} from '@contract';
import {ErrorBoundary} from '../error_boundary';
import {formatDuration, formatPercent} from '../format';
import {useT} from '../i18n/use_t';
import {cell, color, mutedText, table, toneColor} from '../styles';

const BudgetChart = lazy(() => import(/* webpackChunkName: "chart" */ '../chart/budget_chart'));

const burnText = (b: number | null | undefined) => (b === null || b === undefined ? '–' : b < 10 ? b.toFixed(2) : b.toFixed(0));

export function SloTable({slos}: {slos: readonly SloReport[]}) {
  const t = useT();
  const head = {...cell, fontWeight: 600, whiteSpace: 'nowrap'} as const;
  const figure = {...cell, whiteSpace: 'nowrap'} as const;
  const shown = ['1h', '6h', '3d'];
  return (
    <div data-testid='healthcheck-slos'>
      <table style={table}>
        <thead>
          <tr>
            <th style={head}>{t('slo.name')}</th>
            <th style={head}>{t('slo.objective')}</th>
            <th style={head}>{t('slo.attained')}</th>
            <th style={head}>{t('slo.budgetLeft')}</th>
            <th style={head}>{t('slo.burn')}</th>
            <th style={head}>{t('slo.budgetChart')}</th>
          </tr>
        </thead>
        <tbody>
          {slos.map((s) => {
            const left = s.budgetLeft;
            const tone = left === null ? 'muted' : left < 0 ? 'error' : left < 0.25 ? 'warn' : 'ok';
            const partly = s.attained !== null && s.observedMs < s.windowMs - 3_600_000;
            return (
              <tr key={s.name} data-slo={s.name} data-alert={s.alert ?? 'none'}>
                <td style={{...cell, overflowWrap: 'anywhere'}}>
                  <strong>{s.name}</strong>
                  <div style={mutedText}>
                    {s.kind === 'latency' && s.thresholdMs !== null ? t('slo.latency', {ms: s.thresholdMs}) : t('slo.availability')} · {formatDuration(t, s.windowMs)}
                  </div>
                  {s.alert && <div style={{color: toneColor[s.alert === 'page' ? 'error' : 'warn'], fontWeight: 600}}>{t(s.alert === 'page' ? 'slo.alertPage' : 'slo.alertTicket')}</div>}
                </td>
                <td style={figure}>{formatPercent(s.objective)}</td>
                <td style={figure}>
                  {s.attained === null ? t('slo.noRuns') : formatPercent(s.attained)}
                  {partly && <div style={mutedText}>{s.observedMs < 60_000 ? t('slo.underMinute') : t('slo.observed', {duration: formatDuration(t, s.observedMs)})}</div>}
                </td>
                <td style={{...figure, color: toneColor[tone], fontWeight: 600}}>{left === null ? '–' : `${(Math.round(left * 1000) / 10).toFixed(1)} %`}</td>
                <td style={figure}>
                  {shown.map((w) => (
                    <div key={w}>
                      <span style={mutedText}>{w}</span> {burnText(s.burn[s.burnWindows.indexOf(w)])}
                    </div>
                  ))}
                </td>
                <td style={{...cell, minWidth: 220}}>
                  <ErrorBoundary fallback={<div style={mutedText}>{t('chart.failed')}</div>}>
                    <Suspense fallback={<div style={mutedText}>{t('chart.loading')}</div>}>
                      <BudgetChart slo={s} label={t('slo.budgetChartLabel', {slo: s.name})} />
                    </Suspense>
                  </ErrorBoundary>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div style={{...mutedText, marginTop: 4, color: color.muted}}>{t('slo.help')}</div>
    </div>
  );
}
