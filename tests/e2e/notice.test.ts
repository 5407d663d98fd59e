// The degraded-service notice through the real server: the bridge (a child process) puts it in the
// bot's custom status when the login probe fails, and a user in no team and no channel receives it
// on the websocket as the bot's user_updated event; a mute clears it, an unmute brings it back, the
// recovery clears it. The admins' words arrive in the bot's props the same way.
import {execFileSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdtempSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import {freePort, serverBridgeEnv, spawnBridge, stopChild, type BridgeProcess} from '../lib/bridge-process';
import {deleteSlashCommands, testServer} from '../lib/mattermost';
import {waitFor} from '../lib/incident-bridge';
import {BOT_PROPS, customStatusExpiry, parseBotStatus, type Notice, type UserLike} from '../../server-bridge/src/contract';
import type {MmTeam, MmUser} from '../../server-bridge/src/mm/types';
import {client4Shape} from '../../server-bridge/src/mm/client4-shape';
import {ensureNoticeText} from '../../server-bridge/src/report/notice-text';

const mm = testServer();
const root = path.resolve(__dirname, '../..');
const tag = randomBytes(3).toString('hex');
const trigger = `hcnotice${tag}`;
const WORDS = 'Trouble with {services} since {since}: we are on it';
let bridge: BridgeProcess | null = null;
const output = () => bridge?.output() ?? '';
let socket: WebSocket | null = null;
const probeUser = {username: `noticeprobe${tag}`, password: `Pw-${randomBytes(9).toString('base64url')}-1`, id: ''};
const outsider = {username: `noticeuser${tag}`, id: ''};
/** The bot as each user_updated event showed it to the outsider, in order. */
const seen: UserLike[] = [];

const noticeSeen = (): Notice | null | undefined => {
  const last = seen.at(-1);
  return last ? parseBotStatus(last).notice : undefined;
};
const execute = (text: string) => mm.admin.post<{text?: string}>('/commands/execute', {command: `/${trigger} ${text}`, channel_id: mm.env.MM_OPS_CHANNEL_ID});

beforeAll(async () => {
  execFileSync('npm', ['run', 'build', '-w', 'server-bridge'], {cwd: root, stdio: 'ignore'});
  const team = await mm.admin.get<MmTeam>(`/teams/name/${mm.env.MM_TEAM}`);
  const created = await mm.admin.post<MmUser>('/users', {username: probeUser.username, email: `${probeUser.username}@localhost`, password: probeUser.password});
  probeUser.id = created.id;
  await mm.admin.post(`/teams/${team.id}/members`, {team_id: team.id, user_id: created.id});
  // The outsider joins no team and no channel: the notice must still reach them.
  const password = `Pw-${randomBytes(9).toString('base64url')}-1`;
  outsider.id = (await mm.admin.post<MmUser>('/users', {username: outsider.username, email: `${outsider.username}@localhost`, password})).id;
  const login = await mm.anonymous.request<MmUser>('POST', '/users/login', {body: {login_id: outsider.username, password}});
  socket = new WebSocket(`${mm.url.replace(/^http/, 'ws')}/api/v4/websocket`, {headers: {Authorization: `Bearer ${login.headers.get('token')}`}});
  socket.on('message', (data) => {
    const msg = JSON.parse(String(data)) as {event?: string; data?: {user?: UserLike}};
    const user = msg.data?.user;
    // Other files' bridges may write the same bot's status meanwhile: only this bridge's (its trigger) count.
    if (msg.event === 'user_updated' && user && user.id === mm.env.MM_BOT_USER_ID && parseBotStatus(user).trigger === trigger) seen.push(user);
  });
  await new Promise((resolve, reject) => socket?.once('open', resolve).once('error', reject));
});

afterAll(async () => {
  socket?.close();
  if (bridge) await stopChild(bridge.child);
  await deleteSlashCommands(mm, trigger);
  for (const id of [probeUser.id, outsider.id]) if (id) await mm.admin.delete(`/users/${id}`).catch(() => undefined);
  // The plugin's own words again for the tests after this one.
  await ensureNoticeText(client4Shape(mm.admin), mm.env.MM_BOT_USER_ID as string, undefined);
});

describe('the degraded-service notice', () => {
  it('reaches a user in no team or channel when sign-in fails, goes on mute, comes back on unmute, goes on recovery and when the bridge stops', async () => {
    const port = await freePort();
    const stateFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'hc-notice-')), 'state.json');
    bridge = spawnBridge({
      ...serverBridgeEnv(mm, port),
      HEALTHCHECK_SLASH_TRIGGER: trigger,
      HEALTHCHECK_STATE_FILE: stateFile,
      HEALTHCHECK_PROBES: 'login',
      HEALTHCHECK_PROBE_USERNAME: probeUser.username,
      HEALTHCHECK_PROBE_PASSWORD: probeUser.password,
      HEALTHCHECK_INTERVAL: '1s',
      HEALTHCHECK_TIMEOUT: '900ms',
      HEALTHCHECK_JITTER: '0',
      HEALTHCHECK_HEARTBEAT: '1h',
      HEALTHCHECK_REPORT_MIN_INTERVAL: '1s',
      HEALTHCHECK_NOTICE_TEXT: WORDS,
      HEALTHCHECK_LOG_LEVEL: 'info',
    });

    // Healthy: this bridge's status names a report and no notice (an earlier bridge's may have had
    // one); it expires after twice the heartbeat; the admins' words are in the bot's props.
    await waitFor('a report and no notice in the bot status', () => seen.some((u) => parseBotStatus(u).reportId && !parseBotStatus(u).notice), 60_000);
    const expiry = customStatusExpiry(seen.at(-1) as UserLike) ?? 0;
    expect(expiry - Date.now()).toBeGreaterThan(2 * 3_600_000);
    expect(expiry - Date.now()).toBeLessThan(2 * 3_600_000 + 120_000);
    expect((await mm.admin.get<MmUser>(`/users/${mm.env.MM_BOT_USER_ID}`)).props?.[BOT_PROPS.noticeText]).toBe(WORDS);
    await waitFor('the slash command', () => output().includes(`registered /${trigger}`), 30_000);

    // Sign-in breaks: the probe user's password is no longer the bridge's.
    const broke = Date.now();
    await mm.admin.put(`/users/${probeUser.id}/password`, {new_password: `Other-${randomBytes(6).toString('hex')}-1`});
    const notice = await waitFor('the notice on the websocket', () => noticeSeen(), 30_000);
    expect(notice.services).toEqual([{key: 'signIn', down: true}]);
    expect(notice.since).toBeGreaterThanOrEqual(Math.floor(broke / 1000) * 1000 - 1000);
    expect(seen.at(-1)?.props?.[BOT_PROPS.noticeText]).toBe(WORDS);
    expect(parseBotStatus(seen.at(-1) as UserLike).trigger).toBe(trigger);

    expect((await execute('mute 1h')).text).toBeDefined();
    await waitFor('no notice while muted', () => noticeSeen() === null, 15_000);
    await execute('unmute');
    await waitFor('the notice again after unmute', () => noticeSeen()?.services[0]?.key === 'signIn', 15_000);

    await mm.admin.put(`/users/${probeUser.id}/password`, {new_password: probeUser.password});
    await waitFor('no notice after the recovery', () => noticeSeen() === null, 30_000);
    // From the first report on, every event still named the latest report (the words' patch came before).
    const first = seen.findIndex((u) => parseBotStatus(u).reportId);
    expect(seen.slice(first).every((u) => parseBotStatus(u).reportId)).toBe(true);

    // Broken again, then the bridge stops: a stopped bridge takes its notice out.
    await mm.admin.put(`/users/${probeUser.id}/password`, {new_password: `Other-${randomBytes(6).toString('hex')}-1`});
    await waitFor('the notice once more', () => noticeSeen(), 30_000);
    await stopChild(bridge.child, 'SIGTERM');
    await waitFor('no notice once the bridge stopped', () => noticeSeen() === null, 15_000);
    expect(parseBotStatus(seen.at(-1) as UserLike).reportId).not.toBeNull();
    expect(output()).not.toContain(mm.env.MM_ADMIN_TOKEN);
  }, 180_000);

  it("gets its words into the bot's props from setup with HEALTHCHECK_NOTICE_TEXT; a setup without it keeps them", () => {
    const setup = (env: Record<string, string>) =>
      execFileSync(
        process.execPath,
        [
          path.join(root, 'server-bridge/dist/main.js'),
          'setup',
          '--url',
          mm.url,
          '--admin-token-file',
          path.join(mm.env.MM_SECRETS_DIR as string, 'admin-token'),
          '--team',
          mm.env.MM_TEAM as string,
          '--secrets-dir',
          mm.env.MM_SECRETS_DIR as string,
        ],
        {env: {PATH: process.env.PATH, ...env}, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']},
      );
    const words = async () => (await mm.admin.get<MmUser>(`/users/${mm.env.MM_BOT_USER_ID}`)).props?.[BOT_PROPS.noticeText];
    setup({HEALTHCHECK_NOTICE_TEXT: 'Setup words since {since}'});
    return words()
      .then((w) => expect(w).toBe('Setup words since {since}'))
      .then(() => setup({}))
      .then(words)
      .then((w) => expect(w).toBe('Setup words since {since}'));
  }, 120_000);
});
