// The buttons of an incident post, clicked through the real server (POST /api/v4/posts/{id}/actions/
// {action_id}) by users with and without the role; the server calls the bridge, which checks the
// context token and the signed trigger_id. Also a forged and a replayed request sent straight to the
// bridge, /healthcheck ack, acknowledgement stopping reminders, and a restart keeping it all.
import {randomBytes} from 'node:crypto';
import {buttonIds, testServer} from '../lib/mattermost';
import {startBridge, waitFor, type TestBridge} from '../lib/incident-bridge';
import {MattermostClient} from '../../server-bridge/src/mm/client';
import {parseAlertPost, type Alert} from '../../server-bridge/src/contract';
import type {MmCommand, MmPost, MmPostList, MmTeam, MmUser} from '../../server-bridge/src/mm/types';

const mm = testServer();
const trigger = `hcack${randomBytes(3).toString('hex')}`;
const tag = randomBytes(3).toString('hex');
let bridge: TestBridge | null = null;
let team: MmTeam;
const users: Record<'member' | 'outsider' | 'probe', {id: string; username: string; password: string; client: MattermostClient}> = {} as never;
const captured: unknown[] = [];

async function makeUser(kind: keyof typeof users, inOps: boolean): Promise<void> {
  const username = `${kind}${tag}`;
  const password = `Pw-${randomBytes(9).toString('base64url')}-1`;
  const created = await mm.admin.post<MmUser>('/users', {username, email: `${username}@localhost`, password});
  await mm.admin.post(`/teams/${team.id}/members`, {team_id: team.id, user_id: created.id});
  if (inOps) await mm.admin.post(`/channels/${mm.env.MM_OPS_CHANNEL_ID}/members`, {user_id: created.id});
  const login = await mm.anonymous.request<MmUser>('POST', '/users/login', {body: {login_id: username, password}});
  users[kind] = {id: created.id, username, password, client: new MattermostClient({url: mm.url, token: login.headers.get('token')})};
}

async function alertsSince(since: number): Promise<{post: MmPost; alert: Alert}[]> {
  const list = await mm.admin.get<MmPostList>(`/channels/${mm.env.MM_OPS_CHANNEL_ID}/posts`, {query: {since}});
  return Object.values(list.posts)
    .flatMap((post) => {
      const parsed = parseAlertPost(post, mm.env.MM_BOT_USER_ID);
      return parsed.ok && post.delete_at === 0 && !(post as {original_id?: string}).original_id ? [{post, alert: parsed.value}] : [];
    })
    .sort((a, b) => a.post.create_at - b.post.create_at);
}

const click = (client: MattermostClient, postId: string, action: string) => client.request('POST', `/posts/${postId}/actions/${action}`, {body: {}, acceptStatus: [400, 403, 404]});
const execute = (client: MattermostClient, text: string) => client.post<{text?: string}>('/commands/execute', {command: `/${trigger} ${text}`, channel_id: mm.env.MM_OPS_CHANNEL_ID});
const commandsOfTrigger = async () => (await mm.admin.get<MmCommand[]>('/commands', {query: {team_id: team.id, custom_only: true}})).filter((c) => c.trigger === trigger);

const start = (stateFile?: string, port?: number) =>
  startBridge(mm, {
    probes: [{name: 'login', intervalMs: 1000, timeoutMs: 5000}],
    reminderIntervalMs: 1000,
    maxReminders: 100,
    trigger,
    registerSlash: true,
    actions: {},
    // What a listener on the network between Mattermost and the bridge would see, to replay it.
    beforeListen: (app) => app.addHook('preHandler', async (req) => void (req.url.startsWith('/actions/') && captured.push(req.body))),
    ...(stateFile ? {stateFile} : {}),
    ...(port ? {port} : {}),
    // The probe user's wrong password keeps the login probe failing: an incident stays open.
    target: {probeUsername: users.probe.username, probePassword: 'not-the-password-1A'},
  });

const privacy = (type: 'O' | 'P') => mm.admin.put(`/channels/${mm.env.MM_OPS_CHANNEL_ID}/privacy`, {privacy: type});

