// Reads the host's Redux state defensively: the shape is the web app's, not ours, and may be partial.
function at(root: unknown, ...keys: string[]): unknown {
  let cur = root;
  for (const key of keys) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Base URL of API calls: config SiteURL (state.entities.general.config.SiteURL), else the page's origin. */
export function siteUrl(state: unknown): string {
  const configured = str(at(state, 'entities', 'general', 'config', 'SiteURL'));
  return (configured ?? window.location.origin).replace(/\/+$/, '');
}

export function currentUserId(state: unknown): string | undefined {
  return str(at(state, 'entities', 'users', 'currentUserId'));
}

/** The user's language (state.entities.users.profiles[me].locale), English when unknown. */
export function userLocale(state: unknown): string {
  const me = currentUserId(state);
  return (me && str(at(state, 'entities', 'users', 'profiles', me, 'locale'))) || 'en';
}

/** Name of a team the user belongs to (state.entities.teams.teams[id].name). */
export function teamName(state: unknown, teamId: string | undefined): string | undefined {
  return teamId ? str(at(state, 'entities', 'teams', 'teams', teamId, 'name')) : undefined;
}

export function currentTeamName(state: unknown): string | undefined {
  return teamName(state, str(at(state, 'entities', 'teams', 'currentTeamId')));
}

/** Admin config (state.entities.admin.config): loaded only for system admins in the System Console. */
export function adminConfig(state: unknown): unknown {
  return at(state, 'entities', 'admin', 'config');
}

/** This plugin's settings from an admin config; keys are lowercased by the server, so match any case. */
export function pluginSettingsFrom(config: unknown, pluginId: string): Record<string, unknown> | undefined {
  const plugins = at(config, 'PluginSettings', 'Plugins');
  if (!plugins || typeof plugins !== 'object') return undefined;
  const entry = Object.entries(plugins).find(([id]) => id.toLowerCase() === pluginId.toLowerCase())?.[1];
  if (!entry || typeof entry !== 'object') return undefined;
  return Object.fromEntries(Object.entries(entry as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]));
}

export function goroutineHealthThreshold(config: unknown): number | undefined {
  const v = at(config, 'ServiceSettings', 'GoroutineHealthThreshold');
  return typeof v === 'number' ? v : undefined;
}
