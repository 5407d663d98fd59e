// Which bot every reader trusts, decided by a system admin and checkable by anyone (no admin-only
// setting is read). Three facts, each writable only by whom it names:
// 1. A trust declaration: a post of TRUST_POST_TYPE by a user whose roles include system_admin
//    (post.user_id is set by the server from the session), naming the bot's user id in its props
//    and its message, never edited, in the log channel. Posts can carry an admin's user_id without
//    the admin writing them: an incoming webhook the admin created (any type and props) and the
//    in-channel answer of a command the admin ran. The server marks both (from_webhook, always set
//    after the sender's props; override_username), so a declaration with such a mark is refused.
//    Others can delete it at most (nothing is then trusted, never something else).
// 2. The bot's user props point at that declaration (BOT_PROPS.trust). A bot's props can be
//    patched only by admins and its owner: the bot's own token is refused (403, seen on 11.4.0);
//    it can set its custom status, the one prop it writes. The declaration must name the very bot
//    whose props point at it, so another bot cannot borrow it.
// 3. The bot's custom status (which only the bot itself and admins can set) says the overall state,
//    the slash trigger and the id of its latest report: found in one read however busy the log
//    channel is, and readable by people too ("OK · /healthcheck · report <id>"); while an incident
//    users feel is open and not muted, also the degraded-service notice (notice.ts).
// A reader checks 1 and 2 from GET /users/{id} (props, is_bot, roles) and GET /posts/{id}, which
// every user who can see the channel may call. No zod here: the webapp's entry chunk reads this.

import {BOT_PROPS, customStatusExpiry, customStatusText, type UserLike} from './bot-props';
import {noticeSegment, parseNotice, type Notice} from './notice';

export {BOT_PROPS, customStatusExpiry, customStatusText, type UserLike};

export const TRUST_POST_TYPE = 'custom_healthcheck_trust';
export const TRUST_PROP = 'healthcheck_trust';
export const TRUST_SCHEMA = 'healthcheck.trust/v1';

const STATUS_EMOJI: Record<string, string> = {ok: 'white_check_mark', degraded: 'warning', failing: 'red_circle'};

/** The bot's custom status: at most 100 characters, the trigger left out when it would not fit. */
export function botStatus(overall: string, trigger: string, reportId: string, notice: Notice | null = null): {emoji: string; text: string} {
  // The notice goes before the report id: older readers anchor the id at the end.
  const segment = noticeSegment(notice);
  const middle = segment ? ` · ${segment}` : '';
  const full = `${overall.toUpperCase()} · /${trigger}${middle} · report ${reportId}`;
  return {emoji: STATUS_EMOJI[overall] ?? 'grey_question', text: full.length <= 100 ? full : `${overall.toUpperCase()}${middle} · report ${reportId}`};
}

/** The latest report's post id, the slash trigger and the notice the bot's custom status names. */
export function parseBotStatus(bot: UserLike): {reportId: string | null; trigger: string | null; notice: Notice | null} {
  const text = customStatusText(bot);
  return {reportId: /· report ([a-z0-9]{26})$/.exec(text)?.[1] ?? null, trigger: /· \/([a-z0-9_-]{1,128}) ·/.exec(text)?.[1] ?? null, notice: parseNotice(text)};
}

export interface TrustDeclaration {
  schema: typeof TRUST_SCHEMA;
  botUserId: string;
  botUsername: string;
  /** The public half of the key the bot signs its reports and alerts with (base64 SPKI, ECDSA P-256; signature.ts). */
  signingKey?: string;
}

const PUBLIC_KEY = /^[A-Za-z0-9+/]{40,400}={0,2}$/;

/** The declaration in a post's props, or null when they hold none. */
export function declarationOf(props: Record<string, unknown> | null | undefined): TrustDeclaration | null {
  const d = props?.[TRUST_PROP] as Partial<TrustDeclaration> | undefined;
  if (!(d && d.schema === TRUST_SCHEMA && typeof d.botUserId === 'string' && typeof d.botUsername === 'string')) return null;
  const key = typeof d.signingKey === 'string' && PUBLIC_KEY.test(d.signingKey) ? {signingKey: d.signingKey} : {};
  return {schema: TRUST_SCHEMA, botUserId: d.botUserId, botUsername: d.botUsername, ...key};
}

export interface TrustPostLike {
  id: string;
  user_id: string;
  channel_id?: string;
  type?: string;
  message?: string;
  edit_at?: number;
  delete_at?: number;
  props?: Record<string, unknown> | null;
}

/** The words of the declaration; its props must say the same (a props-only patch leaves no edit mark, so the message holds the key too). */
export function trustMessage(botUsername: string, botUserId: string, signingKey?: string): string {
  const key = signingKey ? ` Its reports and incidents are signed with the key \`${signingKey}\`.` : '';
  return `Health Check: reports and incidents are trusted only from @${botUsername} (user id \`${botUserId}\`).${key} Keep this post; delete it to stop trusting that bot.`;
}

export function trustPostBody(bot: {userId: string; username: string; signingKey?: string}): {type: string; message: string; props: Record<string, unknown>} {
  const declaration: TrustDeclaration = {schema: TRUST_SCHEMA, botUserId: bot.userId, botUsername: bot.username, ...(bot.signingKey ? {signingKey: bot.signingKey} : {})};
  return {type: TRUST_POST_TYPE, message: trustMessage(bot.username, bot.userId, bot.signingKey), props: {[TRUST_PROP]: declaration}};
}

/** Props the server adds to a post someone else's hand made in a user's name (webhooks, command answers, overrides). */
export const BORROWED_AUTHOR_PROPS = ['from_webhook', 'override_username', 'override_icon_url', 'override_icon_emoji', 'webhook_display_name', 'from_plugin', 'from_bot'] as const;

export const isSystemAdmin = (user: UserLike) => !user.delete_at && (user.roles ?? '').split(' ').includes('system_admin');

/** The post id the bot's props point at as its trust declaration, or null. */
export function trustPointer(bot: UserLike): string | null {
  const id = bot.props?.[BOT_PROPS.trust];
  return typeof id === 'string' && /^[a-z0-9]{26}$/.test(id) ? id : null;
}

/** The reason `bot` is not trusted given its declaration and the declaration's author, or null when it is. */
export function whyNotTrusted(bot: UserLike, declaration: TrustPostLike | null, author: UserLike | null): string | null {
  if (!bot.is_bot || bot.delete_at) return 'not an active bot';
  const pointer = trustPointer(bot);
  if (!pointer) return 'the bot names no trust declaration';
  if (!declaration || declaration.id !== pointer) return 'the trust declaration is missing';
  if (declaration.type !== TRUST_POST_TYPE || declaration.delete_at) return 'the trust declaration is missing';
  // An edit could change what an admin wrote; a props-only edit is caught by the message check.
  if (declaration.edit_at) return 'the trust declaration was edited';
  const named = declarationOf(declaration.props);
  if (!named || named.botUserId !== bot.id) return 'the trust declaration names another bot';
  if (declaration.message !== trustMessage(named.botUsername, bot.id, named.signingKey)) return 'the trust declaration was changed';
  if (BORROWED_AUTHOR_PROPS.some((k) => declaration.props?.[k] !== undefined)) return 'the trust declaration came through a webhook or a command, not from an admin';
  if (!author || author.id !== declaration.user_id || !isSystemAdmin(author)) return 'the trust declaration is not by a system admin';
  return null;
}
