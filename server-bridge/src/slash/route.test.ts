import {generateKeyPairSync, randomBytes, sign} from 'node:crypto';
import {Writable} from 'node:stream';
import Fastify, {type FastifyInstance} from 'fastify';
import {Registry} from 'prom-client';
import {buildApp} from '../app';
import {createLogger} from '../logger';
import {DEFAULT_INCIDENT_SETTINGS, IncidentManager, type AlertOutbox} from '../incidents/incidents';
import type {NewItem} from '../outbox/outbox';
import type {ProbeResult} from '../probes/types';
import {slashRoutes, SLASH_PATH, type SlashDeps} from './route';
import type {CommandToken} from './token';
import {ReplayGuard} from '../actions/replay-guard';
import {TriggerGuard} from '../actions/trigger-guard';
import {signingKey} from '../actions/trigger-id';

const TOKEN = 'cmdtoken0000000000000000aa';
const OTHER_TEAM_TOKEN = 'cmdtoken0000000000000000bb';
const TEAM = 'team0000000000000000000000';
const OTHER_TEAM = 'team1111111111111111111111';
const ADMIN = 'admin00000000000000000000a';
const USER = 'user000000000000000000000a';
const CHANNEL = 'chan0000000000000000000000';
const TOKENS: CommandToken[] = [
  {teamId: TEAM, token: TOKEN, commandId: 'cmd0'},
  {teamId: OTHER_TEAM, token: OTHER_TEAM_TOKEN, commandId: 'cmd1'},
];

const SERVER_KEY = generateKeyPairSync('ec', {namedCurve: 'prime256v1'});
const PUBLIC_KEY = signingKey(SERVER_KEY.publicKey.export({format: 'der', type: 'spki'}).toString('base64'));

/** A trigger_id as the server signs it for a command (model.GenerateTriggerId). */
function triggerId(userId: string, at = Date.now(), key = SERVER_KEY.privateKey): string {
  const data = `${randomBytes(13).toString('hex')}:${userId}:${at}:`;
  return Buffer.from(data + sign('sha256', Buffer.from(data), {key, dsaEncoding: 'der'}).toString('base64')).toString('base64');
}

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

function build(overrides: Partial<SlashDeps> = {}, logLines?: string[]) {
  const responses: {url: string; text: string}[] = [];
  const posts: NewItem[] = [];
  const sink: AlertOutbox = {enqueue: (i) => (posts.push(i), i.deliveryId ?? 'x'), update: () => undefined, postIdOf: () => null};
  const incidents = new IncidentManager({...DEFAULT_INCIDENT_SETTINGS, opsChannelId: 'ops'}, sink);
  const registry = new Registry();
  const guard = new TriggerGuard({signingKey: async () => PUBLIC_KEY, replays: new ReplayGuard(), save: () => undefined, registry});
  const deps: SlashDeps = {
    trigger: 'healthcheck',
    siteUrl: () => 'http://127.0.0.1:8065',
    tokens: () => TOKENS,
    knownProbes: () => ['ping', 'login'],
    probeRows: () => [
      {probe: 'ping', target: 'local', state: 'ok', durationMs: 4, startedAt: Date.now() - 12_000, uptime24h: 0.995, runs24h: 200, failures24h: 1, error: undefined, serverVersion: '10.12.0'},
    ],
    incidents,
    postIdOf: () => null,
    runNow: async () => [{probe: 'ping', target: 'local', ok: true, durationMs: 4, startedAt: 1, checks: []} satisfies ProbeResult],
    caller: async (id) => (id === ADMIN ? {username: 'admin', admin: true} : {username: 'someone', admin: false}),
    channelName: async (id) => (id === CHANNEL ? 'town-square' : null),
    respond: async (url, text) => {
      responses.push({url, text});
    },
    prove: (trigger, userId, now) => guard.check('slash', trigger, userId, now),
    ...overrides,
  };
  // With logLines: the bridge's own app and logger (debug), whose request logging the route opts out of.
  const logger = logLines && createLogger({level: 'debug', secrets: [TOKEN], destination: new Writable({write: (c, _e, done) => (logLines.push(String(c)), done())})});
  const plain = async () => {
    const app = Fastify();
    await app.register(slashRoutes(deps));
    return app;
  };
  const built: Promise<FastifyInstance> = logger
    ? buildApp({logger, registry: new Registry(), readiness: () => ({ready: true}), routes: [async (a) => void (await a.register(slashRoutes(deps)))]})
    : plain();
  // A real listener (jest cannot load app.inject's ESM dependency on Node 20).
  let listening: Promise<string> | null = null;
  const raw = async (init: {headers?: Record<string, string>; body?: string}) => {
    const address = await (listening ??= built.then((app) => (apps.push(app), app.listen({port: 0, host: '127.0.0.1'}))));
    const res = await fetch(`${address}${SLASH_PATH}`, {method: 'POST', ...init});
    const body = await res.text();
    return {statusCode: res.status, body, json: () => JSON.parse(body)};
  };
  const send = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    raw({headers: {'content-type': 'application/x-www-form-urlencoded', ...headers}, body: new URLSearchParams(fields).toString()});
  const form = (text: string, user = USER) => ({
    token: TOKEN,
    team_id: TEAM,
    channel_id: CHANNEL,
    user_id: user,
    user_name: user === ADMIN ? 'admin' : 'someone',
    command: '/healthcheck',
    text,
    response_url: 'http://127.0.0.1:8065/hooks/commands/abcdefghijklmnopqrstuvwxyz',
    trigger_id: triggerId(user),
  });
  return {raw, send, form, responses, incidents, posts, registry};
}

