// The bridge as a child process (node server-bridge/dist/main.js run) against the real server:
// SIGKILL while an incident is open, then a restart from the state file: no second incident, the
// recovery lands in the original thread. Also a corrupt state file is kept aside and reported.
import {execFileSync, type ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import {randomBytes} from 'node:crypto';
import path from 'node:path';
import {freePort, spawnBridge, stopChild, type BridgeProcess} from '../lib/bridge-process';
import {gunzipSync} from 'node:zlib';
import {startMattermost, stopMattermost, testServer} from '../lib/mattermost';
import {waitFor} from '../lib/incident-bridge';
import {parseAlertPost, type Alert} from '../../server-bridge/src/contract';
import type {MmCommand, MmPost, MmPostList, MmTeam} from '../../server-bridge/src/mm/types';
import type {BridgeState} from '../../server-bridge/src/state/bridge-state';

const mm = testServer();
const root = path.resolve(__dirname, '../..');
const children: ChildProcess[] = [];

function bridgeEnv(stateFile: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HEALTHCHECK_MM_URL: mm.url,
    HEALTHCHECK_TEAMS: mm.env.MM_TEAM,
    HEALTHCHECK_BOT_TOKEN: mm.env.MM_BOT_TOKEN,
    HEALTHCHECK_OPS_CHANNEL: mm.env.MM_OPS_CHANNEL,
    HEALTHCHECK_LOG_CHANNEL: mm.env.MM_LOG_CHANNEL,
    HEALTHCHECK_LISTEN: '127.0.0.1:0',
    HEALTHCHECK_STATE_FILE: stateFile,
    HEALTHCHECK_PROBES: 'ping',
    HEALTHCHECK_PING_INTERVAL: '1s',
    HEALTHCHECK_PING_TIMEOUT: '800ms',
    HEALTHCHECK_JITTER: '0',
    HEALTHCHECK_HEARTBEAT: '1h',
    HEALTHCHECK_LOG_LEVEL: 'info',
    ...extra,
  };
}

function startBridgeProcess(env: NodeJS.ProcessEnv): BridgeProcess {
  const bridge = spawnBridge(env);
  children.push(bridge.child);
  return bridge;
}

const readState = (file: string): BridgeState | null => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as BridgeState) : null);

async function alertsSince(since: number): Promise<{post: MmPost; alert: Alert}[]> {
  const list = await mm.admin.get<MmPostList>(`/channels/${mm.env.MM_OPS_CHANNEL_ID}/posts`, {query: {since}});
  return Object.values(list.posts)
    .map((post) => ({post, parsed: parseAlertPost(post, mm.env.MM_BOT_USER_ID)}))
    .flatMap(({post, parsed}) => (parsed.ok && post.delete_at === 0 ? [{post, alert: parsed.value}] : []))
    .sort((a, b) => a.post.create_at - b.post.create_at);
}

beforeAll(() => {
  execFileSync('npm', ['run', 'build', '-w', 'server-bridge'], {cwd: root, stdio: 'ignore'});
});

afterAll(async () => {
  for (const c of children) await stopChild(c, 'SIGTERM');
});

