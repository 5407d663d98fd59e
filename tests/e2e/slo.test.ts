// A burn-rate alert through the real server, with an objective's window scaled down to 2 h (its
// burn windows 720/2 times shorter than at 30 days): a low GoroutineHealthThreshold makes the
// server's ping answer UNHEALTHY for real, the bridge (a child process) posts one alert thread in
// the ops channel, and resolves it in that thread once the burn stops. /healthcheck slo answers.
import {execFileSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {freePort, serverBridgeEnv, spawnBridge, stopChild, type BridgeProcess} from '../lib/bridge-process';
import {deleteSlashCommands, failingPing, testServer} from '../lib/mattermost';
import {waitFor} from '../lib/incident-bridge';

const mm = testServer();
const root = path.resolve(__dirname, '../..');
const tag = randomBytes(3).toString('hex');
const trigger = `hcslo${tag}`;
const slo = `ping-e2e-${tag}`;
let bridge: BridgeProcess | null = null;
const burn = failingPing(mm);

interface Post {
  id: string;
  root_id: string;
  message: string;
  create_at: number;
  user_id: string;
}

async function opsPosts(since: number): Promise<Post[]> {
  const list = await mm.admin.get<{order: string[]; posts: Record<string, Post>}>(`/channels/${mm.env.MM_OPS_CHANNEL_ID}/posts`, {query: {since: String(since)}});
  return Object.values(list.posts).filter((p) => p.user_id === mm.env.MM_BOT_USER_ID && p.message.includes(slo));
}

beforeAll(() => {
  execFileSync('npm', ['run', 'build', '-w', 'server-bridge'], {cwd: root, stdio: 'ignore'});
});

afterAll(async () => {
  if (bridge) await stopChild(bridge.child);
  await burn.restore();
  await deleteSlashCommands(mm, trigger);
});

describe('burn-rate alerts', () => {
  it('post one alert thread when a real failure burns the budget, and resolve it when the burn stops', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hc-slo-'));
    const configFile = path.join(dir, 'bridge.json');
    writeFileSync(configFile, JSON.stringify({slos: [{name: slo, probes: ['ping'], objective: 99, window: '2h'}]}));
    const port = await freePort();
    bridge = spawnBridge({
      ...serverBridgeEnv(mm, port),
      HEALTHCHECK_CONFIG_FILE: configFile,
      HEALTHCHECK_SLASH_TRIGGER: trigger,
      HEALTHCHECK_STATE_FILE: path.join(dir, 'state.json'),
      HEALTHCHECK_PROBES: 'ping',
      HEALTHCHECK_INTERVAL: '1s',
      HEALTHCHECK_TIMEOUT: '900ms',
      HEALTHCHECK_JITTER: '0',
      HEALTHCHECK_HEARTBEAT: '1h',
      HEALTHCHECK_LOG_LEVEL: 'info',
    });
    const started = Date.now();
    await waitFor('the slash command', () => bridge?.output().includes(`registered /${trigger}`), 30_000);
    // Healthy runs first: 15 s of them in the windows.
    await new Promise((r) => setTimeout(r, 15_000));
    const healthy = await mm.admin.post<{text?: string}>('/commands/execute', {command: `/${trigger} slo`, channel_id: mm.env.MM_OPS_CHANNEL_ID});
    expect(healthy.text).toContain(`**${slo}**`);
    expect(healthy.text).toMatch(/attained 100 % over the \d+ s observed of 2 h/);
    expect(await opsPosts(started)).toEqual([]);

    await burn.start();
    const alertRoot = await waitFor('the alert root in the ops channel', async () => (await opsPosts(started)).find((p) => !p.root_id && p.message.includes('Error budget burning')), 60_000);
    expect(alertRoot.message).toMatch(/Burn rate \d+/);
    // The alert was in the state file (with its root's outbox row) before the root was sent; no side file.
    const stateFile = path.join(dir, 'state.json');
    expect((JSON.parse(readFileSync(stateFile, 'utf8')) as {slo?: {open: {slo: string}[]}}).slo?.open.map((a) => a.slo)).toEqual([slo]);
    expect(existsSync(`${stateFile}.slo`)).toBe(false);
    // A page (the root says so from the start, or once it escalates: the same post, edited).
    await waitFor('the page', async () => (await mm.admin.get<Post>(`/posts/${alertRoot.id}`)).message.includes('**Error budget burning fast**'), 30_000);
    // Failing on for a few seconds more: still one thread.
    await new Promise((r) => setTimeout(r, 8_000));
    await burn.restore();

    // The ticket-level rule holds the thread until 60 s (6 h at this scale) of healthy runs have passed.
    const thread = async () => Object.values((await mm.admin.get<{posts: Record<string, Post>}>(`/posts/${alertRoot.id}/thread`)).posts);
    const resolved = await waitFor('the burn stopped, in the thread', async () => (await thread()).find((p) => p.message.includes('The burn stopped')), 150_000, 1000);
    expect(resolved.root_id).toBe(alertRoot.id);
    const root = await waitFor(
      'the root edited to resolved',
      async () => {
        const p = await mm.admin.get<Post>(`/posts/${alertRoot.id}`);
        return p.message.includes('**Resolved**') ? p : null;
      },
      30_000,
    );
    expect(root.message).toContain(slo);
    // Once: one root for this objective, one resolution.
    const all = await opsPosts(started);
    expect(all.filter((p) => !p.root_id)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 3000));
    expect((await thread()).filter((p) => p.message.includes('The burn stopped'))).toHaveLength(1);
    expect(bridge.output()).not.toContain(mm.env.MM_ADMIN_TOKEN);
  }, 300_000);
});
