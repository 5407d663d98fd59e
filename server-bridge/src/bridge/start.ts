// The prober half of the bridge: scheduler, result history, metrics, report poster, retention, bot
// status and the HTTP server, from the shared parts (bridge/parts.ts). compose.ts joins it to the
// incident service. Seams:
// - BridgeOptions.onRun / bridge.scheduler.onRun(e) after every probe run (e.result, e.trigger,
//   e.plannedAt); the option is subscribed before the startup cycle, so it sees every run;
//   bridge.scheduler.onCycle(e) after the startup cycle and every run-now cycle (e.results).
// - bridge.scheduler.runNow({probe?, target?}) resolves with the completed cycle (/healthcheck run).
// - BridgeOptions.sink: the PostSink report posts go through (the outbox's report lane).
// - BridgeOptions.states: the StateSource of report states (default: the latest run; the incident
//   tracker's hysteresis can stand in), incidents() and mutedUntil() for what reports carry.
// - BridgeOptions.routes: more HTTP routes on the same server (the slash command).
// - bridge.history.encode()/restoreFile(): the recent results for the state file's history file.
// - bridge.poster.post(reason): a report now (one with reason 'run' follows each run-now cycle).
import type {AddressInfo} from 'node:net';
import type {FastifyInstance} from 'fastify';
import type {Registry} from 'prom-client';
import {buildApp} from '../app';
import type {Config} from '../config';
import type {Notice} from '../contract/notice';
import type {IncidentSummary} from '../contract/report';
import {logRun, type Logger} from '../logger';
import {createMetrics} from '../metrics';
import {describeError, redact} from '../mm/errors';
import {ensureNoticeText} from '../report/notice-text';
import {buildReportInSlices, stateSignature, type ReportSources} from '../report/builder';
import {client4Shape} from '../mm/client4-shape';
import {channelIdResolver} from '../mm/lookups';
import {BotProfile} from '../report/bot-profile';
import {ReportPoster} from '../report/poster';
import type {ReportLedger} from '../report/ledger';
import {ReportRetention} from '../report/retention';
import type {PostSink} from '../report/sink';
import {LatestStates, type StateSource} from '../report/states';
import type {ResultHistory} from '../results/history';
import {Scheduler, type RunEvent} from '../scheduler';
import type {SecretRegistry} from '../secrets';
import {VERSION} from '../version';
import type {BridgeParts} from './parts';

export interface BridgeOptions {
  config: Config;
  logger: Logger;
  registry: Registry;
  sink: PostSink;
  states?: StateSource;
  incidents?: () => IncidentSummary[];
  mutedUntil?: () => number | null;
  /** The degraded-service notice the bot's status carries (with HEALTHCHECK_NOTICE on). */
  notice?: () => Notice | null;
  routes?: readonly ((app: FastifyInstance) => void | Promise<void>)[];
  /** The result history (restored from the state file by the incident service before the first cycle). */
  history: ResultHistory;
  /** The report posts made (filled by the outbox), so retention deletes by id; without it each sweep reads the channel. */
  reportLedger?: ReportLedger;
  /** Called after every probe run, from the startup cycle on (after history, metrics and log). */
  onRun?: (e: RunEvent) => unknown;
  /** Secrets learned while running (the probe user's session), for the logger's redaction. */
  secrets: SecretRegistry;
  /** The jobs and clients shared with the incident service. */
  parts: BridgeParts;
  /** Several bridges: true while this one is the leader (it alone sweeps reports and writes the bot's status). */
  leader?: () => boolean;
  /** What else the report carries: objectives and the status page's strips (issue 24). */
  reportExtras?: ReportSources['extras'];
  /** Several bridges: each one and when it last reported, for the report. */
  reportBridges?: ReportSources['bridges'];
}

export interface Bridge {
  app: FastifyInstance;
  /** http://host:port the bridge listens on. */
  url: string;
  /** http://host:port of /metrics when it has an address of its own (HEALTHCHECK_METRICS_LISTEN), else null. */
  metricsUrl: string | null;
  scheduler: Scheduler;
  history: ResultHistory;
  poster: ReportPoster;
  retention: ReportRetention;
  /** The bot's custom status: where its latest report is (readers find it however busy the channel). */
  profile: BotProfile;
  /** Resolves once the startup cycle is done and the first report was attempted. */
  firstCycle: Promise<void>;
  stop(): Promise<void>;
}

