// Before post_roundtrip's post: the server's first channel event to a new websocket connection
// loads its user's channel memberships, a database query in the hub that sends the event
// (Mattermost 11, platform/web_conn.go ShouldSendEvent). A typing event of the bot in the probe
// channel pays for that first, so the post's latency is what an already connected user sees.
import type {MattermostClient} from '../mm/client';
import type {MmWebSocket} from '../mm/websocket';
import type {ProbeContext} from './types';

/** The longest wait for the typing event (a quarter of the run's timeout when that is shorter). */
export const WARM_UP_MS = 2_000;

/**
 * The bot says it is typing in the channel and the probe user's socket receives it; true when it
 * did. Best effort: a refused call or a late event only leaves the post to pay the first event's cost.
 */
export async function warmUp(ctx: ProbeContext, bot: MattermostClient, botId: string, channelId: string, socket: MmWebSocket): Promise<boolean> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException('no typing event in time', 'TimeoutError')), Math.min(WARM_UP_MS, ctx.timeoutMs / 4));
  const onAbort = () => controller.abort(ctx.signal.reason);
  if (ctx.signal.aborted) onAbort();
  else ctx.signal.addEventListener('abort', onAbort, {once: true});
  try {
    const typing = socket.waitFor((e) => e.event === 'typing' && e.broadcast?.channel_id === channelId, controller.signal);
    typing.catch(() => undefined);
    await bot.post(`/users/${botId}/typing`, {channel_id: channelId}, {signal: controller.signal});
    await typing;
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onAbort);
  }
}
