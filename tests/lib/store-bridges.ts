// Bridges sharing a PostgreSQL store in e2e tests: each a child process against the test server
// through a TCP proxy of its own (so one can be cut from Mattermost alone), listening on a free port,
// with a short lease and vote window and the ping probe.
import {freePort, spawnBridge, stopChild, type BridgeProcess} from './bridge-process';
import type {TestServer} from './mattermost';
import {startTcpProxy, type TcpProxy} from './tcp-proxy';

export interface StoreBridge {
  /** Its HEALTHCHECK_INSTANCE, the lease's holder while it leads. */
  name: string;
  proxy: TcpProxy;
  process: BridgeProcess;
  port: number;
}

/** `env` adds to or overrides the settings every such bridge has (intervals, public URL, secrets). */
export async function spawnStoreBridge(server: TestServer, name: string, store: string, env: Record<string, string> = {}): Promise<StoreBridge> {
  const proxy = await startTcpProxy({port: Number(new URL(server.url).port)});
  const port = await freePort();
  const child = spawnBridge({
    PATH: process.env.PATH,
    HEALTHCHECK_MM_URL: proxy.url,
    HEALTHCHECK_TEAMS: server.env.MM_TEAM,
    HEALTHCHECK_BOT_TOKEN: server.env.MM_BOT_TOKEN,
    HEALTHCHECK_OPS_CHANNEL: server.env.MM_OPS_CHANNEL,
    HEALTHCHECK_LOG_CHANNEL: server.env.MM_LOG_CHANNEL,
    HEALTHCHECK_LISTEN: `127.0.0.1:${port}`,
    HEALTHCHECK_STORE: store,
    HEALTHCHECK_INSTANCE: name,
    HEALTHCHECK_LEASE: '3s',
    HEALTHCHECK_VOTE_WINDOW: '12s',
    HEALTHCHECK_PROBES: 'ping',
    HEALTHCHECK_JITTER: '0',
    HEALTHCHECK_HEARTBEAT: '1h',
    HEALTHCHECK_LOG_LEVEL: 'info',
    ...env,
  });
  return {name, proxy, process: child, port};
}

/** Kills every bridge of the list (no clean stop: nothing more written) and closes its proxy; the list is emptied. */
export async function killStoreBridges(list: StoreBridge[]): Promise<void> {
  for (const b of list.splice(0)) {
    await stopChild(b.process.child, 'SIGKILL');
    await b.proxy.close();
  }
}
