// /healthcheck against the real server: registered by the bridge in two teams, executed through
// POST /api/v4/commands/execute by a normal user and an admin; tokens bound to their team and
// replaced when regenerated; names in posts from the server; the token and body checks; the
// server-signed trigger_id that proves who ran a subcommand that acts (a team admin reads the token).
import {randomBytes} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {startFormListener, testServer} from '../lib/mattermost';
import {startBridge, waitFor, type TestBridge} from '../lib/incident-bridge';
import {MattermostClient} from '../../server-bridge/src/mm/client';
import {connectWebSocket} from '../../server-bridge/src/mm/websocket';
import type {MmCommand, MmPost, MmPostList, MmTeam, MmUser} from '../../server-bridge/src/mm/types';
import {parseAlertPost} from '../../server-bridge/src/contract';
import {signingKey, verifyTriggerId} from '../../server-bridge/src/actions/trigger-id';

const mm = testServer();
const trigger = `hc${randomBytes(3).toString('hex')}`;
let bridge: TestBridge;
let team: MmTeam;
let team2: MmTeam;
let user: {id: string; client: MattermostClient};

interface CommandAnswer {
  response_type?: string;
  text?: string;
}

const execute = (client: MattermostClient, text: string) => client.post<CommandAnswer>('/commands/execute', {command: `/${trigger}${text ? ` ${text}` : ''}`, channel_id: mm.env.MM_OPS_CHANNEL_ID});
const commandsOfTrigger = async (teamId = team.id) => (await mm.admin.get<MmCommand[]>('/commands', {query: {team_id: teamId, custom_only: true}})).filter((c) => c.trigger === trigger);

beforeAll(async () => {
  team = await mm.admin.get<MmTeam>(`/teams/name/${mm.env.MM_TEAM}`);
  const name2 = `second${randomBytes(3).toString('hex')}`;
  team2 = await mm.admin.post<MmTeam>('/teams', {name: name2, display_name: name2, type: 'O'});
  await mm.admin.post(`/teams/${team2.id}/members`, {team_id: team2.id, user_id: mm.env.MM_BOT_USER_ID});
  const name = `slashuser${randomBytes(3).toString('hex')}`;
  const password = `Pw-${randomBytes(9).toString('base64url')}-1`;
  const created = await mm.admin.post<MmUser>('/users', {username: name, email: `${name}@localhost`, password});
  await mm.admin.post(`/teams/${team.id}/members`, {team_id: team.id, user_id: created.id});
  await mm.admin.post(`/channels/${mm.env.MM_OPS_CHANNEL_ID}/members`, {user_id: created.id});
  const login = await mm.anonymous.request<MmUser>('POST', '/users/login', {body: {login_id: name, password}});
  user = {id: created.id, client: new MattermostClient({url: mm.url, token: login.headers.get('token')})};
  // The bridge reaches the server by another name than its Site URL (as behind a proxy): response_url
  // and links must follow the Site URL the server gives.
  const internalUrl = mm.url.replace('127.0.0.1', 'localhost');
  bridge = await startBridge(mm, {probes: [{name: 'ping', intervalMs: 60_000, timeoutMs: 5_000}], trigger, registerSlash: true, teams: [mm.env.MM_TEAM as string, team2.name], siteUrl: internalUrl});
  await waitFor('the command to be registered', async () => (await commandsOfTrigger()).length === 1 && (await commandsOfTrigger(team2.id)).length === 1 && bridge.slashTeams().length === 2);
});

afterAll(async () => {
  await bridge?.stop();
  for (const c of await commandsOfTrigger()) await mm.admin.delete(`/commands/${c.id}`);
  if (team2) await mm.admin.delete(`/teams/${team2.id}`, {query: {permanent: true}}).catch(() => undefined);
  if (user) await mm.admin.delete(`/users/${user.id}`);
});

