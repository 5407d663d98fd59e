// The preview host page: a labelled stand-in for the Mattermost web app that signs in to the real
// server, loads the enabled plugins' real bundles and mounts what they register.
import React, {useCallback, useEffect, useMemo, useState} from 'react';
import {IntlProvider} from 'react-intl';
import {Provider, useDispatch, useSelector, useStore} from 'react-redux';
import {AdminConsolePage} from './admin_console';
import {ApiError, apiGet} from './api';
import {CommandBox} from './command_box';
import {loadPlugins, uninitializePlugin} from './loader';
import {LoginForm} from './login_form';
import {PluginBoundary} from './plugin_boundary';
import {PostList} from './post_list';
import type {RegistryDeps} from './registry';
import {isSystemAdmin, loadSession, logout, selectChannel, type Selection} from './session';
import type {HostState, HostStore, ThemeName} from './store';
import {MainMenu, TeamRoutePage, useLocationPath, useTeamRoute} from './team_routes';
import {THEMES, applyTheme} from './theme';
import {connectWebSocket} from './websocket';

type Phase = {name: 'checking'} | {name: 'login'} | {name: 'loading'} | {name: 'ready'} | {name: 'failed'; message: string};

function Messages({children}: {children: React.ReactNode}) {
  const me = useSelector((s: HostState) => s.entities.users.profiles[s.entities.users.currentUserId]);
  const sources = useSelector((s: HostState) => s.plugins.translationSources);
  const locale = me?.locale || 'en';
  const messages = useMemo(() => Object.assign({}, ...Object.values(sources).map((source) => source(locale))) as Record<string, string>, [sources, locale]);
  // Keyed by locale as the web app's provider is: a language change remounts everything below it.
  return (
    <IntlProvider key={locale} locale={locale} defaultLocale='en' messages={messages} onError={() => undefined}>
      {children}
    </IntlProvider>
  );
}

function Toolbar() {
  const dispatch = useDispatch();
  const theme = useSelector((s: HostState) => s.preview.theme);
  const socket = useSelector((s: HostState) => s.preview.websocket);
  const me = useSelector((s: HostState) => s.entities.users.profiles[s.entities.users.currentUserId]);
  const version = useSelector((s: HostState) => s.entities.general.serverVersion.split('.').slice(0, 3).join('.'));
  const next: ThemeName = theme === 'light' ? 'dark' : 'light';
  return (
    <div className='preview-toolbar'>
      <button type='button' data-testid='theme-toggle' onClick={() => dispatch({type: 'PREVIEW_SET_THEME', data: next})}>
        {`Theme: ${THEMES[theme].type} (switch to ${THEMES[next].type})`}
      </button>
      <label>
        Language{' '}
        <select value={me?.locale || 'en'} onChange={(e) => dispatch({type: 'PREVIEW_SET_LOCALE', data: e.target.value})} data-testid='locale'>
          <option value='en'>English</option>
          <option value='nl'>Nederlands</option>
        </select>
      </label>
      <span data-testid='websocket-status'>{`websocket: ${socket}`}</span>
      {version && <span>{`server ${version}`}</span>}
      {me && (
        <span>
          {`signed in as ${me.username} `}
          <button type='button' onClick={() => logout().finally(() => window.location.reload())}>
            Sign out
          </button>
        </span>
      )}
    </div>
  );
}

function ChannelView() {
  const theme = useSelector((s: HostState) => THEMES[s.preview.theme]);
  const channels = useSelector((s: HostState) => s.entities.channels.channels);
  const channelId = useSelector((s: HostState) => s.entities.channels.currentChannelId);
  const teamId = useSelector((s: HostState) => s.entities.teams.currentTeamId);
  const roots = useSelector((s: HostState) => s.plugins.components.Root ?? []);
  const store = useStore() as HostStore;
  const [error, setError] = useState('');
  const open = (id: string) => {
    setError('');
    selectChannel(store, id).catch((err: unknown) => setError(String(err)));
  };
  return (
    <section className='preview-section' id='channel' aria-label='Channel'>
      <h2>
        Channel{' '}
        <select value={channelId} onChange={(e) => open(e.target.value)} data-testid='channel-select'>
          {Object.values(channels)
            .filter((c) => c.team_id === teamId)
            .map((c) => (
              <option key={c.id} value={c.id}>
                {c.display_name || c.name}
              </option>
            ))}
        </select>
      </h2>
      <p className='console-help'>Posts of a type a plugin registered are shown by the plugin; others as plain text (the web app would render their Markdown).</p>
      {error && <p className='preview-error'>{error}</p>}
      {roots.map((r) => {
        const Root = r.component;
        return Root ? (
          <PluginBoundary key={r.id} name={`${r.pluginId} root component`}>
            <Root />
          </PluginBoundary>
        ) : null;
      })}
      {channelId && <PostList channelId={channelId} theme={theme} />}
      {channelId && <CommandBox channelId={channelId} teamId={teamId} />}
    </section>
  );
}

