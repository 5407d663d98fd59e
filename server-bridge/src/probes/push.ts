// `push`: ping with device_id; Mattermost sends a test push through its push proxy and says
// whether the device can receive notifications (CanReceiveNotifications: true, false or unknown).
import type {MmPing} from '../mm/types';
import {describeFailure} from './failure';
import {ProbeRun} from './outcome';
import type {ProbeContext, ProbeDefinition, ProbeResult} from './types';

/** What each answer means, for the admin reading a failure. */
const MEANING: Record<string, string> = {
  false: 'false (push notifications are off in the server, or the push proxy dropped this device)',
  unknown: 'unknown (the push proxy could not be reached or failed to send)',
};

export async function runPush(ctx: ProbeContext): Promise<ProbeResult> {
  const run = new ProbeRun('push', ctx);
  const device = ctx.target.pushDeviceId;
  if (!device) return run.notConfigured(['pushDeviceId']);
  try {
    const res = await ctx.client.request<MmPing>('GET', '/system/ping', {token: null, signal: ctx.signal, acceptStatus: [500], query: {device_id: device}});
    const value = typeof res.data === 'object' && res.data !== null ? res.data.CanReceiveNotifications : undefined;
    const observed = typeof value === 'string' ? (MEANING[value] ?? value) : `missing (HTTP ${res.status}; Mattermost before 6.5 does not test pushes)`;
    run.check('CanReceiveNotifications', value === 'true', observed, 'true');
  } catch (err) {
    run.check('CanReceiveNotifications', false, describeFailure(ctx, err), 'true');
  }
  return run.finish();
}

export const push: ProbeDefinition = {
  name: 'push',
  description: 'ping with device_id: a test push reaches the push proxy for that device',
  needs: ['pushDevice'],
  // Each run sends a real (silent) test notification to the device.
  defaultIntervalMs: 300_000,
  defaultTimeoutMs: 15_000,
  run: runPush,
};
