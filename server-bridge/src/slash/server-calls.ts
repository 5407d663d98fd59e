// The calls /healthcheck makes to Mattermost: the caller and channel as the server
// knows them, the Site URL, and the delayed answer through response_url (only to the server's own
// /hooks/commands/ URLs, never following a redirect).
import type {MattermostClient} from '../mm/client';
import {httpFetch} from '../mm/http';
import type {MmChannel, MmUser} from '../mm/types';
import type {Caller} from './route';

const ID = /^[a-z0-9]{26}$/;

/** Name and roles come from the server, never from the request: the form only names the user's id. */
export async function callerOf(bot: MattermostClient, userId: string, timeoutMs: number): Promise<Caller> {
  if (!ID.test(userId)) return {username: userId.slice(0, 64), admin: false};
  const user = await bot.get<MmUser>(`/users/${userId}`, {signal: AbortSignal.timeout(timeoutMs)});
  return {username: user.username, admin: user.delete_at === 0 && user.roles.split(' ').includes('system_admin')};
}

/** The channel's name, read with the first client allowed to (the bot need not be a member). */
export async function channelNameOf(clients: readonly MattermostClient[], channelId: string, timeoutMs: number): Promise<string | null> {
  if (!ID.test(channelId)) return null;
  for (const client of clients) {
    try {
      return (await client.get<MmChannel>(`/channels/${channelId}`, {signal: AbortSignal.timeout(timeoutMs)})).name;
    } catch {
      // Not readable with this token: try the next.
    }
  }
  return null;
}

/** The Site URL the server builds response_url and permalinks from (public client config). */
export async function fetchSiteUrl(client: MattermostClient, timeoutMs: number): Promise<string | null> {
  const config = await client.get<{SiteURL?: string}>('/config/client', {query: {format: 'old'}, token: null, signal: AbortSignal.timeout(timeoutMs)});
  const url = config.SiteURL?.trim();
  return url && /^https?:\/\//.test(url) && URL.canParse(url) ? url.replace(/\/+$/, '') : null;
}

/** True when the URL is a command hook of one of the server's bases (the form could name any URL). */
export function isOwnResponseUrl(bases: readonly string[], responseUrl: string): boolean {
  if (!URL.canParse(responseUrl)) return false;
  const url = new URL(responseUrl);
  if (url.username || url.password || url.search || url.hash) return false;
  return bases.some((siteUrl) => {
    if (!URL.canParse(siteUrl)) return false;
    const base = new URL(siteUrl);
    const prefix = `${base.pathname.replace(/\/+$/, '')}/hooks/commands/`;
    return url.origin === base.origin && url.pathname.startsWith(prefix) && ID.test(url.pathname.slice(prefix.length));
  });
}

export async function respond(bases: readonly string[], responseUrl: string, text: string, timeoutMs: number): Promise<void> {
  if (!isOwnResponseUrl(bases, responseUrl)) throw new Error('response_url is not a command hook of the server (its Site URL or HEALTHCHECK_MM_URL)');
  // httpFetch never follows a redirect: one would send the answer somewhere the check never saw.
  const res = await httpFetch(responseUrl, {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({response_type: 'ephemeral', text}),
    signal: AbortSignal.timeout(timeoutMs),
  });
  await res.text().catch(() => '');
  if (res.status < 200 || res.status > 299) throw new Error(`response_url answered ${res.status}`);
}
