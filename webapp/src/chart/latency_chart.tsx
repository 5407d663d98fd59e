// 24 h p95 latency of one probe with failed buckets marked; uPlot, coloured from the theme's variables.
import {useEffect, useRef} from 'react';
import uPlot from 'uplot';
import type {Series} from '@contract';
import {chartColumns} from './series_data';

const STYLE_ID = 'healthcheck-uplot-style';
// The few layout rules uPlot's canvases need (its stylesheet is not loaded in the host page).
const LAYOUT_CSS = '.healthcheck-chart .u-wrap{position:relative}.healthcheck-chart .u-over,.healthcheck-chart .u-under{position:absolute}.healthcheck-chart canvas{display:block;position:relative;width:100%;height:100%}.healthcheck-chart .u-axis{position:absolute}.healthcheck-chart .u-cursor-x,.healthcheck-chart .u-cursor-y{position:absolute;left:0;top:0;pointer-events:none}';

function ensureLayoutCss(): void {
  if (document.getElementById(STYLE_ID)) return;
  const style = document.createElement('style');
  style.id = STYLE_ID;
  style.textContent = LAYOUT_CSS;
  document.head.appendChild(style);
}

function themeColor(el: Element, name: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
}

export interface LatencyChartProps {
  series: Series;
  probe: Series['probes'][number];
  height?: number;
  label: string;
}

export default function LatencyChart({series, probe, height = 120, label}: LatencyChartProps) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    ensureLayoutCss();
    const cols = chartColumns(series, probe);
    const rgb = themeColor(el, '--center-channel-color-rgb', '63, 67, 80');
    const text = `rgba(${rgb}, 0.72)`;
    const grid = `rgba(${rgb}, 0.12)`;
    const line = themeColor(el, '--button-bg', '#1c58d9');
    const error = themeColor(el, '--error-text', '#d24b4e');
    const axis = {stroke: text, grid: {stroke: grid, width: 1}, ticks: {stroke: grid, width: 1}};
    const plot = new uPlot(
      {
        width: Math.max(240, el.clientWidth || 600),
        height,
        legend: {show: false},
        cursor: {show: false},
        scales: {x: {time: true}, y: {range: (_u, _min, max) => [0, Math.max(1, max * 1.1)]}},
        axes: [axis, {...axis, size: 72, values: (_u, vals) => vals.map((v) => `${v} ms`)}],
        series: [
          {},
          // Points too: a probe with few runs so far has buckets a line alone would not show.
          {label, stroke: line, width: 1.5, spanGaps: false, points: {show: true, size: 4, fill: line, stroke: line}},
          {label: 'failures', stroke: error, width: 0, paths: () => null, points: {show: true, size: 7, fill: error, stroke: error}},
        ],
      },
      [cols.x, cols.p95, cols.failures],
      el,
    );
    return () => plot.destroy();
  }, [series, probe, height, label]);
  return <div ref={box} className='healthcheck-chart' role='img' aria-label={label} data-testid='healthcheck-chart' />;
}
