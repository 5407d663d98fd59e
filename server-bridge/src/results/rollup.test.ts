import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {readState} from '../state/state-file';
import {DAY_MS, ResultHistory} from './history';
import {historyFileSchema} from './history-file';
import {bucketOf, bucketUpper, HOUR_MS, HourlyRollup, ROLLUP_KEEP_HOURS} from './rollup';

const T0 = Date.UTC(2026, 2, 1); // a Sunday, 00:00 UTC
const H = (ms: number) => Math.floor(ms / HOUR_MS);
const MIN = 60_000;

function exactQuantile(sorted: number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number;
}

describe('hourly rollup', () => {
  it('puts every duration in the bucket whose bounds hold it', () => {
    for (const ms of [0, 0.3, 1, 1.2, 7.5, 99, 1000, 59_999]) {
      const b = bucketOf(ms);
      expect(ms).toBeLessThan(bucketUpper(b) * (1 + 1e-9));
      if (b > 0) expect(ms).toBeGreaterThanOrEqual(bucketUpper(b - 1) * (1 - 1e-9));
    }
  });

  it('counts runs, failures and slow runs per hour, and reads p50/p95/p99 within 12 %', () => {
    const r = new HourlyRollup();
    const durations: number[] = [];
    for (let i = 0; i < 180; i++) {
      const ms = 20 + ((i * 37) % 100) * 1.7;
      const ok = i % 30 !== 0;
      if (ok) durations.push(ms);
      r.add(T0 + i * MIN, ok, ms, ms > 150, 150_000);
    }
    expect(r.totals(H(T0), H(T0)).runs).toBe(60);
    const all = r.totals(H(T0), H(T0) + 2);
    expect(all).toEqual({runs: 180, failures: 6, slow: durations.filter((d) => d > 150).length, observedMs: 179 * MIN});
    durations.sort((a, b) => a - b);
    const [p50, p95, p99] = r.quantiles(H(T0), H(T0) + 2, [0.5, 0.95, 0.99]);
    for (const [got, q] of [
      [p50, 0.5],
      [p95, 0.95],
      [p99, 0.99],
    ] as const) {
      const exact = exactQuantile(durations, q);
      expect(Math.abs((got as number) - exact) / exact).toBeLessThan(0.12);
    }
  });

  it('counts a gap (a bridge down for three days) as neither up nor down, and says how much was observed', () => {
    const r = new HourlyRollup();
    for (let i = 0; i < 60; i++) r.add(T0 + i * MIN, true, 10, false, 150_000);
    const back = T0 + 3 * DAY_MS;
    for (let i = 0; i < 60; i++) r.add(back + i * MIN, i < 30, 10, false, 150_000);
    const t = r.totals(H(T0), H(back));
    expect(t.runs).toBe(120);
    expect(t.failures).toBe(30);
    // 59 gaps of a minute on each side; the three days between count for nothing.
    expect(t.observedMs).toBe(2 * 59 * MIN);
    let hours = 0;
    r.forEachHour(H(T0), H(back), () => hours++);
    expect(hours).toBe(2);
  });

  it('keeps 91 days and drops what is older', () => {
    const r = new HourlyRollup();
    for (let d = 0; d < 120; d++) r.add(T0 + d * DAY_MS, true, 5, false, 150_000);
    const now = T0 + 119 * DAY_MS;
    r.prune(now);
    expect(r.firstHour).toBeGreaterThanOrEqual(H(now) - ROLLUP_KEEP_HOURS - 24);
    expect(r.totals(H(now) - ROLLUP_KEEP_HOURS + 1, H(now)).runs).toBe(91);
    expect(r.totals(0, H(now)).runs).toBeLessThanOrEqual(92);
  });

  it('goes on in the same hour after a restart mid-hour, with the same figures as without one', () => {
    const straight = new HourlyRollup();
    const first = new HourlyRollup();
    for (let i = 0; i < 90; i++) {
      const at = T0 + i * MIN;
      const ms = 10 + (i % 17);
      straight.add(at, i % 11 !== 0, ms, false, 150_000);
      if (i < 45) first.add(at, i % 11 !== 0, ms, false, 150_000);
    }
    const restored = HourlyRollup.fromFile(JSON.parse(JSON.stringify(first.toFile())));
    if (!restored) throw new Error('not restored');
    for (let i = 45; i < 90; i++) restored.add(T0 + i * MIN, i % 11 !== 0, 10 + (i % 17), false, 150_000);
    expect(restored.totals(H(T0), H(T0) + 1)).toEqual(straight.totals(H(T0), H(T0) + 1));
    expect(restored.quantiles(H(T0), H(T0) + 1, [0.5, 0.99])).toEqual(straight.quantiles(H(T0), H(T0) + 1, [0.5, 0.99]));
    expect(Array.from(restored.histogram(H(T0), H(T0)))).toEqual(Array.from(straight.histogram(H(T0), H(T0))));
  });

  it('counts past 254 failures or slow runs in an hour (a byte a column, the rest on the side), also through the file', () => {
    const r = new HourlyRollup();
    for (let i = 0; i < 1200; i++) r.add(T0 + i * 3000, i % 3 === 0, 5, i % 3 === 0, 10_000);
    const t = r.totals(H(T0), H(T0));
    expect(t).toMatchObject({runs: 1200, failures: 800, slow: 400});
    const back = HourlyRollup.fromFile(JSON.parse(JSON.stringify(r.toFile())));
    expect(back?.totals(H(T0), H(T0))).toEqual(t);
  });

  it('refuses a saved rollup whose columns disagree', () => {
    const r = new HourlyRollup();
    r.add(T0, true, 5, false, 1);
    r.add(T0 + 2 * HOUR_MS, true, 5, false, 1);
    const file = r.toFile();
    expect(HourlyRollup.fromFile({...file, fail: Buffer.from([1, 0]).toString('base64')})).toBeNull();
    expect(HourlyRollup.fromFile({...file, hist: ''})).toBeNull();
  });
});

