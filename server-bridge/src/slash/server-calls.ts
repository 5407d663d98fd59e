// The calls /healthcheck makes to Mattermost: a live ping, the caller's roles, and the delayed
// answer through response_url (only to the server's own /hooks/commands/ URLs).
import type {MattermostClient} from '../mm/client';
import {describeError} from '../mm/errors';
import type {MmPing, MmUser} from '../mm/types';
import type {LivePing} from './answers';

export async function livePing(client: MattermostClient, timeoutMs: number): Promise<LivePing> {
  const started = performance.now();
  try {
    const res = await client.request<MmPing>('GET', '/system/ping', {signal: AbortSignal.timeout(timeoutMs), acceptStatus: [500], token: null});
    const status = typeof res.data === 'object' && res.data ? res.data.status : `HTTP ${res.status}`;
    return {ok: res.status === 200 && status === 'OK', ms: performance.now() - started, detail: status};
  } catch (err) {
    return {ok: false, ms: performance.now() - started, detail: describeError(err)};
  }
}

/** Roles come from the server, never from the request: the form only names the user. */
export async function isSystemAdmin(bot: MattermostClient, userId: string, timeoutMs: number): Promise<boolean> {
  if (!/^[a-z0-9]{26}$/.test(userId)) return false;
  const user = await bot.get<MmUser>(`/users/${userId}`, {signal: AbortSignal.timeout(timeoutMs)});
  return user.roles.split(' ').includes('system_admin');
}

/** True when the URL is one of the server's command hooks (the form could name any URL). */
export function isOwnResponseUrl(siteUrl: string, responseUrl: string): boolean {
  const base = siteUrl.replace(/\/+$/, '');
  return responseUrl.startsWith(`${base}/hooks/commands/`) && /^[a-z0-9]{26}$/.test(responseUrl.slice(base.length + '/hooks/commands/'.length));
}

export async function respond(siteUrl: string, responseUrl: string, text: string, timeoutMs: number): Promise<void> {
  if (!isOwnResponseUrl(siteUrl, responseUrl)) throw new Error('response_url is not a command hook of the configured server');
  const res = await fetch(responseUrl, {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({response_type: 'ephemeral', text}),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw new Error(`response_url answered ${res.status}`);
  await res.text();
}
