// `mattermost-healthcheck-bridge run`: reads the config, builds the prober, listens, stops cleanly on signals.
//
// Seams for the other parts of the bridge (incidents, outbox, state file, slash command):
// - BridgeOptions.onRun / bridge.scheduler.onRun(e) after every probe run (e.result, e.trigger,
//   e.plannedAt); the option is subscribed before the startup cycle, so it sees every run;
//   bridge.scheduler.onCycle(e) after the startup cycle and every run-now cycle (e.results).
// - bridge.scheduler.runNow({probe?, target?}) resolves with the completed cycle (/healthcheck run).
// - BridgeOptions.sink: the PostSink report posts go through (default: POST /posts at once).
// - BridgeOptions.states: the StateSource of report states (default: the latest run; the incident
//   tracker's hysteresis can stand in), incidents() and mutedUntil() for what reports carry.
// - BridgeOptions.routes: more HTTP routes on the same server (the slash command).
// - bridge.history.encode()/restoreFile(): the recent results for the state file's history file.
// - bridge.poster.post(reason): a report now (run.ts posts one with reason 'run' after each run-now cycle).
import {readFileSync} from 'node:fs';
import type {AddressInfo} from 'node:net';
import type {FastifyInstance} from 'fastify';
import {Registry, collectDefaultMetrics} from 'prom-client';
import {buildApp} from './app';
import {reportLoad} from './check-config';
import {loadConfig, type Config} from './config';
import type {Notice} from './contract/notice';
import type {IncidentSummary} from './contract/report';
import {createLogger, logRun, type Logger} from './logger';
import {createMetrics} from './metrics';
import {backlogOf, createDeliveryMetrics} from './delivery-metrics';
import type {OutboxItem} from './outbox/outbox';
import {REPORT_POST_TYPE, REPORT_PROP} from './contract';
import {MattermostClient} from './mm/client';
import {describeError, redact} from './mm/errors';
import {ensureNoticeText} from './setup/notice-text';
import {probeRegistry} from './probes/registry';
import type {ProbeDefinition} from './probes/types';
import {buildReport, stateSignature, type ReportSources} from './report/builder';
import {channelIdResolver, meResolver} from './mm/lookups';
import {BotProfile} from './report/bot-profile';
import {ReportPoster} from './report/poster';
import type {ReportLedger} from './report/ledger';
import {ReportRetention} from './report/retention';
import {directPostSink, type PostSink} from './report/sink';
import {LatestStates, type StateSource} from './report/states';
import {ResultHistory} from './results/history';
import {Scheduler, jobsFor, type RunEvent} from './scheduler';
import {SecretRegistry} from './secrets';
import {VERSION} from './version';
import {incidentServiceFor} from './incidents/for-bridge';
import {guardUnhandledRejections} from './process-guard';

export interface BridgeOptions {
  config: Config;
  logger: Logger;
  registry?: Registry;
  probes?: Readonly<Record<string, ProbeDefinition>>;
  sink?: PostSink;
  states?: StateSource;
  incidents?: () => IncidentSummary[];
  mutedUntil?: () => number | null;
  /** The degraded-service notice the bot's status carries (with HEALTHCHECK_NOTICE on). */
  notice?: () => Notice | null;
  routes?: readonly ((app: FastifyInstance) => void | Promise<void>)[];
  /** How long a stop waits for runs in flight before aborting them. */
  stopGraceMs?: number;
  /** A result history restored from the state file before the first cycle. */
  history?: ResultHistory;
  /** The report posts made (filled by the outbox), so retention deletes by id; without it each sweep reads the channel. */
  reportLedger?: ReportLedger;
  /** Called after every probe run, from the startup cycle on (after history, metrics and log). */
  onRun?: (e: RunEvent) => unknown;
  /** Secrets learned while running (the probe user's session), for the logger's redaction. */
  secrets?: SecretRegistry;
}

export interface Bridge {
  app: FastifyInstance;
  /** http://host:port the bridge listens on. */
  url: string;
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

/** Every secret of the config, for the logger and error texts. */
export function secretsOf(config: Config): string[] {
  const target = config.targets.flatMap((t) => [t.botToken, t.adminToken, t.probePassword, t.pushDeviceId]);
  return [...target, ...config.slash.tokens.map((t) => t.token), config.actions.secret].filter((s): s is string => !!s);
}

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const {config, logger} = options;
  const secrets = options.secrets ?? new SecretRegistry(secretsOf(config));
  const clean = (text: string) => redact(text, secrets.all());
  const registry = options.registry ?? new Registry();
  // Each target tells the registry of the session token its probe user is given.
  const targets = config.targets.map((t) => ({...t, onSecret: (value: string) => secrets.add(value)}));
  const jobs = jobsFor(config.probes, options.probes ?? probeRegistry, targets, {retryIntervalMs: config.retryIntervalMs});
  const keys = jobs.map((j) => ({probe: j.probe.name, target: j.target.name}));
  const history = options.history ?? new ResultHistory();
  const latest = new LatestStates();
  const metrics = createMetrics(registry, {version: VERSION, jobs: keys});
  const scheduler = new Scheduler({jobs, jitter: config.jitter, onListenerError: (err) => logger.error({err: clean(String(err))}, 'a probe-run listener failed')});

