// The three calls the outbox makes to Mattermost, with the bot's token: create, patch, and find
// an earlier delivery by its stable id (so a post stored before a timeout is not sent twice),
// among every post of the channel since the item entered the outbox, page by page.
import {DELIVERY_ID_PROP, DELIVERY_REV_PROP} from '../contract';
import {botPostsSince} from '../mm/bot-posts';
import type {MattermostClient} from '../mm/client';
import {meResolver} from '../mm/lookups';
import type {MmPost} from '../mm/types';

export interface NewPost {
  channel_id: string;
  root_id?: string;
  /** Mattermost answers a create repeated with the same id within 30 s with the first post (a request stuck in a frozen server runs after the thaw, beside the resend). */
  pending_post_id?: string;
  message: string;
  type?: string;
  props: Record<string, unknown>;
}

export interface PostApi {
  /** rev: the revision the stored post shows (a create repeated with its pending_post_id gets the first post back, older content and all). */
  create(post: NewPost, signal: AbortSignal): Promise<{id: string; rev?: number}>;
  patch(postId: string, patch: {message: string; props: Record<string, unknown>}, signal: AbortSignal): Promise<void>;
  /** The revision a post shows now (0: none), for an edit that may have landed before a crash or timeout. */
  revisionOf(postId: string, signal: AbortSignal): Promise<number>;
  /** The post created in the channel since sinceMs (bridge clock) that carries this delivery id, with the revision it shows (0: none), or null. */
  findDelivered(channelId: string, deliveryId: string, sinceMs: number, signal: AbortSignal): Promise<{postId: string; rev: number} | null>;
}

/** The server's clock may run behind the bridge's: look this much further back. */
export const CLOCK_SKEW_MS = 10 * 60_000;
/** A channel busier than this since the first attempt is not searched further (the post is sent). */
export const MAX_PAGES = 50;

/** Channel references starting with "~" are names resolved when first needed (the server may be down at start). */
export type ChannelResolver = (ref: string) => Promise<string>;

export function mattermostPostApi(bot: MattermostClient, resolve: ChannelResolver = async (ref) => ref, botUserId: () => Promise<string> = meResolver(bot)): PostApi {
  const channel = (ref: string) => (ref.startsWith('~') ? resolve(ref) : Promise.resolve(ref));
  return {
    async create(post, signal) {
      // set_online=false: the bot's posts never mark it online.
      const created = await bot.post<MmPost>('/posts', {...post, channel_id: await channel(post.channel_id)}, {query: {set_online: 'false'}, signal});
      const rev = created.props?.[DELIVERY_REV_PROP];
      return {id: created.id, ...(typeof rev === 'number' ? {rev} : {})};
    },
    async patch(postId, patch, signal) {
      await bot.put(`/posts/${postId}/patch`, patch, {signal});
    },
    async revisionOf(postId, signal) {
      const post = await bot.get<MmPost>(`/posts/${postId}`, {signal});
      const rev = post.props?.[DELIVERY_REV_PROP];
      return typeof rev === 'number' ? rev : 0;
    },
    async findDelivered(channelId, deliveryId, sinceMs, signal) {
      const query = {channelId: await channel(channelId), botUserId: await botUserId(), sinceMs: sinceMs - CLOCK_SKEW_MS, signal, maxPages: MAX_PAGES};
      // Only the bot's posts count: anyone may post these props (and ids of incidents are predictable).
      for await (const post of botPostsSince(bot, query)) {
        if (post.props?.[DELIVERY_ID_PROP] !== deliveryId) continue;
        const rev = post.props?.[DELIVERY_REV_PROP];
        return {postId: post.id, rev: typeof rev === 'number' ? rev : 0};
      }
      return null;
    },
  };
}
