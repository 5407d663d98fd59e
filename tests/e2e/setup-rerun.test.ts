// `setup` run again (another team, another secrets folder) while a bridge runs: it never replaces a
// secret that bridge uses; it stops and says what it needs, reuses secrets it is given, and rotates
// only on --rotate, naming the bridges that need the new value. The bridge's login probe stays OK.
import {existsSync, mkdtempSync, readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {randomBytes} from 'node:crypto';
import {freePort, spawnBridge, stopChild, type BridgeProcess} from '../lib/bridge-process';
import {testServer} from '../lib/mattermost';
import {removeSetupObjects} from '../lib/setup-cleanup';
import {waitFor} from '../lib/incident-bridge';
import {setupCommand} from '../../server-bridge/src/setup/cli';
import type {MmBot, MmTeam, MmUserAccessToken} from '../../server-bridge/src/mm/types';

const mm = testServer();
const id = randomBytes(3).toString('hex');
const names = {bot: `rrbot${id}`, probe: `rrprobe${id}`, trigger: `rr${id}`};
const base = mkdtempSync(path.join(os.tmpdir(), 'hc-rerun-'));
const dirs = {a: path.join(base, 'a'), b: path.join(base, 'b'), c: path.join(base, 'c')};
const teams: MmTeam[] = [];
let bridge: BridgeProcess | null = null;
let metricsUrl = '';

async function setup(team: string, dir: string, ...extra: string[]): Promise<{code: number; out: string[]; err: string}> {
  const out: string[] = [];
  const err: string[] = [];
  const argv = [
    '--url',
    mm.url,
    '--team',
    team,
    '--secrets-dir',
    dir,
    '--bot-username',
    names.bot,
    '--probe-username',
    names.probe,
    '--ops-channel',
    `ops${id}`,
    '--log-channel',
    `log${id}`,
    '--probe-channel',
    `probe${id}`,
    '--trigger',
    names.trigger,
    ...extra,
  ];
  const code = await setupCommand(
    argv,
    {HEALTHCHECK_ADMIN_TOKEN: mm.env.MM_ADMIN_TOKEN},
    (l) => out.push(l),
    (l) => err.push(l),
  );
  return {code, out, err: err.join('\n')};
}

async function activeTokens(): Promise<MmUserAccessToken[]> {
  const bot = (await mm.admin.get<MmBot[]>('/bots', {query: {per_page: 200}})).find((b) => b.username === names.bot) as MmBot;
  return (await mm.admin.get<MmUserAccessToken[]>(`/users/${bot.user_id}/tokens`, {query: {per_page: 200}})).filter((t) => t.is_active !== false);
}

async function loginMetrics(): Promise<{success: number; failed: number; ok: number}> {
  const text = await (await fetch(metricsUrl)).text();
  const value = (re: RegExp) => Number(re.exec(text)?.[1] ?? NaN);
  return {
    success: value(/^healthcheck_probe_success\{probe="login",[^}]*\} (\S+)$/m),
    failed: value(/^healthcheck_probe_runs_total\{probe="login",[^}]*result="failed"\} (\S+)$/m),
    ok: value(/^healthcheck_probe_runs_total\{probe="login",[^}]*result="ok"\} (\S+)$/m),
  };
}

const secret = (dir: string, name: string) => readFileSync(path.join(dir, name), 'utf8').trim();

beforeAll(async () => {
  for (const suffix of ['a', 'b']) teams.push(await mm.admin.post<MmTeam>('/teams', {name: `rerun${suffix}${id}`, display_name: `Rerun ${suffix} ${id}`, type: 'O'}));
});

afterAll(async () => {
  if (bridge) await stopChild(bridge.child);
  await removeSetupObjects(mm, {teams, bot: names.bot, probe: names.probe});
});

