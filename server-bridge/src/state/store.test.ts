import {existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {gunzipSync} from 'node:zlib';
import {DEFAULT_INCIDENT_SETTINGS} from '../incidents/incidents';
import type {IncidentParts, IncidentService} from '../bridge/incident-service';
import {incidentParts, incidentService} from '../bridge/incident-parts';
import {MattermostClient} from '../mm/client';
import type {ProbeResult} from '../probes/types';
import {ResultHistory} from '../results/history';
import {StateStore, historyFileOf} from './store';

const MIN = 60_000;
const PROBES = ['ping', 'login', 'websocket'];
const result = (probe: string, at: number, ok: boolean, target = 'local'): ProbeResult => ({
  probe,
  target,
  ok,
  durationMs: 12.5,
  startedAt: at,
  checks: ok ? [] : [{label: 'status', ok: false, observed: 'connection refused', expected: 'HTTP 200'}],
  ...(ok ? {} : {error: 'connect ECONNREFUSED'}),
});

describe('the state file of the incident service', () => {
  let dir: string;
  let file: string;
  let clock: number;
  const logs: string[] = [];
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hc-store-'));
    file = path.join(dir, 'state.json');
    clock = Date.UTC(2026, 10, 30);
    logs.length = 0;
  });
  afterEach(() => rmSync(dir, {recursive: true, force: true}));

  // The parts of the latest service built: its state store is what these tests watch.
  let parts: IncidentParts;
  const flushState = async () => await parts.store?.flush();
  async function service(history: ResultHistory, configured = PROBES.map((probe) => ({probe, target: 'local'}))) {
    const log = (level: string) => (m: string) => void logs.push(`${level} ${m}`);
    const options: Parameters<typeof incidentParts>[0] = {
      // Never called: the service is not started, so nothing is posted.
      bot: new MattermostClient({url: 'http://127.0.0.1:9', token: 'bottoken'}),
      siteUrl: 'http://127.0.0.1:9',
      team: 'team',
      teams: ['team'],
      opsChannel: 'ops',
      stateFile: file,
      settings: DEFAULT_INCIDENT_SETTINGS,
      knownProbes: () => PROBES,
      probeRows: () => [],
      runNow: async () => [],
      log: {info: log('info'), warn: log('warn'), error: log('error')},
      history,
      configured,
      saveDelayMs: 60_000,
      now: () => clock,
    };
    parts = await incidentParts(options);
    return incidentService(options, parts);
  }
  const run = (s: IncidentService, h: ResultHistory, ok: boolean) => {
    for (const probe of PROBES) {
      const r = result(probe, clock, ok);
      h.record(r);
      s.observe([r]);
    }
    clock += MIN;
  };

  it('writes only what changed and must survive: not once per run, never the history', async () => {
    const history = new ResultHistory();
    const s = await service(history);
    run(s, history, true);
    run(s, history, true);
    await flushState();
    const first = statSync(file);
    for (let i = 0; i < 30; i++) {
      run(s, history, true);
      await flushState();
    }
    // Steady state: 30 cycles later the file is the same file (an atomic write replaces the inode).
    expect(statSync(file).ino).toBe(first.ino);
    expect(parts.store?.writes).toBe(1);
    expect(readFileSync(file, 'utf8')).not.toContain('samples');
    expect(first.size).toBeLessThan(3000);
    run(s, history, false);
    run(s, history, false);
    await flushState();
    expect(statSync(file).ino).not.toBe(first.ino);
    await s.stop();
    expect(existsSync(historyFileOf(file))).toBe(true);
  });

  it('writes the history gzipped and reads it back, as well as a plain one of an older version', async () => {
    const history = new ResultHistory();
    const s = await service(history);
    for (const ok of [true, true, false]) run(s, history, ok);
    await s.stop();
    const packed = readFileSync(historyFileOf(file));
    expect([packed[0], packed[1]]).toEqual([0x1f, 0x8b]);
    const again = new ResultHistory();
    await (await service(again)).stop();
    expect(again.aggregate('ping', 'local', clock)).toEqual(history.aggregate('ping', 'local', clock));
    writeFileSync(historyFileOf(file), gunzipSync(packed));
    const plain = new ResultHistory();
    await (await service(plain)).stop();
    expect(plain.aggregate('ping', 'local', clock)).toEqual(history.aggregate('ping', 'local', clock));
  });

  it('brings back incidents and the 24 h history after a restart, dropping what is no longer configured', async () => {
    const history = new ResultHistory();
    const s = await service(history, [...PROBES.map((probe) => ({probe, target: 'local'})), {probe: 'ping', target: 'old-node'}]);
    for (const ok of [true, false, false]) {
      run(s, history, ok);
      const r = result('ping', clock, false, 'old-node');
      history.record(r);
      s.observe([r]);
    }
    await s.stop();
    expect(JSON.parse(readFileSync(file, 'utf8')).incidents.open).toHaveLength(2);

    const again = new ResultHistory();
    const restarted = await service(again);
    expect(restarted.incidents.openIncidents().map((i) => i.target)).toEqual(['local']);
    expect(again.aggregate('ping', 'local', clock)).toEqual(history.aggregate('ping', 'local', clock));
    expect(again.keys()).not.toContainEqual({probe: 'ping', target: 'old-node'});
    expect(restarted.outbox.snapshot().pending.at(-1)?.message).toContain('this target is no longer configured');
    expect(logs.join('\n')).toContain('no longer configured was dropped');
    await restarted.stop();
  });

  it('sets a bad part aside with an error and keeps the rest', async () => {
    const history = new ResultHistory();
    const s = await service(history);
    for (const ok of [true, false, false]) run(s, history, ok);
    await s.stop();
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({...saved, outbox: {pending: 'broken'}}));
    writeFileSync(historyFileOf(file), '{"version":2,"entries":[');

    const restarted = await service(new ResultHistory());
    expect(restarted.incidents.openIncidents()).toHaveLength(1);
    expect(restarted.outbox.size).toBe(0);
    expect(logs.join('\n')).toMatch(/error state file .* a part could not be used and starts empty: outbox: .*kept as .*corrupt-/);
    expect(logs.join('\n')).toMatch(/warn result history .* could not be used: not valid JSON/);
    expect(readdirSync(dir).filter((f) => f.includes('.corrupt-'))).toHaveLength(2);
    await restarted.stop();
  });
});