describe('/healthcheck through the real server', () => {
  it("sends a trigger_id with each command request, signed with the server's key for the user who ran it, at that time", async () => {
    const before = Date.now();
    const [userTrigger] = await signedTriggers(user.client, 1);
    const {AsymmetricSigningPublicKey: pub} = await mm.anonymous.get<{AsymmetricSigningPublicKey: string}>('/config/client', {query: {format: 'old'}});
    const check = verifyTriggerId(userTrigger, signingKey(pub), user.id, Date.now(), 60_000);
    expect(check).toMatchObject({ok: true, trigger: {userId: user.id, clientTriggerId: expect.stringMatching(/^[a-z0-9]{26}$/)}});
    expect(check.ok && check.trigger.at).toBeGreaterThanOrEqual(before - 1000);
    // The same request is not the admin's.
    expect(verifyTriggerId(userTrigger, signingKey(pub), mm.env.MM_ADMIN_USER_ID as string, Date.now(), 60_000)).toMatchObject({ok: false, reason: expect.stringContaining('another user')});
  });

  it('is registered once, with autocomplete, pointing at the bridge', async () => {
    const [cmd] = await commandsOfTrigger();
    expect(cmd).toMatchObject({method: 'P', url: `${bridge.url}/slash/healthcheck`, auto_complete: true});
  });

  it('answers status to a normal user, ephemeral, from what the bridge knows: the latest ping run and the probe table', async () => {
    await waitFor('a first ping result', () => bridge.results.length > 0);
    const answer = await execute(user.client, '');
    expect(answer.response_type).toBe('ephemeral');
    // Not a ping made now: the ping probe's latest run, how long ago, and the version it saw.
    expect(answer.text).toMatch(/Server ping: \*\*OK\*\* in \d+ ms, \d+ s ago · Mattermost \d+\.\d+\.\d+/);
    expect(answer.text).toMatch(/\| ping \| ✅ ok \| \d+ ms \|/);
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
      return Object.values(list.posts)
        .map((p: MmPost) => parseAlertPost(p, mm.env.MM_BOT_USER_ID))
        .filter((p) => p.ok);
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
    expect(answer.text).toContain('unknown subcommand `dance`');
    expect(answer.text).toContain(`/${trigger} mute <duration> [probe]`);
  });
});

/** A new user who is an admin of the test's team (not a system admin). */
async function newTeamAdmin(): Promise<{created: MmUser; client: MattermostClient}> {
  const name = `teamadmin${randomBytes(3).toString('hex')}`;
  const password = `Pw-${randomBytes(9).toString('base64url')}-1`;
  const created = await mm.admin.post<MmUser>('/users', {username: name, email: `${name}@localhost`, password});
  await mm.admin.post(`/teams/${team.id}/members`, {team_id: team.id, user_id: created.id});
  await mm.admin.put(`/teams/${team.id}/members/${created.id}/schemeRoles`, {scheme_admin: true, scheme_user: true});
  const login = await mm.anonymous.request<MmUser>('POST', '/users/login', {body: {login_id: name, password}});
  return {created, client: new MattermostClient({url: mm.url, token: login.headers.get('token')})};
}

/** trigger_ids the server signs for this client's user, read from a command of this test's own that records its requests. */
async function signedTriggers(client: MattermostClient, count: number): Promise<string[]> {
  const listener = await startFormListener({response_type: 'ephemeral', text: 'ok'});
  const spy = `spy${randomBytes(3).toString('hex')}`;
  const cmd = await mm.admin.post<MmCommand>('/commands', {team_id: team.id, trigger: spy, method: 'P', url: listener.url});
  try {
    for (let i = 0; i < count; i++) await client.post('/commands/execute', {command: `/${spy}`, channel_id: mm.env.MM_OPS_CHANNEL_ID});
    return listener.received.map((f) => f.trigger_id as string);
  } finally {
    listener.close();
    await mm.admin.delete(`/commands/${cmd.id}`);
  }
}

