// One latency chart per probe, from the lazily loaded chart chunk (uPlot stays out of main.js).
import {lazy, Suspense} from 'react';
import type {Series} from '@contract';
import {chartColumns} from '../chart/series_data';
import {ErrorBoundary} from '../error_boundary';
import {useT} from '../i18n/use_t';
import {mutedText} from '../styles';

const LatencyChart = lazy(() => import(/* webpackChunkName: "chart" */ '../chart/latency_chart'));

export function Charts({series}: {series: Series}) {
  const t = useT();
  if (series.probes.length === 0) return <div style={mutedText}>{t('chart.empty')}</div>;
  const fallback = <div style={mutedText}>{t('chart.loading')}</div>;
  return (
    <div style={{display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(300px, 1fr))', gap: 12}}>
      {series.probes.map((p) => {
        const failed = chartColumns(series, p).failedBuckets;
        const label = t('chart.label', {probe: p.probe, target: p.target});
        return (
          <figure key={`${p.target}/${p.probe}`} style={{margin: 0}} data-chart-probe={p.probe}>
            <figcaption style={{fontWeight: 600, fontSize: 13}}>
              {p.probe} <span style={mutedText}>{p.target}</span> {failed > 0 && <span style={{...mutedText, color: 'var(--error-text)'}}>{t('chart.failedBuckets', {n: failed})}</span>}
            </figcaption>
            <ErrorBoundary fallback={<div style={mutedText}>{t('chart.failed')}</div>}>
              <Suspense fallback={fallback}>
                <LatencyChart series={series} probe={p} label={label} />
              </Suspense>
            </ErrorBoundary>
          </figure>
        );
      })}
    </div>
  );
}
