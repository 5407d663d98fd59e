// Serialises the probes that change or need the probe user's channel membership (channel_join
// leaves the channel; post_roundtrip needs the user in it), per target.
import type {ProbeContext} from './types';

const KEY = 'probe-channel-lock';

/** The run was aborted while another probe held the probe channel. */
export class ProbeChannelWaitAborted extends Error {
  override readonly name = 'ProbeChannelWaitAborted';
}

export async function withProbeChannelLock<T>(ctx: ProbeContext, fn: () => Promise<T>): Promise<T> {
  const previous = (ctx.cache.get(KEY) as Promise<void> | undefined) ?? Promise.resolve();
  let release: () => void = () => undefined;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = previous.then(() => mine);
  ctx.cache.set(KEY, tail);
  try {
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(new ProbeChannelWaitAborted('aborted while another probe held the probe channel', {cause: ctx.signal.reason}));
      if (ctx.signal.aborted) return onAbort();
      ctx.signal.addEventListener('abort', onAbort, {once: true});
      void previous.then(() => {
        ctx.signal.removeEventListener('abort', onAbort);
        resolve();
      });
    });
    return await fn();
  } finally {
    release();
    if (ctx.cache.get(KEY) === tail) ctx.cache.delete(KEY);
  }
}
