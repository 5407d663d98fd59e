import {deadline} from './deadline';

describe('deadline', () => {
  it('aborts with a TimeoutError at the deadline, even when nothing else holds the signal', async () => {
    const {signal, dispose} = deadline(50);
    const reason = await new Promise<unknown>((resolve) => signal.addEventListener('abort', () => resolve(signal.reason)));
    expect(reason).toMatchObject({name: 'TimeoutError', message: 'no answer within 50 ms'});
    dispose();
  });

  it('aborts with the parent and its reason', () => {
    const parent = new AbortController();
    const {signal, dispose} = deadline(60_000, parent.signal);
    parent.abort(new Error('shutting down'));
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).message).toBe('shutting down');
    dispose();
  });

  it('is aborted at once under an aborted parent', () => {
    const parent = new AbortController();
    parent.abort(new Error('already'));
    const d = deadline(60_000, parent.signal);
    expect(d.signal.aborted).toBe(true);
    d.dispose();
  });

  it('never fires after dispose', async () => {
    const {signal, dispose} = deadline(20);
    dispose();
    await new Promise((r) => setTimeout(r, 60));
    expect(signal.aborted).toBe(false);
  });
});
