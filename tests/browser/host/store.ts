// The host page's Redux store, in the shape of the Mattermost web app's state where plugins read
// it (entities.*, plugins.*), plus this page's own `preview` slice. Action names are the web app's.
import {applyMiddleware, combineReducers, legacy_createStore as createStore, type Middleware, type Reducer, type UnknownAction} from 'redux';
import type {AnyComponent, Channel, PluginManifest, Post, SlashHook, Team, User, WebSocketHandler} from './types';

export interface PostTypeEntry {
  id: string;
  pluginId: string;
  type: string;
  component: AnyComponent;
}
export interface ComponentEntry {
  id: string;
  pluginId: string;
  component?: AnyComponent;
  hook?: SlashHook;
  [key: string]: unknown;
}
export interface AdminSettingEntry {
  pluginId: string;
  key: string;
  component: AnyComponent;
  options: {showTitle: boolean};
}
export interface Registration {
  pluginId: string;
  method: string;
  detail: string;
}
export type ThemeName = 'light' | 'dark';
export type SocketStatus = 'off' | 'connecting' | 'connected' | 'closed';

export interface HostState {
  entities: {
    general: {config: Record<string, string>; license: Record<string, string>; serverVersion: string};
    users: {currentUserId: string; profiles: Record<string, User>};
    teams: {currentTeamId: string; teams: Record<string, Team>};
    channels: {currentChannelId: string; channels: Record<string, Channel>};
    posts: {posts: Record<string, Post>; postsInChannel: Record<string, {order: string[]; recent: boolean}[]>};
    admin: {config: Record<string, unknown>; plugins: Record<string, PluginManifest>};
    preferences: {myPreferences: Record<string, {user_id: string; category: string; name: string; value: string}>};
  };
  plugins: {
    plugins: Record<string, PluginManifest>;
    postTypes: Record<string, PostTypeEntry>;
    components: Record<string, ComponentEntry[]>;
    adminConsoleCustomComponents: Record<string, Record<string, AdminSettingEntry>>;
    translationSources: Record<string, (locale: string) => Record<string, string>>;
    websocketHandlers: Record<string, Record<string, WebSocketHandler>>;
    reconnectHandlers: Record<string, () => void>;
  };
  preview: {theme: ThemeName; websocket: SocketStatus; registrations: Registration[]; errors: string[]};
}

type Action = UnknownAction & {data?: unknown; name?: string; id?: string};

const byId = <T extends {id: string}>(list: T[]): Record<string, T> => Object.fromEntries(list.map((x) => [x.id, x]));

const general: Reducer<HostState['entities']['general'], Action> = (state = {config: {}, license: {}, serverVersion: ''}, action) => {
  switch (action.type) {
    case 'CLIENT_CONFIG_RECEIVED':
      return {...state, config: action.data as Record<string, string>};
    case 'CLIENT_LICENSE_RECEIVED':
      return {...state, license: action.data as Record<string, string>};
    case 'RECEIVED_SERVER_VERSION':
      return {...state, serverVersion: action.data as string};
    default:
      return state;
  }
};

const users: Reducer<HostState['entities']['users'], Action> = (state = {currentUserId: '', profiles: {}}, action) => {
  switch (action.type) {
    case 'RECEIVED_ME': {
      const me = action.data as User;
      return {currentUserId: me.id, profiles: {...state.profiles, [me.id]: me}};
    }
    case 'RECEIVED_PROFILES_LIST':
      return {...state, profiles: {...state.profiles, ...byId(action.data as User[])}};
    case 'PREVIEW_SET_LOCALE': {
      const me = state.profiles[state.currentUserId];
      return me ? {...state, profiles: {...state.profiles, [me.id]: {...me, locale: action.data as string}}} : state;
    }
    default:
      return state;
  }
};

