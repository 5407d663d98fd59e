// `channel_join`: the probe user leaves the (public) probe channel and joins it again; a user left
// outside by a cut-off run is put back first (and that is reported), so the test starts clean.
import {ProbeChannelWaitAborted, withProbeChannelLock} from './channel_lock';
import {describeFailure} from './failure';
import {forgetLookupsOn, probeChannelId} from './lookups';
import {restoreMembership} from './membership';
import {missingSettings, ProbeRun} from './outcome';
import {isSessionRejected, withProbeSession} from './probe_session';
import type {ProbeContext, ProbeDefinition, ProbeResult} from './types';

export async function runChannelJoin(ctx: ProbeContext): Promise<ProbeResult> {
  const run = new ProbeRun('channel_join', ctx);
  const missing = missingSettings(ctx.target, channelJoin.needs);
  if (missing.length > 0) return run.notConfigured(missing);
  const channel = `~${ctx.target.probeChannel}`;
  try {
    await withProbeSession(ctx, async (session) => {
      const {token, userId} = session;
      const channelId = await probeChannelId(ctx, token);
      await withProbeChannelLock(ctx, channelId, `channel_join of ${ctx.target.name}`, async () => {
        if (!(await restoreMembership(ctx, run, session, channelId))) return;
        let t0 = performance.now();
        try {
          await ctx.client.delete(`/channels/${channelId}/members/${userId}`, {token, signal: ctx.signal});
          run.fact('leaveMs', performance.now() - t0);
          run.check('leave', true, `left ${channel}`, `left ${channel}`);
        } catch (err) {
          // A stale session: withProbeSession logs in again and repeats the run.
          if (isSessionRejected(err)) throw err;
          forgetLookupsOn(ctx, err);
          run.check('leave', false, describeFailure(ctx, err), `left ${channel}`);
        }
        // Join even when leaving failed: the user must end up in the channel (post_roundtrip needs it).
        t0 = performance.now();
        try {
          await ctx.client.post(`/channels/${channelId}/members`, {user_id: userId}, {token, signal: ctx.signal});
          run.fact('joinMs', performance.now() - t0);
          run.check('join', true, `joined ${channel}`, `joined ${channel}`);
        } catch (err) {
          forgetLookupsOn(ctx, err);
          run.check('join', false, describeFailure(ctx, err), `joined ${channel}`);
        }
      });
    });
  } catch (err) {
    forgetLookupsOn(ctx, err);
    // A run that never had its turn did not leave: say what it waited for.
    if (err instanceof ProbeChannelWaitAborted) run.check('probe channel', false, describeFailure(ctx, err), `a turn at ${channel}`);
    else run.check('leave', false, describeFailure(ctx, err), `left ${channel}`);
  }
  return run.finish();
}

export const channelJoin: ProbeDefinition = {
  name: 'channel_join',
  description: 'the probe user leaves the probe channel and joins it again',
  needs: ['probeUser', 'probeChannel', 'team'],
  // Each run adds a "left"/"joined" system message to the probe channel: keep it rare.
  defaultIntervalMs: 300_000,
  defaultTimeoutMs: 10_000,
  heavy: true,
  run: runChannelJoin,
};
