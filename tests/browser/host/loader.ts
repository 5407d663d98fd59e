// Loads web app plugins the way the Mattermost web app does (webapp/channels/src/plugins/index.ts):
// manifests from GET /api/v4/plugins/webapp, a <script> per bundle under /static/plugins/, then
// window.registerPlugin(id, plugin) from the bundle and plugin.initialize(registry, store) on load.
import {apiGet} from './api';
import {createRegistry, type RegistryDeps} from './registry';
import type {PluginManifest} from './types';

export interface WebappPlugin {
  initialize?: (registry: unknown, store: unknown) => void;
  uninitialize?: () => void;
  deinitialize?: () => void;
}

interface PluginWindow {
  plugins: Record<string, WebappPlugin>;
  registerPlugin: (id: string, plugin: WebappPlugin) => void;
}

export function installRegisterPlugin(win: Window): void {
  const w = win as unknown as PluginWindow;
  w.plugins = {};
  w.registerPlugin = (id, plugin) => {
    w.plugins[id]?.uninitialize?.();
    w.plugins[id] = plugin;
  };
}

/** Old manifests name /static/<id>/…; the server serves bundles under /static/plugins/<id>/…. */
export function bundleUrl(origin: string, bundlePath: string): string {
  const path = bundlePath.includes('/static/') && !bundlePath.includes('/static/plugins/') ? bundlePath.replace('/static/', '/static/plugins/') : bundlePath;
  return origin + path;
}

export interface LoadResult {
  id: string;
  ok: boolean;
  error?: string;
}

function loadOne(manifest: PluginManifest, deps: RegistryDeps): Promise<LoadResult> {
  return new Promise((resolve) => {
    const bundlePath = manifest.webapp?.bundle_path;
    if (!bundlePath) {
      resolve({id: manifest.id, ok: false, error: 'no webapp bundle'});
      return;
    }
    const script = document.createElement('script');
    script.id = `plugin_${manifest.id}`;
    script.type = 'text/javascript';
    script.src = bundleUrl(window.location.origin, bundlePath);
    script.defer = true;
    script.onload = () => {
      const plugin = (window as unknown as PluginWindow).plugins[manifest.id];
      try {
        plugin?.initialize?.(createRegistry(manifest.id, deps), deps.store);
        resolve({id: manifest.id, ok: true});
      } catch (err) {
        // The web app lets this escape (and may hang on its loading screen); the preview shows it instead.
        const message = `plugin ${manifest.id} threw in initialize: ${err instanceof Error ? err.message : String(err)}`;
        deps.store.dispatch({type: 'PREVIEW_ERROR', data: message});
        resolve({id: manifest.id, ok: false, error: message});
      }
    };
    script.onerror = () => {
      const message = `unable to load bundle for plugin ${manifest.id}, version ${manifest.version}`;
      deps.store.dispatch({type: 'PREVIEW_ERROR', data: message});
      resolve({id: manifest.id, ok: false, error: message});
    };
    document.getElementsByTagName('head')[0]?.appendChild(script);
  });
}

export async function loadPlugins(deps: RegistryDeps): Promise<LoadResult[]> {
  if (deps.store.getState().entities.general.config.PluginsEnabled !== 'true') {
    deps.store.dispatch({type: 'PREVIEW_ERROR', data: 'plugins are disabled on this server (PluginSettings.Enable)'});
    return [];
  }
  const manifests = await apiGet<PluginManifest[]>('/plugins/webapp');
  deps.store.dispatch({type: 'RECEIVED_WEBAPP_PLUGINS', data: manifests});
  return Promise.all(manifests.map((m) => loadOne(m, deps)));
}

/**
 * Calls a plugin's uninitialize() (deinitialize() for old plugins) and nothing else, so what the
 * plugin itself unregisters shows; the web app would then also drop its registrations.
 */
export function uninitializePlugin(win: Window, pluginId: string): string | null {
  const plugin = (win as unknown as PluginWindow).plugins[pluginId];
  try {
    if (plugin?.uninitialize) plugin.uninitialize();
    else plugin?.deinitialize?.();
    return null;
  } catch (err) {
    return `plugin ${pluginId} threw in uninitialize: ${err instanceof Error ? err.message : String(err)}`;
  }
}
