// Where trusted reports come from: the configured bot and the log channel, resolved for this user.
import {adminConfig, currentTeamName, teamName} from '../host/state';
import {PLUGIN_ID} from '../manifest';
import type {HostStore} from '../host/types';
import type {LogChannel, Resolver} from './resolver';
import {readSettings, type PluginSettings} from './settings';

export interface LogSource {
  settings: PluginSettings;
  botUserId: string | null;
  /** Null when no team is known or the channel does not exist or is not visible to this user. */
  channel: LogChannel | null;
}

/**
 * Admins read the settings from the admin config (passed in by the System Console, or in the store);
 * everyone else uses the defaults, and the team is the configured one, else the given or current team.
 */
export async function resolveLogSource(store: HostStore, resolver: Resolver, opts: {config?: unknown; teamId?: string} = {}): Promise<LogSource> {
  const state = store.getState();
  const settings = readSettings(opts.config ?? adminConfig(state), PLUGIN_ID);
  const team = settings.team || teamName(state, opts.teamId) || currentTeamName(state);
  const [botUserId, channel] = await Promise.all([
    resolver.botUserId(settings.botUsername),
    team ? resolver.channel(team, settings.logChannel) : Promise.resolve(null),
  ]);
  return {settings, botUserId, channel};
}

/** Twice the expected heartbeat: older than this, the prober is silent (the dead-man's switch). */
export function staleAfterMs(settings: PluginSettings, reportHeartbeatMs: number): number {
  return 2 * (settings.heartbeatMinutes ? settings.heartbeatMinutes * 60_000 : reportHeartbeatMs);
}