describe('the bridge endpoint itself', () => {
  const post = (headers: Record<string, string>, body: string) => fetch(`${bridge.url}/slash/healthcheck`, {method: 'POST', headers, body});
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

  it('accepts a regenerated token at once and refuses the old one; nothing of it is in the state file', async () => {
    const [cmd] = await commandsOfTrigger();
    const old = cmd?.token as string;
    const {token: fresh} = await mm.admin.put<{token: string}>(`/commands/${cmd?.id}/regen_token`);
    // First in this block: no refused token of this team has made the bridge read the registrations in
    // the last minute (a refused token does so at most once a minute per team).
    // Through the real server: the first request with the new token makes the bridge read the registrations again.
    expect((await execute(user.client, '')).text).toContain('Server ping: **OK**');
    const status = async (token: string) => (await post({'content-type': 'application/x-www-form-urlencoded'}, form({token, team_id: team.id, user_id: user.id, command: `/${trigger}`}))).status;
    expect(await status(fresh)).toBe(200);
    expect(await status(old)).toBe(401);
    // Saved after the mutes above, and on every change since.
    const state = readFileSync(bridge.stateFile, 'utf8');
    expect(state).toContain('"incidents"');
    expect(state).not.toContain(fresh);
    expect(state).not.toContain(old);
  });

  it('answers 401 with no detail to a wrong command token', async () => {
    const res = await post({'content-type': 'application/x-www-form-urlencoded'}, form({token: 'x'.repeat(26), team_id: team.id, user_id: user.id, command: `/${trigger}`}));
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('{"error":"unauthorized"}');
  });

  it('refuses the token of one team for another team, or with no team', async () => {
    const [cmd] = await commandsOfTrigger();
    const [cmd2] = await commandsOfTrigger(team2.id);
    const status = async (token: string, teamId: string) =>
      (await post({'content-type': 'application/x-www-form-urlencoded'}, form({token, team_id: teamId, user_id: mm.env.MM_ADMIN_USER_ID as string, command: `/${trigger}`, text: 'mute 7d'}))).status;
    expect(await status(cmd?.token as string, team2.id)).toBe(401);
    expect(await status(cmd2?.token as string, team.id)).toBe(401);
    expect(await status(cmd?.token as string, '')).toBe(401);
    expect(await status(cmd?.token as string, 'x'.repeat(26))).toBe(401);
    expect(bridge.service.incidents.activeMutes(Date.now())).toHaveLength(0);
  });

  it("writes the name the server gives into the ops channel, never the form's user_name (a request the server signed for the admin)", async () => {
    const [cmd] = await commandsOfTrigger();
    const since = Date.now();
    const admin = await mm.admin.get<MmUser>('/users/me');
    const forged = {user_name: 'all [click here](https://evil.example)', channel_name: 'x](https://evil.example)'};
    // The trigger_ids the server signed for the admin, taken from a command of this test's own.
    const [first, second] = await signedTriggers(mm.admin, 2);
    const res = await post(
      {'content-type': 'application/x-www-form-urlencoded'},
      form({
        token: cmd?.token as string,
        team_id: team.id,
        channel_id: mm.env.MM_OPS_CHANNEL_ID as string,
        user_id: admin.id,
        command: `/${trigger}`,
        text: 'mute 1h ping',
        trigger_id: first as string,
        ...forged,
      }),
    );
    expect(res.status).toBe(200);
    await post(
      {'content-type': 'application/x-www-form-urlencoded'},
      form({token: cmd?.token as string, team_id: team.id, user_id: admin.id, command: `/${trigger}`, text: 'unmute', trigger_id: second as string, ...forged}),
    );
    const posts = await waitFor('the mute and unmute posts', async () => {
      const list = await mm.admin.get<MmPostList>(`/channels/${mm.env.MM_OPS_CHANNEL_ID}/posts`, {query: {since}});
      const mine = Object.values(list.posts).filter((p) => p.user_id === mm.env.MM_BOT_USER_ID && /muted/.test(p.message));
      return mine.length >= 2 ? mine : null;
    });
    for (const p of posts) {
      expect(p.message).toContain(`by @${admin.username}`);
      expect(p.message).not.toMatch(/evil|click|@all/);
    }
  });

  it("does not let a team admin who reads the command token act as the system admin, nor replay the admin's signed request", async () => {
    const {created, client: teamAdmin} = await newTeamAdmin();
    try {
      // A team admin may list the team's commands with their tokens, the bridge's included.
      const token = (await teamAdmin.get<MmCommand[]>('/commands', {query: {team_id: team.id, custom_only: true}})).find((c) => c.trigger === trigger)?.token;
      expect(token).toMatch(/^[a-z0-9]{26}$/);
      const admin = mm.env.MM_ADMIN_USER_ID as string;
      const act = async (userId: string, text: string, triggerId: string) =>
        post(
          {'content-type': 'application/x-www-form-urlencoded'},
          form({token: token as string, team_id: team.id, channel_id: mm.env.MM_OPS_CHANNEL_ID as string, user_id: userId, command: `/${trigger}`, text, trigger_id: triggerId}),
        );
      const [own] = await signedTriggers(teamAdmin, 1);
      for (const text of ['mute 7d', 'run', 'unmute', 'ack']) {
        const noProof = await act(admin, text, '');
        expect(noProof.status).toBe(403);
        expect(((await noProof.json()) as CommandAnswer).text).toContain("does not carry the server's proof of who ran it");
        // Signed by the server, but for the team admin, not for the user the form names.
        expect((await act(admin, text, own as string)).status).toBe(403);
      }
      // Their own signed request is theirs: not a system admin's.
      expect(((await (await act(created.id, 'mute 7d', own as string)).json()) as CommandAnswer).text).toContain('is for system admins only');
      expect(bridge.service.incidents.activeMutes(Date.now())).toHaveLength(0);
      // A request the server signed for the admin is taken once only.
      const [adminTrigger] = await signedTriggers(mm.admin, 1);
      expect((await act(admin, 'unmute', adminTrigger as string)).status).toBe(200);
      const replay = await act(admin, 'mute 7d', adminTrigger as string);
      expect(replay.status).toBe(409);
      expect(bridge.service.incidents.activeMutes(Date.now())).toHaveLength(0);
      expect(bridge.logs.join('\n')).not.toContain(token);
    } finally {
      await mm.admin.delete(`/users/${created.id}`);
    }
  });

  it('answers 4xx, never 5xx, to malformed and oversized bodies', async () => {
    const [cmd] = await commandsOfTrigger();
    const cases: [Record<string, string>, string][] = [
      [{'content-type': 'application/x-www-form-urlencoded'}, form({token: cmd?.token ?? '', text: 'x'.repeat(64 * 1024)})],
      [{'content-type': 'application/json'}, JSON.stringify({token: cmd?.token})],
      [{'content-type': 'application/x-www-form-urlencoded'}, '%E0%A4%A&&=&token'],
      [{'content-type': 'application/x-www-form-urlencoded'}, form({token: cmd?.token ?? '', team_id: team.id})],
      [{'content-type': 'text/plain'}, 'hello'],
    ];
    const statuses: number[] = [];
    for (const [headers, body] of cases) statuses.push((await post(headers, body)).status);
    expect(statuses).toEqual([413, 415, 401, 400, 415]);
  });
});

