// /healthcheck against the real server: registered by the bridge, executed through
// POST /api/v4/commands/execute by a normal user and an admin; the token and body checks.
import {randomBytes} from 'node:crypto';
import {testServer} from '../lib/mattermost';
import {startBridge, waitFor, type TestBridge} from '../lib/incident-bridge';
import {MattermostClient} from '../../server-bridge/src/mm/client';
import {connectWebSocket} from '../../server-bridge/src/mm/websocket';
import type {MmCommand, MmPost, MmPostList, MmTeam, MmUser} from '../../server-bridge/src/mm/types';
import {parseAlertPost} from '../../server-bridge/src/contract';

const mm = testServer();
const trigger = `hc${randomBytes(3).toString('hex')}`;
let bridge: TestBridge;
let team: MmTeam;
let user: {id: string; client: MattermostClient};

interface CommandAnswer {
  response_type?: string;
  text?: string;
}

const execute = (client: MattermostClient, text: string) => client.post<CommandAnswer>('/commands/execute', {command: `/${trigger}${text ? ` ${text}` : ''}`, channel_id: mm.env.MM_OPS_CHANNEL_ID});
const commandsOfTrigger = async () => (await mm.admin.get<MmCommand[]>('/commands', {query: {team_id: team.id, custom_only: true}})).filter((c) => c.trigger === trigger);

beforeAll(async () => {
  team = await mm.admin.get<MmTeam>(`/teams/name/${mm.env.MM_TEAM}`);
  const name = `slashuser${randomBytes(3).toString('hex')}`;
  const password = `Pw-${randomBytes(9).toString('base64url')}-1`;
  const created = await mm.admin.post<MmUser>('/users', {username: name, email: `${name}@localhost`, password});
  await mm.admin.post(`/teams/${team.id}/members`, {team_id: team.id, user_id: created.id});
  await mm.admin.post(`/channels/${mm.env.MM_OPS_CHANNEL_ID}/members`, {user_id: created.id});
  const login = await mm.anonymous.request<MmUser>('POST', '/users/login', {body: {login_id: name, password}});
  user = {id: created.id, client: new MattermostClient({url: mm.url, token: login.headers.get('token')})};
  bridge = await startBridge(mm, {probes: [{name: 'ping', intervalMs: 60_000, timeoutMs: 5_000}], trigger, registerSlash: true});
  await waitFor('the command to be registered', async () => (await commandsOfTrigger()).length === 1 && bridge.logs.some((l) => l.includes(`registered /${trigger}`)));
});

afterAll(async () => {
  await bridge?.stop();
  for (const c of await commandsOfTrigger()) await mm.admin.delete(`/commands/${c.id}`);
  if (user) await mm.admin.delete(`/users/${user.id}`);
});

describe('/healthcheck through the real server', () => {
  it('is registered once, with autocomplete, pointing at the bridge', async () => {
    const [cmd] = await commandsOfTrigger();
    expect(cmd).toMatchObject({method: 'P', url: `${bridge.url}/slash/healthcheck`, auto_complete: true});
  });

  it('answers status to a normal user, ephemeral, with the live ping and the probe table', async () => {
    await waitFor('a first ping result', () => bridge.results.length > 0);
    const answer = await execute(user.client, '');
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('Server ping now: **OK**');
    expect(answer.text).toMatch(/\| ping \| :white_check_mark: ok \| \d+ ms \|/);
    expect(answer.text).toContain('Open incidents: none');
  });

  it('refuses mute, unmute and run to the normal user, and changes nothing', async () => {
    for (const text of ['mute 1h', 'unmute', 'run']) expect((await execute(user.client, text)).text).toContain('is for system admins only');
    expect(bridge.service.incidents.activeMutes(Date.now())).toHaveLength(0);
  });

  it('lets the admin mute (announced in the ops channel) and unmute', async () => {
    const since = Date.now();
    expect((await execute(mm.admin, 'mute 2h ping')).text).toContain('muted for **ping**');
    const ops = async () => {
      const list = await mm.admin.get<MmPostList>(`/channels/${mm.env.MM_OPS_CHANNEL_ID}/posts`, {query: {since}});
      return Object.values(list.posts).map((p: MmPost) => parseAlertPost(p, mm.env.MM_BOT_USER_ID)).filter((p) => p.ok);
    };
    await waitFor('the mute announcement', async () => (await ops()).some((p) => p.ok && p.value.event === 'mute'));
    expect((await execute(mm.admin, 'unmute')).text).toContain('Ended 1 mute');
    await waitFor('the unmute announcement', async () => (await ops()).some((p) => p.ok && p.value.event === 'unmute'));
  });

  it('answers run at once, then through response_url once the probes ran', async () => {
    const ws = await connectWebSocket({url: mm.url, token: mm.env.MM_ADMIN_TOKEN as string, signal: AbortSignal.timeout(10_000)});
    try {
      const delayed = ws.waitFor((e) => e.event === 'ephemeral_message' && String(e.data.post).includes('Probes run now'), AbortSignal.timeout(30_000));
      const runsBefore = bridge.results.length;
      expect((await execute(mm.admin, 'run')).text).toContain('Running every probe now');
      const event = await delayed;
      const post = JSON.parse(String(event.event.data.post)) as MmPost;
      expect(post.message).toMatch(/Probes run now: 1 of 1 ok/);
      expect(bridge.results.length).toBeGreaterThan(runsBefore);
    } finally {
      await ws.close();
    }
  });

  it('gives the help text for unknown input', async () => {
    const answer = await execute(user.client, 'dance');
    expect(answer.text).toContain('unknown subcommand "dance"');
    expect(answer.text).toContain(`/${trigger} mute <duration> [probe]`);
  });
});

describe('the bridge endpoint itself', () => {
  const post = (headers: Record<string, string>, body: string) => fetch(`${bridge.url}/slash/healthcheck`, {method: 'POST', headers, body});
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

  it('answers 401 with no detail to a wrong command token', async () => {
    const res = await post({'content-type': 'application/x-www-form-urlencoded'}, form({token: 'x'.repeat(26), user_id: user.id, command: `/${trigger}`}));
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('{"error":"unauthorized"}');
  });

  it('answers 4xx, never 5xx, to malformed and oversized bodies', async () => {
    const [cmd] = await commandsOfTrigger();
    const cases: [Record<string, string>, string][] = [
      [{'content-type': 'application/x-www-form-urlencoded'}, form({token: cmd?.token ?? '', text: 'x'.repeat(64 * 1024)})],
      [{'content-type': 'application/json'}, JSON.stringify({token: cmd?.token})],
      [{'content-type': 'application/x-www-form-urlencoded'}, '%E0%A4%A&&=&token'],
      [{'content-type': 'application/x-www-form-urlencoded'}, form({token: cmd?.token ?? ''})],
      [{'content-type': 'text/plain'}, 'hello'],
    ];
    const statuses: number[] = [];
    for (const [headers, body] of cases) statuses.push((await post(headers, body)).status);
    expect(statuses).toEqual([413, 415, 401, 400, 415]);
  });
});
