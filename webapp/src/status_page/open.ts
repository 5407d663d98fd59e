// How users reach the status page: a path under their current team, pushed into the web app's
// router (no reload), or a plain navigation where the host has no router to share.
import {currentTeamName, siteUrl} from '../host/state';
import type {HostStore} from '../host/types';
import {PLUGIN_ID} from '../manifest';

export const STATUS_ROUTE = '/status';

declare global {
  interface Window {
    WebappUtils?: {browserHistory?: {push(path: string): void}};
  }
}

export function statusPath(store: HostStore): string | null {
  const team = currentTeamName(store.getState());
  return team ? `/${team}/${PLUGIN_ID}${STATUS_ROUTE}` : null;
}

export function openStatusPage(store: HostStore): void {
  const path = statusPath(store);
  if (!path) return;
  const history = window.WebappUtils?.browserHistory;
  if (history) history.push(path);
  else window.location.assign(`${siteUrl(store.getState())}${path}`);
}
