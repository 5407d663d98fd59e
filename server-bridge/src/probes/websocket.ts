// `websocket`: the probe user connects to /api/v4/websocket, authenticates and receives `hello`.
// The probe user, not the bot: a websocket connection marks its user online.
import {connectWebSocket} from '../mm/websocket';
import {describeFailure} from './failure';
import {missingSettings, ProbeRun} from './outcome';
import {withProbeSession} from './probe_session';
import type {ProbeContext, ProbeDefinition, ProbeResult} from './types';

export async function runWebSocket(ctx: ProbeContext): Promise<ProbeResult> {
  const run = new ProbeRun('websocket', ctx);
  const missing = missingSettings(ctx.target, webSocket.needs);
  if (missing.length > 0) return run.notConfigured(missing);
  const expected = `hello within ${ctx.timeoutMs} ms`;
  try {
    const socket = await withProbeSession(ctx, (session) => connectWebSocket({url: ctx.target.url, token: session.token, signal: ctx.signal}));
    const {startedAt, openAt, helloAt} = socket.timings;
    await socket.close();
    run.fact('connectMs', openAt - startedAt);
    run.fact('helloMs', helloAt - startedAt);
    run.check('hello', true, `hello after ${Math.round(helloAt - startedAt)} ms`, expected);
  } catch (err) {
    run.check('hello', false, describeFailure(ctx, err), expected);
  }
  return run.finish();
}

export const webSocket: ProbeDefinition = {
  name: 'websocket',
  description: 'the probe user connects to the websocket, authenticates and receives hello',
  needs: ['probeUser'],
  defaultIntervalMs: 60_000,
  defaultTimeoutMs: 10_000,
  heavy: true,
  run: runWebSocket,
};