function SystemConsole() {
  const plugins = useSelector((s: HostState) => s.entities.admin.plugins);
  const loaded = useSelector((s: HostState) => s.plugins.plugins);
  const withSettings = Object.values(plugins).filter((p) => loaded[p.id] && (p.settings_schema?.settings?.length ?? 0) > 0);
  return (
    <section className='preview-section' id='system-console' aria-label='System Console'>
      <h2 className='breadcrumb'>System Console › Plugins</h2>
      {withSettings.length === 0 && <p className='preview-empty'>No enabled plugin has settings.</p>}
      {withSettings.map((m) => (
        <AdminConsolePage key={m.id} manifest={m} />
      ))}
    </section>
  );
}

function Registrations() {
  const dispatch = useDispatch();
  const registrations = useSelector((s: HostState) => s.preview.registrations);
  const errors = useSelector((s: HostState) => s.preview.errors);
  const loaded = useSelector((s: HostState) => s.plugins.plugins);
  const uninitialize = (id: string) => {
    const error = uninitializePlugin(window, id);
    dispatch(error ? {type: 'PREVIEW_ERROR', data: error} : {type: 'PREVIEW_REGISTERED', data: {pluginId: id, method: 'uninitialize', detail: 'called by the preview'}});
  };
  return (
    <section className='preview-section' id='registrations' aria-label='What the plugins registered'>
      <h2>What the plugins registered</h2>
      {Object.keys(loaded).map((id) => (
        <button key={id} type='button' data-testid={`uninitialize-${id}`} onClick={() => uninitialize(id)}>
          {`Call ${id}'s uninitialize()`}
        </button>
      ))}
      {errors.map((e) => (
        <p key={e} className='preview-error' role='alert'>
          {e}
        </p>
      ))}
      <ul>
        {registrations.map((r, i) => (
          <li key={i} data-method={r.method}>{`${r.pluginId}: ${r.method}${r.detail ? ` (${r.detail})` : ''}`}</li>
        ))}
      </ul>
    </section>
  );
}

/** Global components, above everything as the web app's announcement row is (and on every page). */
function GlobalComponents() {
  const globals = useSelector((s: HostState) => s.plugins.components.Global ?? []);
  return (
    <>
      {globals.map((g) => {
        const Global = g.component;
        return Global ? (
          <PluginBoundary key={g.id} name={`${g.pluginId} global component`}>
            <Global />
          </PluginBoundary>
        ) : null;
      })}
    </>
  );
}

function Page({consoleOnly}: {consoleOnly: boolean}) {
  const isAdmin = useSelector((s: HostState) => isSystemAdmin(s.entities.users.profiles[s.entities.users.currentUserId]));
  const route = useTeamRoute(useLocationPath());
  return (
    <Messages>
      <GlobalComponents />
      <Toolbar />
      {!consoleOnly && <MainMenu />}
      {isAdmin ? <SystemConsole /> : <p className='preview-empty'>The System Console is for system admins.</p>}
      {route ? (
        <TeamRoutePage entry={route} />
      ) : consoleOnly ? (
        <p className='preview-empty' data-testid='console-only'>
          Opened as the System Console by its URL: no team is current and no channel is shown, as in the web app.
        </p>
      ) : (
        <ChannelView />
      )}
      <Registrations />
    </Messages>
  );
}

export function App({deps, selection}: {deps: RegistryDeps; selection: Selection}) {
  const {store} = deps;
  const [phase, setPhase] = useState<Phase>({name: 'checking'});
  const start = useCallback(async () => {
    setPhase({name: 'loading'});
    try {
      await loadSession(store, selection);
      await loadPlugins(deps);
      connectWebSocket(store);
      setPhase({name: 'ready'});
    } catch (err) {
      setPhase({name: 'failed', message: err instanceof Error ? err.message : String(err)});
    }
  }, [deps, store, selection]);

  useEffect(() => {
    apiGet('/users/me').then(
      () => void start(),
      (err: unknown) => setPhase(err instanceof ApiError && err.status === 401 ? {name: 'login'} : {name: 'failed', message: String(err)}),
    );
  }, [start]);

  useEffect(() => {
    // The web app's System Console keeps its light theme whatever the user chose.
    const apply = () => applyTheme(document.documentElement, THEMES[selection.consoleOnly ? 'light' : store.getState().preview.theme]);
    apply();
    return store.subscribe(apply);
  }, [store, selection.consoleOnly]);

  return (
    <Provider store={store}>
      {phase.name === 'checking' && <p className='preview-empty'>Connecting to the server…</p>}
      {phase.name === 'loading' && <p className='preview-empty'>Loading the session and the plugins…</p>}
      {phase.name === 'login' && <LoginForm onDone={() => void start()} />}
      {phase.name === 'failed' && (
        <p className='preview-error' role='alert'>
          {phase.message}
        </p>
      )}
      {phase.name === 'ready' && <Page consoleOnly={Boolean(selection.consoleOnly)} />}
    </Provider>
  );
}
