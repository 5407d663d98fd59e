// Looks up (once) the id of a channel by team and channel name, and the bot's own user id.
import type {MattermostClient} from '../mm/client';
import type {MmChannel, MmUser} from '../mm/types';

/** A lazily resolved value, retried on the next call after a failure. */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    pending ??= load().catch((err: unknown) => {
      pending = null;
      throw err;
    });
    return pending;
  };
}

export function channelIdResolver(client: MattermostClient, team: string, channel: string): () => Promise<string> {
  return once(async () => (await client.get<MmChannel>(`/teams/name/${encodeURIComponent(team)}/channels/name/${encodeURIComponent(channel)}`)).id);
}

export function meResolver(client: MattermostClient): () => Promise<string> {
  return once(async () => (await client.get<MmUser>('/users/me')).id);
}
