import {render} from '@testing-library/react';
import type {Series} from '@contract';
import LatencyChart from './latency_chart';

// uPlot itself draws on a canvas, which jsdom lacks: this checks what the component hands it.
const created: {opts: {series: {stroke?: string}[]; axes: {stroke?: string}[]}; data: unknown[]; destroyed: boolean}[] = [];
jest.mock('uplot', () => ({
  __esModule: true,
  default: jest.fn().mockImplementation((opts, data) => {
    const plot = {opts, data, destroyed: false, destroy: () => (plot.destroyed = true)};
    created.push(plot);
    return plot;
  }),
}));

beforeAll(() => {
  // jsdom has no matchMedia; uPlot (and the host page) would ask it for the pixel ratio.
  window.matchMedia = ((q: string) => ({matches: false, media: q, addEventListener: () => undefined, removeEventListener: () => undefined})) as unknown as typeof window.matchMedia;
});

const series: Series = {start: 0, bucketMs: 1_800_000, probes: [{probe: 'login', target: 'local', p95Ms: [90, null, 120], failures: [0, 3, 0], runs: [30, 30, 30]}]};

it('plots p95 and the failed buckets in the theme\'s colours, and cleans up on unmount', () => {
  // A dark theme's variables, as the browser would compute them (jsdom does not inherit custom properties).
  const theme: Record<string, string> = {'--button-bg': ' #00aa00', '--error-text': '#ff0000', '--center-channel-color-rgb': '221, 222, 223'};
  const computed = jest.spyOn(window, 'getComputedStyle').mockReturnValue({getPropertyValue: (name: string) => theme[name] ?? ''} as CSSStyleDeclaration);
  const probe = series.probes[0];
  if (!probe) throw new Error('no probe');
  const {unmount, getByRole} = render(<LatencyChart series={series} probe={probe} label='login latency' />);
  computed.mockRestore();
  expect(getByRole('img').getAttribute('aria-label')).toBe('login latency');
  const plot = created.at(-1);
  expect(plot?.data).toEqual([[0, 1800, 3600], [90, null, 120], [null, 0, null]]);
  expect(plot?.opts.series[1]?.stroke).toBe('#00aa00');
  expect(plot?.opts.series[2]?.stroke).toBe('#ff0000');
  expect(plot?.opts.axes[0]?.stroke).toBe('rgba(221, 222, 223, 0.72)');
  expect(document.getElementById('healthcheck-uplot-style')).not.toBeNull();
  unmount();
  expect(plot?.destroyed).toBe(true);
});
