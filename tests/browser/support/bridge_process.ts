// The real bridge as a child process (`node server-bridge/dist/main.js run`), configured like
// tests/demo/up.sh does: the output of its own `setup`, plus the settings a test chooses.
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {once} from 'node:events';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type {TestServer} from '../../lib/mattermost';

const root = path.resolve(__dirname, '../../..');
const main = path.join(root, 'server-bridge/dist/main.js');

export interface BridgeProcess {
  child: ChildProcess;
  /** Everything it wrote (stdout and stderr), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** The bridge settings `setup` prints (idempotent: the bot, channels and probe user exist already). */
export function setupSettings(mm: TestServer, channels: {logChannel?: string; opsChannel?: string} = {}): Record<string, string> {
  const secrets = mm.env.MM_SECRETS_DIR as string;
  const args = [main, 'setup', '--url', mm.url, '--admin-token-file', path.join(secrets, 'admin-token'), '--team', mm.env.MM_TEAM as string, '--secrets-dir', secrets];
  if (channels.logChannel) args.push('--log-channel', channels.logChannel);
  if (channels.opsChannel) args.push('--ops-channel', channels.opsChannel);
  const out = execFileSync(process.execPath, args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
  const settings: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const m = /^(HEALTHCHECK_[A-Z0-9_]+)=(.*)$/.exec(line);
    if (m) settings[m[1] as string] = m[2] as string;
  }
  return settings;
}

export function startBridgeProcess(settings: Record<string, string>, mm: TestServer, extra: Record<string, string>): BridgeProcess {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hc-browser-bridge-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    ...settings,
    HEALTHCHECK_LISTEN: '127.0.0.1:0',
    HEALTHCHECK_STATE_FILE: path.join(dir, 'state.json'),
    HEALTHCHECK_ADMIN_TOKEN_FILE: path.join(mm.env.MM_SECRETS_DIR as string, 'admin-token'),
    ...extra,
  };
  const child = spawn(process.execPath, [main, 'run'], {env, stdio: ['ignore', 'pipe', 'pipe']});
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.pid) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, {recursive: true, force: true});
    },
  };
}

/** A port the system just handed out (for a bridge whose public URL must be known before it starts). */
export async function freePort(): Promise<number> {
  const probe = net.createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const {port} = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * A config file listing the test server `count` times as node-1 … (one of them, `unreachable`,
 * at a port nothing listens on, so it fails): many targets at the cost of one server.
 */
export function manyTargetsConfig(dir: string, mm: TestServer, count: number, unreachable: string): string {
  const file = path.join(dir, `targets-${count}.json`);
  const targets = Array.from({length: count}, (_, i) => `node-${i + 1}`).map((name) => ({name, url: name === unreachable ? 'http://127.0.0.1:9' : mm.url}));
  writeFileSync(file, JSON.stringify({targets}));
  return file;
}
