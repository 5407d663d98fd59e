import {readFileSync} from 'node:fs';
import path from 'node:path';
import {REPORT_POST_TYPE, REPORT_PROP, parseReportPost, reportSchema, type Report} from '../contract';
import type {ProbeResult} from '../probes/types';
import {DAY_MS, ResultHistory} from '../results/history';
import {MAX_REPORT_BYTES, MM_DEFAULT_MAX_PAYLOAD_BYTES, buildReport, buildReportInSlices, fitReport, overallOf, type ReportSources} from './builder';
import {reportMessage} from './message';
import {LatestStates} from './states';

const fixture = (name: string): Report => JSON.parse(readFileSync(path.resolve(__dirname, '../../../tests/fixtures', name), 'utf8')) as Report;
const NOW = 1764115200000;

function run(probe: string, target: string, ok: boolean, at: number, durationMs = 12, extra: Partial<ProbeResult> = {}): ProbeResult {
  return {
    probe,
    target,
    ok,
    durationMs,
    startedAt: at,
    checks: [{label: 'status', ok, observed: ok ? 'OK' : 'connection refused (ECONNREFUSED)', expected: 'OK'}],
    ...(ok ? {} : {error: 'status: connection refused (ECONNREFUSED) (expected OK)'}),
    ...extra,
  };
}

function sources(results: ProbeResult[], jobs: {probe: string; target: string}[]): ReportSources {
  const history = new ResultHistory();
  const states = new LatestStates();
  for (const r of results) {
    history.record(r);
    states.observe(r);
  }
  return {history, jobs, targets: [{name: 'local', url: 'http://127.0.0.1:8065'}], states};
}

const meta = {now: NOW, reason: 'heartbeat' as const, heartbeatIntervalMs: 300_000, bridgeVersion: '0.1.0'};

