// An in-process bridge for incident and slash e2e tests: the real scheduler and probes, the real
// incident service (outbox, state file, /healthcheck) on an ephemeral port, against the test server.
import Fastify, {type FastifyInstance} from 'fastify';
import {mkdtempSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {IncidentService, IncidentServiceOptions} from '../../server-bridge/src/bridge/incident-service';
import {incidentParts, incidentService} from '../../server-bridge/src/bridge/incident-parts';
import {DEFAULT_INCIDENT_SETTINGS} from '../../server-bridge/src/incidents/incidents';
import {MattermostClient} from '../../server-bridge/src/mm/client';
import {probeRegistry} from '../../server-bridge/src/probes/registry';
import type {ProbeResult, TargetSettings} from '../../server-bridge/src/probes/types';
import {Scheduler, jobsFor} from '../../server-bridge/src/scheduler';
import {ResultHistory} from '../../server-bridge/src/results/history';
import {statusRows} from '../../server-bridge/src/slash/status-rows';
import type {TestServer} from './mattermost';

export interface BridgeOptions {
  probes: {name: keyof typeof probeRegistry; intervalMs: number; timeoutMs: number}[];
  stateFile?: string;
  trigger?: string;
  teams?: string[];
  reminderIntervalMs?: number;
  maxReminders?: number;
  /** Settings of the target over the test server's (e.g. a wrong probe password). */
  target?: Partial<TargetSettings>;
  /** Several targets instead of one: each the target above with these settings over it. */
  targets?: Partial<TargetSettings>[];
  /** Register /healthcheck with the admin token (the bot may not manage commands). */
  registerSlash?: boolean;
  /** How the bridge reaches the server when not as its Site URL (a proxy, an internal name). */
  siteUrl?: string;
  /** Buttons on incident posts (POST /actions/incident on this bridge's URL), with who may press which. */
  /** Hooks added to the bridge's HTTP server before it listens (e.g. to see what Mattermost sends). */
  beforeListen?: (app: FastifyInstance) => void;
  /** Listen on this port (default: any free one), e.g. to restart where Mattermost knows the bridge. */
  port?: number;
  actions?: {ackRole?: 'ops_channel' | 'system_admin'; muteRole?: 'ops_channel' | 'system_admin'; ackReminderIntervalMs?: number};
}

export interface TestBridge {
  service: IncidentService;
  /** The teams whose /healthcheck requests the bridge accepts now (by id). */
  slashTeams(): string[];
  scheduler: Scheduler;
  app: FastifyInstance;
  url: string;
  stateFile: string;
  logs: string[];
  results: ProbeResult[];
  /** The target the jobs share: change it to change what the next runs see. */
  target: TargetSettings;
  stop(): Promise<void>;
}

export async function startBridge(mm: TestServer, options: BridgeOptions): Promise<TestBridge> {
  const target: TargetSettings = {
    name: 'local',
    url: mm.url,
    team: mm.env.MM_TEAM,
    botToken: mm.env.MM_BOT_TOKEN,
    adminToken: mm.env.MM_ADMIN_TOKEN,
    probeUsername: mm.env.MM_PROBE_USERNAME,
    probePassword: mm.env.MM_PROBE_PASSWORD,
    probeChannel: mm.env.MM_PROBE_CHANNEL,
    ...options.target,
  };
  const targets = options.targets ? options.targets.map((t) => ({...target, ...t})) : [target];
  const jobs = jobsFor(
    options.probes.map((p) => ({...p, enabled: true})),
    probeRegistry,
    targets,
  );
  const scheduler = new Scheduler({jobs, jitter: 0});
  const logs: string[] = [];
  const results: ProbeResult[] = [];
  const log = (level: string) => (msg: string, fields?: Record<string, unknown>) => void logs.push(`${level} ${msg} ${fields ? JSON.stringify(fields) : ''}`);
  const stateFile = options.stateFile ?? path.join(mkdtempSync(path.join(os.tmpdir(), 'hc-bridge-')), 'state.json');
  const app = Fastify();
  const address = {url: ''};
  const history = new ResultHistory();
  const keys = jobs.map((j) => ({probe: j.probe.name, target: j.target.name}));
  const probeRows = () => statusRows({history, jobs: keys, states: service.stateSource()}, Date.now());
  const serviceOptions: IncidentServiceOptions = {
    bot: new MattermostClient({url: mm.url, token: mm.env.MM_BOT_TOKEN}),
    admin: options.registerSlash ? new MattermostClient({url: mm.url, token: mm.env.MM_ADMIN_TOKEN}) : null,
    siteUrl: options.siteUrl ?? mm.url,
    team: mm.env.MM_TEAM as string,
    teams: options.teams ?? [mm.env.MM_TEAM as string],
    opsChannel: mm.env.MM_OPS_CHANNEL as string,
    stateFile,
    trigger: options.trigger,
    settings: {
      ...DEFAULT_INCIDENT_SETTINGS,
      reminderIntervalMs: options.reminderIntervalMs ?? 3_600_000,
      maxReminders: options.maxReminders ?? DEFAULT_INCIDENT_SETTINGS.maxReminders,
      ackReminderIntervalMs: options.actions?.ackReminderIntervalMs ?? 0,
    },
    ...(options.actions ? {actions: {ackRole: options.actions.ackRole ?? 'ops_channel', muteRole: options.actions.muteRole ?? 'system_admin', opsChannel: mm.env.MM_OPS_CHANNEL as string}} : {}),
    outbox: {timeoutMs: 3000, initialBackoffMs: 200, maxBackoffMs: 1000},
    tickMs: 200,
    registerRetryMs: 500,
    knownProbes: () => options.probes.map((p) => p.name),
    probeRows,
    runNow: () => scheduler.runNow(),
    log: {info: log('info'), warn: log('warn'), error: log('error')},
    get publicUrl() {
      return options.registerSlash || options.actions ? address.url : undefined;
    },
  };
  const parts = await incidentParts(serviceOptions);
  const service = await incidentService(serviceOptions, parts);
  scheduler.onRun((e) => {
    results.push(e.result);
    history.record(e.result);
    service.observe([e.result]);
  });
  await app.register(service.slashPlugin());
  await app.register(service.actionsPlugin());
  options.beforeListen?.(app);
  address.url = await app.listen({port: options.port ?? 0, host: '127.0.0.1'});
  service.start();
  void scheduler.start();
  return {
    service,
    slashTeams: () => [...new Set(parts.tokens.current().map((t) => t.teamId))],
    scheduler,
    app,
    url: address.url,
    stateFile,
    logs,
    results,
    target,
    stop: async () => {
      await scheduler.stop(1000);
      await service.stop();
      await app.close();
    },
  };
}

export async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
