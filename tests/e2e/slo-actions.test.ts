// The buttons of an SLO burn-rate alert through the real server: the objective's window scaled down
// to 2 h as in slo.test.ts, a low GoroutineHealthThreshold makes the ping fail for real, and the
// bridge (a child process, with the signing key setup made) posts a signed alert root with
// Acknowledge and Mute. A click (POST /api/v4/posts/{id}/actions/{action}) goes through Mattermost,
// which calls the bridge: the alert is acknowledged once (one reply, the root names who), the mute
// announced once; once the burn stops the root is resolved and its buttons are gone.
import {execFileSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {freePort, serverBridgeEnv, spawnBridge, stopChild, type BridgeProcess} from '../lib/bridge-process';
import {buttonIds, deleteSlashCommands, failingPing, testServer} from '../lib/mattermost';
import {waitFor} from '../lib/incident-bridge';
import {MattermostClient} from '../../server-bridge/src/mm/client';
import {parseSloAlertPost, SLO_ALERT_POST_TYPE, type SloAlertData} from '../../server-bridge/src/contract';
import {publicKeyOf, signingKeyFrom, verifyPost} from '../../server-bridge/src/signing/post-signer';
import type {MmPost, MmTeam, MmUser} from '../../server-bridge/src/mm/types';

const mm = testServer();
const root = path.resolve(__dirname, '../..');
const tag = randomBytes(3).toString('hex');
const trigger = `hcsloa${tag}`;
const slo = `ping-buttons-${tag}`;
let bridge: BridgeProcess | null = null;
const burn = failingPing(mm);
let member: {id: string; username: string; client: MattermostClient} | null = null;

const click = (client: MattermostClient, postId: string, action: string) => client.request('POST', `/posts/${postId}/actions/${action}`, {body: {}, acceptStatus: [400, 403, 404]});
const live = (p: MmPost) => p.delete_at === 0 && !(p as {original_id?: string}).original_id;

async function opsPosts(since: number): Promise<MmPost[]> {
  const list = await mm.admin.get<{posts: Record<string, MmPost>}>(`/channels/${mm.env.MM_OPS_CHANNEL_ID}/posts`, {query: {since: String(since)}});
  return Object.values(list.posts).filter((p) => p.user_id === mm.env.MM_BOT_USER_ID && live(p));
}

const thread = async (id: string) => Object.values((await mm.admin.get<{posts: Record<string, MmPost>}>(`/posts/${id}/thread`)).posts).filter(live);

beforeAll(async () => {
  execFileSync('npm', ['run', 'build', '-w', 'server-bridge'], {cwd: root, stdio: 'ignore'});
  const team = await mm.admin.get<MmTeam>(`/teams/name/${mm.env.MM_TEAM}`);
  const username = `sloack${tag}`;
  const password = `Pw-${randomBytes(9).toString('base64url')}-1`;
  const created = await mm.admin.post<MmUser>('/users', {username, email: `${username}@localhost`, password});
  await mm.admin.post(`/teams/${team.id}/members`, {team_id: team.id, user_id: created.id});
  await mm.admin.post(`/channels/${mm.env.MM_OPS_CHANNEL_ID}/members`, {user_id: created.id});
  const login = await mm.anonymous.request<MmUser>('POST', '/users/login', {body: {login_id: username, password}});
  member = {id: created.id, username, client: new MattermostClient({url: mm.url, token: login.headers.get('token')})};
});

afterAll(async () => {
  if (bridge) await stopChild(bridge.child);
  await burn.restore();
  await deleteSlashCommands(mm, trigger);
  if (member) await mm.admin.delete(`/users/${member.id}`).catch(() => undefined);
});

describe('SLO alert buttons through the real server', () => {
  it('acknowledge the alert once from its button, mute its probes, and go once the burn stops', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hc-slo-actions-'));
    const configFile = path.join(dir, 'bridge.json');
    writeFileSync(configFile, JSON.stringify({slos: [{name: slo, probes: ['ping'], objective: 99, window: '2h'}]}));
    const signingKey = readFileSync(path.join(mm.env.MM_SECRETS_DIR as string, 'signing-key'), 'utf8');
    const port = await freePort();
    bridge = spawnBridge({
      ...serverBridgeEnv(mm, port),
      HEALTHCHECK_CONFIG_FILE: configFile,
      HEALTHCHECK_SLASH_TRIGGER: trigger,
      HEALTHCHECK_STATE_FILE: path.join(dir, 'state.json'),
      HEALTHCHECK_SIGNING_KEY: signingKey,
      HEALTHCHECK_PROBES: 'ping',
      HEALTHCHECK_INTERVAL: '1s',
      HEALTHCHECK_TIMEOUT: '900ms',
      HEALTHCHECK_JITTER: '0',
      HEALTHCHECK_HEARTBEAT: '1h',
      HEALTHCHECK_LOG_LEVEL: 'info',
    });
    const started = Date.now();
    await waitFor('the slash command', () => bridge?.output().includes(`registered /${trigger}`), 30_000);
    await new Promise((r) => setTimeout(r, 12_000));

    await burn.start();
    const isRoot = (p: MmPost) => !p.root_id && p.type === SLO_ALERT_POST_TYPE && p.message.includes(slo);
    let rootPost = await waitFor('the alert root with its buttons', async () => (await opsPosts(started)).find((p) => isRoot(p) && buttonIds(p).length > 0), 60_000);
    const alert = (p: MmPost): SloAlertData => {
      const parsed = parseSloAlertPost(p, mm.env.MM_BOT_USER_ID);
      if (!parsed.ok) throw new Error(`not an SLO alert: ${parsed.reason} ${parsed.detail ?? ''}`);
      return parsed.value;
    };
    expect(buttonIds(rootPost)).toEqual(['ack', 'mute1h', 'mute4h']);
    expect(alert(rootPost)).toMatchObject({slo, state: 'open', probes: ['ping'], objective: 0.99});
    // Signed with the key of the admin's declaration, as incident roots are.
    expect(verifyPost(rootPost, publicKeyOf(signingKeyFrom(signingKey)))).toBe(true);
    // Clients never see the integration (its URL, context and token).
    const seen = await (member as NonNullable<typeof member>).client.get<MmPost>(`/posts/${rootPost.id}`);
    expect(JSON.stringify(seen.props)).not.toContain('integration');
    expect(JSON.stringify(seen.props)).not.toContain('token');

    // A member of the private ops channel acknowledges (the default ackRole).
    expect((await click((member as NonNullable<typeof member>).client, rootPost.id, 'ack')).status).toBe(200);
    const who = (member as NonNullable<typeof member>).username;
    rootPost = await waitFor(
      'the root naming who acknowledged',
      async () => {
        const p = await mm.admin.get<MmPost>(`/posts/${rootPost.id}`);
        return p.message.includes(`Acknowledged by @${who}`) ? p : null;
      },
      30_000,
    );
    expect(alert(rootPost).ack?.by).toBe(who);
    expect(buttonIds(rootPost)).toEqual(['mute1h', 'mute4h']);
    expect(verifyPost(rootPost, publicKeyOf(signingKeyFrom(signingKey)))).toBe(true);
    // Again: the button is gone (Mattermost refuses an action the post no longer has), and the command says so.
    expect((await click(mm.admin, rootPost.id, 'ack')).status).not.toBe(200);
    const again = await mm.admin.post<{text?: string}>('/commands/execute', {command: `/${trigger} slo ack ${slo}`, channel_id: mm.env.MM_OPS_CHANNEL_ID});
    expect(again.text).toContain('already acknowledged');

    // Mute 1 h for an admin: the objective's probe is muted, announced once.
    expect((await click(mm.admin, rootPost.id, 'mute1h')).status).toBe(200);
    await waitFor('the mute announcement', async () => (await opsPosts(started)).some((p) => p.message.includes('Alerts muted for **ping**')), 30_000);
    expect((await click(mm.admin, rootPost.id, 'mute1h')).status).toBe(200);

    await new Promise((r) => setTimeout(r, 3000));
    const acks = (await thread(rootPost.id)).filter((p) => p.root_id === rootPost.id && p.message.startsWith('Acknowledged by'));
    expect(acks.map((p) => p.message)).toEqual([`Acknowledged by @${who}.`]);
    expect((await opsPosts(started)).filter((p) => p.message.includes('Alerts muted for **ping**'))).toHaveLength(1);
    expect((await opsPosts(started)).filter(isRoot)).toHaveLength(1);

    // The burn stops: resolved in the thread, the root without buttons.
    await burn.restore();
    await waitFor('the burn stopped, in the thread', async () => (await thread(rootPost.id)).some((p) => p.message.includes('The burn stopped')), 150_000, 1000);
    const resolved = await waitFor(
      'the root resolved',
      async () => {
        const p = await mm.admin.get<MmPost>(`/posts/${rootPost.id}`);
        return p.message.includes('**Resolved**') ? p : null;
      },
      30_000,
    );
    expect(alert(resolved)).toMatchObject({state: 'resolved', ack: {by: who}});
    expect(buttonIds(resolved)).toEqual([]);
    expect(bridge.output()).not.toMatch(/publishes no signing key|does not verify/);
    expect(bridge.output()).not.toContain(mm.env.MM_ADMIN_TOKEN);
    await mm.admin.post('/commands/execute', {command: `/${trigger} unmute`, channel_id: mm.env.MM_OPS_CHANNEL_ID});
  }, 330_000);
});
