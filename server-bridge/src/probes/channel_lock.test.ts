import {MattermostClient} from '../mm/client';
import {ProbeChannelWaitAborted, withProbeChannelLock} from './channel_lock';
import {runChannelJoin} from './channel_join';
import {probeContext} from './testing/context';
import {json, localHttp} from './testing/local-http';
import type {ProbeContext} from './types';

const cache = new Map<string, unknown>();
const ctx = (signal: AbortSignal = AbortSignal.timeout(5000)): ProbeContext => ({
  target: {name: 't', url: 'http://127.0.0.1:1'},
  signal,
  timeoutMs: 5000,
  client: new MattermostClient({url: 'http://127.0.0.1:1'}),
  cache,
});

describe('withProbeChannelLock', () => {
  it('runs one holder at a time, in order', async () => {
    const log: string[] = [];
    let releaseFirst: () => void = () => undefined;
    const first = withProbeChannelLock(ctx(), 'channel1', 'a', async () => {
      log.push('first in');
      await new Promise<void>((r) => (releaseFirst = r));
      log.push('first out');
    });
    const second = withProbeChannelLock(ctx(), 'channel1', 'a', async () => {
      log.push('second');
    });
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['first in']);
    releaseFirst();
    await Promise.all([first, second]);
    expect(log).toEqual(['first in', 'first out', 'second']);
    expect(cache.size).toBe(0);
  });

  it('gives up waiting when the run is aborted, without blocking later holders', async () => {
    let releaseFirst: () => void = () => undefined;
    const first = withProbeChannelLock(ctx(), 'channel1', 'channel_join of t', () => new Promise<void>((r) => (releaseFirst = r)));
    const c = new AbortController();
    const waiting = withProbeChannelLock(ctx(c.signal), 'channel1', 'post_roundtrip of t', async () => 'never');
    await new Promise((r) => setImmediate(r));
    c.abort(new Error('stop'));
    await expect(waiting).rejects.toBeInstanceOf(ProbeChannelWaitAborted);
    await expect(waiting).rejects.toMatchObject({holder: 'channel_join of t'});
    releaseFirst();
    await first;
    await expect(withProbeChannelLock(ctx(), 'channel1', 'a', async () => 'third')).resolves.toBe('third');
  });

  it('is one lock for targets that share the probe user and the channel (nodes of one cluster at different URLs)', async () => {
    const shared = new Map<string, unknown>();
    const node = (name: string, url: string): ProbeContext => ({
      target: {name, url, probeUsername: 'probe-user', team: 'team', probeChannel: 'probe'},
      signal: AbortSignal.timeout(5000),
      timeoutMs: 5000,
      client: new MattermostClient({url}),
      cache: new Map(),
      shared,
    });
    const log: string[] = [];
    let releaseFirst: () => void = () => undefined;
    const first = withProbeChannelLock(node('node-1', 'http://10.0.0.11:8065'), 'channel1', 'channel_join of node-1', async () => {
      log.push('node-1 in');
      await new Promise<void>((r) => (releaseFirst = r));
      log.push('node-1 out');
    });
    const second = withProbeChannelLock(node('node-2', 'http://10.0.0.12:8065'), 'channel1', 'channel_join of node-2', async () => void log.push('node-2'));
    const elsewhere = withProbeChannelLock(node('node-3', 'http://10.0.0.13:8065'), 'channel2', 'channel_join of node-3', async () => void log.push('other channel'));
    await elsewhere;
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['node-1 in', 'other channel']);
    releaseFirst();
    await Promise.all([first, second]);
    expect(log).toEqual(['node-1 in', 'other channel', 'node-1 out', 'node-2']);
    expect(shared.size).toBe(0);
  });
});

describe('channel_join waiting for its turn', () => {
  it('says it waited for the probe channel and who held it, not that leaving failed', async () => {
    const server = await localHttp((req, _body, res) => {
      if (req.url === '/api/v4/users/login') return json(res, 200, {id: 'probeuserid', username: 'probe'}, {Token: 'session1'});
      if (req.url === '/api/v4/teams/name/team') return json(res, 200, {id: 'teamid', name: 'team'});
      if (req.url === '/api/v4/teams/teamid/channels/name/probe') return json(res, 200, {id: 'channel1', name: 'probe'});
      json(res, 404, {});
    });
    try {
      const shared = new Map<string, unknown>();
      const target = (name: string) => ({name, url: server.url, team: 'team', probeUsername: 'probe', probePassword: 'pw', probeChannel: 'probe'});
      let release: () => void = () => undefined;
      const holder = withProbeChannelLock(
        probeContext(target('node-1'), {timeoutMs: 5000, cache: new Map(), shared}),
        'channel1',
        'post_roundtrip of node-1',
        () => new Promise<void>((r) => (release = r)),
      );
      const result = await runChannelJoin(probeContext(target('node-2'), {timeoutMs: 300, cache: new Map(), shared}));
      release();
      await holder;
      expect(result.ok).toBe(false);
      expect(result.checks.filter((c) => !c.ok)).toEqual([
        {label: 'probe channel', ok: false, observed: 'no answer within 300 ms waiting for the probe channel (post_roundtrip of node-1 held it)', expected: 'a turn at ~probe'},
      ]);
      expect(server.requests.filter((r) => r.method === 'DELETE')).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
