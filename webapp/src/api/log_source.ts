// Where trusted reports come from: the configured bot and the log channel, resolved for this user.
import {adminConfig, currentTeamName, teamName} from '../host/state';
import {PLUGIN_ID} from '../manifest';
import type {HostStore} from '../host/types';
import type {LogChannel, Resolver} from './resolver';
import {readSettings, type PluginSettings} from './settings';

export interface LogSource {
  settings: PluginSettings;
  botUserId: string | null;
  /** The key the bot signs its reports with, from its declaration; null when it names none. */
  signingKey: string | null;
  /** The team looked in; null when none was set or current and the bot's and the user's teams were searched. */
  team: string | null;
  /** Null when no team is known or the channel does not exist or is not visible to this user. */
  channel: LogChannel | null;
}

/**
 * Admins read the settings from the admin config (passed in by the System Console, or in the store);
 * everyone else uses the defaults. The team is the configured one, else the given or current team.
 * Without any (the System Console loaded by its URL has no current team), the log channel is looked
 * for in the bot's teams, then the user's own. The bot is the same for everyone: whichever a system
 * admin declared trusted (resolver.ts): the named one when trusted, else the one the log channel's pins agree on.
 */
export async function resolveLogSource(store: HostStore, resolver: Resolver, opts: {config?: unknown; teamId?: string} = {}): Promise<LogSource> {
  const state = store.getState();
  const settings = readSettings(opts.config ?? adminConfig(state), PLUGIN_ID);
  const team = settings.team || teamName(state, opts.teamId) || currentTeamName(state);
  const named = await resolver.botUserId(settings.botUsername);
  const channel = team ? await resolver.channel(team, settings.logChannel) : await findInTeams(resolver, named, settings.logChannel);
  // The named bot (configured, else the default) when trusted; pins only when it is not: anyone can pin or unpin.
  const botUserId = named ?? (channel ? await resolver.declaredBot(channel.id) : null);
  const signingKey = botUserId ? await resolver.signingKeyOf(botUserId) : null;
  return {settings, botUserId, signingKey, team: team ?? null, channel};
}

/** The log channel in the bot's teams or the user's; with several, the one posted in last. */
async function findInTeams(resolver: Resolver, botUserId: string | null, channelName: string): Promise<LogChannel | null> {
  const lists = await Promise.all([botUserId ? resolver.teamsOf(botUserId) : [], resolver.teamsOf('me')]);
  const teams = [...new Set(lists.flat())];
  const found = (await Promise.all(teams.map((t) => resolver.channel(t, channelName)))).filter((c): c is LogChannel => c !== null);
  return found.reduce<LogChannel | null>((best, c) => (!best || c.lastPostAt > best.lastPostAt ? c : best), null);
}

/** Twice the expected heartbeat: older than this, the prober is silent (the dead-man's switch). */
export function staleAfterMs(settings: PluginSettings, reportHeartbeatMs: number): number {
  return 2 * (settings.heartbeatMinutes ? settings.heartbeatMinutes * 60_000 : reportHeartbeatMs);
}
