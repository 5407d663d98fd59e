// Every probe against the real Mattermost server: each succeeds, and each failure the issue names
// gives a clear observed/expected reason (wrong password, too few results, connection refused,
// a server too slow behind a TCP proxy, a post that never arrives, UNHEALTHY from a low
// GoroutineHealthThreshold, the login page without root.html). post_roundtrip must never leave a post behind.
import {renameSync} from 'node:fs';
import net from 'node:net';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {probeTarget, testServer} from '../lib/mattermost';
import {startPushProxy, type PushProxy} from '../lib/push-proxy';
import {startTcpProxy, type TcpProxy} from '../lib/tcp-proxy';
import {probeContext} from '../../server-bridge/src/probes/testing/context';
import {PROBE_POST_PREFIX} from '../../server-bridge/src/probes/probe_posts';
import {PROBE_NAMES, probeRegistry, type ProbeName} from '../../server-bridge/src/probes/registry';
import type {ProbeResult, TargetSettings} from '../../server-bridge/src/probes/types';
import {Scheduler, jobsFor} from '../../server-bridge/src/scheduler';
import type {FetchLike} from '../../server-bridge/src/mm/client';
import type {MmPost, MmPostList} from '../../server-bridge/src/mm/types';

const mm = testServer();
const env = mm.env as Record<string, string>;
const started = Date.now();
// The push probe's device; the server sends its test push to a push proxy on loopback.
let pushProxy: PushProxy;
const secrets = [env.MM_BOT_TOKEN, env.MM_ADMIN_TOKEN, env.MM_PROBE_PASSWORD] as string[];

const target = (extra: Partial<TargetSettings> = {}): TargetSettings => probeTarget(mm, {pushDeviceId: pushProxy.deviceId, ...extra});

beforeAll(async () => {
  pushProxy = await startPushProxy(mm);
  secrets.push(pushProxy.deviceId);
});
afterAll(() => pushProxy.stop());

interface RunOptions {
  timeoutMs?: number;
  cache?: Map<string, unknown>;
  signal?: AbortSignal;
  /** Collects "METHOD /path?query" of every HTTP request the probe makes (real fetch underneath). */
  calls?: string[];
}

async function run(name: ProbeName, t: TargetSettings, options: RunOptions = {}): Promise<ProbeResult> {
  const calls = options.calls;
  const recording: FetchLike = (input, init) => {
    const u = new URL(input);
    calls?.push(`${init.method ?? 'GET'} ${u.pathname}${u.search}`);
    return fetch(input, init);
  };
  const ctx = probeContext(t, {timeoutMs: options.timeoutMs ?? 10_000, cache: options.cache ?? new Map(), signal: options.signal, fetch: recording});
  const result = await probeRegistry[name].run(ctx);
  const text = JSON.stringify(result);
  for (const secret of secrets) expect(text).not.toContain(secret);
  return result;
}

const failed = (r: ProbeResult) => r.checks.filter((c) => !c.ok);

