// The bot's posts in a channel, newest first, page by page back to a time: how the outbox finds an
// earlier delivery, retention finds old reports and the probe-post sweep finds unconfirmed posts.
import type {MattermostClient} from './client';
import type {MmPost, MmPostList} from './types';

export const PAGE_SIZE = 200;

export interface BotPostsQuery {
  channelId: string;
  botUserId: string;
  /** Paging stops at the first page reaching back before this (ms, server clock); null: the whole channel. */
  sinceMs: number | null;
  signal: AbortSignal;
  /** A channel busier than this many pages is not read further. */
  maxPages?: number;
}

/** The bot's posts not deleted; posts arriving meanwhile only push older ones to later pages, never skip them. */
export async function* botPostsSince(client: MattermostClient, q: BotPostsQuery): AsyncGenerator<MmPost> {
  for (let page = 0; page < (q.maxPages ?? Infinity); page++) {
    const list = await client.get<MmPostList>(`/channels/${q.channelId}/posts`, {query: {page, per_page: PAGE_SIZE}, signal: q.signal});
    let oldest = Infinity;
    for (const id of list.order) {
      const post = list.posts[id];
      if (!post) continue;
      oldest = Math.min(oldest, post.create_at);
      // Anyone may post the same props or text: only the bot's count.
      if (post.user_id === q.botUserId && post.delete_at === 0) yield post;
    }
    if (list.order.length < PAGE_SIZE || (q.sinceMs !== null && oldest < q.sinceMs)) return;
  }
}
