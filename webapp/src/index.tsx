// Entry: registers the plugin with the host web app, keeps every unregister handle, cleans up.
//
// Host contract this plugin relies on (what a host page must provide, as the Mattermost web app does):
// - globals: window.registerPlugin(id, plugin), window.React, window.ReactDOM (webpack externals);
//   plugin.initialize(registry, store) once the script has loaded, plugin.uninitialize() on removal.
// - registry: registerNeedsTeamRoute('/status'), registerMainMenuAction, registerGlobalComponent,
//   registerTranslations, registerPostTypeComponent / unregisterPostTypeComponent,
//   registerAdminConsoleCustomSetting(key, component, {showTitle}), registerSlashCommandWillBePostedHook
//   / unregisterComponent, registerWebSocketEventHandler('posted', 'user_updated') / unregisterWebSocketEventHandler,
//   registerReconnectHandler / unregisterReconnectHandler.
// - store (read): entities.general.config.SiteURL, entities.users.currentUserId,
//   entities.users.profiles[id].locale and .timezone, entities.preferences.myPreferences
//   (display_settings--use_military_time), entities.teams.currentTeamId, entities.teams.teams[id].name,
//   entities.admin.config (admins only: PluginSettings.Plugins[id], ServiceSettings.GoroutineHealthThreshold).
// - store (dispatch): {type: 'RECEIVED_NEW_POST', data: post, features: {crtEnabled: false}} for the
//   client-only /healthcheck answer (a post of type custom_healthcheck_status, id healthcheck_…).
// - API on the same origin with the session cookie (MMCSRF cookie for non-GET requests).
import type {ComponentType} from 'react';
import {createHttp} from './api/http';
import {createResolver} from './api/resolver';
import {createServices, withServices} from './host/services';
import {adminConfig, siteUrl} from './host/state';
import {readSettings} from './api/settings';
import type {HostStore, Registry} from './host/types';
import {entryWords} from './i18n/entry_words';
import {LazyAlertCard, LazyHealthPanel, LazyReportCard, LazySloAlertCard, LazyStatusCard, LazyStatusPage, LazyNotice} from './lazy_parts';
import {openStatusPage, STATUS_ROUTE} from './status_page/open';
import {userLocale} from './host/state';
import {PLUGIN_ID} from './manifest';
import {reportPostFromEvent} from './posted_reports';
import {ALERT_POST_TYPE, REPORT_POST_TYPE, SLO_ALERT_POST_TYPE, STATUS_POST_TYPE} from './post_types';
import {createStatusHook} from './slash/status_hook';

/** The `type: "custom"` setting in plugin.json's settings_schema that the panel renders. */
export const PANEL_SETTING_KEY = 'HealthPanel';

export class HealthCheckPlugin {
  private readonly cleanups: Array<() => void> = [];

  initialize(registry: Registry, store: HostStore): void {
    // initialize must never throw: a failing plugin can hold the whole web app on its loading screen.
    try {
      const http = createHttp(() => siteUrl(store.getState()));
      const services = createServices(
        PLUGIN_ID,
        store,
        http,
        createResolver(http, () => readSettings(adminConfig(store.getState()), PLUGIN_ID).logChannel),
      );
      const wrap = <P extends object>(c: ComponentType<P>) => withServices(services, c);

      // The host's copy of our words comes with their lazy chunk: the entry carries only its own few.
      let live = true;
      this.cleanups.push(() => (live = false));
      import(/* webpackChunkName: "words" */ './i18n/translate')
        .then(({hostTranslations}) => live && registry.registerTranslations(hostTranslations(PLUGIN_ID)))
        .catch((err: unknown) => console.warn(`[${PLUGIN_ID}] the translations were not handed to the host`, err));

      for (const [type, card] of [
        [REPORT_POST_TYPE, LazyReportCard],
        [ALERT_POST_TYPE, LazyAlertCard],
        [SLO_ALERT_POST_TYPE, LazySloAlertCard],
        [STATUS_POST_TYPE, LazyStatusCard],
      ] as const) {
        const id = registry.registerPostTypeComponent(type, wrap(card));
        this.cleanups.push(() => registry.unregisterPostTypeComponent(id));
      }

      registry.registerAdminConsoleCustomSetting(PANEL_SETTING_KEY, wrap(LazyHealthPanel), {showTitle: false});

      // The status page for every signed-in user, reached from the main menu (and the notice).
      const routeId = registry.registerNeedsTeamRoute(STATUS_ROUTE, wrap(LazyStatusPage));
      this.cleanups.push(() => registry.unregisterComponent(routeId));
      const label = entryWords(userLocale(store.getState()))['page.menu'];
      const menuId = registry.registerMainMenuAction(label, () => openStatusPage(store), null);
      this.cleanups.push(() => registry.unregisterComponent(menuId));

      // The degraded-service notice: the bot's status read once, then its user_updated events.
      const noticeId = registry.registerGlobalComponent(wrap(LazyNotice));
      this.cleanups.push(() => registry.unregisterComponent(noticeId));
      registry.registerWebSocketEventHandler('user_updated', (msg) => services.users.emit(msg.data?.user));
      this.cleanups.push(() => registry.unregisterWebSocketEventHandler('user_updated'));

      const hookId = registry.registerSlashCommandWillBePostedHook(createStatusHook(services));
      this.cleanups.push(() => registry.unregisterComponent(hookId));

      registry.registerWebSocketEventHandler('posted', (msg) => {
        const post = reportPostFromEvent(msg);
        if (post) services.reports.emit(post);
      });
      this.cleanups.push(() => registry.unregisterWebSocketEventHandler('posted'));
      // Reports posted while the websocket was down never arrive as events: open panels read again.
      registry.registerReconnectHandler(() => services.reports.emit(null));
      this.cleanups.push(() => registry.unregisterReconnectHandler());
      this.cleanups.push(() => services.statuses.clear());
    } catch (err) {
      console.error(`[${PLUGIN_ID}] failed to initialize; the plugin stays inactive`, err);
    }
  }

  uninitialize(): void {
    for (const cleanup of this.cleanups.splice(0).reverse()) {
      try {
        cleanup();
      } catch (err) {
        console.error(`[${PLUGIN_ID}] cleanup failed`, err);
      }
    }
  }
}

declare global {
  interface Window {
    registerPlugin?: (id: string, plugin: HealthCheckPlugin) => void;
  }
}

window.registerPlugin?.(PLUGIN_ID, new HealthCheckPlugin());
