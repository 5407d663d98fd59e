// The probe user's session: logged in once and reused across runs (cached per target), renewed on 401.
import {MattermostApiError} from '../mm/errors';
import type {MmUser} from '../mm/types';
import {MattermostWebSocketError} from '../mm/websocket';
import {cached, forget} from './cached';
import type {ProbeContext} from './types';

export interface ProbeSession {
  token: string;
  userId: string;
}

export interface Login extends ProbeSession {
  username: string;
}

/** POST /users/login as the probe user; the session token comes in the Token header. */
export async function loginProbeUser(ctx: ProbeContext, signal: AbortSignal = ctx.signal): Promise<Login> {
  const res = await ctx.client.request<MmUser>('POST', '/users/login', {
    token: null,
    signal,
    body: {login_id: ctx.target.probeUsername, password: ctx.target.probePassword},
  });
  const token = res.headers.get('token');
  if (!token) throw new Error('the login answer had no Token header');
  ctx.target.onSecret?.(token);
  return {token, userId: res.data.id, username: res.data.username};
}

/** The probe user could not log in, so a probe that needs its session could not start. */
export class ProbeLoginError extends Error {
  override readonly name = 'ProbeLoginError';
  constructor(
    readonly username: string,
    options: {cause: unknown},
  ) {
    super(`@${username} could not log in`, options);
  }
}

const key = (ctx: ProbeContext) => `probe-session:${ctx.target.probeUsername ?? ''}`;

export function probeSession(ctx: ProbeContext): Promise<ProbeSession> {
  return cached(ctx, key(ctx), () =>
    loginProbeUser(ctx).catch((err: unknown) => {
      throw new ProbeLoginError(ctx.target.probeUsername ?? '', {cause: err});
    }),
  );
}

/** A session that Mattermost no longer accepts: expired, revoked or logged out elsewhere. */
export function isSessionRejected(err: unknown): boolean {
  return (err instanceof MattermostApiError && err.status === 401) || err instanceof MattermostWebSocketError;
}

/** Runs fn with the cached session; on a rejected session logs in again once and retries. */
export async function withProbeSession<T>(ctx: ProbeContext, fn: (session: ProbeSession) => Promise<T>): Promise<T> {
  const pending = probeSession(ctx);
  const session = await pending;
  try {
    return await fn(session);
  } catch (err) {
    if (!isSessionRejected(err) || ctx.signal.aborted) throw err;
    // Only drop the session this run used: another probe may already have logged in again.
    if (ctx.cache.get(key(ctx)) === pending) forget(ctx, key(ctx));
    return fn(await probeSession(ctx));
  }
}
