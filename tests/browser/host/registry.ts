// The registry handed to a plugin's initialize(registry, store), after the web app's
// webapp/channels/src/plugins/registry.ts: each method takes positional arguments or one object
// of named ones, records what it got in the store, and returns the same kind of value.
import type {Reducer} from 'redux';
import type {HostStore} from './store';
import type {AnyComponent, SlashHook, WebSocketHandler} from './types';

type Args = Record<string, unknown>;

/** Positional arguments, or a single object whose keys are all among the names (the web app's reArg). */
export function reArg<T>(names: readonly string[], fn: (args: Args) => T): (...args: unknown[]) => T {
  return (...args: unknown[]) => {
    const [first] = args;
    const isNamed =
      args.length === 1 &&
      typeof first === 'object' &&
      first !== null &&
      Object.getPrototypeOf(first) === Object.prototype &&
      Object.keys(first).length > 0 &&
      Object.keys(first).every((k) => names.includes(k));
    return fn(isNamed ? (first as Args) : Object.fromEntries(names.map((name, i) => [name, args[i]])));
  };
}

let counter = 0;
export function generateId(): string {
  counter += 1;
  return `${Date.now().toString(36)}${counter.toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/** Registrations the preview accepts and lists but does not mount (no channel header, post menus, RHS here). */
const RECORDED_ONLY: Record<string, readonly string[]> = {
  registerChannelHeaderButtonAction: ['icon', 'action', 'dropdownText', 'tooltipText'],
  registerChannelHeaderMenuAction: ['text', 'action', 'shouldRender'],
  registerPostDropdownMenuAction: ['text', 'action', 'filter'],
  registerAppBarComponent: ['iconUrl', 'action', 'tooltipText', 'supportedProductIds', 'rhsComponent', 'rhsTitle'],
  registerCustomRoute: ['route', 'component'],
  registerMessageWillBePostedHook: ['hook'],
  registerAdminConsolePlugin: ['func'],
  registerFilePreviewComponent: ['override', 'component'],
};

export interface RegistryDeps {
  store: HostStore;
  addReducer(key: string, reducer: Reducer): void;
}

export type PluginRegistry = Record<string, unknown> & {id: string};

export function createRegistry(pluginId: string, deps: RegistryDeps): PluginRegistry {
  const {store} = deps;
  const note = (method: string, detail = '') => store.dispatch({type: 'PREVIEW_REGISTERED', data: {pluginId, method, detail}});
  const component = (name: string, data: Args) => {
    const id = generateId();
    store.dispatch({type: 'RECEIVED_PLUGIN_COMPONENT', name, data: {id, pluginId, ...data}});
    return id;
  };

  const registry: PluginRegistry = {
    id: pluginId,
    supports: {globalAppBar: true, globalRhs: true},

    registerPostTypeComponent: reArg(['type', 'component'], ({type, component: c}) => {
      const id = generateId();
      store.dispatch({type: 'RECEIVED_PLUGIN_POST_COMPONENT', data: {id, pluginId, type: String(type), component: c as AnyComponent}});
      note('registerPostTypeComponent', String(type));
      return id;
    }),
    unregisterPostTypeComponent: reArg(['componentId'], ({componentId}) => {
      store.dispatch({type: 'REMOVED_PLUGIN_POST_COMPONENT', id: String(componentId)});
      note('unregisterPostTypeComponent', String(componentId));
    }),
    registerRootComponent: reArg(['component'], ({component: c}) => {
      note('registerRootComponent');
      return component('Root', {component: c});
    }),
    registerGlobalComponent: reArg(['component'], ({component: c}) => {
      note('registerGlobalComponent');
      return component('Global', {component: c});
    }),
    // A page under the current team, at /<team>/<plugin id><route> (the web app's NeedsTeamRoute).
    registerNeedsTeamRoute: reArg(['route', 'component'], ({route, component: c}) => {
      note('registerNeedsTeamRoute', String(route));
      return component('NeedsTeamRoute', {route: String(route), component: c});
    }),
    registerMainMenuAction: reArg(['text', 'action', 'mobileIcon'], ({text, action}) => {
      note('registerMainMenuAction', typeof text === 'string' ? text : '');
      return component('MainMenu', {text, action});
    }),
    registerSlashCommandWillBePostedHook: reArg(['hook'], ({hook}) => {
      note('registerSlashCommandWillBePostedHook');
      return component('SlashCommandWillBePosted', {hook: hook as SlashHook});
    }),
    unregisterComponent: reArg(['componentId'], ({componentId}) => {
      store.dispatch({type: 'REMOVED_PLUGIN_COMPONENT', id: String(componentId)});
      note('unregisterComponent', String(componentId));
    }),
    registerAdminConsoleCustomSetting: reArg(['key', 'component', 'options'], ({key, component: c, options}) => {
      const showTitle = Boolean((options as {showTitle?: boolean} | undefined)?.showTitle);
      // The System Console matches settings by their lowercased key.
      store.dispatch({type: 'RECEIVED_ADMIN_CONSOLE_CUSTOM_COMPONENT', data: {pluginId, key: String(key).toLowerCase(), component: c as AnyComponent, options: {showTitle}}});
      note('registerAdminConsoleCustomSetting', String(key));
    }),
    registerWebSocketEventHandler: reArg(['event', 'handler'], ({event, handler}) => {
      store.dispatch({type: 'RECEIVED_PLUGIN_WEBSOCKET_HANDLER', data: {pluginId, event: String(event), handler: handler as WebSocketHandler}});
      note('registerWebSocketEventHandler', String(event));
    }),
    unregisterWebSocketEventHandler: reArg(['event'], ({event}) => {
      store.dispatch({type: 'REMOVED_PLUGIN_WEBSOCKET_HANDLER', data: {pluginId, event: String(event)}});
      note('unregisterWebSocketEventHandler', String(event));
    }),
    registerReconnectHandler: reArg(['handler'], ({handler}) => {
      store.dispatch({type: 'RECEIVED_PLUGIN_RECONNECT_HANDLER', data: {pluginId, handler}});
      note('registerReconnectHandler');
    }),
    unregisterReconnectHandler: () => {
      store.dispatch({type: 'REMOVED_PLUGIN_RECONNECT_HANDLER', data: {pluginId}});
      note('unregisterReconnectHandler');
    },
    registerTranslations: reArg(['getTranslationsForLocale'], ({getTranslationsForLocale}) => {
      store.dispatch({type: 'RECEIVED_PLUGIN_TRANSLATIONS_SOURCE', data: {pluginId, source: getTranslationsForLocale}});
      note('registerTranslations');
    }),
    registerReducer: reArg(['reducer'], ({reducer}) => {
      deps.addReducer(`plugins-${pluginId}`, reducer as Reducer);
      note('registerReducer', `plugins-${pluginId}`);
    }),
    unregisterAdminConsolePlugin: () => note('unregisterAdminConsolePlugin'),
  };

  for (const [method, names] of Object.entries(RECORDED_ONLY)) {
    registry[method] = reArg(names, () => {
      note(method, 'accepted, not shown by the preview');
      return generateId();
    });
  }
  return registry;
}
