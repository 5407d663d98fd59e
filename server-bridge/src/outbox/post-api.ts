// The three calls the outbox makes to Mattermost, with the bot's token: create, patch, and find
// an earlier delivery by its stable id (so a post stored before a timeout is not sent twice),
// among every post of the channel since the item entered the outbox, page by page.
import {DELIVERY_ID_PROP} from '../contract';
import type {MattermostClient} from '../mm/client';
import type {MmPost, MmPostList, MmUser} from '../mm/types';
import {once} from '../report/channel';

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
  create(post: NewPost, signal: AbortSignal): Promise<{id: string}>;
  patch(postId: string, patch: {message: string; props: Record<string, unknown>}, signal: AbortSignal): Promise<void>;
  /** The id of a post created in the channel since sinceMs (bridge clock) that carries this delivery id, or null. */
  findDelivered(channelId: string, deliveryId: string, sinceMs: number, signal: AbortSignal): Promise<string | null>;
}

export const PAGE_SIZE = 200;
/** The server's clock may run behind the bridge's: look this much further back. */
export const CLOCK_SKEW_MS = 10 * 60_000;
/** A channel busier than this since the first attempt is not searched further (the post is sent). */
export const MAX_PAGES = 50;

/** Channel references starting with "~" are names resolved when first needed (the server may be down at start). */
export type ChannelResolver = (ref: string) => Promise<string>;

export function mattermostPostApi(bot: MattermostClient, resolve: ChannelResolver = async (ref) => ref): PostApi {
  const channel = (ref: string) => (ref.startsWith('~') ? resolve(ref) : Promise.resolve(ref));
  const botUserId = once(async () => (await bot.get<MmUser>('/users/me')).id);
  return {
    async create(post, signal) {
      // set_online=false: the bot's posts never mark it online.
      const created = await bot.post<MmPost>('/posts', {...post, channel_id: await channel(post.channel_id)}, {query: {set_online: 'false'}, signal});
      return {id: created.id};
    },
    async patch(postId, patch, signal) {
      await bot.put(`/posts/${postId}/patch`, patch, {signal});
    },
    async findDelivered(channelId, deliveryId, sinceMs, signal) {
      const me = await botUserId();
      const id = await channel(channelId);
      const since = sinceMs - CLOCK_SKEW_MS;
      // Newest first; posts arriving meanwhile only push older ones to later pages, never skip them.
      for (let page = 0; page < MAX_PAGES; page++) {
        const list = await bot.get<MmPostList>(`/channels/${id}/posts`, {query: {page, per_page: PAGE_SIZE}, signal});
        let oldest = Infinity;
        for (const postId of list.order) {
          const post = list.posts[postId];
          if (!post) continue;
          oldest = Math.min(oldest, post.create_at);
          // Anyone may post these props (and ids of incidents are predictable): only the bot's count.
          if (post.user_id === me && post.delete_at === 0 && post.props?.[DELIVERY_ID_PROP] === deliveryId) return post.id;
        }
        if (list.order.length < PAGE_SIZE || oldest < since) return null;
      }
      return null;
    },
  };
}
