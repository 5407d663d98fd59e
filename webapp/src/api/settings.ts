// The plugin settings the webapp needs, with the defaults the bridge's setup command uses.
import {pluginSettingsFrom} from '../host/state';
import {DEFAULT_BOT_USERNAME} from './bot_username';

export interface PluginSettings {
  botUsername: string;
  /** Team of the log and ops channels; empty means the team the user is in. */
  team: string;
  logChannel: string;
  opsChannel: string;
  /** Expected report interval; null means "trust the interval the report itself announces". */
  heartbeatMinutes: number | null;
  /** False when the admin config was not readable and defaults were used. */
  fromConfig: boolean;
}

export const DEFAULT_SETTINGS: PluginSettings = {
  botUsername: DEFAULT_BOT_USERNAME,
  team: '',
  logChannel: 'healthcheck-log',
  opsChannel: 'healthcheck-ops',
  heartbeatMinutes: null,
  fromConfig: false,
};

const text = (v: unknown, fallback: string): string => (typeof v === 'string' && v.trim() !== '' ? v.trim().replace(/^[@~]/, '') : fallback);

function minutes(v: unknown): number | null {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : null;
}

/**
 * Settings from an admin config (only system admins can read it). Everyone else gets the defaults,
 * which match the bridge's setup defaults: the bot is then found by its username through the API.
 */
export function readSettings(config: unknown, pluginId: string): PluginSettings {
  const s = pluginSettingsFrom(config, pluginId);
  if (!s) return DEFAULT_SETTINGS;
  return {
    botUsername: text(s.botusername, DEFAULT_SETTINGS.botUsername),
    team: text(s.team, DEFAULT_SETTINGS.team),
    logChannel: text(s.logchannel, DEFAULT_SETTINGS.logChannel),
    opsChannel: text(s.opschannel, DEFAULT_SETTINGS.opsChannel),
    heartbeatMinutes: minutes(s.heartbeatminutes),
    fromConfig: true,
  };
}
