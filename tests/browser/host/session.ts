// What the web app loads for a signed-in user before plugins run, from the real server.
import {apiCall, apiGet} from './api';
import type {HostStore} from './store';
import type {Channel, PluginManifest, PostList, Team, User} from './types';

export const isSystemAdmin = (user: User | undefined): boolean => Boolean(user?.roles.split(' ').includes('system_admin'));

export async function login(loginId: string, password: string): Promise<void> {
  await apiCall('POST', '/users/login', {login_id: loginId, password});
}

export async function logout(): Promise<void> {
  await apiCall('POST', '/users/logout', {});
}

/**
 * Which team and channel to open: ?team=<name>&channel=<name>, else the first team and its town square.
 * ?view=console opens the System Console as the web app does when loaded by its URL: no current team.
 */
export interface Selection {
  team?: string | null;
  channel?: string | null;
  consoleOnly?: boolean;
}

export async function loadSession(store: HostStore, selection: Selection): Promise<void> {
  const meAnswer = await apiCall<User>('GET', '/users/me');
  store.dispatch({type: 'RECEIVED_ME', data: meAnswer.data});
  // X-Version-Id: <version>.<build>.<hash>.<licensed>, as Client4 records it.
  store.dispatch({type: 'RECEIVED_SERVER_VERSION', data: meAnswer.headers.get('x-version-id') ?? ''});
  const [config, license, preferences] = await Promise.all([
    apiGet<Record<string, string>>('/config/client?format=old'),
    apiGet<Record<string, string>>('/license/client?format=old'),
    apiGet<{user_id: string; category: string; name: string; value: string}[]>('/users/me/preferences'),
  ]);
  // The browser reaches the server through this page's origin, so that is the site URL here.
  store.dispatch({type: 'CLIENT_CONFIG_RECEIVED', data: {...config, SiteURL: window.location.origin}});
  store.dispatch({type: 'CLIENT_LICENSE_RECEIVED', data: license});
  store.dispatch({type: 'RECEIVED_PREFERENCES', data: preferences});

  const teams = await apiGet<Team[]>('/users/me/teams');
  store.dispatch({type: 'RECEIVED_TEAMS_LIST', data: teams});
  const team = teams.find((t) => t.name === selection.team) ?? teams[0];
  if (team && !selection.consoleOnly) {
    store.dispatch({type: 'SELECT_TEAM', data: team.id});
    const channels = await apiGet<Channel[]>(`/users/me/teams/${team.id}/channels`);
    store.dispatch({type: 'RECEIVED_CHANNELS', data: channels});
    const channel = channels.find((c) => c.name === selection.channel) ?? channels.find((c) => c.name === 'town-square') ?? channels[0];
    if (channel) await selectChannel(store, channel.id);
  }
  if (isSystemAdmin(meAnswer.data)) await loadAdmin(store);
}

/** The System Console's data: the admin config and the plugins with their settings schema. */
export async function loadAdmin(store: HostStore): Promise<void> {
  const [config, plugins] = await Promise.all([apiGet<Record<string, unknown>>('/config'), apiGet<{active: PluginManifest[]; inactive: PluginManifest[]}>('/plugins')]);
  store.dispatch({type: 'RECEIVED_CONFIG', data: config});
  store.dispatch({type: 'RECEIVED_PLUGINS', data: [...plugins.active, ...plugins.inactive]});
}

export async function selectChannel(store: HostStore, channelId: string): Promise<void> {
  store.dispatch({type: 'SELECT_CHANNEL', data: channelId});
  const list = await apiGet<PostList>(`/channels/${channelId}/posts?per_page=60`);
  store.dispatch({type: 'RECEIVED_POSTS', data: list});
  await ensureProfiles(
    store,
    Object.values(list.posts).map((p) => p.user_id),
  );
}

/** Loads the profiles of post authors the store does not know yet (the web app does the same). */
export async function ensureProfiles(store: HostStore, userIds: string[]): Promise<void> {
  const known = store.getState().entities.users.profiles;
  const missing = [...new Set(userIds)].filter((id) => !known[id]);
  if (missing.length > 0) store.dispatch({type: 'RECEIVED_PROFILES_LIST', data: (await apiCall<User[]>('POST', '/users/ids', missing)).data});
}
