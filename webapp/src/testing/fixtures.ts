// The golden fixtures of the bridge ↔ webapp contract (tests/fixtures/), and posts that carry them.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {BOT_PROPS, botStatus, trustPostBody, type Notice} from '@contract';
import type {HostPost} from '../host/types';
import type {FakeReply, Route} from './fakes';

export const BOT_ID = 'botuserid00000000000000000';
export const OTHER_ID = 'someoneelse000000000000000';
export const LOG_CHANNEL_ID = 'logchannel0000000000000000';
export const ADMIN_ID = 'sysadmin000000000000000000';
export const TRUST_POST_ID = 'trustpost00000000000000000';

/** The trust declaration a system admin posted for the bot (contract/trust.ts). */
export const trustPost = (over: Record<string, unknown> = {}, signingKey?: string) => ({
  id: TRUST_POST_ID,
  user_id: ADMIN_ID,
  channel_id: LOG_CHANNEL_ID,
  create_at: 1764115100000,
  edit_at: 0,
  delete_at: 0,
  ...trustPostBody({userId: BOT_ID, username: 'healthcheck-bot', ...(signingKey ? {signingKey} : {})}),
  ...over,
});

export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(path.resolve(__dirname, '../../../tests/fixtures', name), 'utf8')) as T;
}

let seq = 0;
export function post(type: NonNullable<HostPost['type']>, prop: string, value: unknown, over: Partial<HostPost> = {}): HostPost {
  seq++;
  return {id: `post${seq}`, user_id: BOT_ID, channel_id: LOG_CHANNEL_ID, message: `plain message ${seq}`, create_at: 1764115200000 + seq, type, props: {[prop]: value}, ...over};
}

export const reportPost = (report: unknown, over: Partial<HostPost> = {}) => post('custom_healthcheck_report', 'healthcheck_report', report, over);
export const alertPost = (alert: unknown, over: Partial<HostPost> = {}) => post('custom_healthcheck_alert', 'healthcheck_alert', alert, over);
export const sloAlertPost = (alert: unknown, over: Partial<HostPost> = {}) => post('custom_healthcheck_slo', 'healthcheck_slo_alert', alert, over);

/** A report whose generatedAt is `agoMs` before now (fixtures are dated in the past). */
export function freshReport(agoMs = 60_000, name = 'report.v1.json'): Record<string, unknown> {
  return {...fixture(name), generatedAt: Date.now() - agoMs};
}

export interface ServerOptions {
  posts?: HostPost[];
  botIsBot?: boolean;
  noBot?: boolean;
  noChannel?: boolean;
  pingStatus?: string;
  myTeams?: string[];
  botTeams?: string[];
  /** The bot's props name no trust declaration. */
  undeclared?: boolean;
  /** The declaration's author is not a system admin. */
  declaredByUser?: boolean;
  /** The declaration is not pinned in the log channel. */
  unpinned?: boolean;
  /** The declaration is in another channel than the log channel. */
  declaredElsewhere?: boolean;
  /** The declaration's post carries these props too (e.g. from_webhook). */
  declarationProps?: Record<string, unknown>;
  /** The public half of the bot's signing key in its declaration (base64 SPKI). */
  signingKey?: string;
  /** The post id the bot's custom status names as its latest report. */
  reportPointer?: string;
  /** The trigger the bot's custom status names. */
  trigger?: string;
  /** The degraded-service notice the bot's custom status carries (with reportPointer). */
  notice?: Notice;
  /** The admins' words for the notice in the bot's props. */
  noticeText?: string;
}

