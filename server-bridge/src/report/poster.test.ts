import {REPORT_POST_TYPE, REPORT_PROP, reportSchema, type Report} from '../contract';
import {ResultHistory} from '../results/history';
import {buildReport, type ReportReason} from './builder';
import {ReportPoster} from './poster';
import type {OutgoingPost, PostSink} from './sink';

function setup(sinkImpl?: PostSink['send']) {
  let state = 'ok';
  const sent: OutgoingPost[] = [];
  const warnings: string[] = [];
  const sink: PostSink = {
    send:
      sinkImpl ??
      (async (post) => {
        sent.push(post);
        return {id: `p${sent.length}`};
      }),
  };
  const history = new ResultHistory();
  const build = (reason: ReportReason): Report =>
    buildReport(
      {history, jobs: [{probe: 'ping', target: 'local'}], targets: [{name: 'local', url: 'http://x'}], states: {stateOf: () => ({state: state as 'ok', since: 0})}},
      {now: Date.now(), reason, heartbeatIntervalMs: 60_000, bridgeVersion: '0.1.0'},
    );
  const poster = new ReportPoster({
    sink,
    channelId: async () => 'logchannel',
    build,
    stateSignature: () => state,
    heartbeatMs: 60_000,
    debounceMs: 100,
    retryMs: 10_000,
    minIntervalMs: 5_000,
    log: {info: () => undefined, warn: (f, m) => warnings.push(`${m}: ${String(f.err)}`)},
    redact: (t) => t.split('sekret').join('[REDACTED]'),
  });
  return {poster, sent, warnings, setState: (s: string) => (state = s)};
}

const reasons = (sent: OutgoingPost[]) => sent.map((p) => (p.props[REPORT_PROP] as Report).reason);

beforeEach(() => jest.useFakeTimers({now: 1_764_115_200_000}));
afterEach(() => jest.useRealTimers());

describe('ReportPoster', () => {
  it('posts a typed report at start, then only at the heartbeat while nothing changes', async () => {
    const {poster, sent} = setup();
    await poster.start();
    expect(sent[0]).toMatchObject({channelId: 'logchannel', type: REPORT_POST_TYPE});
    expect(reportSchema.safeParse(sent[0]?.props[REPORT_PROP]).success).toBe(true);
    expect(sent[0]?.message).toBe('Health check: OK · 1/1 probes OK on local');
    for (let i = 0; i < 10; i++) {
      poster.runObserved();
      await jest.advanceTimersByTimeAsync(1000);
    }
    expect(reasons(sent)).toEqual(['startup']);
    await jest.advanceTimersByTimeAsync(50_000);
    expect(reasons(sent)).toEqual(['startup', 'heartbeat']);
    await poster.stop();
  });

  it('posts once when states change, however many runs report it', async () => {
    const {poster, sent, setState} = setup();
    await poster.start();
    setState('failing');
    poster.runObserved();
    poster.runObserved();
    await jest.advanceTimersByTimeAsync(50);
    poster.runObserved();
    await jest.advanceTimersByTimeAsync(500);
    poster.runObserved();
    await jest.advanceTimersByTimeAsync(4_500);
    expect(reasons(sent)).toEqual(['startup', 'state_change']);
    // The heartbeat counts from the last post.
    await jest.advanceTimersByTimeAsync(59_000);
    expect(reasons(sent)).toEqual(['startup', 'state_change']);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(reasons(sent)).toEqual(['startup', 'state_change', 'heartbeat']);
    await poster.stop();
  });

  it('posts state changes at most once per minimum interval, the last state included', async () => {
    const {poster, sent, setState} = setup();
    await poster.start();
    for (const [i, state] of ['failing', 'ok', 'failing', 'degraded'].entries()) {
      setState(state);
      poster.runObserved();
      await jest.advanceTimersByTimeAsync(i === 0 ? 600 : 1000);
    }
    // 0.6 s after start: too soon after the startup post; the changes wait for the 5 s mark.
    expect(reasons(sent)).toEqual(['startup']);
    await jest.advanceTimersByTimeAsync(2000);
    expect(reasons(sent)).toEqual(['startup', 'state_change']);
    expect((sent[1]?.props[REPORT_PROP] as Report).probes[0]?.state).toBe('degraded');
    await jest.advanceTimersByTimeAsync(20_000);
    expect(reasons(sent)).toEqual(['startup', 'state_change']);
    await poster.stop();
  });

  it('retries a failed post after the retry delay, with the secret kept out of the log', async () => {
    let fail = true;
    const sent: string[] = [];
    const {poster, warnings} = setup(async (post) => {
      if (fail) throw new Error('connect ECONNREFUSED token=sekret');
      sent.push((post.props[REPORT_PROP] as Report).reason);
      return {id: 'x'};
    });
    expect(await poster.start()).toBeNull();
    expect(warnings).toEqual(['report not posted: connect ECONNREFUSED token=[REDACTED]']);
    fail = false;
    await jest.advanceTimersByTimeAsync(10_000);
    expect(sent).toEqual(['startup']);
    await poster.stop();
  });

  it('posts nothing after stop', async () => {
    const {poster, sent} = setup();
    await poster.start();
    await poster.stop();
    await jest.advanceTimersByTimeAsync(120_000);
    expect(await poster.post('run')).toBeNull();
    expect(sent).toHaveLength(1);
  });

  it('a report that cannot be built is logged and retried, never a rejected promise', async () => {
    const warnings: string[] = [];
    const poster = new ReportPoster({
      sink: {send: async () => ({id: 'p1'})},
      channelId: async () => 'logchannel',
      build: () => {
        throw new Error('a target without a name');
      },
      stateSignature: () => 'ok',
      heartbeatMs: 60_000,
      retryMs: 10_000,
      log: {info: () => undefined, warn: (f, m) => warnings.push(`${m}: ${String(f.err)}`)},
    });
    await expect(poster.start()).resolves.toBeNull();
    expect(warnings).toEqual(['report not posted: a target without a name']);
    await poster.stop();
  });
});
