// Signed report data against the real server: setup puts the public half of the bridge's signing
// key into the admin's trust declaration; a report the bot posted signed is read as trusted by a
// normal user with the webapp's own code (WebCrypto); once an admin patches its props (the server
// leaves no edit mark when the message is unchanged) it is not, and the latest report falls back.
import {randomBytes} from 'node:crypto';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {testServer} from '../lib/mattermost';
import {REPORT_POST_TYPE, REPORT_PROP} from '../../server-bridge/src/contract';
import {MattermostClient} from '../../server-bridge/src/mm/client';
import type {MmPost, MmUser} from '../../server-bridge/src/mm/types';
import {setupCommand} from '../../server-bridge/src/setup/cli';
import {postSigner, publicKeyOf, signingKeyFrom} from '../../server-bridge/src/signing/post-signer';
import {createHttp, type Http} from '../../webapp/src/api/http';
import {fetchLatestReport, verifiedReport} from '../../webapp/src/api/latest_report';
import {createResolver} from '../../webapp/src/api/resolver';

const mm = testServer();
const env = mm.env;
const BOT = env.MM_BOT_USER_ID as string;
const LOG = env.MM_LOG_CHANNEL_ID as string;
const secrets = env.MM_SECRETS_DIR as string;
const report = JSON.parse(readFileSync(path.join(__dirname, '../fixtures/report.ok.v1.json'), 'utf8')) as Record<string, unknown>;
let user: {id: string; http: Http};
let publicKey: string;
const bot = new MattermostClient({url: mm.url, token: env.MM_BOT_TOKEN as string});

beforeAll(async () => {
  // setup as the bootstrap ran it: the key is made (or kept) in the secrets folder and declared.
  const err: string[] = [];
  const code = await setupCommand(
    ['--url', mm.url, '--admin-token-file', path.join(secrets, 'admin-token'), '--team', env.MM_TEAM as string, '--secrets-dir', secrets],
    {},
    () => undefined,
    (l) => err.push(l),
  );
  expect(code).toBe(0);
  publicKey = publicKeyOf(signingKeyFrom(readFileSync(path.join(secrets, 'signing-key'), 'utf8')));
  const name = `signviewer${randomBytes(3).toString('hex')}`;
  const password = `Pw-${randomBytes(9).toString('base64url')}-1`;
  const created = await mm.admin.post<MmUser>('/users', {username: name, email: `${name}@localhost`, password});
  const team = await mm.admin.get<{id: string}>(`/teams/name/${env.MM_TEAM}`);
  await mm.admin.post(`/teams/${team.id}/members`, {team_id: team.id, user_id: created.id});
  await mm.admin.post(`/channels/${LOG}/members`, {user_id: created.id});
  const login = await mm.anonymous.request<MmUser>('POST', '/users/login', {body: {login_id: name, password}});
  const token = login.headers.get('token') as string;
  user = {
    id: created.id,
    http: createHttp(
      () => mm.url,
      (input, init) => fetch(input, {...init, headers: {...(init.headers as Record<string, string>), Authorization: `Bearer ${token}`}}),
    ),
  };
});

afterAll(async () => {
  if (user) await mm.admin.delete(`/users/${user.id}`).catch(() => undefined);
});

describe('signed reports on the real server', () => {
  it("puts the signing key's public half in the admin's declaration, where every user reads it", async () => {
    expect(await createResolver(user.http).signingKeyOf(BOT)).toBe(publicKey);
  });

  it('trusts a signed report as the server stores it, and not once an admin patched its props (no edit mark)', async () => {
    const sign = postSigner(signingKeyFrom(readFileSync(path.join(secrets, 'signing-key'), 'utf8')));
    const older = await bot.post<MmPost>('/posts', {
      channel_id: LOG,
      ...sign({type: REPORT_POST_TYPE, message: 'Health check: OK', props: {[REPORT_PROP]: {...report, generatedAt: Date.now() - 1000}}}),
    });
    const post = await bot.post<MmPost>('/posts', {channel_id: LOG, ...sign({type: REPORT_POST_TYPE, message: 'Health check: OK', props: {[REPORT_PROP]: {...report, generatedAt: Date.now()}}})});
    const stored = await mm.admin.get<MmPost>(`/posts/${post.id}`);
    expect(await verifiedReport(stored, BOT, publicKey)).toMatchObject({postId: post.id});
    expect((await fetchLatestReport(user.http, LOG, BOT, publicKey))?.postId).toBe(post.id);

    // An admin (anyone with edit_others_posts) rewrites the data the card shows, message untouched.
    const forged = {...(stored.props[REPORT_PROP] as Record<string, unknown>), overall: 'failing'};
    await mm.admin.put(`/posts/${post.id}/patch`, {props: {...stored.props, [REPORT_PROP]: forged}});
    const patched = await mm.admin.get<MmPost>(`/posts/${post.id}`);
    expect((patched.props[REPORT_PROP] as {overall: string}).overall).toBe('failing');
    expect(patched.edit_at).toBe(0);
    expect(await verifiedReport(patched, BOT, publicKey)).toBeNull();
    // Not trusted: the latest trusted report is the one before it.
    expect((await fetchLatestReport(user.http, LOG, BOT, publicKey))?.postId).toBe(older.id);
  });
});
