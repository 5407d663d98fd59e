// Plugin pages under a team (registerNeedsTeamRoute) and the main menu's plugin entries
// (registerMainMenuAction), as the web app has them: /<team>/<plugin id><route> takes the place of
// the channel; a menu entry runs the plugin's action (which may push such a path).
import React, {useEffect, useState} from 'react';
import {useSelector} from 'react-redux';
import {PluginBoundary} from './plugin_boundary';
import type {ComponentEntry, HostState} from './store';

/** The page's path, following pushes through window.WebappUtils.browserHistory and the back button. */
export function useLocationPath(): string {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const update = () => setPath(window.location.pathname);
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return path;
}

/** The registered team route the path names, if any. */
export function useTeamRoute(path: string): ComponentEntry | undefined {
  const routes = useSelector((s: HostState) => s.plugins.components.NeedsTeamRoute ?? []);
  const team = useSelector((s: HostState) => s.entities.teams.teams[s.entities.teams.currentTeamId]?.name);
  return team ? routes.find((r) => path === `/${team}/${r.pluginId}${String(r.route)}`) : undefined;
}

export function TeamRoutePage({entry}: {entry: ComponentEntry}) {
  const Page = entry.component;
  return (
    <section className='preview-section' id='team-route' aria-label='Plugin page'>
      <h2>
        {`Plugin page ${window.location.pathname} `}
        <button type='button' data-testid='back-to-channel' onClick={() => window.WebappUtils?.browserHistory?.push('/')}>
          Back to the channel
        </button>
      </h2>
      {Page && (
        <PluginBoundary name={`${entry.pluginId} route ${String(entry.route)}`}>
          <Page />
        </PluginBoundary>
      )}
    </section>
  );
}

export function MainMenu() {
  const actions = useSelector((s: HostState) => s.plugins.components.MainMenu ?? []);
  if (actions.length === 0) return null;
  return (
    <nav className='preview-toolbar' aria-label='Main menu' data-testid='main-menu'>
      {'Main menu: '}
      {actions.map((a) => (
        <button key={a.id} type='button' data-testid='main-menu-action' onClick={() => (a.action as () => void)()}>
          {a.text as React.ReactNode}
        </button>
      ))}
    </nav>
  );
}

declare global {
  interface Window {
    WebappUtils?: {browserHistory?: {push(path: string): void}};
  }
}
