import type uPlot from 'uplot';
import {chartOptions, markerSize, niceCeil, yAxisSize} from './chart_options';
import type {ChartColumns} from './series_data';

const colors = {text: 'rgba(1, 2, 3, 0.72)', grid: 'rgba(1, 2, 3, 0.12)', line: '#00aa00', error: '#ff0000'};
const columns = (p95: (number | null)[]): ChartColumns => ({x: p95.map((_, i) => i * 1800), p95, failures: p95.map(() => null), failedBuckets: 0});
const BUCKET_MS = 1_800_000;

// A stand-in for canvas text measurement: 7 px per character.
const measure = (text: string) => text.length * 7;

describe('chart options', () => {
  it('makes the y axis wide enough for its widest label', () => {
    const wide = yAxisSize(['0 ms', '100 ms', '1000 ms'], measure);
    expect(wide).toBeGreaterThanOrEqual(measure('1000 ms') + 10 + 5);
    expect(yAxisSize(['0 ms', '20 ms'], measure)).toBeLessThan(wide);
    expect(yAxisSize(null, measure)).toBeGreaterThan(0);
  });

  it('measures the y axis labels with the font they are drawn in', () => {
    const opts = chartOptions({columns: columns([100]), bucketMs: BUCKET_MS, colors, label: 'p95', width: 300, height: 120});
    const yAxis = opts.axes?.[1];
    const fonts: string[] = [];
    const ctx = {font: 'before', save: () => undefined, restore: () => undefined, measureText: (text: string) => (fonts.push(ctx.font), {width: measure(text)})};
    const size = yAxis?.size;
    if (typeof size !== 'function') throw new Error('the y axis size is not computed');
    expect(size({ctx} as unknown as uPlot, ['0 ms', '100 ms'], 1, 0)).toBe(yAxisSize(['0 ms', '100 ms'], measure));
    expect(fonts).toEqual([yAxis?.font, yAxis?.font]);
  });

  it('draws few points with large markers and many with smaller ones', () => {
    expect(markerSize([null, null, 120])).toBeGreaterThanOrEqual(8);
    expect(markerSize(Array.from({length: 48}, (_, i) => i))).toBeLessThan(markerSize([120]));
    const single = chartOptions({columns: columns([null, 120]), bucketMs: BUCKET_MS, colors, label: 'p95', width: 300, height: 120});
    const points = single.series[1]?.points;
    expect(points?.size).toBe(markerSize([null, 120]));
    expect(points?.show).toBe(true);
  });

  it('pads the time axis by half a bucket and leaves headroom above the highest point', () => {
    const opts = chartOptions({columns: columns([120]), bucketMs: BUCKET_MS, colors, label: 'p95', width: 300, height: 120});
    const x = opts.scales?.x?.range;
    const y = opts.scales?.y?.range;
    if (typeof x !== 'function' || typeof y !== 'function') throw new Error('ranges are not computed');
    expect(x({} as uPlot, 3600, 3600, 'x')).toEqual([2700, 4500]);
    expect(y({} as uPlot, 120, 120, 'y')).toEqual([0, 200]);
    expect(y({} as uPlot, 156, 156, 'y')).toEqual([0, 200]);
    expect(y({} as uPlot, 180, 180, 'y')).toEqual([0, 250]);
    expect(y({} as uPlot, null as unknown as number, null as unknown as number, 'y')).toEqual([0, 1]);
  });

  it('rounds the top of the y axis up to a step uPlot labels', () => {
    expect([0, 0.7, 1, 1.2, 2.2, 3, 7, 10, 11, 460, 1000, 1001].map(niceCeil)).toEqual([1, 1, 1, 2, 2.5, 5, 10, 10, 20, 500, 1000, 2000]);
  });

  it('colours text, grid, line and failures from the given theme colours', () => {
    const opts = chartOptions({columns: columns([1, 2]), bucketMs: BUCKET_MS, colors, label: 'p95', width: 300, height: 120});
    expect(opts.axes?.map((a) => [a.stroke, a.grid?.stroke])).toEqual([
      [colors.text, colors.grid],
      [colors.text, colors.grid],
    ]);
    expect(opts.series.map((s) => s.stroke)).toEqual([undefined, colors.line, colors.error]);
  });
});
