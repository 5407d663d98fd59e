// `post_roundtrip`: the bot posts a unique message in the probe channel and the probe user's
// websocket must receive its `posted` event in time; latency = receive − send on performance.now(),
// from the instant the POST's headers are written to the socket to the read that brought the event.
// The probe post is always deleted afterwards (also after a failure or a timeout). A probe user
// left outside the channel by a cut-off run is put back first, and that is reported.
import {randomUUID} from 'node:crypto';
import type {MattermostClient} from '../mm/client';
import {MattermostApiError} from '../mm/errors';
import type {MmPost} from '../mm/types';
import {connectWebSocket, MattermostWebSocketError, type MmWebSocket, type MmWebSocketEvent} from '../mm/websocket';
import {withProbeChannelLock} from './channel_lock';
import {abortedBy, abortReason, describeFailure, timedOut} from './failure';
import {botUserId, forgetLookupsOn, probeChannelId} from './lookups';
import {restoreMembership} from './membership';
import {missingSettings, ProbeRun} from './outcome';
import {CLEANUP_TIMEOUT_MS, deletePost, probeMessage, rememberUnconfirmed, sweepUnconfirmed} from './probe_posts';
import {withProbeSession} from './probe_session';
import type {ProbeContext, ProbeDefinition, ProbeResult} from './types';
import {warmUp} from './warm_up';

/** The posted event of our message in our channel (the post id is not known before the POST returns). */
export function isPostedEventFor(event: MmWebSocketEvent, channelId: string, message: string): boolean {
  if (event.event !== 'posted' || typeof event.data.post !== 'string') return false;
  try {
    const post = JSON.parse(event.data.post) as Partial<MmPost>;
    return post.channel_id === channelId && post.message === message;
  } catch {
    return false;
  }
}

export async function runPostRoundtrip(ctx: ProbeContext): Promise<ProbeResult> {
  const run = new ProbeRun('post_roundtrip', ctx);
  const missing = missingSettings(ctx.target, postRoundtrip.needs);
  if (missing.length > 0) return run.notConfigured(missing);
  const bot = ctx.client.withToken(ctx.target.botToken as string);
  let channelId: string;
  let botId: string;
  try {
    channelId = await probeChannelId(ctx, ctx.target.botToken as string);
    botId = await botUserId(ctx);
  } catch (err) {
    run.check('probe channel', false, describeFailure(ctx, err), `~${ctx.target.probeChannel} in team ${ctx.target.team}`);
    return run.finish();
  }
  // Probe posts of earlier runs whose deletion was not confirmed; a failure here is retried next run.
  await sweepUnconfirmed(ctx, bot, botId, channelId, ctx.signal).catch(() => undefined);

  await withProbeChannelLock(ctx, channelId, `post_roundtrip of ${ctx.target.name}`, () => roundtrip(ctx, run, bot, channelId, botId)).catch((err: unknown) => {
    run.check('post_roundtrip', false, describeFailure(ctx, err), 'a complete round trip');
  });
  return run.finish();
}

/** The probe user could not be put back in the channel (already reported as a check). */
class MembershipNotRestored extends Error {}

