// Finds the probe user where a cut-off run may have left it (out of the probe channel: a frozen
// server ran a "leave" after the thaw but never the "join") and puts it back before a probe judges.
import {MattermostApiError} from '../mm/errors';
import {describeFailure} from './failure';
import type {ProbeRun} from './outcome';
import type {ProbeSession} from './probe_session';
import type {ProbeContext} from './types';

export const MEMBERSHIP_CHECK = 'probe user in channel';

/**
 * Looks up the probe user's membership and joins it back when it is out. Reports only what it
 * found wrong (a check that says so); returns false when the user could not be put back.
 */
export async function restoreMembership(ctx: ProbeContext, run: ProbeRun, session: ProbeSession, channelId: string): Promise<boolean> {
  const channel = `~${ctx.target.probeChannel}`;
  const expected = `the probe user in ${channel}`;
  try {
    await ctx.client.get(`/channels/${channelId}/members/${session.userId}`, {token: session.token, signal: ctx.signal});
    return true;
  } catch (err) {
    // 404: no member; 403: a non-member may not read the channel's members. Anything else is the server's failure.
    if (!(err instanceof MattermostApiError) || (err.status !== 404 && err.status !== 403)) throw err;
  }
  try {
    await ctx.client.post(`/channels/${channelId}/members`, {user_id: session.userId}, {token: session.token, signal: ctx.signal});
    run.fact('rejoined', true);
    return run.check(MEMBERSHIP_CHECK, true, `found outside ${channel} (an earlier run was cut off); joined it again`, expected);
  } catch (err) {
    return run.check(MEMBERSHIP_CHECK, false, `found outside ${channel}; joining it again failed: ${describeFailure(ctx, err)}`, expected);
  }
}
