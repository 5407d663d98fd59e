// The uPlot options of one latency chart: pure, so what is drawn can be checked without a canvas.
import type uPlot from 'uplot';
import type {ChartColors} from './theme_colors';
import type {ChartColumns} from './series_data';

/** The font of the axis values; measured with the same string so labels always fit. */
export const AXIS_FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
const TICK_SIZE = 10;
const TICK_GAP = 5;
const MIN_Y_AXIS = 40;

/** Width of the y axis: the widest value label plus ticks and gap, so "100 ms" is never clipped. */
export function yAxisSize(values: readonly string[] | null, measure: (text: string) => number): number {
  const widest = Math.max(0, ...(values ?? []).map((v) => measure(v)));
  return Math.max(MIN_Y_AXIS, Math.ceil(widest) + TICK_SIZE + TICK_GAP + 4);
}

function measureWith(u: uPlot): (text: string) => number {
  return (text) => {
    // save/restore: uPlot caches the context's font, which must not change behind its back.
    u.ctx.save();
    u.ctx.font = AXIS_FONT;
    const width = u.ctx.measureText(text).width;
    u.ctx.restore();
    return width;
  };
}

/** The smallest of 1, 2, 2.5 or 5 × 10ⁿ at or above `v`: one of uPlot's steps, so some value above 0 is always labelled. */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((n) => n >= v) ?? 10 * magnitude;
}

/** Point size for a series: few points (a new probe, a lone bucket between gaps) get large markers. */
export function markerSize(values: readonly (number | null)[]): number {
  return values.filter((v) => v !== null).length <= 3 ? 9 : 5;
}

export interface ChartInput {
  columns: ChartColumns;
  bucketMs: number;
  colors: ChartColors;
  label: string;
  width: number;
  height: number;
}

export function chartOptions({columns, bucketMs, colors, label, width, height}: ChartInput): uPlot.Options {
  const axis = {stroke: colors.text, font: AXIS_FONT, gap: TICK_GAP, grid: {stroke: colors.grid, width: 1}, ticks: {stroke: colors.grid, width: 1, size: TICK_SIZE}};
  // Half a bucket on each side: the first and last points (often the only ones) sit inside the plot.
  const pad = bucketMs / 2000;
  const size = markerSize(columns.p95);
  return {
    width,
    height,
    legend: {show: false},
    cursor: {show: false},
    scales: {
      x: {time: true, range: (_u, min, max) => [min - pad, max + pad]},
      // Headroom above the highest point (its marker is not cut) up to a labelled round value.
      y: {range: (_u, _min, max) => [0, niceCeil(Math.max(1, max * 1.15))]},
    },
    axes: [axis, {...axis, size: (u, values) => yAxisSize(values, measureWith(u)), values: (_u, vals) => vals.map((v) => `${v} ms`)}],
    series: [
      {},
      // Points too: a probe with few runs so far has buckets a line alone would not show.
      {label, stroke: colors.line, width: 1.5, spanGaps: false, points: {show: true, size, fill: colors.line, stroke: colors.line}},
      // Its label is never shown (no legend): it names the series for uPlot only.
      {label: 'failures', stroke: colors.error, width: 0, paths: () => null, points: {show: true, size: 9, fill: colors.error, stroke: colors.error}},
    ],
  };
}
