import type {ProbeResult} from '../probes/types';
import {buildReport} from '../report/builder';
import {LatestStates} from '../report/states';
import {ResultHistory} from '../results/history';
import {cachedStatusRows, statusRows} from './status-rows';

const NOW = 1764115200000;
const MIN = 60_000;

const run = (probe: string, target: string, ok: boolean, at: number, extra: Partial<ProbeResult> = {}): ProbeResult => ({
  probe,
  target,
  ok,
  durationMs: 12.34,
  startedAt: at,
  checks: [{label: 'status', ok, observed: ok ? 'OK' : 'refused', expected: 'OK'}],
  ...(ok ? {} : {error: 'status: refused (expected OK)'}),
  ...extra,
});

function sources() {
  const history = new ResultHistory();
  const states = new LatestStates();
  const results = [
    run('ping', 'a', true, NOW - 25 * 60 * MIN), // outside the 24 h window by now
    run('ping', 'a', false, NOW - 3 * MIN),
    run('ping', 'a', true, NOW - 2 * MIN, {facts: {serverVersion: '10.12.0'}}),
    run('login', 'a', false, NOW - MIN),
    run('login', 'b', false, NOW - MIN, {notConfigured: ['probePassword'], checks: []}),
  ];
  for (const r of results) {
    history.record(r);
    states.observe(r);
  }
  const jobs = [
    {probe: 'ping', target: 'a'},
    {probe: 'login', target: 'a'},
    {probe: 'ping', target: 'b'},
    {probe: 'login', target: 'b'},
  ];
  return {history, states, jobs};
}

describe('statusRows', () => {
  it('reads the latest run, the state and the 24 h counts of every configured probe+target, in order', () => {
    expect(statusRows(sources(), NOW)).toEqual([
      {probe: 'ping', target: 'a', state: 'ok', durationMs: 12.3, startedAt: NOW - 2 * MIN, uptime24h: 0.5, runs24h: 2, failures24h: 1, error: undefined, serverVersion: '10.12.0'},
      {probe: 'login', target: 'a', state: 'failing', durationMs: 12.3, startedAt: NOW - MIN, uptime24h: 0, runs24h: 1, failures24h: 1, error: 'status: refused (expected OK)'},
      {probe: 'ping', target: 'b', state: 'unknown', durationMs: null, startedAt: null, uptime24h: null, runs24h: 0, failures24h: 0, error: undefined},
      {probe: 'login', target: 'b', state: 'not_configured', durationMs: null, startedAt: NOW - MIN, uptime24h: null, runs24h: 0, failures24h: 0, error: 'not configured: needs probePassword'},
    ]);
  });

  it('says what a report would say, without building the chart series', () => {
    const s = sources();
    const series = jest.spyOn(s.history, 'series');
    const rows = statusRows(s, NOW);
    expect(series).not.toHaveBeenCalled();
    const report = buildReport(
      {
        ...s,
        targets: [
          {name: 'a', url: 'x'},
          {name: 'b', url: 'y'},
        ],
      },
      {now: NOW, reason: 'run', heartbeatIntervalMs: 1, bridgeVersion: '0'},
    );
    expect(rows.map((r) => [r.probe, r.target, r.state, r.durationMs, r.uptime24h, r.runs24h, r.failures24h, r.error])).toEqual(
      report.probes.map((p) => [p.probe, p.target, p.state, p.durationMs, p.uptime24h, p.runs24h, p.failures24h, p.error]),
    );
  });
});

describe('cachedStatusRows', () => {
  it('keeps the rows until a run is recorded or the second turns', () => {
    const {history, states, jobs} = sources();
    let now = NOW + 100;
    const rows = cachedStatusRows({history, states, jobs}, () => now);
    const first = rows();
    now += 800;
    expect(rows()).toBe(first);
    const r = run('ping', 'b', true, now);
    history.record(r);
    states.observe(r);
    const second = rows();
    expect(second).not.toBe(first);
    expect(second.find((x) => x.probe === 'ping' && x.target === 'b')).toMatchObject({state: 'ok', runs24h: 1});
    now += 200;
    const third = rows();
    expect(third).not.toBe(second);
    expect(third).toEqual(statusRows({history, states, jobs}, now));
  });
});
