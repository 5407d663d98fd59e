import {act, render, waitFor} from '@testing-library/react';
import type {Series} from '@contract';
import LatencyChart from './latency_chart';

// uPlot itself draws on a canvas, which jsdom lacks: this checks what the component hands it.
interface FakePlot {
  opts: {series: {stroke?: string}[]; axes: {stroke?: string; grid?: {stroke?: string}}[]};
  data: unknown[];
  destroyed: boolean;
}
const created: FakePlot[] = [];
jest.mock('uplot', () => ({
  __esModule: true,
  default: jest.fn().mockImplementation((opts, data) => {
    const plot = {opts, data, destroyed: false, destroy: () => (plot.destroyed = true)};
    created.push(plot);
    return plot;
  }),
}));

// The themes' variables as the browser would compute them (jsdom does not inherit custom properties).
const LIGHT = {'--button-bg': ' #1c58d9', '--error-text': '#d24b4e', '--center-channel-color-rgb': '63, 67, 80'};
const DARK = {'--button-bg': '#00aa00', '--error-text': '#ff0000', '--center-channel-color-rgb': '221, 222, 223'};
let theme: Record<string, string> = LIGHT;
let computed: jest.SpyInstance;

beforeEach(() => {
  theme = LIGHT;
  computed = jest.spyOn(window, 'getComputedStyle').mockImplementation(() => ({getPropertyValue: (name: string) => theme[name] ?? ''}) as CSSStyleDeclaration);
});
afterEach(() => computed.mockRestore());

const series: Series = {start: 0, bucketMs: 1_800_000, probes: [{probe: 'login', target: 'local', p95Ms: [90, null, 120], failures: [0, 3, 0], runs: [30, 30, 30]}]};
const probe = series.probes[0] as Series['probes'][number];

it("plots p95 and the failed buckets in the theme's colours, and cleans up on unmount", () => {
  theme = DARK;
  const {unmount, getByRole} = render(<LatencyChart series={series} probe={probe} label='login latency' />);
  expect(getByRole('img').getAttribute('aria-label')).toBe('login latency');
  const plot = created.at(-1);
  expect(plot?.data).toEqual([
    [0, 1800, 3600],
    [90, null, 120],
    [null, 0, null],
  ]);
  expect(plot?.opts.series[1]?.stroke).toBe('#00aa00');
  expect(plot?.opts.series[2]?.stroke).toBe('#ff0000');
  expect(plot?.opts.axes[0]?.stroke).toBe('rgba(221, 222, 223, 0.72)');
  expect(document.getElementById('healthcheck-uplot-style')).not.toBeNull();
  unmount();
  expect(plot?.destroyed).toBe(true);
});

it('draws again in the new colours when the host switches theme, with the same report', async () => {
  const {unmount} = render(<LatencyChart series={series} probe={probe} label='login latency' />);
  const light = created.at(-1);
  expect(light?.opts.axes[1]?.stroke).toBe('rgba(63, 67, 80, 0.72)');
  // What the web app does on a theme switch: new values for the CSS variables on the root element.
  theme = DARK;
  await act(async () => document.documentElement.style.setProperty('--center-channel-color-rgb', DARK['--center-channel-color-rgb']));
  await waitFor(() => expect(created.at(-1)).not.toBe(light));
  const dark = created.at(-1);
  expect(light?.destroyed).toBe(true);
  expect(dark?.opts.axes.map((a) => [a.stroke, a.grid?.stroke])).toEqual([
    ['rgba(221, 222, 223, 0.72)', 'rgba(221, 222, 223, 0.12)'],
    ['rgba(221, 222, 223, 0.72)', 'rgba(221, 222, 223, 0.12)'],
  ]);
  expect(dark?.opts.series[1]?.stroke).toBe('#00aa00');
  // A change on the page that is no theme switch draws nothing new.
  const count = created.length;
  await act(async () => document.body.setAttribute('class', 'something-else'));
  expect(created.length).toBe(count);
  unmount();
  expect(dark?.destroyed).toBe(true);
  // Unmounted: a later theme switch reaches no observer (nothing is drawn, nothing throws).
  theme = LIGHT;
  await act(async () => document.documentElement.style.setProperty('--center-channel-color-rgb', LIGHT['--center-channel-color-rgb']));
  expect(created.length).toBe(count);
});
