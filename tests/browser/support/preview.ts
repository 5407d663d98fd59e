// The preview host page for a test: built, served by its proxy server on a free port in front of
// the test server, and a signed-in page that records the requests it makes.
import path from 'node:path';
import type {Page, Request} from 'playwright-core';
import {startHostServer, type HostServer} from '../server/host_server';
import type {TestServer} from '../../lib/mattermost';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const {buildHost} = require('../build.js') as {buildHost(): Promise<string>};

export const SCREENSHOTS = path.resolve(__dirname, '../../../test-output/browser');

export async function startPreview(mm: TestServer): Promise<HostServer> {
  const hostDir = await buildHost();
  return startHostServer({mattermostUrl: mm.url, hostDir});
}

export interface SeenResponse {
  url: string;
  status: number;
}

/** Every response the page received, by path (what the network shows). */
export function recordResponses(page: Page): SeenResponse[] {
  const seen: SeenResponse[] = [];
  page.on('requestfinished', (req: Request) => {
    void req.response().then((res) => seen.push({url: new URL(req.url()).pathname + new URL(req.url()).search, status: res?.status() ?? 0}));
  });
  return seen;
}

/** Opens the host page (optionally on a channel), signs in through its form, waits for the plugins. */
export async function signIn(page: Page, baseUrl: string, user: {username: string; password: string}, channel?: string): Promise<void> {
  await page.goto(`${baseUrl}/${channel ? `?channel=${encodeURIComponent(channel)}` : ''}`);
  await page.getByLabel('Username or email').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', {name: 'Sign in'}).click();
  await page.locator('#registrations li').first().waitFor();
}
