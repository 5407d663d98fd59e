// Serialises the probes that change or need the probe user's channel membership (channel_join
// leaves the channel; post_roundtrip needs the user in it), per probe user and channel: several
// targets may share them (nodes of one cluster, at different URLs, or one server listed twice).
import type {ProbeContext} from './types';

/** The run was aborted while another probe held the probe channel; holder names it ("channel_join of node-2"). */
export class ProbeChannelWaitAborted extends Error {
  override readonly name = 'ProbeChannelWaitAborted';
  constructor(
    readonly holder: string,
    options?: ErrorOptions,
  ) {
    super(`aborted while ${holder} held the probe channel`, options);
  }
}

/**
 * What the lock guards: a channel id is unique to one Mattermost (its database), so every node or
 * URL of that server names the same channel; a username is unique within it.
 */
export function probeChannelLockKey(ctx: ProbeContext, channelId: string): string {
  return `probe-channel-lock:${channelId}|${(ctx.target.probeUsername ?? '').toLowerCase()}`;
}

/** who: the probe taking the lock, named in the failure of a run that waited for it in vain. */
export async function withProbeChannelLock<T>(ctx: ProbeContext, channelId: string, who: string, fn: () => Promise<T>): Promise<T> {
  const locks = ctx.shared ?? ctx.cache;
  const key = probeChannelLockKey(ctx, channelId);
  const holderKey = `${key}#holder`;
  let holding = false;
  const previous = (locks.get(key) as Promise<void> | undefined) ?? Promise.resolve();
  let release: () => void = () => undefined;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = previous.then(() => mine);
  locks.set(key, tail);
  try {
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(new ProbeChannelWaitAborted((locks.get(holderKey) as string | undefined) ?? 'another probe', {cause: ctx.signal.reason}));
      if (ctx.signal.aborted) return onAbort();
      ctx.signal.addEventListener('abort', onAbort, {once: true});
      const done = () => {
        ctx.signal.removeEventListener('abort', onAbort);
        resolve();
      };
      // The previous holder's promise only resolves; either way the lock passes on.
      previous.then(done, done);
    });
    locks.set(holderKey, who);
    holding = true;
    return await fn();
  } finally {
    if (holding) locks.delete(holderKey);
    release();
    if (locks.get(key) === tail) locks.delete(key);
  }
}
