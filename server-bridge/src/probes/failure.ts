// Turns an error from a probe's call into the one-line "observed" text of a failed check.
import {MattermostApiError, MattermostUnreachableError, describeError, redact} from '../mm/errors';
import {ProbeChannelWaitAborted} from './channel_lock';
import {ProbeLoginError} from './probe_session';
import type {ProbeContext} from './types';

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed while sending',
  UND_ERR_SOCKET: 'connection closed by the other side',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
};

function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as {code?: unknown}).code;
    if (typeof code === 'string') return code;
    const nested = (e as {errors?: unknown[]}).errors?.[0];
    e = (e as {cause?: unknown}).cause ?? nested;
  }
  return undefined;
}

/** True when the run's signal ended it: the probe's timeout (or a shutdown). */
export function abortedBy(ctx: ProbeContext, err?: unknown): boolean {
  return ctx.signal.aborted || (err instanceof MattermostUnreachableError && err.timedOut);
}

/** An abort is the probe's timeout unless its reason names something else (e.g. a shutdown). */
function isTimeoutReason(reason: unknown): boolean {
  return !(reason instanceof Error) || reason.name === 'TimeoutError' || reason.name === 'AbortError';
}

/** What the signal's abort means for the reader. */
export function abortReason(ctx: ProbeContext): string {
  const reason: unknown = ctx.signal.reason;
  if (!isTimeoutReason(reason)) return `stopped: ${(reason as Error).message}`;
  return `no answer within ${ctx.timeoutMs} ms`;
}

export function timedOut(ctx: ProbeContext): boolean {
  return ctx.signal.aborted && isTimeoutReason(ctx.signal.reason);
}

/** "connection refused (ECONNREFUSED)", "no answer within 5000 ms", "HTTP 401: …"; never a secret. */
export function describeFailure(ctx: ProbeContext, err: unknown): string {
  const secrets = [ctx.target.botToken, ctx.target.adminToken, ctx.target.probePassword];
  // The run never reached the server: it spent its time waiting for another probe's turn.
  if (err instanceof ProbeChannelWaitAborted) return `${abortReason(ctx)} waiting for the probe channel (${err.holder} held it)`;
  if (abortedBy(ctx, err)) return abortReason(ctx);
  // A refused login is worth naming; a network failure during it reads best as itself.
  if (err instanceof ProbeLoginError) {
    return err.cause instanceof MattermostApiError ? `login of @${err.username} failed: ${describeFailure(ctx, err.cause)}` : describeFailure(ctx, err.cause);
  }
  if (err instanceof MattermostApiError) return redact(`HTTP ${err.status}: ${err.message}`, secrets);
  const code = errorCode(err);
  const known = code ? NETWORK_CODES[code] : undefined;
  if (known && code) return `${known} (${code})`;
  return redact(describeError(err), secrets);
}
