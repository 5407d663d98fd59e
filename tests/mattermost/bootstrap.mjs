// Bootstraps a fresh test/demo server over HTTP: the first user (system admin), a team and an
// admin access token, then the bridge's own `setup` for the bot, channels and probe user.
// Usage: node bootstrap.mjs SITE_URL ENV_OUT INSTANCE
import {execFileSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {existsSync, writeFileSync, mkdirSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import mattermostClient from '@mattermost/client';

const [site, envOut, instance] = process.argv.slice(2);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const runDir = path.dirname(envOut);
const admin = {username: 'admin', password: `Admin-${randomBytes(9).toString('base64url')}-1`, email: 'admin@localhost'};
const team = {name: 'healthcheck', display_name: 'Health Check'};

// Through the official client (Client4): the one-off admin work it is made for.
const {Client4} = mattermostClient;
const client = new Client4();
client.setUrl(site);

const user = await client.createUser(admin, '', '');
if (!user.roles.includes('system_admin')) throw new Error('the first user did not become system admin: is the database fresh?');
await client.login(admin.username, admin.password);
const adminToken = (await client.createUserAccessToken(user.id, `${instance} bootstrap`)).token;
client.setToken(adminToken);
await client.createTeam({...team, type: 'O'});

const bridge = path.join(root, 'server-bridge/dist/main.js');
if (!existsSync(bridge)) throw new Error(`${bridge} is missing: build the bridge first (make build)`);
const secretsDir = path.join(runDir, 'secrets');
mkdirSync(secretsDir, {recursive: true, mode: 0o700});
const adminTokenFile = path.join(secretsDir, 'admin-token');
writeFileSync(adminTokenFile, `${adminToken}\n`, {mode: 0o600});
const out = execFileSync(process.execPath, [bridge, 'setup', '--url', site, '--admin-token-file', adminTokenFile, '--team', team.name, '--secrets-dir', secretsDir, '--json', '--show-secrets'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
const s = JSON.parse(out);

const env = {
  MM_URL: site,
  MM_ADMIN_USERNAME: admin.username,
  MM_ADMIN_PASSWORD: admin.password,
  MM_ADMIN_TOKEN: adminToken,
  MM_ADMIN_USER_ID: user.id,
  MM_TEAM: team.name,
  MM_OPS_CHANNEL: s.opsChannel,
  MM_OPS_CHANNEL_ID: s.opsChannelId,
  MM_LOG_CHANNEL: s.logChannel,
  MM_LOG_CHANNEL_ID: s.logChannelId,
  MM_PROBE_CHANNEL: s.probeChannel,
  MM_PROBE_CHANNEL_ID: s.probeChannelId,
  MM_BOT_USERNAME: s.botUsername,
  MM_BOT_USER_ID: s.botUserId,
  MM_BOT_TOKEN: s.botToken,
  MM_PROBE_USERNAME: s.probeUsername,
  MM_PROBE_USER_ID: s.probeUserId,
  MM_PROBE_PASSWORD: s.probePassword,
  MM_SECRETS_DIR: secretsDir,
};
writeFileSync(
  envOut,
  Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n') + '\n',
  {mode: 0o600},
);