/** Connect the probe user, post as the bot, wait for the posted event, clean up. */
async function roundtrip(ctx: ProbeContext, run: ProbeRun, bot: MattermostClient, channelId: string, botId: string): Promise<void> {
  const within = `within ${ctx.timeoutMs} ms`;
  let socket: MmWebSocket;
  const connected = 'the probe user is connected';
  try {
    socket = await withProbeSession(ctx, async (s) => {
      // The user must be in the channel before the websocket connects, or the posted event never comes.
      if (!(await restoreMembership(ctx, run, s, channelId))) throw new MembershipNotRestored();
      const ws = await connectWebSocket({url: ctx.target.url, token: s.token, signal: ctx.signal});
      try {
        // One action round trip first: on a brand-new connection the first event comes ~40 ms late
        // (measured on 11.4), which would be counted as delivery latency.
        const reply = await ws.request('get_statuses_by_ids', {user_ids: [s.userId]}, ctx.signal);
        if (reply.status !== 'OK') throw new MattermostWebSocketError(`the websocket refused an action: ${reply.error?.message ?? reply.status ?? 'no status'}`, null);
      } catch (err) {
        await ws.close();
        throw err;
      }
      return ws;
    });
    run.check('websocket', true, connected, connected);
  } catch (err) {
    if (!(err instanceof MembershipNotRestored)) run.check('websocket', false, describeFailure(ctx, err), connected);
    return;
  }
  run.fact('warmedUp', await warmUp(ctx, bot, botId, channelId, socket));
  const nonce = randomUUID();
  const message = probeMessage(nonce);
  const sentEpoch = Date.now();
  let postId: string | null = null;
  /** Whether a probe post may exist: the POST was sent and not refused by the server. */
  let mayExist = false;
  try {
    const delivery = socket.waitFor((e) => isPostedEventFor(e, channelId, message), ctx.signal);
    delivery.catch(() => undefined);
    // Replaced by the instant the request left (mm/http.ts) when the client tells it.
    let sentAt = performance.now();
    mayExist = true;
    try {
      // set_online=false: posting must not show the bot as online.
      const post = await bot.post<MmPost>('/posts', {channel_id: channelId, message}, {query: {set_online: 'false'}, signal: ctx.signal, onSent: (at) => (sentAt = at)});
      postId = post.id;
      run.check('post', true, 'created by the bot', 'created by the bot');
    } catch (err) {
      if (err instanceof MattermostApiError) mayExist = false;
      forgetLookupsOn(ctx, err);
      run.check('post', false, describeFailure(ctx, err), 'created by the bot');
      return;
    }
    try {
      const {receivedAt} = await delivery;
      const latency = receivedAt - sentAt;
      run.fact('latencyMs', latency);
      run.check('posted event', true, `received after ${Math.round(latency)} ms`, `received ${within}`);
    } catch (err) {
      const observed = timedOut(ctx) ? `not received within ${ctx.timeoutMs} ms` : abortedBy(ctx, err) ? abortReason(ctx) : describeFailure(ctx, err);
      run.check('posted event', false, observed, `received ${within}`);
    }
  } finally {
    await socket.close();
    if (mayExist) await cleanUp(ctx, run, {botId, channelId, postId, nonce, sentEpoch});
  }
}

/** Deletes the probe post (or, when its id never came back, finds it by its nonce). */
async function cleanUp(runCtx: ProbeContext, run: ProbeRun, p: {botId: string; channelId: string; postId: string | null; nonce: string; sentEpoch: number}): Promise<void> {
  const {botId, channelId, postId, nonce, sentEpoch} = p;
  const signal = AbortSignal.timeout(CLEANUP_TIMEOUT_MS);
  // The run's own signal may already be aborted: cleanup has its own budget.
  const ctx: ProbeContext = {...runCtx, signal, timeoutMs: CLEANUP_TIMEOUT_MS};
  const bot = ctx.client.withToken(ctx.target.botToken as string);
  try {
    if (postId) {
      run.fact('postPurged', await deletePost(ctx, bot, postId, signal));
      run.check('cleanup', true, 'probe post deleted', 'probe post deleted');
      return;
    }
    rememberUnconfirmed(ctx, nonce, sentEpoch);
    const deleted = await sweepUnconfirmed(ctx, bot, botId, channelId, signal);
    if (deleted > 0) run.check('cleanup', true, 'probe post found and deleted', 'probe post deleted');
    else run.check('cleanup', false, 'the post was not found (yet); looked for again on the next run', 'probe post deleted');
  } catch (err) {
    if (postId) rememberUnconfirmed(ctx, nonce, sentEpoch);
    run.check('cleanup', false, `not confirmed (${describeFailure(ctx, err)}); retried on the next run`, 'probe post deleted');
  }
}

export const postRoundtrip: ProbeDefinition = {
  name: 'post_roundtrip',
  description: "the bot's post reaches the probe user's websocket in time; the post is deleted",
  needs: ['botToken', 'probeUser', 'probeChannel', 'team'],
  defaultIntervalMs: 60_000,
  defaultTimeoutMs: 10_000,
  // Closing the socket and deleting the probe post, after a timeout too.
  cleanupMs: CLEANUP_TIMEOUT_MS + 1_000,
  heavy: true,
  run: runPostRoundtrip,
};