const teams: Reducer<HostState['entities']['teams'], Action> = (state = {currentTeamId: '', teams: {}}, action) => {
  switch (action.type) {
    case 'RECEIVED_TEAMS_LIST':
      return {...state, teams: {...state.teams, ...byId(action.data as Team[])}};
    case 'SELECT_TEAM':
      return {...state, currentTeamId: action.data as string};
    default:
      return state;
  }
};

const channels: Reducer<HostState['entities']['channels'], Action> = (state = {currentChannelId: '', channels: {}}, action) => {
  switch (action.type) {
    case 'RECEIVED_CHANNELS':
      return {...state, channels: {...state.channels, ...byId(action.data as Channel[])}};
    case 'SELECT_CHANNEL':
      return {...state, currentChannelId: action.data as string};
    default:
      return state;
  }
};

function addToChannel(state: HostState['entities']['posts'], list: Post[]): HostState['entities']['posts'] {
  const posts = {...state.posts, ...byId(list)};
  const postsInChannel = {...state.postsInChannel};
  for (const channelId of new Set(list.map((p) => p.channel_id))) {
    const ids = new Set([...(postsInChannel[channelId]?.[0]?.order ?? []), ...list.filter((p) => p.channel_id === channelId).map((p) => p.id)]);
    const order = [...ids].sort((a, b) => (posts[b]?.create_at ?? 0) - (posts[a]?.create_at ?? 0));
    postsInChannel[channelId] = [{order, recent: true}];
  }
  return {posts, postsInChannel};
}

const posts: Reducer<HostState['entities']['posts'], Action> = (state = {posts: {}, postsInChannel: {}}, action) => {
  switch (action.type) {
    case 'RECEIVED_NEW_POST':
    case 'RECEIVED_POST':
      return addToChannel(state, [action.data as Post]);
    case 'RECEIVED_POSTS': {
      const list = action.data as {posts: Record<string, Post>};
      return addToChannel(state, Object.values(list.posts));
    }
    case 'POST_DELETED':
    case 'POST_REMOVED': {
      const gone = action.data as Post;
      const {[gone.id]: _removed, ...rest} = state.posts;
      const postsInChannel = {...state.postsInChannel};
      const block = postsInChannel[gone.channel_id]?.[0];
      if (block) postsInChannel[gone.channel_id] = [{...block, order: block.order.filter((id) => id !== gone.id)}];
      return {posts: rest, postsInChannel};
    }
    default:
      return state;
  }
};

const admin: Reducer<HostState['entities']['admin'], Action> = (state = {config: {}, plugins: {}}, action) => {
  switch (action.type) {
    case 'RECEIVED_CONFIG':
      return {...state, config: action.data as Record<string, unknown>};
    case 'RECEIVED_PLUGINS':
      return {...state, plugins: byId(action.data as PluginManifest[])};
    default:
      return state;
  }
};

const preferences: Reducer<HostState['entities']['preferences'], Action> = (state = {myPreferences: {}}, action) => {
  if (action.type !== 'RECEIVED_PREFERENCES') return state;
  const list = action.data as {user_id: string; category: string; name: string; value: string}[];
  return {myPreferences: {...state.myPreferences, ...Object.fromEntries(list.map((p) => [`${p.category}--${p.name}`, p]))}};
};

const emptyPlugins: HostState['plugins'] = {plugins: {}, postTypes: {}, components: {}, adminConsoleCustomComponents: {}, translationSources: {}, websocketHandlers: {}, reconnectHandlers: {}};

