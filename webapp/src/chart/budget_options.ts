// The uPlot options and data of an SLO's budget chart (budget_chart.tsx): pure, testable without a canvas.
import type uPlot from 'uplot';
import type {SloReport} from '@contract';
import {AXIS_FONT} from './chart_options';
import type {ChartColors} from './theme_colors';

const dayLabel = (seconds: number) => {
  const d = new Date(seconds * 1000);
  return `${d.getMonth() + 1}/${d.getDate()}`;
};

/** Pure, so what is drawn can be checked without a canvas: x in seconds, y in percent of the budget. */
export function budgetOptions(slo: SloReport, colors: ChartColors, label: string, width: number, height: number): {options: uPlot.Options; data: uPlot.AlignedData} {
  const x = slo.budget.map((p) => p.at / 1000);
  const y = slo.budget.map((p) => (p.left === null ? null : Math.round(p.left * 1000) / 10));
  const known = y.filter((v): v is number => v !== null);
  const bottom = Math.floor(Math.min(0, ...known) / 25) * 25;
  const axis = {stroke: colors.text, font: AXIS_FONT, grid: {stroke: colors.grid, width: 1}, ticks: {stroke: colors.grid, width: 1, size: 8}};
  return {
    options: {
      width,
      height,
      legend: {show: false},
      cursor: {show: false},
      scales: {x: {time: true}, y: {range: () => [bottom, 100]}},
      // One line of day labels; the budget's landmarks on the y axis: spent (0 %), full, and the lowest.
      axes: [
        {...axis, values: (_u, vals) => vals.map((v) => dayLabel(v))},
        {...axis, size: 58, splits: () => (bottom < 0 ? [bottom, 0, 100] : [0, 50, 100]), values: (_u, vals) => vals.map((v) => `${v} %`)},
      ],
      series: [{}, {label, stroke: known.some((v) => v < 0) ? colors.error : colors.line, width: 1.5, spanGaps: false, points: {show: known.length <= 3, size: 6}}],
    },
    data: [x, y],
  };
}