  const home = config.home;
  const bot = new MattermostClient({url: home.url, token: home.botToken});
  const admin = home.adminToken ? new MattermostClient({url: home.url, token: home.adminToken}) : null;
  const logChannelId = channelIdResolver(bot, home.team, config.logChannel);
  const sources: ReportSources = {history, jobs: keys, targets: config.targets, publishTargetUrls: config.reportTargetUrls, states: options.states ?? latest, incidents: options.incidents, mutedUntil: options.mutedUntil};
  const poster = new ReportPoster({
    sink: options.sink ?? directPostSink(bot),
    channelId: logChannelId,
    build: (reason) => buildReport(sources, {now: Date.now(), reason, heartbeatIntervalMs: config.heartbeatMs, bridgeVersion: VERSION}),
    stateSignature: () => stateSignature(sources),
    heartbeatMs: config.heartbeatMs,
    minIntervalMs: config.reportMinIntervalMs,
    log: logger,
    redact: clean,
  });
  const profile = new BotProfile({bot, trigger: config.slash.trigger, log: logger, redact: clean, notice: config.notice.enabled ? options.notice : undefined});
  const retention = new ReportRetention({bot, admin, channelId: logChannelId, botUserId: meResolver(bot), retentionMs: config.retentionMs, sweepMs: config.retentionSweepMs, log: logger, redact: clean, ledger: options.reportLedger});

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
    meResolver(bot)()
      .then((botId) => ensureNoticeText(admin, botId, config.notice.text))
      .then((changed) => changed && logger.info(changed))
      .catch((err: unknown) => logger.warn({err: clean(describeError(err))}, 'the notice words (HEALTHCHECK_NOTICE_TEXT) could not be written to the bot\'s props'));
  } else if (config.notice.text) {
    logger.warn('HEALTHCHECK_NOTICE_TEXT needs the admin token (or `setup` with the variable set) to reach the bot\'s props');
  }

  let ready = false;
  const app = await buildApp({logger, registry, readiness: () => (ready ? {ready} : {ready, reason: 'the first probe cycle is running'}), routes: options.routes});
  await app.listen({host: config.listen.host, port: config.listen.port});
  const address = app.server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  logger.info({url, targets: config.targets.map((t) => t.name), jobs: jobs.length, version: VERSION}, 'bridge listening');

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
      await scheduler.stop(options.stopGraceMs);
      await Promise.all([poster.stop(), retention.stop(), profile.stop()]);
      await app.close();
    })();
    return stopping;
  };
  return {app, url, scheduler, history, poster, retention, profile, firstCycle, stop};
}

export async function runBridge(env: NodeJS.ProcessEnv): Promise<number> {
  const loaded = loadConfig(env, (file) => readFileSync(file, 'utf8'));
  if (!loaded.ok) {
    reportLoad(loaded, (line) => process.stderr.write(`${line}\n`));
    return 2;
  }
  const {config} = loaded;
  const secrets = new SecretRegistry(secretsOf(config));
  const logger = createLogger({level: config.logLevel, secrets});
  for (const w of loaded.warnings) logger.warn(w);
  const unguard = guardUnhandledRejections(logger, secretsOf(config));
  const registry = new Registry();
  collectDefaultMetrics({register: registry});
  let bridge: Bridge | null = null;
  const history = new ResultHistory();
  // Scraped only once running; `incidents` is defined by then.
  const delivery = createDeliveryMetrics(registry, {heartbeatMs: config.heartbeatMs, backlog: () => backlogOf(incidents.outbox.snapshot())});
  const onDelivered = (item: OutboxItem, postId: string) => {
    if (item.op !== 'create' || item.type !== REPORT_POST_TYPE) return;
    delivery.reportDelivered(Date.now());
    const report = item.props[REPORT_PROP] as {overall?: string} | undefined;
    bridge?.profile.publish(postId, report?.overall ?? 'unknown');
  };
  // Incidents, the outbox, the state file and /healthcheck ride on the seams above.
  const incidents = incidentServiceFor(config, logger, history, () => bridge?.scheduler ?? null, registry, {onDelivered}, secrets);
  try {
    bridge = await startBridge({
      config,
      logger,
      registry,
      history,
      secrets,
      sink: incidents.reportSink(),
      states: incidents.stateSource(),
      incidents: () => incidents.summaries(),
      mutedUntil: () => incidents.mutedUntil(),
      notice: () => incidents.notice(),
      reportLedger: incidents.reportLedger,
      routes: [
        async (app) => {
          await app.register(incidents.slashPlugin());
        },
        async (app) => {
          await app.register(incidents.actionsPlugin());
        },
      ],
      onRun: (e) => incidents.observe([e.result]),
    });
    incidents.start();
  } catch (err) {
    logger.fatal({err: redact(String(err), secrets.all())}, 'the bridge could not start');
    return 1;
  }
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  logger.info({signal}, 'stopping: letting probe runs in flight finish');
  await bridge.stop();
  await incidents.stop();
  unguard();
  logger.info('stopped');
  return 0;
}