describe('result history with rollups', () => {
  it('writes them in the history file and reads them back', async () => {
    const h = new ResultHistory(DAY_MS, {slowMs: () => 30, coverMaxMs: () => 150_000});
    for (let i = 0; i < 3 * 1440; i++) h.record({probe: 'login', target: 'a', ok: i % 50 !== 0, durationMs: 10 + (i % 40), startedAt: T0 + i * MIN, checks: []});
    const now = T0 + 3 * DAY_MS - 1;
    const text = await h.encode(now);
    const parsed = historyFileSchema.parse(JSON.parse(text));
    expect(parsed.version).toBe(3);
    const copy = new ResultHistory();
    copy.restoreFile(parsed.entries);
    const span = [H(T0), H(now)] as const;
    expect(copy.rollupOf('login', 'a')?.totals(...span)).toEqual(h.rollupOf('login', 'a')?.totals(...span));
    expect(h.rollupOf('login', 'a')?.totals(...span).slow).toBe(slowSuccesses());
  });

  it('writes the same file gzipped piece by piece, which the state file reader opens', async () => {
    const h = new ResultHistory();
    for (let i = 0; i < 600; i++) h.record({probe: 'ping', target: 'b', ok: i % 7 !== 0, durationMs: 3 + (i % 5), startedAt: T0 + i * MIN, checks: []});
    const now = T0 + 600 * MIN;
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'rollup-')), 'state.json.results');
    writeFileSync(file, await h.encodePacked(now));
    const read = readState(file, historyFileSchema);
    if (read.status !== 'loaded') throw new Error(read.status);
    expect(`${JSON.stringify(read.state)}\n`).toBe(JSON.stringify(JSON.parse(await h.encode(now))) + '\n');
    const copy = new ResultHistory();
    copy.restoreFile(read.state.entries);
    expect(copy.rollupOf('ping', 'b')?.totals(H(T0), H(now))).toEqual(h.rollupOf('ping', 'b')?.totals(H(T0), H(now)));
  });

  it('reads a version 2 file (no rollups) and starts the rollups from its 24 h of runs', () => {
    const runs = 120;
    const v2 = {
      version: 2,
      entries: [
        {
          probe: 'ping',
          target: 'x',
          latest: {probe: 'ping', target: 'x', ok: true, durationMs: 1, startedAt: T0, checks: []},
          lastFailure: null,
          t0: T0,
          dt: Array.from({length: runs}, (_, i) => (i === 0 ? 0 : MIN)),
          ms: Array.from({length: runs}, () => 3),
          ok: '1'.repeat(runs - 1) + '0',
        },
      ],
    };
    const h = new ResultHistory();
    h.restoreFile(historyFileSchema.parse(v2).entries);
    expect(h.rollupOf('ping', 'x')?.totals(H(T0), H(T0) + 1)).toEqual({runs: 120, failures: 1, slow: 0, observedMs: 119 * MIN});
  });
});

/** Successful runs over 30 ms (a failed run is never counted slow). */
function slowSuccesses(): number {
  let n = 0;
  for (let i = 0; i < 3 * 1440; i++) if (i % 50 !== 0 && 10 + (i % 40) > 30) n++;
  return n;
}
