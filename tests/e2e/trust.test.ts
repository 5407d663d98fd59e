// Which bot every viewer trusts, and where the latest report is, checked with the webapp's own API
// code against the real server as a normal user (no admin-only setting readable): the declaration
// setup made, a second bot and a forged declaration refused, and the latest report found after the
// log channel was flooded with posts (some of them look-alike reports).
import {randomBytes} from 'node:crypto';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {startFormListener, testServer} from '../lib/mattermost';
import {BOT_PROPS, REPORT_POST_TYPE, REPORT_PROP, trustPostBody} from '../../server-bridge/src/contract';
import {MattermostClient} from '../../server-bridge/src/mm/client';
import type {MmBot, MmPost, MmUser} from '../../server-bridge/src/mm/types';
import {BotProfile} from '../../server-bridge/src/report/bot-profile';
import {setupCommand} from '../../server-bridge/src/setup/cli';
import {createHttp, type Http} from '../../webapp/src/api/http';
import {fetchLatestReport, REPORT_PAGE_SIZE} from '../../webapp/src/api/latest_report';
import {createResolver} from '../../webapp/src/api/resolver';

const mm = testServer();
const env = mm.env;
const BOT = env.MM_BOT_USER_ID as string;
const LOG = env.MM_LOG_CHANNEL_ID as string;
const report = JSON.parse(readFileSync(path.join(__dirname, '../fixtures/report.ok.v1.json'), 'utf8')) as Record<string, unknown>;

let user: {id: string; client: MattermostClient; http: Http};
let other: {bot: MmBot; client: MattermostClient};

/** The webapp's http as a signed-in user (a bearer token instead of the browser's cookie). */
const httpAs = (token: string) =>
  createHttp(
    () => mm.url,
    (input, init) => fetch(input, {...init, headers: {...(init.headers as Record<string, string>), Authorization: `Bearer ${token}`}}),
  );

beforeAll(async () => {
  // setup as the bootstrap ran it: the browser tests declare the bot in log channels of their own,
  // and a declaration counts only in the log channel (the default name here).
  const secrets = env.MM_SECRETS_DIR as string;
  const code = await setupCommand(
    ['--url', mm.url, '--admin-token-file', path.join(secrets, 'admin-token'), '--team', env.MM_TEAM as string, '--secrets-dir', secrets],
    {},
    () => undefined,
    () => undefined,
  );
  expect(code).toBe(0);
  const name = `viewer${randomBytes(3).toString('hex')}`;
  const password = `Pw-${randomBytes(9).toString('base64url')}-1`;
  const created = await mm.admin.post<MmUser>('/users', {username: name, email: `${name}@localhost`, password});
  const team = await mm.admin.get<{id: string}>(`/teams/name/${env.MM_TEAM}`);
  await mm.admin.post(`/teams/${team.id}/members`, {team_id: team.id, user_id: created.id});
  await mm.admin.post(`/channels/${LOG}/members`, {user_id: created.id});
  const login = await mm.anonymous.request<MmUser>('POST', '/users/login', {body: {login_id: name, password}});
  const token = login.headers.get('token') as string;
  user = {id: created.id, client: new MattermostClient({url: mm.url, token}), http: httpAs(token)};

  // A second bot, made by the admin like any integration's bot, never declared for health checks.
  const bot = await mm.admin.post<MmBot>('/bots', {username: `otherbot${randomBytes(3).toString('hex')}`, display_name: 'Other'});
  const botToken = await mm.admin.post<{token: string}>(`/users/${bot.user_id}/tokens`, {description: 'trust e2e'});
  await mm.admin.post(`/teams/${team.id}/members`, {team_id: team.id, user_id: bot.user_id});
  await mm.admin.post(`/channels/${LOG}/members`, {user_id: bot.user_id});
  other = {bot, client: new MattermostClient({url: mm.url, token: botToken.token})};
});

afterAll(async () => {
  if (other) await mm.admin.post(`/bots/${other.bot.user_id}/disable`).catch(() => undefined);
  if (user) await mm.admin.delete(`/users/${user.id}`).catch(() => undefined);
});