/** The API of a server where the bot (declared trusted by an admin) and the log channel exist and the channel holds `posts`, newest first. */
export function serverRoutes(opts: ServerOptions = {}): Route {
  const teams = (names: string[]) => ({body: names.map((name) => ({id: `id-${name}`, name, delete_at: 0}))});
  const bot = {
    id: BOT_ID,
    username: 'healthcheck-bot',
    is_bot: opts.botIsBot ?? true,
    delete_at: 0,
    roles: 'system_user',
    props: {
      ...(opts.undeclared ? {} : {[BOT_PROPS.trust]: TRUST_POST_ID}),
      ...(opts.reportPointer ? {[BOT_PROPS.customStatus]: JSON.stringify(botStatus('ok', opts.trigger ?? 'healthcheck', opts.reportPointer, opts.notice ?? null))} : {}),
      ...(opts.noticeText ? {[BOT_PROPS.noticeText]: opts.noticeText} : {}),
    },
  };
  return (req): FakeReply | undefined => {
    if (req.path === '/users/me/teams') return teams(opts.myTeams ?? ['healthcheck']);
    if (req.path === `/users/${BOT_ID}/teams`) return teams(opts.botTeams ?? ['healthcheck']);
    if (req.path === '/users/username/healthcheck-bot') return opts.noBot ? {status: 404, body: {message: 'not found'}} : {body: bot};
    if (req.path === `/users/${BOT_ID}`) return opts.noBot ? {status: 404, body: {message: 'not found'}} : {body: bot};
    if (req.path === `/users/${ADMIN_ID}`) return {body: {id: ADMIN_ID, roles: opts.declaredByUser ? 'system_user' : 'system_user system_admin', delete_at: 0}};
    const declaration = () => {
      const base = trustPost(opts.declaredElsewhere ? {channel_id: 'townsquare0000000000000000'} : {}, opts.signingKey);
      return opts.declarationProps ? {...base, props: {...base.props, ...opts.declarationProps}} : base;
    };
    if (req.path === `/posts/${TRUST_POST_ID}`) return {body: declaration()};
    if (req.path === `/channels/${LOG_CHANNEL_ID}`) return {body: {id: LOG_CHANNEL_ID, team_id: 'team1', name: 'healthcheck-log'}};
    if (req.path === '/channels/townsquare0000000000000000') return {body: {id: 'townsquare0000000000000000', team_id: 'team1', name: 'town-square'}};
    if (req.path === `/channels/${LOG_CHANNEL_ID}/pinned`) return {body: opts.unpinned ? {order: [], posts: {}} : {order: [TRUST_POST_ID], posts: {[TRUST_POST_ID]: trustPost()}}};
    const pointed = (opts.posts ?? []).find((p) => req.path === `/posts/${p.id}`);
    if (pointed) return {body: pointed};
    if (req.path === '/teams/name/healthcheck/channels/name/healthcheck-log') return opts.noChannel ? {status: 404} : {body: {id: LOG_CHANNEL_ID, team_id: 'team1', name: 'healthcheck-log'}};
    if (req.path === `/channels/${LOG_CHANNEL_ID}/posts`) {
      const posts = (opts.posts ?? []).filter((p) => p.channel_id === LOG_CHANNEL_ID);
      return {body: {order: posts.map((p) => p.id), posts: Object.fromEntries(posts.map((p) => [p.id, p]))}};
    }
    if (req.path === '/system/ping') {
      const deep = req.query.get('get_server_status') === 'true';
      return {
        body: {status: opts.pingStatus ?? 'OK', ActiveSearchBackend: 'database', ...(deep ? {database_status: 'OK', filestore_status: 'OK'} : {})},
        headers: {'X-Version-Id': '11.4.0..abcdef.false'},
      };
    }
    return undefined;
  };
}

/**
 * A report over `n` targets (node-1 …), four probes each, from the golden fixture: every probe OK
 * except those named in `failing` ("node-3/login"), with series for every probe.
 */
export function manyTargetsReport(n: number, failing: readonly string[] = [], agoMs = 60_000): Record<string, unknown> {
  const base = fixture<{probes: Array<Record<string, unknown>>; series: {probes: Array<Record<string, unknown>>}}>('report.v1.json');
  const ok = base.probes.find((p) => p.state === 'ok') as Record<string, unknown>;
  const bad = base.probes.find((p) => p.state === 'failing') as Record<string, unknown>;
  const seriesOne = base.series.probes[0] as Record<string, unknown>;
  const names = Array.from({length: n}, (_, i) => `node-${i + 1}`);
  const probes = names.flatMap((target, i) =>
    ['ping', 'login', 'websocket', 'post_roundtrip'].map((probe, k) => ({
      ...(failing.includes(`${target}/${probe}`) ? bad : ok),
      probe,
      target,
      durationMs: 10 + i + k,
    })),
  );
  return {
    ...fixture('report.v1.json'),
    generatedAt: Date.now() - agoMs,
    overall: failing.length ? 'failing' : 'ok',
    targets: names.map((name) => ({name, serverVersion: '11.4.0'})),
    probes,
    series: {...base.series, probes: probes.map((p) => ({...seriesOne, probe: p.probe, target: p.target}))},
  };
}
