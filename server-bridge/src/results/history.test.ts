import type {ProbeResult} from '../probes/types';
import {percentile} from './aggregate';
import {DAY_MS, ResultHistory} from './history';
import {SampleWindow} from './samples';
import {buildSeries} from './series';

const T0 = Date.UTC(2026, 10, 25, 0, 0, 0);
const result = (at: number, ok: boolean, durationMs: number, extra: Partial<ProbeResult> = {}): ProbeResult => ({
  probe: 'ping',
  target: 'local',
  ok,
  durationMs,
  startedAt: at,
  checks: [{label: 'status', ok, observed: ok ? 'OK' : 'UNHEALTHY', expected: 'OK'}],
  ...(ok ? {} : {error: 'status: UNHEALTHY (expected OK)'}),
  ...extra,
});

describe('percentile', () => {
  it('interpolates between closest ranks', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(
      percentile(
        Array.from({length: 101}, (_, i) => i),
        0.95,
      ),
    ).toBe(95);
  });
});

describe('SampleWindow', () => {
  it('keeps only the window and survives growth and pruning', () => {
    const w = new SampleWindow(1000);
    for (let i = 0; i < 5000; i++) {
      w.push({at: i, ok: i % 2 === 0, durationMs: i});
      w.prune(i);
    }
    expect(w.size).toBe(1001);
    const all = w.toArray();
    expect(all[0]).toEqual({at: 3999, ok: false, durationMs: 3999});
    expect(all.at(-1)).toEqual({at: 4999, ok: false, durationMs: 4999});
    expect(w.failures).toBe(all.filter((x) => !x.ok).length);
  });

  it('holds a day at 60 s in at most a quarter more slots than runs, also after days of runs', () => {
    const w = new SampleWindow(DAY_MS);
    let most = 0;
    for (let i = 0; i < 4 * 1440; i++) {
      w.push({at: i * 60_000, ok: true, durationMs: 1});
      w.prune(i * 60_000);
      most = Math.max(most, w.capacity);
    }
    expect(w.size).toBe(1441);
    expect(most).toBeLessThanOrEqual(1441 + (1441 >> 2));
  });
});

describe('ResultHistory', () => {
  it('aggregates the last 24 h: uptime, p50/p95 of successes, failures, last failure', () => {
    const h = new ResultHistory();
    h.record(result(T0 - DAY_MS - 1, false, 1)); // outside the window by the end
    for (let i = 1; i <= 100; i++) h.record(result(T0 + i * 60_000, true, i));
    h.record(result(T0 + 101 * 60_000, false, 5000));
    const agg = h.aggregate('ping', 'local', T0 + 102 * 60_000);
    expect(agg).toEqual({uptime: 100 / 101, p50Ms: 50.5, p95Ms: 95.1, runs: 101, failures: 1});
    expect(h.lastFailure('ping', 'local')).toEqual({at: T0 + 101 * 60_000, reason: 'status: UNHEALTHY (expected OK)'});
    expect(h.latest('ping', 'local')?.ok).toBe(false);
    // The same runs and failures counted as they come, without a pass over the window.
    expect(h.counts('ping', 'local', T0 + 102 * 60_000)).toEqual({runs: 101, failures: 1});
    expect(h.counts('ping', 'local', T0 + DAY_MS + 101 * 60_000)).toEqual({runs: 1, failures: 1});
    expect(h.counts('login', 'local', T0)).toEqual({runs: 0, failures: 0});
  });

  it('has no figures before the first run, and does not count runs that were not configured', () => {
    const h = new ResultHistory();
    expect(h.aggregate('login', 'local', T0)).toEqual({uptime: null, p50Ms: null, p95Ms: null, runs: 0, failures: 0});
    h.record({probe: 'login', target: 'local', ok: false, durationMs: 0, startedAt: T0, checks: [], notConfigured: ['probePassword']});
    expect(h.aggregate('login', 'local', T0).runs).toBe(0);
    expect(h.lastFailure('login', 'local')).toBeNull();
    expect(h.latest('login', 'local')?.notConfigured).toEqual(['probePassword']);
  });

  it('builds 48 aligned 30-minute buckets with p95, runs and failures', () => {
    const h = new ResultHistory();
    const now = T0 + 12 * 3_600_000 + 10 * 60_000; // 12:10
    h.record(result(now - 5 * 60_000, true, 10));
    h.record(result(now - 4 * 60_000, true, 20));
    h.record(result(now - 3 * 60_000, false, 900));
    h.record(result(now - 60 * 60_000, true, 7)); // 11:10, bucket 11:00–11:30
    h.record(result(now - 30 * 3_600_000, true, 7)); // outside
    const s = h.series(now);
    expect(s.bucketMs).toBe(1_800_000);
    expect(s.start).toBe(T0 + 12 * 3_600_000 - 47 * 1_800_000);
    const p = s.probes[0];
    expect(p?.runs).toHaveLength(48);
    expect(p?.runs.at(-1)).toBe(3);
    expect(p?.failures.at(-1)).toBe(1);
    expect(p?.p95Ms.at(-1)).toBe(19.5);
    expect(p?.runs.at(-3)).toBe(1);
    expect(p?.p95Ms.at(-3)).toBe(7);
    expect(p?.p95Ms.at(-2)).toBeNull();
    expect(p?.runs.reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('restores the history an older state file held, with the same figures', () => {
    const h = new ResultHistory();
    const runs = Array.from({length: 10}, (_, i) => result(T0 + i * 1000, i !== 3, 10 + i));
    for (const r of runs) h.record(r);
    const copy = new ResultHistory();
    const samples = runs.map((r) => ({at: r.startedAt, ok: r.ok, durationMs: r.durationMs}));
    copy.restore({entries: [{probe: 'ping', target: 'local', latest: runs[9] as ProbeResult, lastFailure: h.lastFailure('ping', 'local'), samples}]});
    const now = T0 + 20_000;
    expect(copy.aggregate('ping', 'local', now)).toEqual(h.aggregate('ping', 'local', now));
    expect(copy.series(now)).toEqual(h.series(now));
    expect(copy.lastFailure('ping', 'local')).toEqual(h.lastFailure('ping', 'local'));
  });
});

describe('series over time', () => {
  it('are the same whether final buckets come from the cache or are computed afresh, late runs included', () => {
    const window = new SampleWindow(DAY_MS);
    let at = T0;
    const push = (t: number, i: number) => window.push({at: t, ok: i % 17 !== 0, durationMs: 5 + ((i * 37) % 50)});
    let i = 0;
    for (; at < T0 + DAY_MS; at += 60_000) push(at, i++);
    for (let now = T0 + DAY_MS; now < T0 + DAY_MS + 3 * 3_600_000; now += 600_000) {
      for (; at < now; at += 60_000) push(at, i++);
      // A long run that began before the last bucket boundary is recorded late.
      push(now - 90_000, i++);
      const fresh = new SampleWindow(DAY_MS);
      for (const s of window.toArray()) fresh.push(s);
      window.prune(now);
      fresh.prune(now);
      const input = (w: SampleWindow) => [{probe: 'ping', target: 'local', window: w}];
      expect(buildSeries(input(window), now, DAY_MS)).toEqual(buildSeries(input(fresh), now, DAY_MS));
    }
  });
});
