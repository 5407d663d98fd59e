// Report posts straight to POST /posts, for a prober tested without the incident service's outbox.
import type {MattermostClient} from '../../server-bridge/src/mm/client';
import type {MmPost} from '../../server-bridge/src/mm/types';
import type {PostSink} from '../../server-bridge/src/report/sink';

/** POST /posts as the bot; set_online=false so reports never mark the bot online. */
export function directPostSink(bot: MattermostClient): PostSink {
  return {
    async send(post, signal) {
      const created = await bot.post<MmPost>('/posts', {channel_id: post.channelId, message: post.message, type: post.type, props: post.props}, {query: {set_online: 'false'}, signal});
      return {id: created.id};
    },
  };
}