async function listenOn(app: FastifyInstance, at: {host: string; port: number}): Promise<string> {
  await app.listen({host: at.host, port: at.port});
  const address = app.server.address() as AddressInfo;
  return `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
}

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const {config, logger} = options;
  const {secrets, registry, history} = options;
  const clean = (text: string) => redact(text, secrets.all());
  const {jobs, keys, bot, admin, botUserId} = options.parts;
  const latest = new LatestStates();
  const metrics = createMetrics(registry, {version: VERSION, jobs: keys});
  const scheduler = new Scheduler({jobs, jitter: config.jitter, onListenerError: (err) => logger.error({err: clean(String(err))}, 'a probe-run listener failed')});

  const logChannelId = channelIdResolver(bot, config.home.team, config.logChannel);
  const sources: ReportSources = {
    history,
    jobs: keys,
    targets: config.targets,
    publishTargetUrls: config.reportTargetUrls,
    states: options.states ?? latest,
    incidents: options.incidents,
    mutedUntil: options.mutedUntil,
    extras: options.reportExtras,
    bridges: options.reportBridges,
  };
  const poster = new ReportPoster({
    sink: options.sink,
    channelId: logChannelId,
    build: (reason) => buildReportInSlices(sources, {now: Date.now(), reason, heartbeatIntervalMs: config.heartbeatMs, bridgeVersion: VERSION}),
    stateSignature: () => stateSignature(sources),
    heartbeatMs: config.heartbeatMs,
    minIntervalMs: config.reportMinIntervalMs,
    log: logger,
    redact: clean,
    sign: options.parts.sign,
  });
  // The status expires after twice the heartbeat (readers call the prober silent then too): a notice
  // left by a bridge that died does not stay.
  const profile = new BotProfile({
    bot,
    botUserId,
    trigger: config.slash.trigger,
    log: logger,
    redact: clean,
    notice: config.notice.enabled ? options.notice : undefined,
    ttlMs: 2 * config.heartbeatMs + 60_000,
    enabled: options.leader,
  });
  const retention = new ReportRetention({
    bot,
    admin,
    channelId: logChannelId,
    botUserId,
    retentionMs: config.retentionMs,
    sweepMs: config.retentionSweepMs,
    log: logger,
    redact: clean,
    ledger: options.reportLedger,
    enabled: options.leader,
  });

  scheduler.onRun((e) => {
    history.record(e.result);
    latest.observe(e.result);
    metrics.observe(e.result);
    logRun(logger, e);
    poster.runObserved();
  });
  if (options.onRun) scheduler.onRun(options.onRun);
  // A run-now cycle (/healthcheck run, the panel's button) ends with a report, so readers see it at once.
  scheduler.onCycle((e) => {
    if (e.trigger === 'run_now') poster.post('run').catch((err: unknown) => logger.warn({err: clean(String(err))}, 'report not posted'));
  });

  // The admins' notice words, where every client reads them (the bot's props; only an admin may write them).
  if (admin) {
    botUserId()
      .then((botId) => ensureNoticeText(client4Shape(admin), botId, config.notice.text))
      .then((changed) => changed && logger.info(changed))
      .catch((err: unknown) => logger.warn({err: clean(describeError(err))}, "the notice words (HEALTHCHECK_NOTICE_TEXT) could not be written to the bot's props"));
  } else if (config.notice.text) {
    logger.warn("HEALTHCHECK_NOTICE_TEXT needs the admin token (or `setup` with the variable set) to reach the bot's props");
  }

  let ready = false;
  const readiness = () => (ready ? {ready} : {ready, reason: 'the first probe cycle is running'});
  const app = await buildApp({logger, registry, readiness, routes: options.routes, metrics: !config.metricsListen});
  const url = await listenOn(app, config.listen);
  // /metrics apart from the slash and button routes, so a network policy can let Mattermost reach one and Prometheus the other.
  const metricsApp = config.metricsListen ? await buildApp({logger, registry, readiness}) : null;
  const metricsUrl = metricsApp && config.metricsListen ? await listenOn(metricsApp, config.metricsListen) : null;
  logger.info({url, metricsUrl: metricsUrl ?? url, targets: config.targets.map((t) => t.name), jobs: jobs.length, version: VERSION}, 'bridge listening');

  // Nobody may await it (the process entry does not): it settles, never rejects.
  const firstCycle = scheduler
    .start()
    .then(async (results) => {
      ready = true;
      logger.info({ok: results.filter((r) => r.ok).length, runs: results.length}, 'first probe cycle done');
      await poster.start();
      retention.start();
    })
    .catch((err: unknown) => logger.error({err: clean(String(err))}, 'the first probe cycle failed (a bug); probes keep their schedule'));

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      await scheduler.stop();
      await Promise.all([poster.stop(), retention.stop(), profile.stop()]);
      await Promise.all([app.close(), metricsApp?.close()]);
    })();
    return stopping;
  };
  return {app, url, metricsUrl, scheduler, history, poster, retention, profile, firstCycle, stop};
}
