// What e2e tests know of the running test server: its env file, API helpers, stop/start.
import {execFileSync} from 'node:child_process';
import {once} from 'node:events';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {MattermostClient} from '../../server-bridge/src/mm/client';
import type {TargetSettings} from '../../server-bridge/src/probes/types';
import type {MmCommand, MmPost, MmTeam} from '../../server-bridge/src/mm/types';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const {instanceEnv, runDir} = require('./instance') as {instanceEnv(): Record<string, string>; runDir(): string};

export interface TestServer {
  url: string;
  runDir: string;
  env: Record<string, string>;
  admin: MattermostClient;
  bot: MattermostClient;
  anonymous: MattermostClient;
}

export function readEnvFile(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m) env[m[1] as string] = m[2] as string;
  }
  return env;
}

/**
 * fetch for the tests' own API calls: a test that blocks its event loop (execFileSync of make dist,
 * setup, …) longer than the server's idle timeout leaves a pooled connection the server has closed
 * unnoticed, and the next request on it fails with "other side closed". A GET that failed so is
 * sent once more, on a fresh connection (nothing else is repeated).
 */
async function testFetch(input: string, httpInit: RequestInit): Promise<Response> {
  // As the bridge's own client (mm/http.ts): a redirect is an answer.
  const init: RequestInit = {...httpInit, redirect: 'manual'};
  try {
    return await fetch(input, init);
  } catch (err) {
    const cause = (err as {cause?: {code?: string; message?: string}}).cause;
    const repeatable = (init.method ?? 'GET') === 'GET' && !init.signal?.aborted;
    if (!repeatable || !(cause?.code === 'UND_ERR_SOCKET' || cause?.message === 'other side closed')) throw err;
    return fetch(input, init);
  }
}

export function testServer(): TestServer {
  const dir = runDir();
  const env = readEnvFile(path.join(dir, 'env'));
  const url = env.MM_URL as string;
  return {
    url,
    runDir: dir,
    env,
    admin: new MattermostClient({url, token: env.MM_ADMIN_TOKEN as string, fetch: testFetch}),
    bot: new MattermostClient({url, token: env.MM_BOT_TOKEN as string, fetch: testFetch}),
    anonymous: new MattermostClient({url, fetch: testFetch}),
  };
}

const scripts = path.join(__dirname, '../mattermost');

/** Stops the test server's Mattermost process (by its pid), keeping data. */
export function stopMattermost(): void {
  const pidFile = path.join(runDir(), 'mattermost.pid');
  const pid = Number(readFileSync(pidFile, 'utf8'));
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    execFileSync('sleep', ['0.1']);
  }
  process.kill(pid, 'SIGKILL');
}

/** Starts it again with the same data and waits for ping. */
export function startMattermost(): void {
  execFileSync('bash', [path.join(scripts, 'serve.sh')], {stdio: 'inherit', env: {...process.env, ...instanceEnv()}});
}

/** Stops or starts the instance's own PostgreSQL cluster. */
export function postgres(action: 'stop' | 'start'): void {
  execFileSync('bash', [path.join(scripts, 'pg-control.sh'), action], {stdio: 'inherit', env: {...process.env, ...instanceEnv()}});
}

/**
 * The server's ping made to answer UNHEALTHY for real (a GoroutineHealthThreshold below its goroutine
 * count), as a burn-rate alert needs; restore() puts back the threshold it had, once, whenever called.
 */
export function failingPing(server: TestServer): {start(): Promise<void>; restore(): Promise<void>} {
  let before: number | null = null;
  const set = (n: number) => server.admin.put('/config/patch', {ServiceSettings: {GoroutineHealthThreshold: n}});
  return {
    async start() {
      before ??= (await server.admin.get<{ServiceSettings: {GoroutineHealthThreshold: number}}>('/config')).ServiceSettings.GoroutineHealthThreshold;
      await set(10);
    },
    async restore() {
      if (before === null) return;
      await set(before);
      before = null;
    },
  };
}

/** Deletes the team's custom slash commands with this trigger (what a test's bridge registered). */
/** The ids of the buttons a post of the bot's carries (its first attachment's actions), in order. */
export function buttonIds(post: MmPost): string[] {
  return ((post.props?.attachments as {actions?: {id: string}[]}[] | undefined)?.[0]?.actions ?? []).map((a) => a.id);
}

export async function deleteSlashCommands(server: TestServer, trigger: string): Promise<void> {
  const team = await server.admin.get<MmTeam>(`/teams/name/${server.env.MM_TEAM}`);
  const commands = await server.admin.get<MmCommand[]>('/commands', {query: {team_id: team.id, custom_only: true}});
  for (const c of commands.filter((c) => c.trigger === trigger)) await server.admin.delete(`/commands/${c.id}`);
}

/** The test server as a probe target, with the bot, probe user and probe channel from its env file. */
export function probeTarget(server: TestServer, extra: Partial<TargetSettings> = {}): TargetSettings {
  return {
    name: 'e2e',
    url: server.url,
    team: server.env.MM_TEAM,
    botToken: server.env.MM_BOT_TOKEN,
    probeUsername: server.env.MM_PROBE_USERNAME,
    probePassword: server.env.MM_PROBE_PASSWORD,
    probeChannel: server.env.MM_PROBE_CHANNEL,
    ...extra,
  };
}

/** A slash-command listener on 127.0.0.1 that records each form it receives and answers with `answer`. */
export async function startFormListener(answer: Record<string, unknown>): Promise<{url: string; received: Record<string, string>[]; close(): void}> {
  const received: Record<string, string>[] = [];
  const listener = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push(Object.fromEntries(new URLSearchParams(body)));
      res.writeHead(200, {'Content-Type': 'application/json'}).end(JSON.stringify(answer));
    });
  });
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  return {url: `http://127.0.0.1:${(listener.address() as AddressInfo).port}/command`, received, close: () => listener.close()};
}