describe('the bridge process', () => {
  it('killed with SIGKILL during an incident and restarted: no second incident, recovery in the original thread', async () => {
    const since = Date.now();
    const stateFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'hc-kill-')), 'state.json');
    // Five successes to recover leave time to kill the bridge after the root post is delivered.
    const env = bridgeEnv(stateFile, {HEALTHCHECK_PING_SUCCESS_THRESHOLD: '5'});
    const first = startBridgeProcess(env);
    await waitFor('a first ok ping in the state file', () => readState(stateFile)?.incidents.trackers.some((t) => t.state === 'ok'), 30_000);
    stopMattermost();
    let incidentId = '';
    try {
      await waitFor('the incident to open', () => (incidentId = readState(stateFile)?.incidents.open[0]?.id ?? ''), 30_000);
    } finally {
      startMattermost();
    }
    const rootDelivery = `${incidentId}:root`;
    await waitFor('the root post delivered, the incident still open', () => {
      const s = readState(stateFile);
      return s?.outbox.delivered.some((d) => d.deliveryId === rootDelivery) && s.incidents.open.length === 1;
    });
    await stopChild(first.child, 'SIGKILL');
    expect(first.child.signalCode).toBe('SIGKILL');

    const second = startBridgeProcess(env);
    const alerts = await waitFor('the recovery', async () => {
      const list = await alertsSince(since);
      return list.some((a) => a.alert.event === 'resolved') ? list : null;
    });
    const roots = alerts.filter((a) => a.alert.event === 'open');
    expect(roots).toHaveLength(1);
    expect(roots[0]?.alert.incidentId).toBe(incidentId);
    const replies = alerts.filter((a) => a.post.root_id === roots[0]?.post.id);
    expect(replies.map((r) => r.alert.event)).toEqual(['resolved']);
    expect(replies[0]?.post.message).toContain('Recovered after');
    await waitFor('the root patched to resolved', async () => {
      const parsed = parseAlertPost(await mm.admin.get<MmPost>(`/posts/${roots[0]?.post.id}`), mm.env.MM_BOT_USER_ID);
      return parsed.ok && parsed.value.state === 'resolved';
    });
    await stopChild(second.child, 'SIGTERM');
    expect(second.child.exitCode).toBe(0);
    expect(readState(stateFile)?.incidents.open).toEqual([]);
    // The recent results (24 h aggregates) are kept too (gzipped).
    expect(JSON.parse(gunzipSync(readFileSync(`${stateFile}.results`)).toString('utf8'))).toMatchObject({entries: [expect.objectContaining({probe: 'ping', target: '127.0.0.1'})]});
    expect(first.output() + second.output()).not.toContain(mm.env.MM_BOT_TOKEN);
  });

  it('reports a corrupt state file, keeps it aside and starts', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hc-corrupt-'));
    const stateFile = path.join(dir, 'state.json');
    writeFileSync(stateFile, '{"version":1,"incidents":');
    const bridge = startBridgeProcess(bridgeEnv(stateFile));
    await waitFor('a fresh state file', () => readState(stateFile)?.incidents.trackers.length, 30_000);
    await stopChild(bridge.child, 'SIGTERM');
    const aside = readdirSync(dir).filter((f) => f.startsWith('state.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(path.join(dir, aside[0] as string), 'utf8')).toBe('{"version":1,"incidents":');
    expect(bridge.output()).toMatch(/state file .*state\.json could not be used: not valid JSON.*kept aside as .*state\.json\.corrupt-/);
  });

  it('registers /healthcheck at start and answers it through the real server', async () => {
    const port = await freePort();
    const trigger = `hcrun${randomBytes(3).toString('hex')}`;
    const stateFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'hc-run-')), 'state.json');
    const bridge = startBridgeProcess(
      bridgeEnv(stateFile, {
        HEALTHCHECK_LISTEN: `127.0.0.1:${port}`,
        HEALTHCHECK_PUBLIC_URL: `http://127.0.0.1:${port}`,
        HEALTHCHECK_SLASH_TRIGGER: trigger,
        HEALTHCHECK_ADMIN_TOKEN: mm.env.MM_ADMIN_TOKEN as string,
      }),
    );
    const team = await mm.admin.get<MmTeam>(`/teams/name/${mm.env.MM_TEAM}`);
    const mine = async () => (await mm.admin.get<MmCommand[]>('/commands', {query: {team_id: team.id, custom_only: true}})).filter((c) => c.trigger === trigger);
    try {
      await waitFor('the registration', () => bridge.output().includes(`registered /${trigger} in team ${mm.env.MM_TEAM}`), 30_000);
      await waitFor('a first ping', () => readState(stateFile)?.incidents.trackers.length, 30_000);
      const answer = await mm.admin.post<{response_type: string; text: string}>('/commands/execute', {command: `/${trigger}`, channel_id: mm.env.MM_OPS_CHANNEL_ID});
      expect(answer.response_type).toBe('ephemeral');
      expect(answer.text).toMatch(/Server ping: \*\*OK\*\* in \d+ ms, \d+ s ago · Mattermost \d+\.\d+\.\d+/);
      expect(answer.text).toMatch(/\| ping \| ✅ ok \| \d+ ms \| 100 % \|/);
      const wrong = await fetch(`http://127.0.0.1:${port}/slash/healthcheck`, {
        method: 'POST',
        headers: {'content-type': 'application/x-www-form-urlencoded'},
        body: 'token=nope&user_id=x&command=%2Fx',
      });
      expect(wrong.status).toBe(401);
      expect(await mine()).toHaveLength(1);
    } finally {
      await stopChild(bridge.child, 'SIGTERM');
      for (const c of await mine()) await mm.admin.delete(`/commands/${c.id}`);
    }
    expect(bridge.output()).not.toContain(mm.env.MM_ADMIN_TOKEN);
  });
});
