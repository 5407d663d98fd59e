// The bridge as a process, against the real server, registered in two teams: at least 10,000
// generated slash requests (tests/lib/slash-fuzz.ts) must never get a 5xx, never be accepted
// without the right token for their team, never see a token or password echoed, and leave the
// bridge alive. Then every log line the process wrote is searched for each secret it held or
// learned: the bot, admin and command tokens, the probe password and the probe user's sessions.
import {spawn, type ChildProcess} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import net, {type AddressInfo} from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {testServer} from '../lib/mattermost';
import {waitFor} from '../lib/incident-bridge';
import {formatTally, runFuzz, seededRandom, type FuzzTeam} from '../lib/slash-fuzz';
import {startTcpProxy, type TcpProxy} from '../lib/tcp-proxy';
import {MattermostClient} from '../../server-bridge/src/mm/client';
import type {MmCommand, MmPost, MmTeam, MmUser} from '../../server-bridge/src/mm/types';
import {parseBotStatus, REPORT_POST_TYPE} from '../../server-bridge/src/contract';

const mm = testServer();
const env = mm.env;
const main = path.join(__dirname, '../../server-bridge/dist/main.js');
const trigger = `fz${randomBytes(3).toString('hex')}`;
/** FUZZ_REQUESTS and FUZZ_SEED reproduce or lengthen a run (make fuzz-slash). */
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);

let dir: string;
let proxy: TcpProxy;
let child: ChildProcess;
let out = '';
let bridgeUrl: string;
let team: MmTeam;
let team2: MmTeam;
let user: {id: string; password: string; name: string};
/** Session tokens the server gave the probe user, read off the wire. */
const sessions = new Set<string>();

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const {port} = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const commandsOf = async (teamId: string) => (await mm.admin.get<MmCommand[]>('/commands', {query: {team_id: teamId, custom_only: true}})).filter((c) => c.trigger === trigger);

beforeAll(async () => {
  if (!existsSync(main)) throw new Error(`${main} is missing: run make build first`);
  dir = mkdtempSync(path.join(os.tmpdir(), 'hc-fuzz-'));
  team = await mm.admin.get<MmTeam>(`/teams/name/${env.MM_TEAM}`);
  const name2 = `fuzz${randomBytes(3).toString('hex')}`;
  team2 = await mm.admin.post<MmTeam>('/teams', {name: name2, display_name: name2, type: 'O'});
  await mm.admin.post(`/teams/${team2.id}/members`, {team_id: team2.id, user_id: env.MM_BOT_USER_ID});
  const name = `fuzzuser${randomBytes(3).toString('hex')}`;
  const password = `Pw-${randomBytes(9).toString('base64url')}-1`;
  const created = await mm.admin.post<MmUser>('/users', {username: name, email: `${name}@localhost`, password});
  user = {id: created.id, password, name};

  // The probe user's session token passes here in the login answer's Token header.
  proxy = await startTcpProxy(
    {port: Number(new URL(mm.url).port)},
    {
      onData: (direction, chunk) => {
        if (direction !== 'toClient') return;
        for (const m of chunk.toString('latin1').matchAll(/\r\nToken: ([a-z0-9]{26})\r\n/gi)) sessions.add(m[1] as string);
      },
    },
  );
  const port = await freePort();
  bridgeUrl = `http://127.0.0.1:${port}`;
  const vars: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HEALTHCHECK_MM_URL: proxy.url,
    HEALTHCHECK_TARGET_NAME: 'fuzz',
    HEALTHCHECK_TEAMS: `${env.MM_TEAM},${team2.name}`,
    HEALTHCHECK_BOT_TOKEN: env.MM_BOT_TOKEN as string,
    HEALTHCHECK_ADMIN_TOKEN: env.MM_ADMIN_TOKEN as string,
    HEALTHCHECK_PROBE_USERNAME: env.MM_PROBE_USERNAME as string,
    HEALTHCHECK_PROBE_PASSWORD: env.MM_PROBE_PASSWORD as string,
    HEALTHCHECK_PROBE_CHANNEL: env.MM_PROBE_CHANNEL as string,
    HEALTHCHECK_LOG_CHANNEL: env.MM_LOG_CHANNEL as string,
    HEALTHCHECK_OPS_CHANNEL: env.MM_OPS_CHANNEL as string,
    HEALTHCHECK_PROBES: 'ping,login,websocket',
    HEALTHCHECK_INTERVAL: '5s',
    HEALTHCHECK_TIMEOUT: '4s',
    HEALTHCHECK_LISTEN: `127.0.0.1:${port}`,
    HEALTHCHECK_PUBLIC_URL: bridgeUrl,
    HEALTHCHECK_SLASH_TRIGGER: trigger,
    HEALTHCHECK_STATE_FILE: path.join(dir, 'state.json'),
    // The most the bridge ever writes: every probe run and every request.
    HEALTHCHECK_LOG_LEVEL: 'trace',
  };
  child = spawn(process.execPath, [main, 'run'], {env: vars, stdio: ['ignore', 'pipe', 'pipe']});
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  try {
    await waitFor('the commands in both teams', async () => (await commandsOf(team.id)).length === 1 && (await commandsOf(team2.id)).length === 1, 30_000);
    await waitFor('the first probe cycle', async () => (await fetch(`${bridgeUrl}/readyz`)).status === 200, 30_000);
  } catch (err) {
    throw new Error(`${String(err)}; the bridge wrote:\n${out.slice(-3000)}`);
  }
});

