// `server_status`: ping with get_server_status=true; the database (a write) and the file store must be OK.
import type {MmPing} from '../mm/types';
import {describeFailure} from './failure';
import {ProbeRun} from './outcome';
import type {ProbeContext, ProbeDefinition, ProbeResult} from './types';

const FIELDS = ['database_status', 'filestore_status'] as const;

export async function runServerStatus(ctx: ProbeContext): Promise<ProbeResult> {
  const run = new ProbeRun('server_status', ctx);
  const token = ctx.target.botToken ?? ctx.target.adminToken;
  if (!token) return run.notConfigured(['botToken']);
  try {
    // Only the exact value "true" asks for the check; older servers took any value, so never send "false".
    const res = await ctx.client.request<MmPing>('GET', '/system/ping', {token, signal: ctx.signal, acceptStatus: [500], query: {get_server_status: 'true'}});
    const body: Partial<MmPing> = typeof res.data === 'object' && res.data !== null ? res.data : {};
    for (const field of FIELDS) {
      const value = body[field];
      run.check(field, value === 'OK', typeof value === 'string' ? value : `missing (HTTP ${res.status})`, 'OK');
    }
    if (typeof body.ActiveSearchBackend === 'string') run.fact('activeSearchBackend', body.ActiveSearchBackend);
  } catch (err) {
    const observed = describeFailure(ctx, err);
    for (const field of FIELDS) run.check(field, false, observed, 'OK');
  }
  return run.finish();
}

export const serverStatus: ProbeDefinition = {
  name: 'server_status',
  description: 'ping with get_server_status=true: database and file store OK',
  // The bot token (least privilege); an admin token alone also works.
  needs: ['botToken'],
  // Every call writes a row to the database: keep it rare.
  defaultIntervalMs: 300_000,
  defaultTimeoutMs: 15_000,
  heavy: true,
  run: runServerStatus,
};