beforeAll(async () => {
  team = await mm.admin.get<MmTeam>(`/teams/name/${mm.env.MM_TEAM}`);
  // setup makes the ops channel private (an instance bootstrapped by an older setup may have a public one).
  if ((await mm.admin.get<{type: string}>(`/channels/${mm.env.MM_OPS_CHANNEL_ID}`)).type !== 'P') await privacy('P');
  await makeUser('member', true);
  await makeUser('outsider', false);
  await makeUser('probe', false);
});

afterAll(async () => {
  await bridge?.stop();
  for (const c of await commandsOfTrigger()) await mm.admin.delete(`/commands/${c.id}`);
  for (const u of Object.values(users)) await mm.admin.delete(`/users/${u.id}`).catch(() => undefined);
});

describe('incident buttons through the real server', () => {
  const since = Date.now();
  let root: MmPost;

  it('puts Acknowledge, Mute 1 h and Mute 4 h on the root; clients never see the integration', async () => {
    bridge = await start();
    root = (await waitFor('the incident root post', async () => (await alertsSince(since)).find((a) => a.alert.event === 'open'), 60_000)).post;
    expect(buttonIds(root)).toEqual(['ack', 'mute1h', 'mute4h']);
    const seen = await users.member.client.get<MmPost>(`/posts/${root.id}`);
    expect(JSON.stringify(seen.props)).not.toContain('integration');
    expect(JSON.stringify(seen.props)).not.toContain('token');
    await waitFor('the slash command', () => bridge?.slashTeams().length === 1);
  });

  it('refuses to acknowledge for a user outside the ops channel and to mute for a non-admin; nothing changes', async () => {
    const b = bridge as TestBridge;
    // Mattermost itself refuses a click on a post of a channel the user is not in.
    expect((await click(users.outsider.client, root.id, 'ack')).status).toBe(403);
    expect((await click(users.member.client, root.id, 'mute1h')).status).toBe(200);
    expect((await click(users.member.client, root.id, 'mute4h')).status).toBe(200);
    const townSquare = await users.outsider.client.get<{id: string}>(`/teams/${team.id}/channels/name/town-square`);
    const answer = await users.outsider.client.post<{text?: string}>('/commands/execute', {command: `/${trigger} ack`, channel_id: townSquare.id});
    expect(answer.text).toContain('Only members of the ops channel');
    expect(b.service.incidents.openIncidents()[0]?.ack).toBeUndefined();
    expect(b.service.incidents.mutedUntil(Date.now())).toBeNull();
    expect(buttonIds(await mm.admin.get<MmPost>(`/posts/${root.id}`))).toEqual(['ack', 'mute1h', 'mute4h']);
  });

  it('refuses to acknowledge for a plain team member who joined the ops channel while it was public; nothing changes', async () => {
    const b = bridge as TestBridge;
    await privacy('O');
    try {
      await users.outsider.client.post(`/channels/${mm.env.MM_OPS_CHANNEL_ID}/members`, {user_id: users.outsider.id});
      const before = captured.length;
      // Mattermost lets the member click (they read the channel) and calls the bridge, which refuses.
      expect((await click(users.outsider.client, root.id, 'ack')).status).toBe(200);
      expect(captured.length).toBe(before + 1);
      expect(b.service.incidents.openIncidents()[0]?.ack).toBeUndefined();
      expect(buttonIds(await mm.admin.get<MmPost>(`/posts/${root.id}`))).toEqual(['ack', 'mute1h', 'mute4h']);
    } finally {
      await mm.admin.delete(`/channels/${mm.env.MM_OPS_CHANNEL_ID}/members/${users.outsider.id}`).catch(() => undefined);
      await privacy('P');
    }
  });

  it('acknowledges for an ops channel member: root and buttons updated at once, one thread line, reminders stop', async () => {
    await waitFor('a reminder before the acknowledgement', async () => (await alertsSince(since)).some((a) => a.alert.event === 'reminder'));
    const res = await click(users.member.client, root.id, 'ack');
    expect(res.status).toBe(200);
    const updated = await mm.admin.get<MmPost>(`/posts/${root.id}`);
    expect(updated.message).toContain(`Acknowledged by @${users.member.username}`);
    expect(buttonIds(updated)).toEqual(['mute1h', 'mute4h']);
    expect((updated.props.healthcheck_alert as Alert).ack?.by).toBe(users.member.username);
    const remindersAtAck = (await alertsSince(since)).filter((a) => a.alert.event === 'reminder').length;
    // /healthcheck ack by the admin afterwards: nothing more happens.
    expect((await execute(mm.admin, 'ack')).text).toContain(`Already acknowledged by @${users.member.username}`);
    const after = Date.now() + 4000;
    await waitFor('four reminder intervals', () => Date.now() > after, 10_000, 200);
    const all = await alertsSince(since);
    expect(all.filter((a) => a.alert.event === 'reminder').length).toBe(remindersAtAck);
    const acks = all.filter((a) => a.alert.event === 'ack' && a.post.root_id === root.id);
    expect(acks).toHaveLength(1);
    expect(acks[0]?.post.message).toContain('Reminders stop');
  });

  it('mutes for an admin (Unmute offered), then unmutes', async () => {
    const b = bridge as TestBridge;
    expect((await click(mm.admin, root.id, 'mute4h')).status).toBe(200);
    expect(b.service.incidents.mutedUntil(Date.now())).toBeGreaterThan(Date.now() + 3.9 * 3_600_000);
    expect(buttonIds(await mm.admin.get<MmPost>(`/posts/${root.id}`))).toEqual(['unmute']);
    expect((await click(mm.admin, root.id, 'unmute')).status).toBe(200);
    expect(b.service.incidents.mutedUntil(Date.now())).toBeNull();
    expect(buttonIds(await mm.admin.get<MmPost>(`/posts/${root.id}`))).toEqual(['mute1h', 'mute4h']);
  });

  it('refuses a forged request and a replayed one sent straight to the bridge (4xx, nothing changes)', async () => {
    const b = bridge as TestBridge;
    const post = (body: unknown) => fetch(`${b.url}/actions/incident`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)});
    const real = captured.at(-1) as Record<string, unknown>;
    const incident = b.service.incidents.openIncidents()[0];
    const forged = {user_id: mm.env.MM_ADMIN_USER_ID, post_id: root.id, channel_id: mm.env.MM_OPS_CHANNEL_ID, context: {incident: incident?.id, action: 'mute4h', token: 'guessed'}};
    expect((await post(forged)).status).toBe(403);
    expect(real).toMatchObject({user_id: expect.any(String), trigger_id: expect.any(String), context: {action: 'unmute'}});
    expect((await post(real)).status).toBe(409);
    expect((await post({...real, trigger_id: undefined})).status).toBe(403);
    expect(b.service.incidents.mutedUntil(Date.now())).toBeNull();
  });

  it('keeps the acknowledgement, the key and the replay memory across a restart', async () => {
    const {stateFile, url} = bridge as TestBridge;
    await (bridge as TestBridge).stop();
    bridge = await start(stateFile, Number(new URL(url).port));
    const b = bridge;
    expect(b.service.incidents.openIncidents()[0]?.ack?.by).toBe(users.member.username);
    const replayed = JSON.stringify(captured.find((c) => (c as {context?: {action?: string}}).context?.action === 'unmute'));
    // A kept-alive connection to the stopped bridge fails once on the same port: send again.
    const send = () => fetch(`${b.url}/actions/incident`, {method: 'POST', headers: {'content-type': 'application/json'}, body: replayed});
    expect((await send().catch(send)).status).toBe(409);
    expect((await click(mm.admin, root.id, 'mute1h')).status).toBe(200);
    expect(b.service.incidents.mutedUntil(Date.now())).toBeGreaterThan(Date.now() + 0.9 * 3_600_000);
    await b.service.incidents.unmute('test', Date.now());
    expect(b.logs.join('\n')).not.toMatch(/publishes no signing key|does not verify/);
  });
});