describe('StateStore write timing', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hc-store-timing-'));
    jest.useFakeTimers({doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'Date', 'performance', 'hrtime']});
  });
  afterEach(() => {
    jest.useRealTimers();
    rmSync(dir, {recursive: true, force: true});
  });

  /** The write itself runs on libuv's threads: real time, polled. */
  const settle = async (store: StateStore, writes: number) => {
    for (let i = 0; i < 20_000 && store.writes < writes; i++) await new Promise((r) => setImmediate(r));
  };

  it('writes a lazy change (trackers, reports) late, and at once with the next urgent one', async () => {
    let content = {incidents: {trackers: [], open: [], resolved: [], mutes: []}, outbox: {pending: [], delivered: []}, reports: {adopted: true, posts: []}} as ReturnType<
      ConstructorParameters<typeof StateStore>[0]['build']
    >;
    const log = {info: () => undefined, warn: () => undefined, error: () => undefined};
    const store = new StateStore({file: path.join(dir, 'state.json'), build: () => content, log, delayMs: 1_000, lazyDelayMs: 10_000});
    content = {...content, reports: {adopted: true, posts: [{id: 'p1', at: 1}]}};
    store.changed(true);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(store.writes).toBe(0);
    await jest.advanceTimersByTimeAsync(5_000);
    await settle(store, 1);
    expect(store.writes).toBe(1);
    // A lazy change, then an urgent one: one write, a second after the urgent one.
    content = {...content, reports: {adopted: true, posts: [{id: 'p2', at: 2}]}};
    store.changed(true);
    await jest.advanceTimersByTimeAsync(2_000);
    content = {...content, outbox: {pending: [], delivered: [{deliveryId: 'd', postId: 'p', channelId: 'c', at: 3}]}};
    store.changed();
    await jest.advanceTimersByTimeAsync(1_000);
    await settle(store, 2);
    expect(store.writes).toBe(2);
    expect(readFileSync(path.join(dir, 'state.json'), 'utf8')).toContain('"p2"');
    await jest.advanceTimersByTimeAsync(10_000);
    expect(store.writes).toBe(2);
    await store.stop();
  });
});
