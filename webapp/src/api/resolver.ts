// Resolves names from the settings to ids through the API, and decides which bot is trusted the
// same way for every viewer (contract/trust.ts): a bot is trusted when its props point at a trust
// declaration that a system admin posted for it. Answers are cached for the session.
import type {Channel} from '@mattermost/types/channels';
import type {Team} from '@mattermost/types/teams';
import {HttpError, type Http} from './http';
import {DEFAULT_SETTINGS} from './settings';

// The checks ride in a small lazy chunk: the entry every user loads stays small.
const trustChecks = () => import(/* webpackChunkName: "trust" */ './trust_checks');

type ChannelBody = Pick<Channel, 'id' | 'team_id' | 'name' | 'last_post_at'>;
type TeamBody = Pick<Team, 'name' | 'delete_at'>;

export interface LogChannel {
  id: string;
  teamName: string;
  /** When anything was last posted there (the server's last_post_at), to choose among several teams. */
  lastPostAt: number;
}

/** The bot user as GET /users/username/{name} answers it (its props hold the custom status). */
export interface BotUser {
  id: string;
  is_bot?: boolean;
  props?: Record<string, unknown> | null;
}

export interface Resolver {
  /** The user of that username when it is a bot (not yet checked for trust), else null. */
  botUser(username: string): Promise<BotUser | null>;
  /** The bot of that username when it is the trusted bot, else null (then nothing is trusted). */
  botUserId(username: string): Promise<string | null>;
  /** Whether this user is a bot that a system admin declared trusted. */
  isTrustedBot(userId: string): Promise<boolean>;
  /** The key a trusted bot signs its posts with (from its declaration); null when it names none or is not trusted. */
  signingKeyOf(userId: string): Promise<string | null>;
  /** The trusted bot a declaration pinned in this channel names, or null. */
  declaredBot(channelId: string): Promise<string | null>;
  /** A channel by team and channel name, or null when it does not exist or the user cannot see it. */
  channel(teamName: string, channelName: string): Promise<LogChannel | null>;
  /** Names of the teams a user (an id, or 'me') belongs to; empty when this user may not see them. */
  teamsOf(userId: string): Promise<string[]>;
}

/** logChannelName: where a trust declaration must be (the setting, as this user can read it). */
export function createResolver(http: Http, logChannelName: () => string = () => DEFAULT_SETTINGS.logChannel): Resolver {
  const bots = new Map<string, Promise<string | null>>();
  const botUsers = new Map<string, Promise<BotUser | null>>();
  const trusted = new Map<string, Promise<{trusted: boolean; signingKey: string | null}>>();
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

  async function getOrNull<T>(path: string): Promise<T | null> {
    try {
      return (await http.get<T>(path)).data;
    } catch (err) {
      if (err instanceof HttpError && (err.status === 404 || err.status === 403)) return null;
      throw err;
    }
  }

  const trustOf = (userId: string) => cached(trusted, userId, async () => (await trustChecks()).trustOf(getOrNull, userId, logChannelName()));
  const isTrustedBot = async (userId: string) => (await trustOf(userId)).trusted;

  const botUser = (username: string) =>
    cached(botUsers, username, async () => {
      const user = await getOrNull<BotUser>(`/users/username/${encodeURIComponent(username)}`);
      return user?.is_bot ? user : null;
    });

  return {
    isTrustedBot,
    signingKeyOf: async (userId) => (await trustOf(userId)).signingKey,
    botUser,
    botUserId: (username) =>
      cached(bots, username, async () => {
        const user = await botUser(username);
        return user && (await isTrustedBot(user.id)) ? user.id : null;
      }),
    // Not cached: a declaration pinned later is found on the next look (each candidate's check is).
    declaredBot: async (channelId) => (await trustChecks()).pinnedBot(getOrNull, channelId, isTrustedBot),
    channel: (teamName, channelName) =>
      cached(channels, `${teamName}/${channelName}`, async () => {
        const ch = await getOrNull<ChannelBody>(`/teams/name/${encodeURIComponent(teamName)}/channels/name/${encodeURIComponent(channelName)}`);
        return ch ? {id: ch.id, teamName, lastPostAt: ch.last_post_at || 0} : null;
      }),
    teamsOf: (userId) =>
      cached(teams, userId, async () => {
        const list = await getOrNull<TeamBody[]>(`/users/${encodeURIComponent(userId)}/teams`);
        return (Array.isArray(list) ? list : []).filter((t) => !t.delete_at).map((t) => t.name);
      }),
  };
}
