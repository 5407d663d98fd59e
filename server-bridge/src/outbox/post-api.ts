// The three calls the outbox makes to Mattermost, with the bot's token: create, patch, and find
// an earlier delivery by its stable id (so a post stored before a timeout is not sent twice).
import {DELIVERY_ID_PROP} from '../contract';
import type {MattermostClient} from '../mm/client';
import type {MmPost, MmPostList, MmUser} from '../mm/types';
import {once} from '../report/channel';

export interface NewPost {
  channel_id: string;
  root_id?: string;
  message: string;
  type?: string;
  props: Record<string, unknown>;
}

export interface PostApi {
  create(post: NewPost, signal: AbortSignal): Promise<{id: string}>;
  patch(postId: string, patch: {message: string; props: Record<string, unknown>}, signal: AbortSignal): Promise<void>;
  /** The id of a post in the channel that carries this delivery id, or null. */
  findDelivered(channelId: string, deliveryId: string, signal: AbortSignal): Promise<string | null>;
}

/** How many of the channel's newest posts are searched for an earlier delivery. */
export const RECENT_POSTS_SEARCHED = 200;

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
    async findDelivered(channelId, deliveryId, signal) {
      const me = await botUserId();
      const list = await bot.get<MmPostList>(`/channels/${await channel(channelId)}/posts`, {query: {page: 0, per_page: RECENT_POSTS_SEARCHED}, signal});
      for (const id of list.order) {
        const post = list.posts[id];
        // Anyone may post these props (and ids of incidents are predictable): only the bot's count.
        if (post && post.user_id === me && post.delete_at === 0 && post.props?.[DELIVERY_ID_PROP] === deliveryId) return post.id;
      }
      return null;
    },
  };
}
