// `ping`: GET /api/v4/system/ping answers status OK; records the server version; explains UNHEALTHY.
import type {MmPing} from '../mm/types';
import {describeFailure} from './failure';
import {ProbeRun} from './outcome';
import type {ProbeContext, ProbeDefinition, ProbeResult} from './types';

/** "11.4.0" from X-Version-Id "11.4.0.<build>.<config hash>.<licensed>". */
export function serverVersionFrom(header: string | null): string | null {
  if (!header) return null;
  const parts = header.split('.');
  return parts.length >= 3 ? parts.slice(0, 3).join('.') : header;
}

/** Why ping said UNHEALTHY: the documented cause is GoroutineHealthThreshold, readable with an admin token. */
export async function explainUnhealthy(ctx: ProbeContext): Promise<string> {
  if (!ctx.target.adminToken) return 'set an admin token to read GoroutineHealthThreshold, the documented cause';
  try {
    const config = await ctx.client.get<{ServiceSettings?: {GoroutineHealthThreshold?: number}}>('/config', {token: ctx.target.adminToken, signal: ctx.signal});
    const threshold = config.ServiceSettings?.GoroutineHealthThreshold;
    if (typeof threshold !== 'number') return 'GoroutineHealthThreshold is not readable with the admin token';
    if (threshold <= 0) return `GoroutineHealthThreshold is ${threshold} (off), so the cause is not the goroutine count`;
    return `GoroutineHealthThreshold is ${threshold}: the server has at least that many goroutines`;
  } catch (err) {
    return `could not read GoroutineHealthThreshold: ${describeFailure(ctx, err)}`;
  }
}

export async function runPing(ctx: ProbeContext): Promise<ProbeResult> {
  const run = new ProbeRun('ping', ctx);
  try {
    const res = await ctx.client.request<MmPing>('GET', '/system/ping', {token: null, signal: ctx.signal, acceptStatus: [500]});
    run.fact('serverVersion', serverVersionFrom(res.headers.get('x-version-id')));
    const status = typeof res.data === 'object' && res.data !== null && typeof res.data.status === 'string' ? res.data.status : null;
    if (status === null) {
      run.check('status', false, `HTTP ${res.status} without a ping status`, 'OK');
    } else if (status === 'OK') {
      run.check('status', true, 'OK', 'OK');
    } else {
      run.check('status', false, status === 'UNHEALTHY' ? `UNHEALTHY (${await explainUnhealthy(ctx)})` : status, 'OK');
    }
  } catch (err) {
    run.check('status', false, describeFailure(ctx, err), 'OK');
  }
  return run.finish();
}

export const ping: ProbeDefinition = {
  name: 'ping',
  description: 'GET /api/v4/system/ping answers status OK',
  needs: [],
  defaultIntervalMs: 60_000,
  defaultTimeoutMs: 10_000,
  run: runPing,
};
