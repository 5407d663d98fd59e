// The preview server in front of the real test server: its own files, the REST and websocket
// proxy (with the origin rule Mattermost applies), and clear errors.
import {execFile} from 'node:child_process';
import path from 'node:path';
import {promisify} from 'node:util';
import WebSocket from 'ws';
import {startFormListener, testServer} from '../../lib/mattermost';
import {freePort} from '../support/bridge_process';
import {hostFile, startHostServer, upgradeHeader, type HostServer} from './host_server';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const {buildHost} = require('../build.js') as {buildHost(): Promise<string>};

const mm = testServer();
let hostDir: string;
let server: HostServer;

beforeAll(async () => {
  hostDir = await buildHost();
  server = await startHostServer({mattermostUrl: mm.url, hostDir});
}, 120000);

afterAll(async () => {
  await server?.close();
});

function openSocket(url: string, headers: Record<string, string>): Promise<{event?: string; status?: number}> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, {headers});
    ws.on('message', (m) => {
      resolve({event: (JSON.parse(String(m)) as {event: string}).event});
      ws.close();
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve({status: res.statusCode});
      res.resume();
    });
    ws.on('error', () => resolve({}));
  });
}

describe('the host page files', () => {
  it('serves the labelled page and its script', async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('this is NOT the Mattermost web app');
    const script = await fetch(`${server.url}/host/host.js`);
    expect(script.headers.get('content-type')).toContain('text/javascript');
  });

  it('serves the page itself for a plugin page under a team, so it reloads there', () => {
    expect(hostFile(hostDir, '/myteam/mattermost-healthcheck/status')).toBe(hostFile(hostDir, '/'));
    expect(hostFile(hostDir, '/myteam/status')).toBeNull();
  });

  it('serves nothing outside its directory', async () => {
    expect(hostFile(hostDir, '/host/..%2Fbuild.js')).toBeNull();
    expect(hostFile(hostDir, '/host/../../package.json')).toBeNull();
    expect(hostFile(hostDir, '/etc/passwd')).toBeNull();
    expect((await fetch(`${server.url}/host/..%2F..%2Fpackage.json`)).status).toBe(404);
  });
});

describe('the proxy to the real server', () => {
  it('passes REST calls through with their headers', async () => {
    const res = await fetch(`${server.url}/api/v4/system/ping`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as {status: string}).status).toBe('OK');
    expect(res.headers.get('x-version-id')).toMatch(/^11\.4\.0\./);
  });

  it('signs in with a session cookie and opens the websocket with it', async () => {
    const login = await fetch(`${server.url}/api/v4/users/login`, {
      method: 'POST',
      headers: {'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest'},
      body: JSON.stringify({login_id: mm.env.MM_ADMIN_USERNAME, password: mm.env.MM_ADMIN_PASSWORD}),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    expect(cookie).toContain('MMAUTHTOKEN=');
    const wsUrl = `${server.url.replace('http', 'ws')}/api/v4/websocket`;
    await expect(openSocket(wsUrl, {Cookie: cookie, Origin: server.url})).resolves.toEqual({event: 'hello'});
    // Only the page's own origin stands for the site: another origin is refused by Mattermost itself.
    await expect(openSocket(wsUrl, {Cookie: cookie, Origin: 'http://127.0.0.2:9'})).resolves.toEqual({status: 403});
  });

  it('passes requests on as the site, so the URLs Mattermost builds point at the site', async () => {
    const listener = await startFormListener({text: 'ok'});
    const {received} = listener;
    const team = await mm.admin.get<{id: string}>(`/teams/name/${mm.env.MM_TEAM}`);
    const trigger = `hostproxy${Date.now() % 100000}`;
    const command = await mm.admin.post<{id: string}>('/commands', {team_id: team.id, trigger, method: 'P', url: listener.url, display_name: 'host proxy'});
    try {
      const res = await fetch(`${server.url}/api/v4/commands/execute`, {
        method: 'POST',
        headers: {'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest', Authorization: `Bearer ${mm.env.MM_ADMIN_TOKEN}`},
        body: JSON.stringify({command: `/${trigger}`, channel_id: mm.env.MM_LOG_CHANNEL_ID}),
      });
      expect(res.status).toBe(200);
      expect(received[0]?.response_url).toMatch(new RegExp(`^${mm.url}/hooks/commands/`));
    } finally {
      await mm.admin.delete(`/commands/${command.id}`);
      listener.close();
    }
  });

  it('maps only its own Origin to the site URL', () => {
    const target = new URL('http://127.0.0.1:8065');
    expect(upgradeHeader('Origin', 'http://127.0.0.1:5000', '127.0.0.1:5000', target)).toBe('http://127.0.0.1:8065');
    expect(upgradeHeader('origin', 'http://elsewhere:5000', '127.0.0.1:5000', target)).toBe('http://elsewhere:5000');
    expect(upgradeHeader('Cookie', 'http://127.0.0.1:5000', '127.0.0.1:5000', target)).toBe('http://127.0.0.1:5000');
    expect(upgradeHeader('Host', '127.0.0.1:5000', '127.0.0.1:5000', target)).toBe('127.0.0.1:8065');
  });

  it('answers 502 with a clear message when the server is unreachable', async () => {
    const port = await freePort();
    const down = await startHostServer({mattermostUrl: `http://127.0.0.1:${port}`, hostDir});
    try {
      const res = await fetch(`${down.url}/api/v4/system/ping`);
      expect(res.status).toBe(502);
      expect(((await res.json()) as {message: string}).message).toContain(`Mattermost at http://127.0.0.1:${port} is unreachable`);
    } finally {
      await down.close();
    }
  });
});

describe('the preview server command', () => {
  it('names every missing or wrong setting and exits 2', async () => {
    const run = promisify(execFile);
    const failure = await run(process.execPath, [path.join(hostDir, 'preview-server.js')], {env: {PATH: process.env.PATH, PREVIEW_PORT: 'eighty'}}).catch((err: {code: number; stderr: string}) => err);
    expect(failure).toMatchObject({code: 2});
    expect((failure as {stderr: string}).stderr).toContain('MM_URL is not set');
    expect((failure as {stderr: string}).stderr).toContain('PREVIEW_PORT must be a port number (got "eighty")');
  });
});
