// Incidents while the server itself is up: the login probe fails (a wrong probe password), so
// reminders land in the thread, capped; a mute holds the alert until it ends; fixing the password
// resolves the incident. Everything checked in the real ops channel.
import {randomBytes} from 'node:crypto';
import {testServer} from '../lib/mattermost';
import {startBridge, waitFor, type TestBridge} from '../lib/incident-bridge';
import {parseAlertPost, type Alert} from '../../server-bridge/src/contract';
import type {MmPost, MmPostList, MmTeam, MmUser} from '../../server-bridge/src/mm/types';

const mm = testServer();
let bridge: TestBridge | null = null;
// An own probe user: failed logins count towards a lockout, which must not hit the shared one.
const probeUser = {username: `remind${randomBytes(3).toString('hex')}`, password: `Pw-${randomBytes(9).toString('base64url')}-1`, id: ''};

beforeAll(async () => {
  const team = await mm.admin.get<MmTeam>(`/teams/name/${mm.env.MM_TEAM}`);
  probeUser.id = (await mm.admin.post<MmUser>('/users', {username: probeUser.username, email: `${probeUser.username}@localhost`, password: probeUser.password})).id;
  await mm.admin.post(`/teams/${team.id}/members`, {team_id: team.id, user_id: probeUser.id});
});
afterAll(async () => {
  if (probeUser.id) await mm.admin.delete(`/users/${probeUser.id}`);
});
afterEach(async () => {
  await bridge?.stop();
  bridge = null;
});

async function alertsSince(since: number): Promise<{post: MmPost; alert: Alert}[]> {
  const list = await mm.admin.get<MmPostList>(`/channels/${mm.env.MM_OPS_CHANNEL_ID}/posts`, {query: {since}});
  return Object.values(list.posts)
    .flatMap((post) => {
      const parsed = parseAlertPost(post, mm.env.MM_BOT_USER_ID);
      return parsed.ok && post.delete_at === 0 ? [{post, alert: parsed.value}] : [];
    })
    .sort((a, b) => a.post.create_at - b.post.create_at);
}

const wrongPassword = () => ({probeUsername: probeUser.username, probePassword: 'not-the-password-1A'});

describe('incidents while the server is up', () => {
  it('reminds in the thread at the interval, no more than the cap, and resolves once the cause is fixed', async () => {
    const since = Date.now();
    bridge = await startBridge(mm, {probes: [{name: 'login', intervalMs: 1000, timeoutMs: 5000}], reminderIntervalMs: 1000, maxReminders: 2, target: wrongPassword()});
    const b = bridge;
    const root = await waitFor('the incident root post', async () => (await alertsSince(since)).find((a) => a.alert.event === 'open'));
    expect(root.alert.probes[0]?.probe).toBe('login');
    expect(root.post.message).toContain('**Incident on `local`**: **login** failing since');
    await waitFor('two reminders', async () => (await alertsSince(since)).filter((a) => a.alert.event === 'reminder').length === 2);
    // More reminder intervals pass: the cap holds (few enough failed logins to stay below a lockout).
    const until = Date.now() + 2500;
    await waitFor('three more intervals', () => Date.now() > until, 10_000, 100);
    expect(b.service.incidents.openIncidents()[0]?.remindersSent).toBe(2);
    b.target.probePassword = probeUser.password;
    const all = await waitFor('the recovery', async () => {
      const list = await alertsSince(since);
      return list.some((a) => a.alert.event === 'resolved') ? list : null;
    });
    const thread = all.filter((a) => a.post.root_id === root.post.id);
    expect(thread.map((a) => a.alert.event)).toEqual(['reminder', 'reminder', 'resolved']);
    expect(thread[0]?.post.message).toMatch(/Still failing for \d+ s: \*\*login\*\*/);
    expect(all.filter((a) => a.alert.event === 'open')).toHaveLength(1);
  });

  it('holds the alert of a muted probe, and posts it when the mute is lifted', async () => {
    const since = Date.now();
    bridge = await startBridge(mm, {probes: [{name: 'login', intervalMs: 1000, timeoutMs: 5000}], target: wrongPassword()});
    const b = bridge;
    b.service.incidents.mute('login', 3_600_000, 'admin', Date.now());
    await waitFor('four failed runs', () => b.results.filter((r) => !r.ok).length >= 4);
    await b.service.outbox.flush();
    expect((await alertsSince(since)).map((a) => a.alert.event)).toEqual(['mute']);
    expect(b.service.incidents.trackerOf('login', 'local')?.state).toBe('failing');
    const firstFailure = b.results.find((r) => !r.ok)?.startedAt;
    b.service.incidents.unmute('admin', Date.now());
    const list = await waitFor('the held incident', async () => {
      const l = await alertsSince(since);
      return l.some((a) => a.alert.event === 'open') ? l : null;
    });
    expect(list.map((a) => a.alert.event)).toEqual(['mute', 'unmute', 'open']);
    expect(list[2]?.alert.openedAt).toBe(firstFailure);
    b.target.probePassword = probeUser.password;
    await waitFor('the recovery', async () => (await alertsSince(since)).some((a) => a.alert.event === 'resolved'));
  });
});