const plugins: Reducer<HostState['plugins'], Action> = (state = emptyPlugins, action) => {
  const data = action.data as Record<string, unknown> | undefined;
  switch (action.type) {
    case 'RECEIVED_WEBAPP_PLUGINS':
      return {...state, plugins: byId(action.data as PluginManifest[])};
    case 'RECEIVED_PLUGIN_POST_COMPONENT': {
      const entry = action.data as PostTypeEntry;
      return {...state, postTypes: {...state.postTypes, [entry.type]: entry}};
    }
    case 'REMOVED_PLUGIN_POST_COMPONENT':
      return {...state, postTypes: Object.fromEntries(Object.entries(state.postTypes).filter(([, e]) => e.id !== action.id))};
    case 'RECEIVED_PLUGIN_COMPONENT': {
      const name = action.name ?? '';
      return {...state, components: {...state.components, [name]: [...(state.components[name] ?? []), action.data as ComponentEntry]}};
    }
    case 'REMOVED_PLUGIN_COMPONENT':
      return {...state, components: Object.fromEntries(Object.entries(state.components).map(([name, list]) => [name, list.filter((e) => e.id !== action.id)]))};
    case 'RECEIVED_ADMIN_CONSOLE_CUSTOM_COMPONENT': {
      const entry = action.data as AdminSettingEntry;
      const forPlugin = {...state.adminConsoleCustomComponents[entry.pluginId], [entry.key]: entry};
      return {...state, adminConsoleCustomComponents: {...state.adminConsoleCustomComponents, [entry.pluginId]: forPlugin}};
    }
    case 'RECEIVED_PLUGIN_TRANSLATIONS_SOURCE':
      return {...state, translationSources: {...state.translationSources, [String(data?.pluginId)]: data?.source as (locale: string) => Record<string, string>}};
    case 'RECEIVED_PLUGIN_WEBSOCKET_HANDLER': {
      const pluginId = String(data?.pluginId);
      const forPlugin = {...state.websocketHandlers[pluginId], [String(data?.event)]: data?.handler as WebSocketHandler};
      return {...state, websocketHandlers: {...state.websocketHandlers, [pluginId]: forPlugin}};
    }
    case 'REMOVED_PLUGIN_WEBSOCKET_HANDLER': {
      const pluginId = String(data?.pluginId);
      const {[String(data?.event)]: _gone, ...rest} = state.websocketHandlers[pluginId] ?? {};
      return {...state, websocketHandlers: {...state.websocketHandlers, [pluginId]: rest}};
    }
    case 'RECEIVED_PLUGIN_RECONNECT_HANDLER':
      return {...state, reconnectHandlers: {...state.reconnectHandlers, [String(data?.pluginId)]: data?.handler as () => void}};
    case 'REMOVED_PLUGIN_RECONNECT_HANDLER': {
      const {[String(data?.pluginId)]: _gone, ...rest} = state.reconnectHandlers;
      return {...state, reconnectHandlers: rest};
    }
    default:
      return state;
  }
};

const preview: Reducer<HostState['preview'], Action> = (state = {theme: 'light', websocket: 'off', registrations: [], errors: []}, action) => {
  switch (action.type) {
    case 'PREVIEW_SET_THEME':
      return {...state, theme: action.data as ThemeName};
    case 'PREVIEW_WEBSOCKET':
      return {...state, websocket: action.data as SocketStatus};
    case 'PREVIEW_REGISTERED':
      return {...state, registrations: [...state.registrations, action.data as Registration]};
    case 'PREVIEW_ERROR':
      return {...state, errors: [...state.errors, String(action.data)]};
    default:
      return state;
  }
};

const staticReducers = {
  entities: combineReducers({general, users, teams, channels, posts, admin, preferences}),
  plugins,
  preview,
};

// Plugins may dispatch thunks, as the web app's store (redux-thunk) allows.
const thunk: Middleware = (api) => (next) => (action) => (typeof action === 'function' ? action(api.dispatch, api.getState) : next(action));

export function createHostStore() {
  const pluginReducers: Record<string, Reducer> = {};
  const build = () => combineReducers({...staticReducers, ...pluginReducers}) as unknown as Reducer<HostState, Action>;
  const store = createStore(build(), applyMiddleware(thunk));
  return {
    store,
    /** registerReducer: the plugin's state lives at state['plugins-<id>']. */
    addReducer(key: string, reducer: Reducer) {
      pluginReducers[key] = reducer;
      store.replaceReducer(build());
    },
  };
}

export type HostStore = ReturnType<typeof createHostStore>['store'];
