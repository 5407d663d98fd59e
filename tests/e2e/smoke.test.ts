// Smoke suite of the foundation against the real Mattermost server: ping, the plugin bundle
// uploaded and served, a bot post, and a custom slash command reaching a local listener.
import {execFileSync} from 'node:child_process';
import path from 'node:path';
import {startFormListener, testServer} from '../lib/mattermost';
import type {MmCommand, MmPing, MmPost} from '../../server-bridge/src/mm/types';

const root = path.resolve(__dirname, '../..');
import manifest from '../../plugin.json';
const mm = testServer();

describe('real Mattermost server', () => {
  it('answers ping with status OK and its version header', async () => {
    const res = await mm.anonymous.request<MmPing>('GET', '/system/ping');
    expect(res.status).toBe(200);
    expect(res.data.status).toBe('OK');
    expect(res.headers.get('x-version-id')).toMatch(/^11\.4\.0\./);
  });

  it('reports the database OK with get_server_status=true', async () => {
    const ping = await mm.admin.get<MmPing>('/system/ping', {query: {get_server_status: 'true'}});
    expect(ping.database_status).toBe('OK');
    expect(ping.filestore_status).toBe('OK');
  });
});

describe('plugin bundle', () => {
  it('is built by make dist, uploaded and enabled by make deploy, and served', async () => {
    execFileSync('make', ['-s', 'dist'], {cwd: root, stdio: 'inherit'});
    const out = execFileSync('make', ['-s', 'deploy'], {cwd: root, encoding: 'utf8', env: {...process.env, MM_SERVICESETTINGS_SITEURL: mm.url, MM_ADMIN_TOKEN: mm.env.MM_ADMIN_TOKEN}});
    expect(out).toContain(`${manifest.id} ${manifest.version} uploaded and enabled`);

    const statuses = await mm.admin.get<{plugin_id: string; state: number; version: string}[]>('/plugins/statuses');
    const status = statuses.find((s) => s.plugin_id === manifest.id);
    expect(status).toMatchObject({state: 2, version: manifest.version});

    const webapp = await mm.admin.get<{id: string; webapp: {bundle_path: string}}[]>('/plugins/webapp');
    const entry = webapp.find((p) => p.id === manifest.id);
    expect(entry?.webapp.bundle_path).toMatch(new RegExp(`^/static/${manifest.id}/${manifest.id}_[0-9a-f]+_bundle\\.js$`));
    const served = await mm.anonymous.raw('GET', (entry?.webapp.bundle_path ?? '').replace('/static/', '/static/plugins/'));
    expect(served.status).toBe(200);
    expect(await served.text()).toContain('registerPlugin');
  });

  it('make deploy names what is missing', () => {
    let message = '';
    try {
      execFileSync('make', ['-s', 'deploy'], {cwd: root, encoding: 'utf8', stdio: 'pipe', env: {...process.env, MM_SERVICESETTINGS_SITEURL: '', MM_ADMIN_TOKEN: ''}});
    } catch (err) {
      message = String((err as {stderr?: string}).stderr);
    }
    expect(message).toContain('MM_SERVICESETTINGS_SITEURL is not set');
    expect(message).toContain('MM_ADMIN_TOKEN is not set');
  });

  it('make deploy reports a rejected token', () => {
    let message = '';
    try {
      execFileSync('make', ['-s', 'deploy'], {cwd: root, encoding: 'utf8', stdio: 'pipe', env: {...process.env, MM_SERVICESETTINGS_SITEURL: mm.url, MM_ADMIN_TOKEN: 'notavalidtoken000000000000'}});
    } catch (err) {
      message = String((err as {stderr?: string}).stderr);
    }
    expect(message).toMatch(/401.*is MM_ADMIN_TOKEN a valid token/);
    expect(message).not.toContain('notavalidtoken000000000000');
  });
});

describe('bot account', () => {
  it('posts in the log channel as itself', async () => {
    const post = await mm.bot.post<MmPost>('/posts', {channel_id: mm.env.MM_LOG_CHANNEL_ID, message: `smoke ${Date.now()}`});
    expect(post.user_id).toBe(mm.env.MM_BOT_USER_ID);
    const read = await mm.admin.get<MmPost>(`/posts/${post.id}`);
    expect(read.message).toBe(post.message);
    await mm.bot.delete(`/posts/${post.id}`);
  });
});

describe('custom slash command', () => {
  it('reaches a listener on 127.0.0.1 with its token', async () => {
    const listener = await startFormListener({response_type: 'ephemeral', text: 'smoke answer'});
    const {received} = listener;
    const team = await mm.admin.get<{id: string}>(`/teams/name/${mm.env.MM_TEAM}`);
    const trigger = `smoke${Date.now() % 100000}`;
    const command = await mm.admin.post<MmCommand>('/commands', {team_id: team.id, trigger, method: 'P', url: listener.url, display_name: 'smoke'});
    try {
      const answer = await mm.admin.post<{text: string}>('/commands/execute', {command: `/${trigger} hello there`, channel_id: mm.env.MM_LOG_CHANNEL_ID});
      expect(answer.text).toBe('smoke answer');
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({token: command.token, command: `/${trigger}`, text: 'hello there', team_id: team.id, user_id: mm.env.MM_ADMIN_USER_ID});
      expect(received[0]?.response_url).toMatch(new RegExp(`^${mm.url}/hooks/commands/`));
    } finally {
      await mm.admin.delete(`/commands/${command.id}`);
      listener.close();
    }
  });
});
