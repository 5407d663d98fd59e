// What the browser suites ask the real server directly: the plugin's settings, posts as they land,
// and a bridge over fifty targets (the same server fifty times, one unreachable).
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {TestServer} from '../../lib/mattermost';
import type {MmPost, MmPostList} from '../../../server-bridge/src/mm/types';
import {manyTargetsConfig, startBridgeProcess, type BridgeProcess} from './bridge_process';
import manifest from '../../../plugin.json';

export const REPORT = 'custom_healthcheck_report';

export async function patchPluginConfig(mm: TestServer, values: Record<string, unknown>): Promise<void> {
  await mm.admin.put('/config/patch', {PluginSettings: {Plugins: {[manifest.id]: values}}});
}

/** The newest of a channel's last 60 posts that matches; the bridge's output is in the error when none does. */
export async function waitForPost(mm: TestServer, channelId: string, match: (p: MmPost) => boolean, what: string, opts: {timeoutMs?: number; bridge?: BridgeProcess} = {}): Promise<MmPost> {
  const timeoutMs = opts.timeoutMs ?? 60000;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const list = await mm.admin.get<MmPostList>(`/channels/${channelId}/posts`, {query: {per_page: 60}});
    const found = list.order.map((id) => list.posts[id] as MmPost).find(match);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no ${what} within ${timeoutMs} ms; bridge output:\n${opts.bridge?.output().slice(-3000) ?? '(no bridge)'}`);
}

export interface FiftyTargets {
  bridge: BridgeProcess;
  /** The first report in which node-13 (the unreachable one) is failing. */
  report: MmPost;
  close(): Promise<void>;
}

/** A bridge probing the test server listed fifty times (ping and login_page), once node-13 fails. */
export async function startFiftyTargets(mm: TestServer, settings: Record<string, string>, logChannelId: string, extra: Record<string, string> = {}): Promise<FiftyTargets> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hc-browser-fifty-'));
  const since = Date.now();
  const bridge = startBridgeProcess(settings, mm, {
    HEALTHCHECK_CONFIG_FILE: manyTargetsConfig(dir, mm, 50, 'node-13'),
    HEALTHCHECK_PROBES: 'ping,login_page',
    HEALTHCHECK_INTERVAL: '3s',
    HEALTHCHECK_TIMEOUT: '2s',
    HEALTHCHECK_HEARTBEAT: '5m',
    HEALTHCHECK_LOG_LEVEL: 'warn',
    ...extra,
  });
  const failing = (p: MmPost) =>
    (p.props as {healthcheck_report?: {probes?: Array<{target: string; state: string}>}}).healthcheck_report?.probes?.some((x) => x.target === 'node-13' && x.state === 'failing') === true;
  const report = await waitForPost(mm, logChannelId, (p) => p.type === REPORT && p.user_id === mm.env.MM_BOT_USER_ID && p.create_at >= since && failing(p), 'a 50-target report with node-13 failing', {
    timeoutMs: 90000,
    bridge,
  });
  return {bridge, report, close: async () => rmSync(dir, {recursive: true, force: true})};
}

/** The probes the browser suites' bridges run, and their settings (a report every 10 s, quiet logs). */
export const PROBES = ['ping', 'login', 'websocket', 'post_roundtrip'];
export const REPORTING_BRIDGE = {HEALTHCHECK_PROBES: PROBES.join(','), HEALTHCHECK_INTERVAL: '10s', HEALTHCHECK_TIMEOUT: '5s', HEALTHCHECK_HEARTBEAT: '5m', HEALTHCHECK_LOG_LEVEL: 'warn'};
