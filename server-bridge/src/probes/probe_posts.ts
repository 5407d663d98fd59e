// The probe posts of post_roundtrip: their message, their deletion, and a sweep for any whose
// deletion could not be confirmed (e.g. the post was created after the run timed out).
import {botPostsSince} from '../mm/bot-posts';
import type {MattermostClient} from '../mm/client';
import {isStatus} from '../mm/client';
import type {ProbeContext} from './types';

export const PROBE_POST_PREFIX = 'healthcheck post_roundtrip';
/** Budget for deleting and sweeping after a run; separate from the run's signal, which may be aborted. */
export const CLEANUP_TIMEOUT_MS = 10_000;
/** Unconfirmed probe posts older than this are no longer looked for. */
const PENDING_MAX_AGE_MS = 3_600_000;
const PENDING_KEY = 'post_roundtrip:pending';

export function probeMessage(nonce: string): string {
  return `${PROBE_POST_PREFIX} ${nonce} (a synthetic probe post; it deletes itself)`;
}

/** nonce → when its post was sent (ms since epoch), per target. */
function pending(ctx: ProbeContext): Map<string, number> {
  let map = ctx.cache.get(PENDING_KEY) as Map<string, number> | undefined;
  if (!map) {
    map = new Map();
    ctx.cache.set(PENDING_KEY, map);
  }
  return map;
}

export function rememberUnconfirmed(ctx: ProbeContext, nonce: string, sentAt: number): void {
  pending(ctx).set(nonce, sentAt);
}

export function unconfirmedCount(ctx: ProbeContext): number {
  return pending(ctx).size;
}

/**
 * The bot deletes its post (Mattermost keeps a soft-deleted row); with an admin token the row is then
 * purged (needs manage_system and ServiceSettings.EnableAPIPostDeletion), so storage stays flat.
 * Returns whether it was purged.
 */
export async function deletePost(ctx: ProbeContext, bot: MattermostClient, postId: string, signal: AbortSignal): Promise<boolean> {
  try {
    await bot.delete(`/posts/${postId}`, {signal});
  } catch (err) {
    if (!isStatus(err, 404)) throw err;
  }
  if (!ctx.target.adminToken) return false;
  try {
    await ctx.client.delete(`/posts/${postId}`, {token: ctx.target.adminToken, query: {permanent: 'true'}, signal});
    return true;
  } catch {
    // Not allowed on this server (EnableAPIPostDeletion off, or not an admin): the soft delete stands.
    return false;
  }
}

/** Deletes the bot's probe posts in the channel whose nonce is unconfirmed; returns how many it deleted. */
export async function sweepUnconfirmed(ctx: ProbeContext, bot: MattermostClient, botUserId: string, channelId: string, signal: AbortSignal): Promise<number> {
  const map = pending(ctx);
  if (map.size === 0) return 0;
  const since = Math.min(...map.values()) - 60_000;
  const found = [];
  for await (const post of botPostsSince(bot, {channelId, botUserId, sinceMs: since, signal})) if (post.message.startsWith(PROBE_POST_PREFIX)) found.push(post);
  let deleted = 0;
  for (const post of found) {
    const nonce = post.message.slice(PROBE_POST_PREFIX.length + 1).split(' ')[0] ?? '';
    if (!map.has(nonce)) continue;
    await deletePost(ctx, bot, post.id, signal);
    map.delete(nonce);
    deleted++;
  }
  const now = Date.now();
  for (const [nonce, sentAt] of map) if (now - sentAt > PENDING_MAX_AGE_MS) map.delete(nonce);
  return deleted;
}
