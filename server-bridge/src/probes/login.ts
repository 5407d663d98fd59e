// `login`: the probe user logs in with its password and logs out again; latency of each step.
import {describeFailure} from './failure';
import {missingSettings, ProbeRun} from './outcome';
import {loginProbeUser} from './probe_session';
import type {ProbeContext, ProbeDefinition, ProbeResult} from './types';

const ms = (n: number) => `${Math.round(n)} ms`;

export async function runLogin(ctx: ProbeContext): Promise<ProbeResult> {
  const run = new ProbeRun('login', ctx);
  const missing = missingSettings(ctx.target, login.needs);
  if (missing.length > 0) return run.notConfigured(missing);
  const who = `@${ctx.target.probeUsername}`;
  let token: string;
  let t0 = performance.now();
  try {
    const session = await loginProbeUser(ctx);
    token = session.token;
    const loginMs = performance.now() - t0;
    run.fact('loginMs', loginMs);
    run.check('login', true, `${who} logged in (${ms(loginMs)})`, `a session for ${who}`);
  } catch (err) {
    run.check('login', false, describeFailure(ctx, err), `a session for ${who}`);
    return run.finish();
  }
  t0 = performance.now();
  try {
    await ctx.client.post('/users/logout', undefined, {token, signal: ctx.signal});
    const logoutMs = performance.now() - t0;
    run.fact('logoutMs', logoutMs);
    run.check('logout', true, `logged out (${ms(logoutMs)})`, 'the session ended');
  } catch (err) {
    run.check('logout', false, describeFailure(ctx, err), 'the session ended');
  }
  return run.finish();
}

export const login: ProbeDefinition = {
  name: 'login',
  description: 'the probe user logs in with its password and logs out',
  needs: ['probeUser'],
  defaultIntervalMs: 60_000,
  defaultTimeoutMs: 10_000,
  heavy: true,
  run: runLogin,
};
