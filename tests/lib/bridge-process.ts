// The built bridge (server-bridge/dist/main.js run) as a child process for e2e tests, with its
// output kept, the settings that connect it to the test server, and a free port for it to listen on.
import {spawn, type ChildProcess} from 'node:child_process';
import net, {type AddressInfo} from 'node:net';
import path from 'node:path';
import type {TestServer} from './mattermost';

export const BRIDGE_MAIN = path.resolve(__dirname, '../../server-bridge/dist/main.js');

export interface BridgeProcess {
  child: ChildProcess;
  /** Everything it wrote so far, stdout and stderr. */
  output(): string;
}

export function spawnBridge(env: NodeJS.ProcessEnv): BridgeProcess {
  const child = spawn(process.execPath, [BRIDGE_MAIN, 'run'], {env, stdio: ['ignore', 'pipe', 'pipe']});
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  return {child, output: () => output};
}

/** The settings a bridge needs to reach the test server as its bot (with the admin's token), listening on `port`, its public URL there. */
export function serverBridgeEnv(server: TestServer, port: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HEALTHCHECK_MM_URL: server.url,
    HEALTHCHECK_TEAMS: server.env.MM_TEAM,
    HEALTHCHECK_BOT_TOKEN: server.env.MM_BOT_TOKEN,
    HEALTHCHECK_ADMIN_TOKEN: server.env.MM_ADMIN_TOKEN,
    HEALTHCHECK_OPS_CHANNEL: server.env.MM_OPS_CHANNEL,
    HEALTHCHECK_LOG_CHANNEL: server.env.MM_LOG_CHANNEL,
    HEALTHCHECK_LISTEN: `127.0.0.1:${port}`,
    HEALTHCHECK_PUBLIC_URL: `http://127.0.0.1:${port}`,
  };
}

/** Sends the signal and waits for the exit (at once when it has exited already). */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

/** A port free right now (the bridge must know its public URL before it listens). */
export async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const {port} = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}
