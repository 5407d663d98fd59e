// 24 h p95 latency of one probe with failed buckets marked; uPlot, coloured from the theme's variables.
import {useEffect, useRef} from 'react';
import uPlot from 'uplot';
import type {Series} from '@contract';
import {chartOptions} from './chart_options';
import {chartColumns} from './series_data';
import {useChartColors} from './theme_colors';

const STYLE_ID = 'healthcheck-uplot-style';
// The few layout rules uPlot's canvases need (its stylesheet is not loaded in the host page).
const LAYOUT_CSS =
  '.healthcheck-chart .u-wrap{position:relative}.healthcheck-chart .u-over,.healthcheck-chart .u-under{position:absolute}.healthcheck-chart canvas{display:block;position:relative;width:100%;height:100%}.healthcheck-chart .u-axis{position:absolute}.healthcheck-chart .u-cursor-x,.healthcheck-chart .u-cursor-y{position:absolute;left:0;top:0;pointer-events:none}';

function ensureLayoutCss(): void {
  if (document.getElementById(STYLE_ID)) return;
  const style = document.createElement('style');
  style.id = STYLE_ID;
  style.textContent = LAYOUT_CSS;
  document.head.appendChild(style);
}

export interface LatencyChartProps {
  series: Series;
  probe: Series['probes'][number];
  height?: number;
  label: string;
}

export default function LatencyChart({series, probe, height = 120, label}: LatencyChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const colors = useChartColors(box);
  useEffect(() => {
    const el = box.current;
    if (!el || !colors) return;
    ensureLayoutCss();
    const columns = chartColumns(series, probe);
    const options = chartOptions({columns, bucketMs: series.bucketMs, colors, label, width: Math.max(240, el.clientWidth || 600), height});
    // Drawn again from scratch on a theme switch: cheaper to reason about than restyling a live plot.
    const plot = new uPlot(options, [columns.x, columns.p95, columns.failures], el);
    return () => plot.destroy();
  }, [series, probe, height, label, colors]);
  return <div ref={box} className='healthcheck-chart' role='img' aria-label={label} data-testid='healthcheck-chart' />;
}
