import {MattermostClient} from '../mm/client';
import {MattermostApiError, MattermostUnreachableError} from '../mm/errors';
import {abortReason, describeFailure, timedOut} from './failure';
import type {ProbeContext} from './types';

function ctx(signal: AbortSignal = new AbortController().signal): ProbeContext {
  const target = {name: 't', url: 'http://127.0.0.1:1', botToken: 'bot-secret-token', probePassword: 'Probe-Pass-1'};
  return {target, signal, timeoutMs: 750, client: new MattermostClient({url: target.url}), cache: new Map()};
}

const refused = Object.assign(new TypeError('fetch failed'), {cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {code: 'ECONNREFUSED'})});

describe('describeFailure', () => {
  it('names network failures by their code', () => {
    expect(describeFailure(ctx(), new MattermostUnreachableError('GET / failed', 'GET', '/', false, {cause: refused}))).toBe('connection refused (ECONNREFUSED)');
    expect(describeFailure(ctx(), Object.assign(new Error('x'), {code: 'ECONNRESET'}))).toBe('connection reset (ECONNRESET)');
  });

  it('says "no answer within N ms" when the run timed out', () => {
    const c = new AbortController();
    c.abort(new DOMException('timed out', 'TimeoutError'));
    expect(describeFailure(ctx(c.signal), new Error('aborted'))).toBe('no answer within 750 ms');
    expect(timedOut(ctx(c.signal))).toBe(true);
  });

  it('names another abort reason, such as a shutdown', () => {
    const c = new AbortController();
    c.abort(new Error('the bridge is shutting down'));
    expect(abortReason(ctx(c.signal))).toBe('stopped: the bridge is shutting down');
    expect(timedOut(ctx(c.signal))).toBe(false);
  });

  it('keeps the HTTP status and never a secret of the target', () => {
    expect(describeFailure(ctx(), new MattermostApiError('Invalid or expired session', 401, 'GET', '/users/me', null))).toBe('HTTP 401: Invalid or expired session');
    const leaky = new MattermostApiError('token bot-secret-token and password Probe-Pass-1 rejected', 400, 'POST', '/x', null);
    const text = describeFailure(ctx(), leaky);
    expect(text).not.toContain('bot-secret-token');
    expect(text).not.toContain('Probe-Pass-1');
  });
});