/** Undeleted probe posts in the probe channel since the suite started. */
async function probePostsLeft(): Promise<MmPost[]> {
  const list = await mm.admin.get<MmPostList>(`/channels/${env.MM_PROBE_CHANNEL_ID}/posts`, {query: {since: started - 1000}});
  return Object.values(list.posts).filter((p) => p.delete_at === 0 && p.message.startsWith(PROBE_POST_PREFIX));
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const {port} = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('every probe against the real server', () => {
  const cache = new Map<string, unknown>();

  it.each(PROBE_NAMES)('%s succeeds', async (name) => {
    const result = await run(name, target({adminToken: env.MM_ADMIN_TOKEN}), {cache});
    expect(failed(result)).toEqual([]);
    expect(result).toMatchObject({probe: name, target: 'e2e', ok: true});
    expect(result.notConfigured).toBeUndefined();
    expect(result.checks.length).toBeGreaterThan(0);
  });

  it('push: the server sent its test push for the device to the push proxy; a dropped device and a failing proxy are failures that say so', async () => {
    expect(pushProxy.received.some((m) => m.device_id === pushProxy.deviceId.split(':')[1] && m.platform === 'android_rn-v2' && m.type === 'test')).toBe(true);
    pushProxy.answer = {status: 'REMOVE'};
    const removed = await run('push', target());
    expect(failed(removed).map((c) => c.observed)).toEqual([expect.stringContaining('false (push notifications are off in the server, or the push proxy dropped this device)')]);
    pushProxy.answer = {status: 'FAIL', error: 'no such app'};
    expect(failed(await run('push', target())).map((c) => c.observed)).toEqual([expect.stringContaining('unknown')]);
    pushProxy.answer = {status: 'OK'};
    expect((await run('push', target({pushDeviceId: undefined}))).notConfigured).toEqual(['pushDeviceId']);
  });

  it('cluster: Team Edition answers [], reported as not applicable, never a failure', async () => {
    const result = await run('cluster', target({adminToken: env.MM_ADMIN_TOKEN}));
    expect(result).toMatchObject({ok: true, facts: {clusterNodes: 0}});
    expect(result.checks[0]?.observed).toContain('not applicable');
    // A normal user's token: the server refuses, which is a failure with the server's words.
    const refused = await run('cluster', target({adminToken: env.MM_BOT_TOKEN}));
    expect(refused.ok).toBe(false);
  });

  it('ping records the server version', async () => {
    const result = await run('ping', target());
    expect(result.facts?.serverVersion).toBe('11.4.0');
  });

  it('post_roundtrip measures the delivery and deletes its post, without marking the bot online', async () => {
    const calls: string[] = [];
    const result = await run('post_roundtrip', target(), {cache, calls});
    expect(result.ok).toBe(true);
    expect(calls).toContain('POST /api/v4/posts?set_online=false');
    expect(calls.filter((c) => c.startsWith('POST /api/v4/posts'))).toHaveLength(1);
    expect(typeof result.facts?.latencyMs).toBe('number');
    expect(result.facts?.latencyMs as number).toBeGreaterThan(0);
    // The bot's typing event reached the probe user's new socket before the post (warm_up.ts).
    expect(calls).toContain(`POST /api/v4/users/${env.MM_BOT_USER_ID}/typing`);
    expect(result.facts?.warmedUp).toBe(true);
    expect(result.checks.find((c) => c.label === 'cleanup')).toMatchObject({ok: true, observed: 'probe post deleted'});
    expect(await probePostsLeft()).toEqual([]);
  });

  it('post_roundtrip purges its post for good when it has an admin token, and soft-deletes it otherwise', async () => {
    const postIdOf = (calls: string[]) => /^DELETE \/api\/v4\/posts\/(\w+)$/.exec(calls.find((c) => /^DELETE \/api\/v4\/posts\/\w+$/.test(c)) ?? '')?.[1];
    const softCalls: string[] = [];
    expect((await run('post_roundtrip', target(), {cache, calls: softCalls})).facts?.postPurged).toBe(false);
    const soft = await mm.admin.get<MmPost>(`/posts/${postIdOf(softCalls)}`, {query: {include_deleted: true}});
    expect(soft.delete_at).toBeGreaterThan(0);
    const purgeCalls: string[] = [];
    expect((await run('post_roundtrip', target({adminToken: env.MM_ADMIN_TOKEN}), {cache, calls: purgeCalls})).facts?.postPurged).toBe(true);
    const purgedId = postIdOf(purgeCalls);
    expect(purgedId).toBeDefined();
    await expect(mm.admin.get(`/posts/${purgedId}`, {query: {include_deleted: true}})).rejects.toMatchObject({status: 404});
  });

  it('post_roundtrip and channel_join run at the same time without tripping over each other', async () => {
    // channel_join over and over while post_roundtrips run: without the lock the probe user is often out of the channel.
    let stop = false;
    const joins = (async () => {
      const results: ProbeResult[] = [];
      while (!stop) results.push(await run('channel_join', target(), {cache}));
      return results;
    })();
    const roundtrips: ProbeResult[] = [];
    try {
      for (let i = 0; i < 5; i++) roundtrips.push(await run('post_roundtrip', target(), {cache, timeoutMs: 3000}));
    } finally {
      stop = true;
    }
    const joined = await joins;
    expect(joined.length).toBeGreaterThan(1);
    expect(joined.flatMap(failed)).toEqual([]);
    expect(roundtrips.flatMap(failed)).toEqual([]);
    expect(await probePostsLeft()).toEqual([]);
  });

  it('the probe user logs in again when its cached session was revoked', async () => {
    expect((await run('websocket', target(), {cache})).ok).toBe(true);
    await mm.admin.post(`/users/${env.MM_PROBE_USER_ID}/sessions/revoke/all`);
    for (const name of ['websocket', 'channel_join', 'post_roundtrip'] as const) {
      const calls: string[] = [];
      const result = await run(name, target(), {cache, calls});
      expect(failed(result)).toEqual([]);
      if (name === 'websocket') expect(calls).toContain('POST /api/v4/users/login');
      else expect(calls).not.toContain('POST /api/v4/users/login');
    }
  });

  it('login_page passes on the real web app when up.sh serves it, else on its labelled root.html fixture', async () => {
    const res = await mm.anonymous.raw('GET', '/login');
    const body = await res.text();
    if (mm.env.MM_WEBAPP_DIR && mm.env.MM_WEBAPP_DIR !== 'none') expect(body).toMatch(/<script[^>]+src="[^"]*main\.[0-9a-f]+\.js"/);
    else expect(body).toContain('mattermost-healthcheck test fixture');
    expect((await run('login_page', target())).ok).toBe(true);
  });
});

describe('probe failures say what was observed and expected', () => {
  it('login with a wrong password', async () => {
    const result = await run('login', target({probePassword: 'Wrong-password-123'}));
    expect(result.ok).toBe(false);
    expect(result.checks).toHaveLength(1);
    expect(result.checks[0]).toMatchObject({label: 'login', ok: false, expected: `a session for @${env.MM_PROBE_USERNAME}`});
    expect(result.checks[0]?.observed).toMatch(/^HTTP 401: /);
    expect(JSON.stringify(result)).not.toContain('Wrong-password-123');
  });

  it.each(['websocket', 'post_roundtrip', 'channel_join'] as const)('%s says the probe user could not log in', async (name) => {
    const result = await run(name, target({probePassword: 'Wrong-password-123'}));
    expect(result.ok).toBe(false);
    expect(failed(result).map((c) => c.observed)).toEqual([expect.stringMatching(new RegExp(`^login of @${env.MM_PROBE_USERNAME} failed: HTTP 401: `))]);
  });

  it('search_users with a term that finds too few users', async () => {
    const term = `nobody${Date.now()}`;
    const result = await run('search_users', target({searchUsersTerm: term, searchUsersMin: 1}));
    expect(result.ok).toBe(false);
    expect(result.checks).toEqual([{label: `results for "${term}"`, ok: false, observed: '0', expected: 'at least 1'}]);
  });

  it('search_channels when fewer channels match than required', async () => {
    const result = await run('search_channels', target({searchChannelsTerm: 'healthcheck', searchChannelsMin: 1000}));
    expect(result.ok).toBe(false);
    expect(result.checks[0]?.expected).toBe('at least 1000');
    // The bootstrap's public healthcheck-log and healthcheck-probe at least (the ops channel is private, so not found).
    expect(Number(result.checks[0]?.observed)).toBeGreaterThanOrEqual(2);
    expect(Number(result.checks[0]?.observed)).toBeLessThan(1000);
  });

  it.each(PROBE_NAMES)('%s: a stopped server (nothing listens) is "connection refused"', async (name) => {
    const result = await run(name, target({url: `http://127.0.0.1:${await closedPort()}`, adminToken: env.MM_ADMIN_TOKEN}));
    expect(result.ok).toBe(false);
    expect(result.notConfigured).toBeUndefined();
    expect(failed(result).map((c) => c.observed)).toContain('connection refused (ECONNREFUSED)');
  });

  describe('a server slower than the timeout (TCP proxy with a delay)', () => {
    let proxy: TcpProxy;
    beforeAll(async () => {
      proxy = await startTcpProxy({port: Number(new URL(mm.url).port)}, {delayMs: 1500});
    });
    afterAll(() => proxy.close());

    it.each(PROBE_NAMES)('%s times out with "no answer within 500 ms"', async (name) => {
      const result = await run(name, target({url: proxy.url, adminToken: env.MM_ADMIN_TOKEN}), {timeoutMs: 500});
      expect(result.ok).toBe(false);
      expect(failed(result).map((c) => c.observed)).toContain('no answer within 500 ms');
    });
  });

  it('ping: UNHEALTHY names GoroutineHealthThreshold when it is set low', async () => {
    const before = (await mm.admin.get<{ServiceSettings: {GoroutineHealthThreshold: number}}>('/config')).ServiceSettings.GoroutineHealthThreshold;
    await mm.admin.put('/config/patch', {ServiceSettings: {GoroutineHealthThreshold: 10}});
    try {
      const result = await run('ping', target({adminToken: env.MM_ADMIN_TOKEN}));
      expect(result.ok).toBe(false);
      expect(result.checks).toEqual([{label: 'status', ok: false, observed: 'UNHEALTHY (GoroutineHealthThreshold is 10: the server has at least that many goroutines)', expected: 'OK'}]);
      const withoutAdmin = await run('ping', target());
      expect(withoutAdmin.checks[0]?.observed).toBe('UNHEALTHY (set an admin token to read GoroutineHealthThreshold, the documented cause)');
    } finally {
      await mm.admin.put('/config/patch', {ServiceSettings: {GoroutineHealthThreshold: before}});
    }
    expect((await run('ping', target())).ok).toBe(true);
  });

  it("login_page: fails with the real server's answer when the web app (root.html) is missing", async () => {
    const rootHtml = path.join(mm.runDir, 'mm/client/root.html');
    renameSync(rootHtml, `${rootHtml}.away`);
    try {
      // Mattermost 11.4.0 answers 500 with Go's error text here (web/static.go root()); older versions gave 404.
      const res = await mm.anonymous.raw('GET', '/login');
      expect(res.status).toBe(500);
      expect(await res.text()).toContain('root.html: no such file or directory');
      const result = await run('login_page', target());
      expect(result.ok).toBe(false);
      const status = result.checks.find((c) => c.label === 'HTTP status');
      expect(status).toMatchObject({ok: false, expected: '200'});
      expect(status?.observed).toMatch(/^500: open .*root\.html: no such file or directory$/);
      expect(result.checks.find((c) => c.label === 'content type')).toMatchObject({ok: false, observed: 'text/plain; charset=utf-8', expected: 'text/html'});
    } finally {
      renameSync(`${rootHtml}.away`, rootHtml);
    }
  });

  it('post_roundtrip and channel_join find the probe user outside the channel (a cut-off run), put it back, say so, and pass', async () => {
    const channel = env.MM_PROBE_CHANNEL_ID as string;
    const expected = `the probe user in ~${env.MM_PROBE_CHANNEL}`;
    try {
      for (const name of ['post_roundtrip', 'channel_join'] as const) {
        // What a frozen server does: the "leave" of an interrupted channel_join ran after the thaw, its "join" never.
        await mm.admin.delete(`/channels/${channel}/members/${env.MM_PROBE_USER_ID}`);
        const result = await run(name, target(), {timeoutMs: 5000});
        expect({name, failed: failed(result)}).toEqual({name, failed: []});
        expect(result.checks[0]).toEqual({label: 'probe user in channel', ok: true, observed: `found outside ~${env.MM_PROBE_CHANNEL} (an earlier run was cut off); joined it again`, expected});
        expect(result.facts?.rejoined).toBe(true);
        await expect(mm.admin.get(`/channels/${channel}/members/${env.MM_PROBE_USER_ID}`)).resolves.toMatchObject({user_id: env.MM_PROBE_USER_ID});
      }
      // In the channel already: nothing to report.
      expect((await run('post_roundtrip', target())).checks.map((c) => c.label)).not.toContain('probe user in channel');
      expect(await probePostsLeft()).toEqual([]);
    } finally {
      await mm.admin.post(`/channels/${channel}/members`, {user_id: env.MM_PROBE_USER_ID}).catch(() => undefined);
    }
  });

  it('five targets that are one server (shared probe user and channel) never trip over each other', async () => {
    const nodes = [1, 2, 3, 4, 5].map((n) => target({name: `node-${n}`}));
    const jobs = jobsFor(
      [
        // Timeouts well above a loaded CI machine's stalls: what this test looks for is interference
        // (404 on leave, 500 on join, a posted event never received), not slowness.
        {name: 'channel_join', enabled: true, intervalMs: 3000, timeoutMs: 8000},
        {name: 'post_roundtrip', enabled: true, intervalMs: 3000, timeoutMs: 8000},
      ],
      probeRegistry,
      nodes,
    );
    const scheduler = new Scheduler({jobs, jitter: 0.5});
    const results: ProbeResult[] = [];
    scheduler.onRun((e) => void results.push(e.result));
    await scheduler.start();
    await new Promise((r) => setTimeout(r, 20_000));
    await scheduler.stop(3000);
    expect(results.length).toBeGreaterThan(30);
    expect(results.filter((r) => !r.ok).map((r) => `${r.target}/${r.probe}: ${r.error}`)).toEqual([]);
    expect(await probePostsLeft()).toEqual([]);
  });

  it('post_roundtrip: timed out before the post was confirmed, it still finds and deletes the post', async () => {
    const cache = new Map<string, unknown>();
    expect((await run('post_roundtrip', target(), {cache})).ok).toBe(true);
    // Answers come back 1.5 s late: the post is created at once, its confirmation is late.
    const proxy = await startTcpProxy({port: Number(new URL(mm.url).port)});
    proxy.setDelay(1500, 'toClient');
    const stop = new AbortController();
    try {
      const running = run('post_roundtrip', target({url: proxy.url}), {timeoutMs: 60_000, cache, signal: stop.signal});
      let settled = false;
      void running.then(
        () => (settled = true),
        () => (settled = true),
      );
      // Time out the run the moment the post exists on the server (seen by the admin, not through the proxy).
      while (!stop.signal.aborted && !settled) {
        if ((await probePostsLeft()).length > 0) stop.abort(new DOMException('the probe timed out', 'TimeoutError'));
        else await new Promise((r) => setTimeout(r, 25));
      }
      const result = await running;
      expect(result.ok).toBe(false);
      expect(result.checks.find((c) => c.label === 'post')).toMatchObject({ok: false, observed: 'no answer within 60000 ms'});
      expect(result.checks.find((c) => c.label === 'cleanup')).toEqual({label: 'cleanup', ok: true, observed: 'probe post found and deleted', expected: 'probe post deleted'});
      expect(await probePostsLeft()).toEqual([]);
    } finally {
      await proxy.close();
    }
  });
});

afterAll(async () => {
  expect(await probePostsLeft()).toEqual([]);
});