describe('a /healthcheck command someone else made first', () => {
  it('is not adopted (not edited, not deleted, its token not accepted) and the bridge says so', async () => {
    const {created, client: teamAdmin} = await newTeamAdmin();
    const taken = `hct${randomBytes(3).toString('hex')}`;
    const theirs = await teamAdmin.post<MmCommand>('/commands', {team_id: team.id, trigger: taken, method: 'P', url: 'http://127.0.0.1:9/theirs'});
    const other = await startBridge(mm, {probes: [{name: 'ping', intervalMs: 60_000, timeoutMs: 5_000}], trigger: taken, registerSlash: true});
    try {
      await waitFor('the refusal in the log', () =>
        other.logs.some((l) => l.includes(`/${taken} in team ${team.name} (command ${theirs.id}) was created by @${created.username}, neither the bot nor a system admin: not adopted`)),
      );
      const now = (await mm.admin.get<MmCommand[]>('/commands', {query: {team_id: team.id, custom_only: true}})).filter((c) => c.trigger === taken);
      expect(now).toEqual([expect.objectContaining({id: theirs.id, url: 'http://127.0.0.1:9/theirs', creator_id: created.id})]);
      expect(other.slashTeams()).toEqual([]);
      const res = await fetch(`${other.url}/slash/healthcheck`, {
        method: 'POST',
        headers: {'content-type': 'application/x-www-form-urlencoded'},
        body: new URLSearchParams({token: theirs.token, team_id: team.id, user_id: created.id, command: `/${taken}`}).toString(),
      });
      expect(res.status).toBe(401);
    } finally {
      await other.stop();
      await mm.admin.delete(`/commands/${theirs.id}`).catch(() => undefined);
      await mm.admin.delete(`/users/${created.id}`);
    }
  });
});

describe('/healthcheck with several targets', () => {
  it('sums up per target: healthy ones counted, the one in trouble on its own line', async () => {
    const manyTrigger = `hcm${randomBytes(3).toString('hex')}`;
    const many = await startBridge(mm, {
      probes: [{name: 'ping', intervalMs: 60_000, timeoutMs: 2_000}],
      trigger: manyTrigger,
      registerSlash: true,
      targets: [{name: 'node-1'}, {name: 'node-2'}, {name: 'down', url: 'http://127.0.0.1:1'}],
    });
    const mine = async () => (await mm.admin.get<MmCommand[]>('/commands', {query: {team_id: team.id, custom_only: true}})).filter((c) => c.trigger === manyTrigger);
    try {
      await waitFor('the command to be registered', async () => (await mine()).length === 1 && many.slashTeams().length === 1);
      const ask = async () => (await user.client.post<CommandAnswer>('/commands/execute', {command: `/${manyTrigger}`, channel_id: mm.env.MM_OPS_CHANNEL_ID})).text ?? '';
      // Two failed runs in a row make a target failing.
      const text = await waitFor('the unreachable target failing', async () => {
        const answer = await ask();
        if (answer.includes('1 in trouble')) return answer;
        await many.scheduler.runNow();
        return null;
      });
      expect(text).toContain('**2 targets OK** of 3 · 🔴 1 in trouble');
      expect(text).toMatch(/^- 🔴 `down`: \*\*ping\*\* failing: `.+` · \d+\.\d+ % up in 24 h$/m);
      expect(text).not.toContain('node-1');
      expect(text).not.toContain('| Probe |');
    } finally {
      await many.stop();
      for (const c of await mine()) await mm.admin.delete(`/commands/${c.id}`);
    }
  }, 120_000);
});
