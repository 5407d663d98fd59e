// `login_page`: GET /login answers 200 with HTML (the web app's shell is being served).
import type {HttpAnswer} from '../mm/client';
import {describeFailure} from './failure';
import {ProbeRun} from './outcome';
import type {ProbeContext, ProbeDefinition, ProbeResult} from './types';

/** The first line of a short non-HTML answer (e.g. Go's "open …/root.html: no such file"), to explain a failure. */
async function excerpt(res: HttpAnswer): Promise<string> {
  const type = res.headers.get('content-type') ?? '';
  if (!type.startsWith('text/plain')) return '';
  const line = (await res.text()).split('\n')[0]?.trim().slice(0, 160) ?? '';
  return line ? `: ${line}` : '';
}

export async function runLoginPage(ctx: ProbeContext): Promise<ProbeResult> {
  const run = new ProbeRun('login_page', ctx);
  try {
    const res = await ctx.client.raw('GET', '/login', {token: null, signal: ctx.signal, headers: {Accept: 'text/html'}});
    const type = res.headers.get('content-type') ?? '(none)';
    if (res.status === 200) {
      await res.text();
      run.check('HTTP status', true, '200', '200');
    } else {
      const location = res.headers.get('location');
      const detail = location ? ` redirect to ${location}` : await excerpt(res);
      run.check('HTTP status', false, `${res.status}${detail}`, '200');
    }
    run.check('content type', type.startsWith('text/html'), type, 'text/html');
  } catch (err) {
    run.check('HTTP status', false, describeFailure(ctx, err), '200');
  }
  return run.finish();
}

export const loginPage: ProbeDefinition = {
  name: 'login_page',
  description: 'GET /login answers 200 with HTML',
  needs: [],
  defaultIntervalMs: 60_000,
  defaultTimeoutMs: 10_000,
  run: runLoginPage,
};
