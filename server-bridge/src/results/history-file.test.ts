import {DAY_MS, ResultHistory} from './history';
import {historyFileSchema} from './history-file';

const T0 = Date.UTC(2026, 10, 25);

describe('history file', () => {
  it('writes about ten bytes a run and reads back the same figures', async () => {
    const h = new ResultHistory();
    for (let i = 0; i < 1440; i++) {
      for (const probe of ['ping', 'login']) h.record({probe, target: 'local', ok: i % 97 !== 0, durationMs: 10 + (i % 13) + 0.4, startedAt: T0 + i * 60_000 + (i % 7), checks: []});
    }
    const now = T0 + DAY_MS - 1;
    const text = await h.encode(now);
    expect(text.length / 2880).toBeLessThan(14);
    const copy = new ResultHistory();
    copy.restoreFile(historyFileSchema.parse(JSON.parse(text)).entries);
    for (const probe of ['ping', 'login']) {
      expect(copy.aggregate(probe, 'local', now)).toEqual(h.aggregate(probe, 'local', now));
      expect(copy.latest(probe, 'local')).toEqual(h.latest(probe, 'local'));
    }
  });

  it('refuses columns of different lengths', () => {
    const bad = {
      version: 2,
      entries: [{probe: 'ping', target: 'x', latest: {probe: 'ping', target: 'x', ok: true, durationMs: 1, startedAt: 1, checks: []}, lastFailure: null, t0: 1, dt: [0, 1], ms: [1], ok: '11'}],
    };
    expect(historyFileSchema.safeParse(bad).success).toBe(false);
  });

  it('reads the run columns where they lie (no copy of a day of runs while the bridge starts), and still refuses what is not a number', () => {
    const entry = (dt: unknown[]) => ({
      probe: 'ping',
      target: 'x',
      latest: {probe: 'ping', target: 'x', ok: true, durationMs: 1, startedAt: 1, checks: []},
      lastFailure: null,
      t0: 1,
      dt,
      ms: [1, 2],
      ok: '11',
    });
    const good = {version: 2, entries: [entry([0, 60_000])]};
    const parsed = historyFileSchema.parse(good);
    expect(parsed.entries[0]?.dt).toBe(good.entries[0]?.dt);
    expect(parsed.entries[0]?.ms).toBe(good.entries[0]?.ms);
    for (const dt of [[0, '60000'], [0, null], 'x', [0, {}]]) expect(historyFileSchema.safeParse({version: 2, entries: [entry(dt as unknown[])]}).success).toBe(false);
  });

  it('forgets probes and targets no longer configured', () => {
    const h = new ResultHistory();
    for (const [probe, target] of [
      ['ping', 'a'],
      ['login', 'a'],
      ['ping', 'gone'],
    ])
      h.record({probe: probe as string, target: target as string, ok: true, durationMs: 1, startedAt: T0, checks: []});
    expect(h.retainOnly([{probe: 'ping', target: 'a'}])).toBe(2);
    expect(h.keys()).toEqual([{probe: 'ping', target: 'a'}]);
  });
});