describe('the trusted bot, as a normal user sees it', () => {
  it('is the bot setup declared: found by name and from the log channel pins, without reading any admin setting', async () => {
    const resolver = createResolver(user.http);
    expect(await resolver.isTrustedBot(BOT)).toBe(true);
    expect(await resolver.botUserId(env.MM_BOT_USERNAME as string)).toBe(BOT);
    expect(await resolver.declaredBot(LOG)).toBe(BOT);
    await expect(user.http.get('/config')).rejects.toThrow('403');
  });

  it('is never another bot: not one pointing at the real declaration, nor one declared by a normal user', async () => {
    const me = await other.client.get<MmUser>('/users/me');
    const real = (await mm.admin.get<MmUser>(`/users/${BOT}`)).props?.[BOT_PROPS.trust] as string;
    // A bot cannot write its own props; its owner can: the other bot is made to point at the admin's declaration of the real bot...
    await expect(other.client.put(`/users/${me.id}/patch`, {props: {[BOT_PROPS.trust]: real}})).rejects.toThrow('permissions');
    await mm.admin.put(`/users/${me.id}/patch`, {props: {[BOT_PROPS.trust]: real}});
    expect(await createResolver(user.http).isTrustedBot(me.id)).toBe(false);
    // ...or at a declaration of itself, posted and pinned by a normal user.
    const forged = await user.client.post<MmPost>('/posts', {channel_id: LOG, ...trustPostBody({userId: me.id, username: me.username})});
    await user.client.post(`/posts/${forged.id}/pin`);
    await mm.admin.put(`/users/${me.id}/patch`, {props: {[BOT_PROPS.trust]: forged.id}});
    const resolver = createResolver(user.http);
    expect(await resolver.isTrustedBot(me.id)).toBe(false);
    expect(await resolver.botUserId(me.username)).toBeNull();
    // The forged pin is looked at and refused; the real declaration still names the real bot.
    expect(await resolver.declaredBot(LOG)).toBe(BOT);
    await user.client.delete(`/posts/${forged.id}`);
  });
});

describe('a trust declaration that only an admin own hand makes', () => {
  /** Points the other bot at a post (as its owner can) and pins that post as a normal user; then asks as a normal user. */
  async function borrowed(post: MmPost) {
    const me = await other.client.get<MmUser>('/users/me');
    await mm.admin.put(`/users/${me.id}/patch`, {props: {[BOT_PROPS.trust]: post.id}});
    await user.client.post(`/posts/${post.id}/pin`).catch(() => undefined);
    const resolver = createResolver(user.http);
    return {trusted: await resolver.isTrustedBot(me.id), declared: await resolver.declaredBot(LOG)};
  }
  /**
   * The post of this type created since `since` that declares `botId`. `since` lists posts *changed* since then, so the real
   * declaration (same type, same admin author) shows up too whenever something touched it; it names the real bot, not `botId`.
   */
  const newest = async (channelId: string, since: number, type: string, botId: string) =>
    Object.values((await mm.admin.get<{posts: Record<string, MmPost>}>(`/channels/${channelId}/posts`, {query: {since}})).posts).find(
      (p) => p.type === type && !p.delete_at && p.create_at >= since && Object.values(p.props ?? {}).some((v) => (v as {botUserId?: string} | null)?.botUserId === botId),
    );

  it("refuses a declaration posted through an admin's incoming webhook with a custom type (its author is the admin)", async () => {
    const me = await other.client.get<MmUser>('/users/me');
    const hook = await mm.admin.post<{id: string}>('/hooks/incoming', {channel_id: LOG, display_name: 'ci'});
    try {
      const since = Date.now() - 1000;
      const body = trustPostBody({userId: me.id, username: me.username});
      // Whoever holds the hook's URL (no token needed) posts in the admin's name, type and props included.
      const res = await fetch(`${mm.url}/hooks/${hook.id}`, {
        method: 'POST',
        headers: {'content-type': 'application/json'},
        body: JSON.stringify({text: body.message, type: body.type, props: {...body.props, from_webhook: 'false'}}),
      });
      expect(res.status).toBe(200);
      const post = await newest(LOG, since, body.type, me.id);
      expect(post).toMatchObject({user_id: env.MM_ADMIN_USER_ID, type: body.type, props: expect.objectContaining({from_webhook: 'true'})});
      expect(await borrowed(post as MmPost)).toEqual({trusted: false, declared: BOT});
      await mm.admin.delete(`/posts/${(post as MmPost).id}`);
    } finally {
      await mm.admin.delete(`/hooks/incoming/${hook.id}`);
    }
  });

  it('refuses a declaration that is the in-channel answer of a command an admin ran', async () => {
    const me = await other.client.get<MmUser>('/users/me');
    const body = trustPostBody({userId: me.id, username: me.username});
    const listener = await startFormListener({response_type: 'in_channel', text: body.message, type: body.type, props: body.props});
    const team = await mm.admin.get<{id: string}>(`/teams/name/${env.MM_TEAM}`);
    const cmd = await mm.admin.post<{id: string}>('/commands', {team_id: team.id, trigger: `decl${randomBytes(3).toString('hex')}`, method: 'P', url: listener.url});
    try {
      const since = Date.now() - 1000;
      const trigger = (await mm.admin.get<{trigger: string}>(`/commands/${cmd.id}`)).trigger;
      await mm.admin.post('/commands/execute', {command: `/${trigger}`, channel_id: LOG});
      const post = await newest(LOG, since, body.type, me.id);
      expect(post).toMatchObject({user_id: env.MM_ADMIN_USER_ID, props: expect.objectContaining({from_webhook: 'true'})});
      expect(await borrowed(post as MmPost)).toEqual({trusted: false, declared: BOT});
      await mm.admin.delete(`/posts/${(post as MmPost).id}`);
    } finally {
      listener.close();
      await mm.admin.delete(`/commands/${cmd.id}`);
    }
  });

  it("refuses an admin's own declaration outside the log channel; and pins naming two trusted bots decide nothing", async () => {
    const me = await other.client.get<MmUser>('/users/me');
    const team = await mm.admin.get<{id: string}>(`/teams/name/${env.MM_TEAM}`);
    const town = await mm.admin.get<{id: string}>(`/teams/${team.id}/channels/name/town-square`);
    const elsewhere = await mm.admin.post<MmPost>('/posts', {channel_id: town.id, ...trustPostBody({userId: me.id, username: me.username})});
    expect((await borrowed(elsewhere)).trusted).toBe(false);
    await mm.admin.delete(`/posts/${elsewhere.id}`);
    // A second bot an admin really declared in the log channel: trusted, but the pins no longer agree.
    const second = await mm.admin.post<MmPost>('/posts', {channel_id: LOG, ...trustPostBody({userId: me.id, username: me.username})});
    try {
      expect(await borrowed(second)).toEqual({trusted: true, declared: null});
      // The named bot still decides, whatever anyone pins (log_source.ts reads the named bot first).
      expect(await createResolver(user.http).botUserId(env.MM_BOT_USERNAME as string)).toBe(BOT);
    } finally {
      await mm.admin.delete(`/posts/${second.id}`);
      await mm.admin.put(`/users/${me.id}/patch`, {props: {}});
    }
  });

  it('lets the bot set its custom status, but not patch or update its own user (so not re-point its trust declaration)', async () => {
    const bot = new MattermostClient({url: mm.url, token: env.MM_BOT_TOKEN as string});
    const me = await bot.get<MmUser>('/users/me');
    await expect(bot.put(`/users/${BOT}/patch`, {props: {...me.props, [BOT_PROPS.trust]: 'x'.repeat(26)}})).rejects.toThrow('permissions');
    await expect(bot.put('/users/me/patch', {props: {[BOT_PROPS.trust]: 'x'.repeat(26)}})).rejects.toThrow('permissions');
    await expect(bot.put(`/users/${BOT}`, {...me, props: {...me.props, [BOT_PROPS.trust]: 'x'.repeat(26)}})).rejects.toThrow('permissions');
    expect((await mm.admin.get<MmUser>(`/users/${BOT}`)).props?.[BOT_PROPS.trust]).toBe(me.props?.[BOT_PROPS.trust]);
    // Its custom status is a prop it does write (customStatus): the reports it names are checked on their own.
    await bot.put(`/users/${BOT}/status/custom`, {emoji: 'white_check_mark', text: 'trust e2e'});
    expect(String((await mm.admin.get<MmUser>(`/users/${BOT}`)).props?.[BOT_PROPS.customStatus])).toContain('trust e2e');
  });
});

