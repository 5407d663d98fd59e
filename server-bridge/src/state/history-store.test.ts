import {existsSync, mkdtempSync, rmSync, statSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {ResultHistory} from '../results/history';
import type {LoadedParts} from './bridge-state';
import type {BridgeStore} from './bridge-store';
import {historyFileOf, StateStore, type HistoryBytes} from './store';

const HOUR = 3_600_000;
const now = Date.UTC(2026, 10, 30, 12);

/** A store whose change sets go nowhere: these tests watch the history only. */
const nowhere: BridgeStore = {where: 'memory', load: async (): Promise<LoadedParts> => ({}), apply: async () => undefined, close: async () => undefined};

/** This bridge's row of a database, in memory. */
class Row implements HistoryBytes {
  readonly where = 'the test row';
  bytes: Buffer | null = null;
  failLoad = false;
  async load(): Promise<Buffer | null> {
    if (this.failLoad) throw new Error('connect ECONNREFUSED');
    return this.bytes;
  }
  async save(bytes: Buffer): Promise<void> {
    this.bytes = bytes;
  }
}

/** Three days of a probe every 10 minutes, some failing: raw runs and hourly rollups. */
function days(): ResultHistory {
  const h = new ResultHistory();
  for (let at = now - 72 * HOUR; at < now; at += 600_000) h.record({probe: 'login', target: 'mm', ok: at % 7 !== 0, durationMs: 20 + (at % 13), startedAt: at, checks: []});
  return h;
}

describe('the result history in a store of its own (several bridges: each its row)', () => {
  let dir: string;
  const logs: string[] = [];
  const log = {info: () => undefined, warn: (m: string) => void logs.push(`warn ${m}`), error: (m: string) => void logs.push(`error ${m}`)};
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hc-history-store-'));
    logs.length = 0;
  });
  afterEach(() => rmSync(dir, {recursive: true, force: true}));
  const stateStore = (history: ResultHistory, row: Row, file?: string) =>
    new StateStore({store: nowhere, build: () => ({}) as never, history, historyStore: row, log, now: () => now, ...(file ? {file} : {})});

  it('saves the same gzipped bytes as the file and reads back the same runs and rollups', async () => {
    const row = new Row();
    const history = days();
    const first = stateStore(history, row);
    await first.load();
    await first.stop();
    expect([row.bytes?.[0], row.bytes?.[1]]).toEqual([0x1f, 0x8b]);
    const again = new ResultHistory();
    await stateStore(again, row).load();
    expect(await again.encode(now)).toBe(await history.encode(now));
    // The file holds the rollups as well as the runs: the same text, the same rollups.
    expect(JSON.parse(await again.encode(now)).entries[0].rollup).toBeTruthy();
  });

  it('a damaged row: a warning, an empty history, no crash; the next save replaces it', async () => {
    const row = new Row();
    row.bytes = Buffer.from([0x1f, 0x8b, 1, 2, 3]);
    const history = new ResultHistory();
    const s = stateStore(history, row);
    await s.load();
    expect(history.keys()).toEqual([]);
    expect(logs.join('\n')).toMatch(/warn the result history in the test row could not be used: cannot unpack it/);
    row.bytes = Buffer.from('{"version":3,"entries":[{"probe":1}]}');
    await stateStore(new ResultHistory(), row).load();
    expect(logs.join('\n')).toMatch(/could not be used: unexpected content \(entries\.0\.probe/);
    history.record({probe: 'ping', target: 'mm', ok: true, durationMs: 1, startedAt: now - 1, checks: []});
    await s.saveHistory();
    const back = new ResultHistory();
    await stateStore(back, row).load();
    expect(back.keys()).toEqual([{probe: 'ping', target: 'mm'}]);
  });

  it('a store that cannot be read: a warning and an empty history', async () => {
    const row = new Row();
    row.failLoad = true;
    const history = new ResultHistory();
    await stateStore(history, row).load();
    expect(history.keys()).toEqual([]);
    expect(logs.join('\n')).toMatch(/warn the result history could not be read/);
  });

  it('while the row is empty, a history file beside the state file is read once; saves go to the row only', async () => {
    const file = path.join(dir, 'state.json');
    const history = days();
    const before = new StateStore({
      file,
      build: () => ({incidents: {trackers: [], open: [], resolved: [], mutes: []}, outbox: {pending: [], delivered: []}, reports: {adopted: false, posts: []}}),
      history,
      log,
      now: () => now,
    });
    await before.saveHistory();
    const mtime = statSync(historyFileOf(file)).mtimeMs;
    const row = new Row();
    const again = new ResultHistory();
    const s = stateStore(again, row, file);
    await s.load();
    expect(await again.encode(now)).toBe(await history.encode(now));
    await s.saveHistory();
    expect(row.bytes).not.toBeNull();
    expect([existsSync(historyFileOf(file)), statSync(historyFileOf(file)).mtimeMs]).toEqual([true, mtime]);
  });
});
