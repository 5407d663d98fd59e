// Resolves names from the settings to ids through the API, caching each answer for the session.
import type {Channel} from '@mattermost/types/channels';
import type {Team} from '@mattermost/types/teams';
import type {UserProfile} from '@mattermost/types/users';
import {HttpError, type Http} from './http';

type UserBody = Pick<UserProfile, 'id' | 'is_bot' | 'delete_at'>;
type ChannelBody = Pick<Channel, 'id' | 'team_id' | 'name' | 'last_post_at'>;
type TeamBody = Pick<Team, 'name' | 'delete_at'>;

export interface LogChannel {
  id: string;
  teamName: string;
  /** When anything was last posted there (the server's last_post_at), to choose among several teams. */
  lastPostAt: number;
}

export interface Resolver {
  /** The bot's user id, or null when no such (active) bot exists: then nothing is trusted. */
  botUserId(username: string): Promise<string | null>;
  /** A channel by team and channel name, or null when it does not exist or the user cannot see it. */
  channel(teamName: string, channelName: string): Promise<LogChannel | null>;
  /** Names of the teams a user (an id, or 'me') belongs to; empty when this user may not see them. */
  teamsOf(userId: string): Promise<string[]>;
}

const notFound = (err: unknown): boolean => err instanceof HttpError && (err.status === 404 || err.status === 403);

export function createResolver(http: Http): Resolver {
  const bots = new Map<string, Promise<string | null>>();
  const channels = new Map<string, Promise<LogChannel | null>>();
  const teams = new Map<string, Promise<string[]>>();

  function cached<T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const hit = map.get(key);
    if (hit) return hit;
    // Failures are not cached: a network error now should not hide the bot for the whole session.
    const pending = load().catch((err: unknown) => {
      map.delete(key);
      throw err;
    });
    map.set(key, pending);
    return pending;
  }

  return {
    botUserId: (username) =>
      cached(bots, username, async () => {
        try {
          const user = (await http.get<UserBody>(`/users/username/${encodeURIComponent(username)}`)).data;
          // A human account that happens to carry the bot's name is not the bot.
          return user.is_bot && !user.delete_at ? user.id : null;
        } catch (err) {
          if (notFound(err)) return null;
          throw err;
        }
      }),
    channel: (teamName, channelName) =>
      cached(channels, `${teamName}/${channelName}`, async () => {
        try {
          const ch = (await http.get<ChannelBody>(`/teams/name/${encodeURIComponent(teamName)}/channels/name/${encodeURIComponent(channelName)}`)).data;
          return {id: ch.id, teamName, lastPostAt: ch.last_post_at || 0};
        } catch (err) {
          if (notFound(err)) return null;
          throw err;
        }
      }),
    teamsOf: (userId) =>
      cached(teams, userId, async () => {
        try {
          const list = (await http.get<TeamBody[]>(`/users/${encodeURIComponent(userId)}/teams`)).data;
          return (Array.isArray(list) ? list : []).filter((t) => !t.delete_at).map((t) => t.name);
        } catch (err) {
          if (notFound(err)) return [];
          throw err;
        }
      }),
  };
}
