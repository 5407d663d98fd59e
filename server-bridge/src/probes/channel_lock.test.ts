import {MattermostClient} from '../mm/client';
import {ProbeChannelWaitAborted, withProbeChannelLock} from './channel_lock';
import type {ProbeContext} from './types';

const cache = new Map<string, unknown>();
const ctx = (signal: AbortSignal = AbortSignal.timeout(5000)): ProbeContext => ({target: {name: 't', url: 'http://127.0.0.1:1'}, signal, timeoutMs: 5000, client: new MattermostClient({url: 'http://127.0.0.1:1'}), cache});

describe('withProbeChannelLock', () => {
  it('runs one holder at a time, in order', async () => {
    const log: string[] = [];
    let releaseFirst: () => void = () => undefined;
    const first = withProbeChannelLock(ctx(), async () => {
      log.push('first in');
      await new Promise<void>((r) => (releaseFirst = r));
      log.push('first out');
    });
    const second = withProbeChannelLock(ctx(), async () => {
      log.push('second');
    });
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['first in']);
    releaseFirst();
    await Promise.all([first, second]);
    expect(log).toEqual(['first in', 'first out', 'second']);
    expect(cache.size).toBe(0);
  });

  it('gives up waiting when the run is aborted, without blocking later holders', async () => {
    let releaseFirst: () => void = () => undefined;
    const first = withProbeChannelLock(ctx(), () => new Promise<void>((r) => (releaseFirst = r)));
    const c = new AbortController();
    const waiting = withProbeChannelLock(ctx(c.signal), async () => 'never');
    c.abort(new Error('stop'));
    await expect(waiting).rejects.toBeInstanceOf(ProbeChannelWaitAborted);
    releaseFirst();
    await first;
    await expect(withProbeChannelLock(ctx(), async () => 'third')).resolves.toBe('third');
  });
});
