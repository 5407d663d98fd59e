// Entry: registers the plugin with the host web app, keeps every unregister handle, cleans up.
import {PLUGIN_ID} from './manifest';

export interface Registry {
  [method: string]: unknown;
}

export class HealthCheckPlugin {
  private readonly cleanups: Array<() => void> = [];

  initialize(registry: Registry): void {
    // initialize must never throw: a failing plugin can hold the whole web app on its loading screen.
    try {
      void registry;
    } catch (err) {
      console.error(`[${PLUGIN_ID}] failed to initialize`, err);
    }
  }

  uninitialize(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }
}

declare global {
  interface Window {
    registerPlugin?: (id: string, plugin: HealthCheckPlugin) => void;
  }
}

window.registerPlugin?.(PLUGIN_ID, new HealthCheckPlugin());
