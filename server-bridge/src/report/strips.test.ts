import {readFileSync} from 'node:fs';
import path from 'node:path';
import {decodeStrip, encodeStrip, stripHour} from '../contract/hour-strip';
import {reportSchema} from '../contract/report';
import {DAY_MS, ResultHistory} from '../results/history';
import {HOUR_MS} from '../results/rollup';
import {buildStrips} from './strips';

const T0 = Date.UTC(2026, 5, 1);
const MIN = 60_000;

describe('hour strips', () => {
  it('round-trips hours and runs of equal hours in a few bytes', () => {
    const hours = [
      ...Array.from({length: 2000}, () => ({observedMin: 60, badMin: 0})),
      {observedMin: 60, badMin: 3},
      {observedMin: 12, badMin: 0},
      ...Array.from({length: 183}, () => ({observedMin: 0, badMin: 0})),
    ];
    const text = encodeStrip(hours);
    expect(text.length).toBeLessThan(30);
    expect(decodeStrip(text)).toEqual(hours);
    expect(decodeStrip('<b>')).toBeNull();
    expect(decodeStrip('8A~zzzz.')).toBeNull();
  });

  it('counts a single failed run in an hour as a bad minute, an hour without runs as unobserved', () => {
    expect(stripHour(60 * MIN, 60, 1)).toEqual({observedMin: 60, badMin: 1});
    expect(stripHour(0, 0, 0)).toEqual({observedMin: 0, badMin: 0});
  });

  it('draws each service from its probes on the home target: the worst probe, nothing for hours nobody watched', () => {
    const h = new ResultHistory();
    for (let i = 0; i < 120; i++) {
      h.record({probe: 'login', target: 'home', ok: !(i >= 60 && i < 90), durationMs: 5, startedAt: T0 + i * MIN, checks: []});
      h.record({probe: 'login_page', target: 'home', ok: true, durationMs: 5, startedAt: T0 + i * MIN, checks: []});
    }
    const now = T0 + 3 * DAY_MS;
    const strips = buildStrips(h, 'home', now);
    expect(strips.services.map((s) => s.key)).toEqual(['signIn']);
    const hours = decodeStrip(strips.services[0]?.hours ?? '') ?? [];
    const at = (ms: number) => hours[Math.floor((ms - strips.start) / HOUR_MS)];
    expect(at(T0)).toEqual({observedMin: 59, badMin: 0});
    expect(at(T0 + HOUR_MS)).toEqual({observedMin: 60, badMin: 30});
    expect(at(T0 + 2 * HOUR_MS)).toEqual({observedMin: 0, badMin: 0});
    expect(hours).toHaveLength(strips.hours);
  });

  it('fits the golden report with objectives and strips', () => {
    const golden = JSON.parse(readFileSync(path.resolve(__dirname, '../../../tests/fixtures/report.slo.v1.json'), 'utf8')) as unknown;
    const parsed = reportSchema.parse(golden);
    expect(parsed.strips?.services.every((s) => decodeStrip(s.hours)?.length === parsed.strips?.hours)).toBe(true);
  });
});
