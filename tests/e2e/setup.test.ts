// `setup` on a fresh team with fresh names, then again: the same settings printed, nothing created
// twice (commands, bots, channels, tokens, users counted before and after).
import {chmodSync, mkdtempSync, readFileSync, statSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {randomBytes} from 'node:crypto';
import {testServer} from '../lib/mattermost';
import {removeSetupObjects} from '../lib/setup-cleanup';
import {setupCommand} from '../../server-bridge/src/setup/cli';
import type {MmBot, MmChannel, MmCommand, MmTeam, MmUserAccessToken} from '../../server-bridge/src/mm/types';

const mm = testServer();
const id = randomBytes(3).toString('hex');
const names = {team: `setup${id}`, bot: `hcbot${id}`, probe: `hcprobe${id}`, ops: `ops${id}`, log: `log${id}`, probeChannel: `probe${id}`, trigger: `hc${id}`};
const secretsDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'hc-setup-')), 'secrets');
let team: MmTeam;

async function run(extra: string[] = [], ops = names.ops): Promise<{code: number; out: string[]; err: string[]}> {
  const out: string[] = [];
  const err: string[] = [];
  const argv = [
    '--url',
    mm.url,
    '--team',
    names.team,
    '--secrets-dir',
    secretsDir,
    '--bot-username',
    names.bot,
    '--probe-username',
    names.probe,
    '--ops-channel',
    ops,
    '--log-channel',
    names.log,
    '--probe-channel',
    names.probeChannel,
    '--bridge-url',
    'http://127.0.0.1:18999',
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
  return {code, out, err};
}

async function census() {
  const bots = (await mm.admin.get<MmBot[]>('/bots', {query: {include_deleted: true, per_page: 200}})).filter((b) => b.username === names.bot);
  const botId = bots[0]?.user_id;
  const tokens = botId ? await mm.admin.get<MmUserAccessToken[]>(`/users/${botId}/tokens`, {query: {per_page: 200}}) : [];
  const channels = [
    ...(await mm.admin.get<MmChannel[]>(`/teams/${team.id}/channels`, {query: {per_page: 200}})),
    ...(await mm.admin.get<MmChannel[]>(`/teams/${team.id}/channels/private`, {query: {per_page: 200}})),
  ];
  const commands = (await mm.admin.get<MmCommand[]>('/commands', {query: {team_id: team.id, custom_only: true}})).filter((c) => c.trigger === names.trigger);
  const members = await mm.admin.get<unknown[]>(`/teams/${team.id}/members`, {query: {per_page: 200}});
  return {
    bots: bots.length,
    tokens: tokens.filter((t) => t.is_active !== false).length,
    channels: channels.map((c) => c.name).sort(),
    commands: commands.map((c) => `${c.trigger} ${c.url} ${c.method}`),
    members: members.length,
  };
}

beforeAll(async () => {
  team = await mm.admin.post<MmTeam>('/teams', {name: names.team, display_name: `Setup ${id}`, type: 'O'});
});

afterAll(() => removeSetupObjects(mm, {teams: [team], bot: names.bot, probe: names.probe}));

describe('setup', () => {
  it('creates everything on a fresh team, then changes nothing when run again', async () => {
    const first = await run();
    expect(first.code).toBe(0);
    expect(first.err.join('\n')).toContain(`created bot @${names.bot}`);
    expect(first.err.join('\n')).toContain(`registered /${names.trigger} in team ${names.team}`);
    const after1 = await census();
    expect(after1).toMatchObject({bots: 1, tokens: 1, commands: [`${names.trigger} http://127.0.0.1:18999/slash/healthcheck P`]});
    expect(after1.channels).toEqual(expect.arrayContaining([names.ops, names.log, names.probeChannel]));
    expect(first.err.join('\n')).toContain(`created private channel ~${names.ops}`);
    expect((await mm.admin.get<MmChannel>(`/teams/${team.id}/channels/name/${names.ops}`)).type).toBe('P');
    expect(first.out).toEqual(
      expect.arrayContaining([
        `HEALTHCHECK_PUBLIC_URL=http://127.0.0.1:18999`,
        `HEALTHCHECK_SLASH_TOKENS_FILE=${path.join(secretsDir, 'slash-tokens')}`,
        `HEALTHCHECK_BOT_TOKEN_FILE=${path.join(secretsDir, 'bot-token')}`,
      ]),
    );
    const printed = first.out.join('\n');
    const botToken = readFileSync(path.join(secretsDir, 'bot-token'), 'utf8').trim();
    expect(printed).not.toContain(botToken);
    for (const f of ['bot-token', 'probe-password', 'slash-tokens']) expect(statSync(path.join(secretsDir, f)).mode & 0o777).toBe(0o600);

    // An existing secrets folder someone widened is tightened again (mkdir keeps an existing folder's mode).
    chmodSync(secretsDir, 0o755);
    const second = await run();
    expect(statSync(secretsDir).mode & 0o777).toBe(0o700);
    expect(second.code).toBe(0);
    expect(second.err).toEqual(['setup: everything was already in place; nothing changed']);
    expect(second.out).toEqual(first.out);
    expect(await census()).toEqual(after1);
    expect(readFileSync(path.join(secretsDir, 'bot-token'), 'utf8').trim()).toBe(botToken);
  });

  it('puts a changed bridge URL right, once', async () => {
    const cmd = (await mm.admin.get<MmCommand[]>('/commands', {query: {team_id: team.id, custom_only: true}})).find((c) => c.trigger === names.trigger) as MmCommand;
    await mm.admin.put(`/commands/${cmd.id}`, {...cmd, url: 'http://127.0.0.1:1/elsewhere'});
    const run2 = await run();
    expect(run2.err.join('\n')).toContain(`updated /${names.trigger} in team ${names.team}`);
    expect((await census()).commands).toEqual([`${names.trigger} http://127.0.0.1:18999/slash/healthcheck P`]);
    const again = await run();
    expect(again.err).toEqual(['setup: everything was already in place; nothing changed']);
  });

  it('leaves an existing public ops channel public and says so; converts it only with --make-ops-private', async () => {
    const ops = `pubops${id}`;
    const channel = await mm.admin.post<MmChannel>('/channels', {team_id: team.id, name: ops, display_name: ops, type: 'O'});
    const warned = await run([], ops);
    expect(warned.code).toBe(0);
    expect(warned.err.join('\n')).toContain(`setup: WARNING: ~${ops} is public: anyone in the team can join it`);
    expect((await mm.admin.get<MmChannel>(`/channels/${channel.id}`)).type).toBe('O');
    const converted = await run(['--make-ops-private'], ops);
    expect(converted.err.join('\n')).toContain(`made ~${ops} private`);
    expect((await mm.admin.get<MmChannel>(`/channels/${channel.id}`)).type).toBe('P');
    expect((await run([], ops)).err).toEqual(['setup: everything was already in place; nothing changed']);
  });
});
