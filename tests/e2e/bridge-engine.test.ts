// The bridge's engine against the real Mattermost server: it runs every probe, posts report posts
// that parse with the contract (only as the bot), deletes old ones after the retention period,
// exports bounded /metrics, never logs a secret, exits 2 on bad config and stops cleanly on SIGTERM.
import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Writable} from 'node:stream';
import {Registry} from 'prom-client';
import {testServer} from '../lib/mattermost';
import {startPushProxy, type PushProxy} from '../lib/push-proxy';
import {startTcpProxy} from '../lib/tcp-proxy';
import {directPostSink} from '../lib/direct-post-sink';
import {loadConfig} from '../../server-bridge/src/config';
import {REPORT_POST_TYPE, REPORT_PROP, parseReportPost, type Report} from '../../server-bridge/src/contract';
import {createLogger} from '../../server-bridge/src/logger';
import type {MmChannel, MmPost, MmPostList} from '../../server-bridge/src/mm/types';
import {PROBE_POST_PREFIX} from '../../server-bridge/src/probes/probe_posts';
import {PROBE_NAMES} from '../../server-bridge/src/probes/registry';
import {startBridge, type Bridge} from '../../server-bridge/src/bridge/start';
import {bridgeParts, secretsOf} from '../../server-bridge/src/bridge/parts';
import {ResultHistory} from '../../server-bridge/src/results/history';
import {SecretRegistry} from '../../server-bridge/src/secrets';

const mm = testServer();
const env = mm.env as Record<string, string>;
const root = path.resolve(__dirname, '../..');
const main = path.join(root, 'server-bridge/dist/main.js');
const secrets = [env.MM_BOT_TOKEN, env.MM_ADMIN_TOKEN, env.MM_PROBE_PASSWORD] as string[];
let pushProxy: PushProxy | undefined;
const unique = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

// The push probe's test pushes go to a push proxy on loopback; cluster uses the admin token (Team Edition: not applicable).
beforeAll(async () => {
  pushProxy = await startPushProxy(mm);
});
afterAll(() => pushProxy?.stop());

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A log channel of the test's own, with the bot in it, so nothing else's posts are touched. */
async function ownLogChannel(suffix: string): Promise<MmChannel> {
  const team = await mm.admin.get<{id: string}>(`/teams/name/${env.MM_TEAM}`);
  const channel = await mm.admin.post<MmChannel>('/channels', {team_id: team.id, name: `hc-log-${suffix}-${unique}`, display_name: `hc log ${suffix} ${unique}`, type: 'O'});
  await mm.admin.post(`/channels/${channel.id}/members`, {user_id: env.MM_BOT_USER_ID});
  return channel;
}

async function channelPosts(channelId: string): Promise<MmPost[]> {
  const list = await mm.admin.get<MmPostList>(`/channels/${channelId}/posts`, {query: {per_page: 200}});
  return list.order.map((id) => list.posts[id] as MmPost);
}

function bridgeEnv(logChannel: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    HEALTHCHECK_MM_URL: mm.url,
    HEALTHCHECK_TEAMS: env.MM_TEAM as string,
    HEALTHCHECK_TARGET_NAME: 'e2e',
    HEALTHCHECK_BOT_TOKEN: env.MM_BOT_TOKEN as string,
    HEALTHCHECK_PROBE_USERNAME: env.MM_PROBE_USERNAME as string,
    HEALTHCHECK_PROBE_PASSWORD: env.MM_PROBE_PASSWORD as string,
    HEALTHCHECK_PROBE_CHANNEL: env.MM_PROBE_CHANNEL as string,
    HEALTHCHECK_ADMIN_TOKEN: env.MM_ADMIN_TOKEN as string,
    ...(pushProxy ? {HEALTHCHECK_PUSH_DEVICE_ID: pushProxy.deviceId} : {}),
    HEALTHCHECK_LOG_CHANNEL: logChannel,
    HEALTHCHECK_LISTEN: '127.0.0.1:0',
    HEALTHCHECK_LOG_LEVEL: 'debug',
    ...extra,
  };
}