describe('POST /slash/healthcheck', () => {
  it('answers 401 with no detail to a wrong or missing token', async () => {
    const {send, form} = build();
    for (const token of ['wrong', '']) {
      const res = await send({...form(''), token});
      expect(res.statusCode).toBe(401);
      expect(res.body).not.toContain(TOKEN);
      expect(res.json()).toEqual({error: 'unauthorized'});
    }
  });

  it('refuses a token of another team, or a token without its team', async () => {
    const {send, form} = build();
    for (const fields of [{token: OTHER_TEAM_TOKEN}, {team_id: OTHER_TEAM}, {team_id: ''}, {team_id: 'team2222222222222222222222'}]) {
      const res = await send({...form('mute 7d', ADMIN), ...fields});
      expect(res.statusCode).toBe(401);
    }
    expect((await send({...form(''), token: OTHER_TEAM_TOKEN, team_id: OTHER_TEAM})).statusCode).toBe(200);
  });

  it('reads the registrations again when the token of a known team is refused, so a regenerated token works at once', async () => {
    let current: CommandToken[] = [{teamId: TEAM, token: 'oldtoken000000000000000000', commandId: 'c'}];
    let refreshes = 0;
    const {send, form} = build({
      tokens: () => current,
      refreshTokens: async () => {
        refreshes++;
        current = [{teamId: TEAM, token: TOKEN, commandId: 'c'}];
      },
    });
    expect((await send(form(''))).statusCode).toBe(200);
    expect(refreshes).toBe(1);
    expect((await send({...form(''), token: 'oldtoken000000000000000000'})).statusCode).toBe(401);
    expect((await send({...form(''), team_id: 'team2222222222222222222222'})).statusCode).toBe(401);
    // An unknown team never makes the bridge read again.
    expect(refreshes).toBe(2);
  });

  it('accepts the token from the Authorization header too', async () => {
    const {send, form} = build();
    const {token: _t, ...rest} = form('');
    expect((await send(rest, {authorization: `Token ${TOKEN}`})).statusCode).toBe(200);
  });

  it('answers 4xx, never 5xx, to oversized, non-form and incomplete bodies', async () => {
    const {raw, send, form} = build();
    const big = await send({...form(''), text: 'x'.repeat(20_000)});
    expect(big.statusCode).toBe(413);
    const json = await raw({headers: {'content-type': 'application/json'}, body: JSON.stringify(form(''))});
    expect(json.statusCode).toBe(415);
    const none = await raw({});
    expect(none.statusCode).toBeGreaterThanOrEqual(400);
    expect(none.statusCode).toBeLessThan(500);
    const garbage = await raw({headers: {'content-type': 'application/x-www-form-urlencoded'}, body: '%%%&&&==%zz'});
    expect(garbage.statusCode).toBe(401);
    const noUser = await send({token: TOKEN, team_id: TEAM, command: '/healthcheck'});
    expect(noUser.statusCode).toBe(400);
  });

  it('answers status as ephemeral Markdown from what is known: the latest ping run and the probe table', async () => {
    const {send, form} = build();
    const res = await send(form(''));
    expect(res.json().response_type).toBe('ephemeral');
    expect(res.json().text).toMatch(/Server ping: \*\*OK\*\* in 4 ms, 1[23] s ago · Mattermost 10\.12\.0/);
    expect(res.json().text).toContain('| ping | ✅ ok | 4 ms | 99.50 % |');
    expect(res.json().text).toContain('Open incidents: none');
  });

  it('writes one debug line a /command, without the two request lines of every other route, and no token', async () => {
    const lines: string[] = [];
    const {send, form} = build({}, lines);
    for (let i = 0; i < 3; i++) expect((await send(form(''))).statusCode).toBe(200);
    expect((await send({...form(''), token: 'wrong'})).statusCode).toBe(401);
    const msgs = lines.map((l) => JSON.parse(l) as {msg: string; level: number});
    expect(msgs.filter((m) => m.msg === 'slash: request')).toHaveLength(4);
    expect(msgs.filter((m) => m.msg === 'slash: request' && m.level !== 20)).toEqual([]);
    expect(msgs.filter((m) => /incoming request|request completed/.test(m.msg))).toEqual([]);
    expect(lines.join('')).not.toContain(TOKEN);
  });

  it('refuses mute, unmute and run to a user who is not a system admin', async () => {
    const {send, form, incidents} = build();
    for (const text of ['mute 1h', 'unmute', 'run']) {
      expect((await send(form(text))).json().text).toContain('for system admins only');
    }
    expect(incidents.activeMutes(Date.now())).toHaveLength(0);
  });

  it('lets an admin mute and unmute, announced with the name the server gives, never the one in the form', async () => {
    const {send, form, incidents, posts} = build();
    const forged = {user_name: 'all [click here](https://evil.example)', channel_name: 'x](https://evil.example)'};
    expect((await send({...form('mute 2h login', ADMIN), ...forged})).json().text).toContain('muted for **login**');
    expect(incidents.activeMutes(Date.now())).toMatchObject([{probe: 'login', by: 'admin', where: 'town-square'}]);
    expect((await send({...form('unmute', ADMIN), ...forged})).json().text).toContain('Ended 1 mute');
    expect(incidents.activeMutes(Date.now())).toHaveLength(0);
    expect(posts.map((p) => p.message)).toEqual([expect.stringContaining('by @admin in ~town-square'), expect.stringContaining('by @admin in ~town-square')]);
    for (const p of posts) expect(p.message).not.toMatch(/evil|@all|click/);
  });

  it('answers run at once and the results through response_url', async () => {
    const {send, form, responses} = build();
    expect((await send(form('run', ADMIN))).json().text).toContain('Running every probe now');
    while (responses.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(responses[0]?.url).toBe('http://127.0.0.1:8065/hooks/commands/abcdefghijklmnopqrstuvwxyz');
    expect(responses[0]?.text).toContain('1 of 1 ok');
  });

  it('records in the ops channel who ran the probes, and from where', async () => {
    const {send, form, posts} = build();
    await send({...form('run', ADMIN), user_name: '@here'});
    expect(posts).toEqual([expect.objectContaining({channelId: 'ops', message: expect.stringContaining('run` by @admin in ~town-square')})]);
    expect(posts[0]?.message).not.toContain('@here');
  });

  it('denies when the roles cannot be read, and gives help for unknown input', async () => {
    const {send, form} = build({caller: async () => Promise.reject(new Error('down'))});
    expect((await send(form('mute 1h', ADMIN))).json().text).toContain('Could not check your roles');
    const help = (await send(form('dance'))).json().text;
    expect(help).toContain('unknown subcommand `dance`');
    expect(help).toContain('/healthcheck mute <duration> [probe]');
  });

  it('acts only on a trigger_id the server signed for the form user, once: the command token alone is not who asked', async () => {
    const {send, form, incidents, registry} = build();
    const other = generateKeyPairSync('ec', {namedCurve: 'prime256v1'}).privateKey;
    const forged: Record<string, string>[] = [{trigger_id: ''}, {trigger_id: triggerId(USER)}, {trigger_id: triggerId(ADMIN, Date.now(), other)}, {trigger_id: 'bm90IGEgdHJpZ2dlcg=='}];
    for (const text of ['mute 7d', 'unmute', 'run', 'ack']) {
      for (const fields of forged) {
        const res = await send({...form(text, ADMIN), ...fields});
        expect(res.statusCode).toBe(403);
        expect(res.json().text).toContain("does not carry the server's proof of who ran it");
      }
    }
    expect(incidents.activeMutes(Date.now())).toHaveLength(0);
    const signed = triggerId(ADMIN);
    expect((await send({...form('mute 1h', ADMIN), trigger_id: signed})).json().text).toContain('Alerts muted');
    const replay = await send({...form('unmute', ADMIN), trigger_id: signed});
    expect(replay.statusCode).toBe(409);
    expect(incidents.activeMutes(Date.now())).toHaveLength(1);
    const old = await send({...form('unmute', ADMIN), trigger_id: triggerId(ADMIN, Date.now() - 120_000)});
    expect(old.json().text).toContain('too old');
    expect(incidents.activeMutes(Date.now())).toHaveLength(1);
    const metric = await registry.getSingleMetricAsString('healthcheck_bridge_unproven_requests_total');
    expect(metric).toContain('{source="slash",reason="invalid"} 16');
    expect(metric).toContain('{source="slash",reason="replay"} 1');
    expect(metric).toContain('{source="slash",reason="stale"} 1');
  });

  it('answers status, history and help without a trigger_id (they change nothing)', async () => {
    const {send, form} = build();
    for (const text of ['', 'history', 'help']) expect((await send({...form(text), trigger_id: ''})).statusCode).toBe(200);
  });

  it('refuses to act, clearly, when the signing key is unavailable or no check is set up', async () => {
    const guard = new TriggerGuard({signingKey: async () => null, replays: new ReplayGuard(), save: () => undefined});
    for (const prove of [(t: string, u: string, n: number) => guard.check('slash', t, u, n), undefined]) {
      const {send, form, incidents} = build({prove});
      const res = await send(form('mute 1h', ADMIN));
      expect(res.statusCode).toBe(200);
      expect(res.json().text).toContain("the server's signing key is unavailable");
      expect(incidents.activeMutes(Date.now())).toHaveLength(0);
    }
  });
});
