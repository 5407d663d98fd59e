// The PostSink seam: how report posts leave the bridge. directPostSink posts at once; the
// incident engine can route posts through its idempotent outbox instead.
import type {MattermostClient} from '../mm/client';
import type {MmPost} from '../mm/types';

export interface OutgoingPost {
  channelId: string;
  message: string;
  type: string;
  props: Record<string, unknown>;
}

export interface PostSink {
  /** Resolves with the post id once Mattermost has it, or null when it was queued for later. */
  send(post: OutgoingPost, signal?: AbortSignal): Promise<{id: string} | null>;
}

/** POST /posts as the bot; set_online=false so reports never mark the bot online. */
export function directPostSink(bot: MattermostClient): PostSink {
  return {
    async send(post, signal) {
      const created = await bot.post<MmPost>('/posts', {channel_id: post.channelId, message: post.message, type: post.type, props: post.props}, {query: {set_online: 'false'}, signal});
      return {id: created.id};
    },
  };
}