afterAll(async () => {
  child?.kill('SIGTERM');
  if (child && child.exitCode === null) await new Promise((r) => child.once('exit', r));
  await proxy?.close();
  for (const t of [team, team2]) if (t) for (const c of await commandsOf(t.id)) await mm.admin.delete(`/commands/${c.id}`);
  if (team2) await mm.admin.delete(`/teams/${team2.id}`, {query: {permanent: true}}).catch(() => undefined);
  if (user) await mm.admin.delete(`/users/${user.id}`).catch(() => undefined);
  if (dir) rmSync(dir, {recursive: true, force: true});
});

describe('the slash endpoint under generated requests', () => {
  it(`answers ${REQUESTS} of them without a 5xx, accepts only the right token for the team, echoes no secret, and stays up`, async () => {
    const [cmd] = await commandsOf(team.id);
    const [cmd2] = await commandsOf(team2.id);
    const teams: FuzzTeam[] = [
      {id: team.id, token: cmd?.token as string},
      {id: team2.id, token: cmd2?.token as string},
    ];
    const secrets = [env.MM_BOT_TOKEN, env.MM_ADMIN_TOKEN, env.MM_PROBE_PASSWORD, ...teams.map((t) => t.token)] as string[];
    const started = Date.now();
    const tally = await runFuzz(`${bridgeUrl}/slash/healthcheck`, {teams, userId: user.id, trigger, random: seededRandom(SEED)}, REQUESTS, 16, secrets);
    process.stdout.write(`${formatTally(tally, Date.now() - started)}\n  seed ${SEED} (FUZZ_SEED=${SEED} replays it)\n`);
    expect(tally.total).toBe(REQUESTS);
    expect(tally.serverErrors).toEqual([]);
    expect(tally.wronglyAccepted).toEqual([]);
    expect(tally.echoed).toEqual([]);
    expect(tally.networkErrors).toEqual([]);
    expect(tally.byStatus['200']).toBeGreaterThan(REQUESTS * 0.1);
    expect(tally.byStatus['401']).toBeGreaterThan(REQUESTS * 0.3);
    expect((await fetch(`${bridgeUrl}/healthz`)).status).toBe(200);
    expect(child.exitCode).toBeNull();
  }, 300_000);

  it('still answers the real server, for a user of either team', async () => {
    const login = await mm.anonymous.request<MmUser>('POST', '/users/login', {body: {login_id: user.name, password: user.password}});
    const client = new MattermostClient({url: mm.url, token: login.headers.get('token')});
    for (const t of [team, team2]) {
      await mm.admin.post(`/teams/${t.id}/members`, {team_id: t.id, user_id: user.id});
      const town = await mm.admin.get<{id: string}>(`/teams/${t.id}/channels/name/town-square`);
      const answer = await client.post<{text?: string}>('/commands/execute', {command: `/${trigger}`, channel_id: town.id});
      expect(answer.text).toContain('Server ping: **OK**');
    }
  });
});

describe('the bot status', () => {
  it('names the latest report the process delivered, and its trigger', async () => {
    const status = await waitFor('the bot status', async () => {
      const s = parseBotStatus(await mm.admin.get<MmUser>(`/users/${env.MM_BOT_USER_ID}`));
      return s.trigger === trigger && s.reportId ? s : null;
    });
    const post = await mm.admin.get<MmPost>(`/posts/${status.reportId}`);
    expect(post).toMatchObject({type: REPORT_POST_TYPE, user_id: env.MM_BOT_USER_ID, channel_id: env.MM_LOG_CHANNEL_ID});
  });
});

describe('the logs of the whole run', () => {
  it('hold none of the secrets the bridge held or learned', async () => {
    const [cmd] = await commandsOf(team.id);
    const [cmd2] = await commandsOf(team2.id);
    expect(sessions.size).toBeGreaterThan(0);
    const secrets: [string, string][] = [
      ['bot token', env.MM_BOT_TOKEN as string],
      ['admin token', env.MM_ADMIN_TOKEN as string],
      ['probe password', env.MM_PROBE_PASSWORD as string],
      ['slash token of the first team', cmd?.token as string],
      ['slash token of the second team', cmd2?.token as string],
      ...[...sessions].map((s, i): [string, string] => [`probe session ${i + 1}`, s]),
    ];
    expect(out.split('\n').length).toBeGreaterThan(REQUESTS);
    for (const [what, value] of secrets) expect({what, found: out.includes(value)}).toEqual({what, found: false});
  });
});