function capture(): {lines: string[]; destination: Writable} {
  const lines: string[] = [];
  return {lines, destination: new Writable({write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done())})};
}

async function inProcess(logChannel: string, extra: Record<string, string> = {}): Promise<{bridge: Bridge; lines: string[]}> {
  const loaded = loadConfig(bridgeEnv(logChannel, extra), () => {
    throw new Error('no files in this test');
  });
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  const {lines, destination} = capture();
  const logger = createLogger({level: 'debug', secrets: [], destination});
  const {config} = loaded;
  const secrets = new SecretRegistry(secretsOf(config));
  const parts = bridgeParts(config, secrets);
  const bridge = await startBridge({config, logger, secrets, parts, registry: new Registry(), history: new ResultHistory(), sink: directPostSink(parts.bot)});
  return {bridge, lines};
}

describe('the bridge in process', () => {
  let channel: MmChannel;
  let bridge: Bridge | undefined;
  let lines: string[] = [];

  beforeAll(async () => {
    channel = await ownLogChannel('reports');
    ({bridge, lines} = await inProcess(channel.name, {HEALTHCHECK_HEARTBEAT: '2s'}));
    await bridge.firstCycle;
    // Earlier test files may leave the probe user mid-change; a run-now cycle or two settles it.
    for (let i = 0; i < 3 && !(await bridge.scheduler.runNow()).every((r) => r.ok); i++) await new Promise((r) => setTimeout(r, 1000));
  });
  afterAll(async () => {
    await bridge?.stop();
    await mm.admin.delete(`/channels/${channel.id}`);
  });

  it('is ready after the first cycle, with every probe run against the real server', async () => {
    const res = await fetch(`${bridge?.url}/readyz`);
    expect(res.status).toBe(200);
    for (const probe of PROBE_NAMES) expect(bridge?.history.latest(probe, 'e2e')).toMatchObject({probe, target: 'e2e', ok: true});
  });

  it('posts report posts in the log channel that parse with the contract, as the bot only', async () => {
    const parsedReports = async () =>
      (await channelPosts(channel.id))
        .filter((p) => p.type === REPORT_POST_TYPE)
        .map((post) => {
          const parsed = parseReportPost(post, env.MM_BOT_USER_ID);
          if (!parsed.ok) throw new Error(`report did not parse: ${parsed.reason} ${parsed.detail ?? ''}`);
          return {post, report: parsed.value};
        });
    const reports = await until('a startup report and an all-OK heartbeat', async () => {
      const all = await parsedReports();
      return all.some((r) => r.report.reason === 'startup') && all.some((r) => r.report.reason === 'heartbeat' && r.report.overall === 'ok') ? all : undefined;
    });
    const {post, report} = reports.find((r) => r.report.reason === 'heartbeat' && r.report.overall === 'ok') as {post: MmPost; report: Report};
    expect(report.probes.map((p) => p.probe).sort()).toEqual([...PROBE_NAMES].sort());
    // Reports carry only failed checks (readers show nothing else): an all-OK report has none.
    expect(report.probes.every((p) => p.state === 'ok' && p.runs24h >= 1 && p.checks.length === 0)).toBe(true);
    expect(report.targets).toEqual([{name: 'e2e', serverVersion: expect.stringMatching(/^11\.4\.0/)}]);
    expect(post.user_id).toBe(env.MM_BOT_USER_ID);
    expect(post.message).toMatch(/^Health check: OK · (\d+)\/\1 probes OK on e2e$/);
    expect(parseReportPost(post, env.MM_ADMIN_USER_ID)).toEqual({ok: false, reason: 'untrusted_author'});
  });

  it('posts a report with reason run right after a run-now cycle', async () => {
    const before = Date.now();
    await bridge?.scheduler.runNow();
    const report = await until(
      'a report with reason run',
      async () => {
        const posts = (await channelPosts(channel.id)).filter((p) => p.type === REPORT_POST_TYPE && p.create_at >= before);
        const parsed = posts.map((p) => parseReportPost(p, env.MM_BOT_USER_ID)).find((r) => r.ok && r.value.reason === 'run');
        return parsed?.ok ? parsed.value : undefined;
      },
      10_000,
    );
    expect(report.generatedAt).toBeGreaterThanOrEqual(before);
    expect(report.probes.every((p) => p.startedAt !== null && p.startedAt >= before)).toBe(true);
  });

  it('posts without marking the bot online', async () => {
    await mm.admin.put(`/users/${env.MM_BOT_USER_ID}/status`, {user_id: env.MM_BOT_USER_ID, status: 'offline'});
    const after = Date.now();
    await until('a report posted after the bot went offline', async () => ((await channelPosts(channel.id)).some((p) => p.type === REPORT_POST_TYPE && p.create_at > after) ? true : undefined));
    const status = await mm.admin.get<{status: string}>(`/users/${env.MM_BOT_USER_ID}/status`);
    expect(status.status).toBe('offline');
  });

  it('exports /metrics with the series, labelled by probe and target only', async () => {
    const text = await (await fetch(`${bridge?.url}/metrics`)).text();
    for (const probe of PROBE_NAMES) {
      expect(text).toContain(`healthcheck_probe_success{probe="${probe}",target="e2e"} 1`);
      expect(text).toMatch(new RegExp(`healthcheck_probe_runs_total\\{probe="${probe}",target="e2e",result="ok"\\} [1-9]`));
    }
    expect(text).toMatch(/healthcheck_probe_duration_seconds_bucket\{le="[^"]+",probe="ping",target="e2e"\} \d+/);
    expect(text).toMatch(/healthcheck_probe_last_run_timestamp_seconds\{probe="ping",target="e2e"\} \d+/);
    expect(text).toMatch(/healthcheck_bridge_build_info\{version="\d+\.\d+\.\d+"\} 1/);
    const labels = new Set<string>();
    for (const line of text.split('\n').filter((l) => l.startsWith('healthcheck_'))) {
      for (const m of line.matchAll(/(\w+)="([^"]*)"/g))
        labels.add(
          m[1] === 'probe' || m[1] === 'target' || m[1] === 'result' || m[1] === 'version' || m[1] === 'le' ? `${m[1]}${m[1] === 'le' || m[1] === 'version' ? '' : `=${m[2]}`}` : `unexpected:${m[1]}`,
        );
    }
    const allowed = new Set(['le', 'version', 'target=e2e', 'result=ok', 'result=failed', 'result=not_configured', ...PROBE_NAMES.map((p) => `probe=${p}`)]);
    expect([...labels].filter((l) => !allowed.has(l))).toEqual([]);
  });

  it('logs one line per probe run and never a secret', () => {
    const text = lines.join('');
    expect(lines.filter((l) => l.includes('"msg":"probe ok"')).length).toBeGreaterThanOrEqual(PROBE_NAMES.length);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});

describe('retention', () => {
  let channel: MmChannel;
  beforeAll(async () => {
    channel = await ownLogChannel('retention');
  });
  afterAll(async () => {
    await mm.admin.delete(`/channels/${channel.id}`);
  });

  async function oldPosts() {
    const report = (by: 'bot' | 'admin') =>
      (by === 'bot' ? mm.bot : mm.admin).post<MmPost>(
        '/posts',
        {channel_id: channel.id, message: 'old report', type: REPORT_POST_TYPE, props: {[REPORT_PROP]: {schema: 'old'}}},
        {query: {set_online: 'false'}},
      );
    return {
      bot: [await report('bot'), await report('bot')],
      foreign: await report('admin'),
      plain: await mm.bot.post<MmPost>('/posts', {channel_id: channel.id, message: 'a plain bot post'}, {query: {set_online: 'false'}}),
    };
  }

  async function stateOf(id: string): Promise<'kept' | 'deleted' | 'gone'> {
    try {
      const post = await mm.admin.get<MmPost>(`/posts/${id}`, {query: {include_deleted: true}});
      return post.delete_at === 0 ? 'kept' : 'deleted';
    } catch {
      return 'gone';
    }
  }

  it.each([
    ['with an admin token: permanently', {}, 'gone'],
    ['without an admin token: by the bot', {HEALTHCHECK_ADMIN_TOKEN: ''}, 'deleted'],
  ] as const)('deletes only the bot report posts older than the period, %s', async (_name, extra, expected) => {
    const posts = await oldPosts();
    await new Promise((r) => setTimeout(r, 1500));
    const {bridge} = await inProcess(channel.name, {HEALTHCHECK_RETENTION: '1s', HEALTHCHECK_PROBES: 'ping', ...extra});
    try {
      await bridge.firstCycle;
      const swept = await bridge.retention.sweep();
      expect(swept.deleted).toBeGreaterThanOrEqual(2);
      expect(swept.failed).toBe(0);
      for (const p of posts.bot) expect(await stateOf(p.id)).toBe(expected);
      expect(await stateOf(posts.foreign.id)).toBe('kept');
      expect(await stateOf(posts.plain.id)).toBe('kept');
    } finally {
      await bridge.stop();
    }
  });
});

describe('the bridge as a process', () => {
  let dir: string;
  beforeAll(() => {
    if (!existsSync(main)) throw new Error(`${main} is missing: run make build first`);
    dir = mkdtempSync(path.join(os.tmpdir(), 'hc-bridge-'));
  });
  afterAll(() => rmSync(dir, {recursive: true, force: true}));

  function start(envVars: Record<string, string>): {child: ChildProcess; out: () => string; exit: Promise<number | null>} {
    let out = '';
    const child = spawn(process.execPath, [main, 'run'], {env: {PATH: process.env.PATH ?? '', ...envVars}, stdio: ['ignore', 'pipe', 'pipe']});
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return {child, out: () => out, exit};
  }

  it('exits 2 on bad config, listing every problem before listening', async () => {
    const p = start({HEALTHCHECK_MM_URL: 'nope', HEALTHCHECK_LISTEN: 'nowhere', HEALTHCHECK_HEARTBEAT: 'often', HEALTHCHECK_BOT_TOKEN: env.MM_BOT_TOKEN as string});
    expect(await p.exit).toBe(2);
    expect(p.out()).toContain('invalid configuration:');
    expect(p.out()).toContain('HEALTHCHECK_MM_URL: expected an http:// or https:// URL');
    expect(p.out()).toContain('HEALTHCHECK_LISTEN: expected HOST:PORT');
    expect(p.out()).toContain('HEALTHCHECK_HEARTBEAT: expected a duration');
    expect(p.out()).toContain('HEALTHCHECK_TEAMS: at least one team is required');
    expect(p.out()).not.toContain('listening');
    expect(p.out()).not.toContain(env.MM_BOT_TOKEN);
  });

  it('reads secrets from files, posts its report, stops cleanly on SIGTERM, and its logs hold no secret', async () => {
    const channel = await ownLogChannel('process');
    try {
      for (const [name, value] of [
        ['bot', env.MM_BOT_TOKEN],
        ['pw', env.MM_PROBE_PASSWORD],
        ['admin', env.MM_ADMIN_TOKEN],
      ] as const)
        writeFileSync(path.join(dir, name), `${value}\n`, {mode: 0o600});
      const vars = bridgeEnv(channel.name, {
        HEALTHCHECK_BOT_TOKEN_FILE: path.join(dir, 'bot'),
        HEALTHCHECK_PROBE_PASSWORD_FILE: path.join(dir, 'pw'),
        HEALTHCHECK_ADMIN_TOKEN_FILE: path.join(dir, 'admin'),
      });
      delete vars.HEALTHCHECK_BOT_TOKEN;
      delete vars.HEALTHCHECK_PROBE_PASSWORD;
      delete vars.HEALTHCHECK_ADMIN_TOKEN;
      const p = start(vars);
      const url = await until('the listening line', () => (/"msg":"bridge listening"/.test(p.out()) ? (/"url":"(http:[^"]+)"/.exec(p.out())?.[1] ?? undefined) : undefined));
      await until('the first report', () => (p.out().includes('"msg":"report posted"') ? true : undefined));
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      // "report posted" means queued in the outbox: its delivery follows a moment later.
      const posts = await until('the report post', async () => {
        const found = (await channelPosts(channel.id)).filter((post) => post.type === REPORT_POST_TYPE);
        return found.length > 0 ? found : undefined;
      });
      expect(posts.map((post) => parseReportPost(post, env.MM_BOT_USER_ID).ok)).toEqual([true]);
      p.child.kill('SIGTERM');
      expect(await p.exit).toBe(0);
      const out = p.out();
      expect(out).toContain('"msg":"stopped"');
      for (const secret of secrets) expect(out).not.toContain(secret);
      // No probe post left behind in the probe channel by the stop.
      const probePosts = await channelPosts(env.MM_PROBE_CHANNEL_ID as string);
      expect(probePosts.filter((post) => post.message.startsWith(PROBE_POST_PREFIX))).toEqual([]);
    } finally {
      await mm.admin.delete(`/channels/${channel.id}`);
    }
  });

  it('on SIGTERM lets a post_roundtrip in flight finish: no probe post is left behind', async () => {
    const channel = await ownLogChannel('sigterm');
    // Behind a slow link, the run is still in flight when its post appears.
    const proxy = await startTcpProxy({port: Number(new URL(mm.url).port)}, {delayMs: 250});
    try {
      const since = Date.now();
      const p = start(bridgeEnv(channel.name, {HEALTHCHECK_MM_URL: proxy.url, HEALTHCHECK_PROBES: 'post_roundtrip', HEALTHCHECK_POST_ROUNDTRIP_TIMEOUT: '20s'}));
      const live = async () => {
        const list = await mm.admin.get<MmPostList>(`/channels/${env.MM_PROBE_CHANNEL_ID}/posts`, {query: {since}});
        return Object.values(list.posts).filter((post) => post.delete_at === 0 && post.message.startsWith(PROBE_POST_PREFIX));
      };
      await until('a probe post in flight', async () => ((await live()).length > 0 ? true : undefined), 60_000);
      p.child.kill('SIGTERM');
      expect(await p.exit).toBe(0);
      expect(p.out()).toMatch(/"probe":"post_roundtrip".*"msg":"probe (ok|failed)"/);
      expect(await live()).toEqual([]);
    } finally {
      await proxy.close();
      await mm.admin.delete(`/channels/${channel.id}`);
    }
  });

  it('keeps secrets out of the logs of failing probes too', async () => {
    const channel = await ownLogChannel('failing');
    try {
      const wrong = `Wrong-${unique}-pw`;
      const p = start(bridgeEnv(channel.name, {HEALTHCHECK_PROBE_PASSWORD: wrong, HEALTHCHECK_PROBES: 'login,ping'}));
      await until('a failed login run', () => (p.out().includes('"msg":"probe failed"') ? true : undefined));
      p.child.kill('SIGTERM');
      expect(await p.exit).toBe(0);
      const out = p.out();
      expect(out).toMatch(/"probe":"login".*"msg":"probe failed"/);
      for (const secret of [...secrets, wrong]) expect(out).not.toContain(secret);
    } finally {
      await mm.admin.delete(`/channels/${channel.id}`);
    }
  });
});