describe('buildReport', () => {
  const jobs = [
    {probe: 'ping', target: 'local'},
    {probe: 'post_roundtrip', target: 'local'},
    {probe: 'login', target: 'local'},
    {probe: 'websocket', target: 'local'},
  ];
  const results = [
    run('ping', 'local', true, NOW - 120_000, 4, {facts: {serverVersion: '11.4.0'}}),
    run('ping', 'local', true, NOW - 60_000, 6, {facts: {serverVersion: '11.4.0'}}),
    run('post_roundtrip', 'local', true, NOW - 120_000, 40),
    run('post_roundtrip', 'local', false, NOW - 60_000, 5000),
    {probe: 'login', target: 'local', ok: false, durationMs: 0, startedAt: NOW - 60_000, checks: [], notConfigured: ['probePassword']},
  ];

  it('is built the same in slices, serving the event loop between them', async () => {
    const src = sources(results, jobs);
    let served = false;
    // Runs only if the build gives the loop a turn (a build without one resolves in a microtask).
    setImmediate(() => (served = true));
    // A slice of 0 ms: a yield after every probe.
    const sliced = await buildReportInSlices(src, {...meta, id: 'rep_1'}, 0);
    expect(served).toBe(true);
    expect(sliced).toEqual(buildReport(src, {...meta, id: 'rep_1'}));
  });

  it('produces a report the contract schema accepts, with every configured probe', () => {
    const report = buildReport(sources(results, jobs), meta);
    expect(reportSchema.safeParse(report).success).toBe(true);
    expect(report.probes.map((p) => [p.probe, p.state])).toEqual([
      ['ping', 'ok'],
      ['post_roundtrip', 'failing'],
      ['login', 'not_configured'],
      ['websocket', 'unknown'],
    ]);
    expect(report.overall).toBe('failing');
    expect(report.targets).toEqual([{name: 'local', serverVersion: '11.4.0'}]);
    expect(JSON.stringify(report)).not.toContain('127.0.0.1');
    const withUrls = buildReport({...sources(results, jobs), publishTargetUrls: true}, meta);
    expect(withUrls.targets).toEqual([{name: 'local', url: 'http://127.0.0.1:8065', serverVersion: '11.4.0'}]);
  });

  it('several bridges: carries each bridge and when it last reported, which the contract accepts', () => {
    const bridges = [
      {instance: 'bridge-a', lastSeenAt: 1_000, leader: true, silent: false},
      {instance: 'bridge-b', lastSeenAt: 500, leader: false, silent: true},
    ];
    const report = buildReport({...sources(results, jobs), bridges: () => bridges}, meta);
    expect(report.bridges).toEqual(bridges);
    expect(reportSchema.safeParse(report).success).toBe(true);
    expect(buildReport(sources(results, jobs), meta).bridges).toBeUndefined();
  });

  it('carries reasons and the 24 h figures of each probe', () => {
    const report = buildReport(sources(results, jobs), meta);
    const [ping, roundtrip, login, websocket] = report.probes;
    expect(ping).toMatchObject({ok: true, durationMs: 6, uptime24h: 1, p50Ms: 5, runs24h: 2, failures24h: 0, lastFailureAt: null, since: NOW - 120_000});
    expect(roundtrip).toMatchObject({
      ok: false,
      error: 'status: connection refused (ECONNREFUSED) (expected OK)',
      checks: [{label: 'status', ok: false, observed: 'connection refused (ECONNREFUSED)', expected: 'OK'}],
      uptime24h: 0.5,
      p95Ms: 40,
      lastFailureAt: NOW - 60_000,
      lastFailureReason: 'status: connection refused (ECONNREFUSED) (expected OK)',
    });
    expect(login).toMatchObject({state: 'not_configured', error: 'not configured: needs probePassword', durationMs: null, runs24h: 0});
    expect(websocket).toMatchObject({ok: false, durationMs: null, startedAt: null, uptime24h: null, checks: []});
    expect(report.series.probes.map((s) => s.probe)).toEqual(['ping', 'post_roundtrip', 'login']);
    expect(report.series.probes[1]?.failures.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('takes states, incidents and mute from the seams', () => {
    const s = sources(results, jobs);
    const incident = fixture('report.v1.json').incidents[0];
    const report = buildReport(
      {...s, states: {stateOf: (probe) => (probe === 'ping' ? {state: 'degraded', since: 5} : {state: 'ok', since: 1})}, incidents: () => (incident ? [incident] : []), mutedUntil: () => NOW + 1000},
      meta,
    );
    expect(report.probes.map((p) => p.state)).toEqual(['degraded', 'ok', 'not_configured', 'ok']);
    expect(report.overall).toBe('degraded');
    expect(report.incidents).toEqual([incident]);
    expect(report.mutedUntil).toBe(NOW + 1000);
  });

  it('is read back by the webapp side only when the configured bot posted it', () => {
    const report = buildReport(sources(results, jobs), meta);
    const post = {user_id: 'bot', type: REPORT_POST_TYPE, props: {[REPORT_PROP]: JSON.parse(JSON.stringify(report)) as unknown}};
    expect(parseReportPost(post, 'bot')).toEqual({ok: true, value: report});
    expect(parseReportPost(post, 'other').ok).toBe(false);
  });

  it('has the shape of the golden fixtures', () => {
    const report = buildReport(sources(results, jobs), meta);
    const golden = fixture('report.v1.json');
    expect(Object.keys(report).sort()).toEqual(Object.keys(golden).sort());
    const keysOf = (p: object) =>
      Object.keys(p)
        .filter((k) => k !== 'error' && k !== 'lastFailureReason')
        .sort();
    expect(keysOf(report.probes[0] as object)).toEqual(keysOf(golden.probes[0] as object));
    expect(report.series.bucketMs).toBe(golden.series.bucketMs);
    expect(report.series.probes[0]?.runs).toHaveLength(golden.series.probes[0]?.runs.length ?? -1);
  });
});

describe('fitReport', () => {
  it('keeps a report that fits; one that does not loses the series of healthy probes first, then all', () => {
    const report = fixture('report.v1.json');
    expect(fitReport(report)).toEqual({report, trimmed: false});
    const size = JSON.stringify(report).length;
    const fitted = fitReport(report, size - 1);
    expect(fitted.trimmed).toBe(true);
    // post_roundtrip is the fixture's failing probe: its chart stays.
    expect(fitted.report.series.probes.map((p) => p.probe)).toEqual(['post_roundtrip']);
    expect(fitted.report.probes).toEqual(report.probes);
    expect(reportSchema.safeParse(fitted.report).success).toBe(true);
    expect(fitReport(report, 1000).report.series.probes).toEqual([]);
  });

  it("drops the strips and the budget charts last, keeping the objectives' figures", () => {
    const report = fixture('report.slo.v1.json');
    const bare = JSON.stringify({...report, series: {...report.series, probes: []}}).length;
    const fitted = fitReport(report, bare - 1).report;
    expect(fitted.strips).toBeUndefined();
    expect(fitted.slos?.map((s) => [s.name, s.budgetLeft, s.budget.length])).toEqual(report.slos?.map((s) => [s.name, s.budgetLeft, 0]));
    expect(reportSchema.safeParse(fitted).success).toBe(true);
  });
});

describe('a report over 50 targets', () => {
  it("carries every target's 24 h series and stays far below a post's limit (only failed checks are in it)", () => {
    const targets = Array.from({length: 50}, (_, i) => `node-${String(i + 1).padStart(2, '0')}`);
    const probes = ['ping', 'login', 'websocket', 'post_roundtrip'];
    const jobs = targets.flatMap((target) => probes.map((probe) => ({probe, target})));
    const results: ProbeResult[] = [];
    // One run every 30 min over the last day, the latest failing on one target.
    for (const job of jobs) {
      for (let at = NOW - 86_400_000 + 60_000; at <= NOW; at += 1_800_000)
        results.push(run(job.probe, job.target, !(job.target === 'node-07' && job.probe === 'login' && at > NOW - 1_800_000), at, 40));
    }
    const src = {...sources(results, jobs), targets: targets.map((name) => ({name, url: 'http://10.0.0.1:8065'}))};
    const report = buildReport(src, meta);
    const chars = JSON.stringify(report).length;
    console.log(
      `a report over 50 targets x 4 probes: ${(chars / 1000).toFixed(1)} k characters of the ${(MAX_REPORT_BYTES / 1000).toFixed(0)} k bytes the bridge allows (Mattermost's default request limit: 300 k)`,
    );
    expect(chars).toBeLessThan(MAX_REPORT_BYTES / 1.5);
    expect(fitReport(report).trimmed).toBe(false);
    expect(report.series.probes).toHaveLength(200);
    expect(report.probes.flatMap((p) => p.checks).every((c) => !c.ok)).toBe(true);
    expect(report.probes.find((p) => p.target === 'node-07' && p.probe === 'login')?.checks).toHaveLength(1);
  });

  it("fits a 50-target report (24 h series) inside the server's default request limit", () => {
    const T0 = Date.UTC(2026, 10, 30);
    // Mattermost answers 413 to a body above MaximumPayloadSizeBytes (300,000 by default): the report was dropped.
    const history = new ResultHistory();
    const targets = Array.from({length: 50}, (_, i) => ({name: `node-${i}`, url: `http://10.0.0.${i}:8065`}));
    const jobs = targets.flatMap((t) =>
      ['ping', 'server_status', 'login_page', 'login', 'websocket', 'post_roundtrip', 'channel_join', 'search_users', 'search_channels'].map((probe) => ({probe, target: t.name})),
    );
    for (let at = T0 - DAY_MS + 60_000; at <= T0; at += 60_000) for (const j of jobs) history.record({...j, ok: true, durationMs: 12, startedAt: at, checks: []});
    const report = buildReport({history, jobs, targets, states: {stateOf: () => ({state: 'ok', since: 0})}}, {now: T0, reason: 'heartbeat', heartbeatIntervalMs: 300_000, bridgeVersion: '0.1.0'});
    const body = JSON.stringify({
      channel_id: 'x'.repeat(26),
      message: 'report',
      type: 'custom_healthcheck_report',
      props: {healthcheck_report: fitReport(report).report, healthcheck_delivery_id: 'y'.repeat(36)},
    });
    expect(Buffer.byteLength(body)).toBeLessThan(MM_DEFAULT_MAX_PAYLOAD_BYTES);
  });
});

describe('overallOf', () => {
  it('is the worst measured state', () => {
    expect(overallOf([])).toBe('unknown');
    expect(overallOf(['not_configured'])).toBe('unknown');
    expect(overallOf(['ok', 'not_configured'])).toBe('ok');
    expect(overallOf(['ok', 'unknown'])).toBe('unknown');
    expect(overallOf(['ok', 'degraded', 'unknown'])).toBe('degraded');
    expect(overallOf(['failing', 'degraded'])).toBe('failing');
  });
});

describe('reportMessage', () => {
  it('is short and says what fails, for the golden reports', () => {
    expect(reportMessage(fixture('report.ok.v1.json'))).toBe('Health check: OK · 9/9 probes OK on local');
    const failing = reportMessage(fixture('report.v1.json'));
    expect(failing.split('\n')[0]).toBe('Health check: FAILING · 8/9 probes OK on local');
    expect(failing).toMatch(/^- post_roundtrip failing: `.+`$/m);
  });

  it('counts targets when there are several: one short line per target in trouble, at most three', () => {
    const report = fixture('report.v1.json');
    const ok = report.probes.find((p) => p.state === 'ok') as Report['probes'][number];
    const bad = report.probes.find((p) => p.state === 'failing') as Report['probes'][number];
    const targets = Array.from({length: 50}, (_, i) => `node-${i + 1}`);
    const failing = new Set(['node-2', 'node-3', 'node-4', 'node-5']);
    const probes = targets.flatMap((target) => ['ping', 'login'].map((probe) => ({...(failing.has(target) ? bad : ok), probe, target})));
    const message = reportMessage({...report, targets: targets.map((name) => ({name, serverVersion: null})), probes});
    expect(message.split('\n')).toEqual([
      'Health check: FAILING · 46/50 targets OK (92/100 probes)',
      expect.stringMatching(/^- node-2: ping failing: `.+` \(\+1 more\)$/),
      expect.stringMatching(/^- node-3: ping failing/),
      expect.stringMatching(/^- node-4: ping failing/),
      '- and 1 more target',
    ]);
  });

  it('keeps server text in a code span, without backticks, cut to a readable length', () => {
    const report = fixture('report.v1.json');
    const bad = {...(report.probes[5] as Report['probes'][number]), error: `@channel \`boom\` <b>x</b> ${'y'.repeat(400)}`};
    const message = reportMessage({...report, probes: [bad]});
    const line = message.split('\n')[1] ?? '';
    expect(line).toMatch(/^- post_roundtrip failing: `@channel 'boom' <b>x<\/b> y+…`$/);
    expect(line.length).toBeLessThan(200);
  });
});
