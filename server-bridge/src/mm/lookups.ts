// Looks up (once) the id of a channel by team and channel name, and the bot's own user id.
import {once} from '../once';
import type {MattermostClient} from './client';
import type {MmChannel, MmUser} from './types';

export function channelIdResolver(client: MattermostClient, team: string, channel: string): () => Promise<string> {
  return once(async () => (await client.get<MmChannel>(`/teams/name/${encodeURIComponent(team)}/channels/name/${encodeURIComponent(channel)}`)).id);
}

/** The id of the user the client's token belongs to (the bot's, for the bot client). */
export function meResolver(client: MattermostClient): () => Promise<string> {
  return once(async () => (await client.get<MmUser>('/users/me')).id);
}
