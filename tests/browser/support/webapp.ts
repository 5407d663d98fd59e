// The real Mattermost web app (an official release's compiled client/, served by tests/mattermost/up.sh
// when MATTERMOST_CLIENT_DIR holds it): whether it is there, signing in, and what its pages look like.
import os from 'node:os';
import path from 'node:path';
import type {ConsoleMessage, Page} from 'playwright-core';
import type {TestServer} from '../../lib/mattermost';

export interface RealWebapp {
  present: boolean;
  /** Why the real-web-app tests do not run, in one line (when absent). */
  reason: string;
}

export function realWebapp(mm: TestServer): RealWebapp {
  const served = mm.env.MM_WEBAPP_DIR;
  if (served && served !== 'none') return {present: true, reason: ''};
  const dir = process.env.MATTERMOST_CLIENT_DIR || path.join(os.homedir(), '.cache/mattermost-healthcheck/webapp-10.12.0');
  return {present: false, reason: `real web app tests skipped: no compiled Mattermost web app at ${dir} (set MATTERMOST_CLIENT_DIR; see README)`};
}

/** Signs in through the real login page; it may first ask where to view Mattermost. */
export async function signInWebapp(page: Page, url: string, user: {username: string; password: string}): Promise<void> {
  await page.goto(`${url}/login`);
  const login = page.locator('#input_loginId');
  const viewInBrowser = page.getByText('View in Browser');
  await Promise.race([login.waitFor(), viewInBrowser.waitFor()]);
  if (await viewInBrowser.isVisible()) await viewInBrowser.click();
  await login.fill(user.username);
  await page.locator('#input_password-input').fill(user.password);
  await page.locator('#saveSetting').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), {timeout: 60000});
}

/** The web app's onboarding tours and checklists, switched off for a user so they cover nothing. */
export function quietPreferences(userId: string): Array<{user_id: string; category: string; name: string; value: string}> {
  return [
    {category: 'recommended_next_steps', name: 'hide', value: 'true'},
    {category: 'onboarding_task_list', name: 'onboarding_task_list_show', value: 'false'},
    {category: 'onboarding_task_list', name: 'onboarding_task_list_open', value: 'false'},
    {category: 'crt_thread_pane_step', name: userId, value: '999'},
    {category: 'crt_tutorial_triggered', name: userId, value: '999'},
    {category: 'tutorial_step', name: userId, value: '999'},
    {category: 'insights', name: 'insights_tutorial_state', value: '{"insights_modal_viewed":true}'},
    {category: 'drafts', name: 'drafts_tour_tip_showed', value: '{"drafts_tour_tip_showed":true}'},
    {category: 'app_bar', name: 'channel_with_board_tip_showed', value: '{"channel_with_board_tip_showed":true}'},
  ].map((p) => ({user_id: userId, ...p}));
}

/** A post in the real web app's post list (center channel or thread). */
export const webappPost = (page: Page, postId: string) => page.locator(`#post_${postId}`);

export interface ConsoleRecord {
  type: string;
  text: string;
  url: string;
}

/** Everything the page logged, and its uncaught errors (type 'pageerror'). */
export function recordConsole(page: Page): ConsoleRecord[] {
  const seen: ConsoleRecord[] = [];
  page.on('console', (m: ConsoleMessage) => seen.push({type: m.type(), text: m.text(), url: m.location().url}));
  page.on('pageerror', (e: Error) => seen.push({type: 'pageerror', text: `${e.message}\n${e.stack ?? ''}`, url: ''}));
  return seen;
}

/** Errors that come from the plugin: logged by its code, naming it, or thrown from its bundle. */
export function pluginErrors(records: ConsoleRecord[], pluginId: string): ConsoleRecord[] {
  return records.filter((r) => (r.type === 'error' || r.type === 'pageerror') && (r.url.includes(`/plugins/${pluginId}/`) || r.text.includes(pluginId)));
}