describe('setup run again while a bridge runs', () => {
  it('the first setup, and a bridge whose login probe works with what it wrote', async () => {
    const port = await freePort();
    const first = await setup(teams[0]!.name, dirs.a, '--bridge-url', `http://127.0.0.1:${port}`);
    expect(first.code).toBe(0);
    const settings = Object.fromEntries(first.out.flatMap((l) => (/^HEALTHCHECK_\w+=/.test(l) ? [l.split(/=(.*)/s).slice(0, 2)] : [])));
    const started = spawnBridge({
      PATH: process.env.PATH,
      ...settings,
      HEALTHCHECK_LISTEN: `127.0.0.1:${port}`,
      HEALTHCHECK_PROBES: 'login,websocket',
      HEALTHCHECK_INTERVAL: '2s',
      HEALTHCHECK_TIMEOUT: '1500ms',
      HEALTHCHECK_JITTER: '0',
      HEALTHCHECK_HEARTBEAT: '1h',
      HEALTHCHECK_LOG_LEVEL: 'warn',
    });
    bridge = started;
    metricsUrl = `http://127.0.0.1:${port}/metrics`;
    await waitFor('the first successful login probe', async () => (await loginMetrics().catch(() => null))?.success === 1, 30_000).catch((e: unknown) => {
      throw new Error(`${String(e)}\n${started.output()}`);
    });
  });

  it('another team and an empty secrets folder: setup stops, says what it needs, and changes no secret', async () => {
    const tokens = (await activeTokens()).map((t) => t.id);
    const second = await setup(teams[1]!.name, dirs.b);
    expect(second.code).toBe(3);
    expect(second.err).toContain('setup stopped; nothing that running bridges use was changed');
    expect(second.err).toContain(`bot @${names.bot} has 1 active access token(s) (${tokens[0]}) and none is available to this setup`);
    expect(second.err).toContain(`probe user @${names.probe} exists and setup does not have its password;`);
    expect(second.err).toContain(`the trust declaration of @${names.bot} names a post signing key and none is available to this setup`);
    expect(second.err).not.toContain('a new password');
    expect((await activeTokens()).map((t) => t.id)).toEqual(tokens);
    expect(existsSync(path.join(dirs.b, 'bot-token'))).toBe(false);
  });

  it('given the secrets the bridge uses, setup adds the team and writes the same secrets to the new folder', async () => {
    const tokens = (await activeTokens()).map((t) => t.id);
    const third = await setup(
      teams[1]!.name,
      dirs.b,
      '--bot-token-file',
      path.join(dirs.a, 'bot-token'),
      '--probe-password-file',
      path.join(dirs.a, 'probe-password'),
      '--signing-key-file',
      path.join(dirs.a, 'signing-key'),
    );
    expect(third.code).toBe(0);
    expect(third.err).not.toMatch(/new password|created an access token|new post signing key/);
    expect(secret(dirs.b, 'bot-token')).toBe(secret(dirs.a, 'bot-token'));
    expect(secret(dirs.b, 'signing-key')).toBe(secret(dirs.a, 'signing-key'));
    expect(secret(dirs.b, 'probe-password')).toBe(secret(dirs.a, 'probe-password'));
    expect((await activeTokens()).map((t) => t.id)).toEqual(tokens);
  });

  it('the running bridge never noticed: its login probe stayed OK through all of it', async () => {
    const before = await loginMetrics();
    await waitFor('two more login runs', async () => (await loginMetrics()).ok + (await loginMetrics()).failed >= before.ok + before.failed + 2, 20_000);
    expect(await loginMetrics()).toMatchObject({success: 1, failed: 0});
  });

  it('--rotate bot-token makes a new token, keeps the old one valid, names the running bridge and lists the tokens; --revoke-token revokes only what is asked', async () => {
    const [old] = (await activeTokens()).map((t) => t.id);
    const rotated = await setup(teams[0]!.name, dirs.c, '--rotate', 'bot-token', '--probe-password-file', path.join(dirs.a, 'probe-password'), '--signing-key-file', path.join(dirs.a, 'signing-key'));
    expect(rotated.code).toBe(0);
    const now = await activeTokens();
    expect(now.map((t) => t.id)).toContain(old);
    expect(now).toHaveLength(2);
    const fresh = now.find((t) => t.id !== old) as MmUserAccessToken;
    expect(fresh.description).toContain(dirs.c);
    expect(secret(dirs.c, 'bot-token')).not.toBe(secret(dirs.a, 'bot-token'));
    expect(rotated.err).toContain('a new bot token was made; bridges keep working with their old token until it is revoked');
    expect(rotated.err).toMatch(new RegExp(`bridges registered on these teams: http://127\\.0\\.0\\.1:\\d+ \\(/${names.trigger} in team ${teams[0]!.name}\\)`));
    expect(rotated.err).toContain(`@${names.bot} has 2 active tokens`);
    expect(rotated.err).toContain(`${old}  mattermost-healthcheck bridge`);

    const revoked = await setup(teams[0]!.name, dirs.a, '--revoke-token', fresh.id);
    expect(revoked.code).toBe(0);
    expect(revoked.err).toContain(`revoked the bot's access token with id ${fresh.id}`);
    expect((await activeTokens()).map((t) => t.id)).toEqual([old]);
    expect(await loginMetrics()).toMatchObject({success: 1, failed: 0});
  });

  it('--rotate probe-password sets a new password and says which bridges log in with the old one', async () => {
    const rotated = await setup(teams[0]!.name, dirs.c, '--rotate', 'probe-password', '--bot-token-file', path.join(dirs.a, 'bot-token'), '--signing-key-file', path.join(dirs.a, 'signing-key'));
    expect(rotated.code).toBe(0);
    expect(rotated.err).toContain(`gave probe user @${names.probe} a new password`);
    expect(rotated.err).toContain(`every bridge that logs in as @${names.probe} fails its login, websocket and post_roundtrip probes until it gets the new one`);
    expect(rotated.err).toMatch(new RegExp(`@${names.probe} had [1-9]\\d* session\\(s\\) before the change`));
    expect(secret(dirs.c, 'probe-password')).not.toBe(secret(dirs.a, 'probe-password'));
  });

  it('--rotate signing-key makes a new post signing key, declares it, and says which bridges need it', async () => {
    const before = secret(dirs.c, 'signing-key');
    const rotated = await setup(teams[0]!.name, dirs.c, '--rotate', 'signing-key');
    expect(rotated.code).toBe(0);
    expect(rotated.err).toContain('made a new post signing key; bridges signing with the old one show as plain text until they get it');
    expect(rotated.err).toContain('a new post signing key was made and declared');
    expect(secret(dirs.c, 'signing-key')).not.toBe(before);
    // Given the new one, a later run changes nothing.
    expect((await setup(teams[0]!.name, dirs.c)).err).toContain('setup: everything was already in place; nothing changed');
  });
});