describe('the latest report', () => {
  it('is found after the log channel was flooded with many more posts than one page', async () => {
    const bot = new MattermostClient({url: mm.url, token: env.MM_BOT_TOKEN as string});
    const posted = await bot.post<MmPost>(
      '/posts',
      {channel_id: LOG, message: 'Health check: OK', type: REPORT_POST_TYPE, props: {[REPORT_PROP]: {...report, generatedAt: Date.now()}}},
      {query: {set_online: 'false'}},
    );
    const warnings: string[] = [];
    const profile = new BotProfile({bot, trigger: 'healthcheck', log: {warn: (_f, m) => void warnings.push(m)}, redact: (t) => t});
    profile.publish(posted.id, 'ok');
    await profile.idle();
    expect(warnings).toEqual([]);
    // Any member can post, also a look-alike report, as often as they like.
    const flood = 4 * REPORT_PAGE_SIZE + 10;
    for (let i = 0; i < flood; i++) {
      const fake = i % 10 === 0 ? {type: REPORT_POST_TYPE, props: {[REPORT_PROP]: {...report, overall: 'failing', generatedAt: Date.now()}}} : {};
      await user.client.post('/posts', {channel_id: LOG, message: `flood ${i}`, ...fake});
    }
    const latest = await fetchLatestReport(user.http, LOG, BOT);
    expect(latest?.postId).toBe(posted.id);
    expect(latest?.report.overall).toBe(report.overall);
  });
});
