// The composition root: builds every part of a running bridge once (jobs, clients, the prober,
// incidents with their outbox, state file, /healthcheck and buttons, delivery metrics; the incident
// service's own parts through incident-parts.ts) and joins them: results flow probes → history →
// incidents/reports → outbox → Mattermost.
import type {Registry} from 'prom-client';
import type {Config} from '../config';
import {REPORT_POST_TYPE, REPORT_PROP} from '../contract';
import {backlogOf, createDeliveryMetrics} from '../delivery-metrics';
import type {Logger} from '../logger';
import type {OutboxItem} from '../outbox/outbox';
import {DAY_MS, ResultHistory} from '../results/history';
import {rollupPolicy} from '../slo/policy';
import {withSloAlerts} from '../slo/notice';
import type {SloService} from '../slo/service';
import type {Scheduler} from '../scheduler';
import type {SecretRegistry} from '../secrets';
import {cachedStatusRows, type ProbeRow} from '../slash/status-rows';
import type {IncidentService, IncidentServiceOptions} from './incident-service';
import {incidentService} from './incident-parts';
import {bridgeParts, type BridgeParts} from './parts';
import {reportExtras, sloService, sloSlash} from './slo-parts';
import {applySloAck, sloActionPort} from './slo-actions';
import {startBridge, type Bridge} from './start';
import {HighAvailability} from './ha';
import {VERSION} from '../version';

/** Several bridges (HEALTHCHECK_STORE): the store, the lease and the votes, the database migrated first. */
async function highAvailability(config: Config, logger: Logger, registry: Registry): Promise<HighAvailability> {
  const settings = config.ha as NonNullable<Config['ha']>;
  const log = {
    info: (m: string, f?: Record<string, unknown>) => logger.info(f ?? {}, m),
    warn: (m: string, f?: Record<string, unknown>) => logger.warn(f ?? {}, m),
    error: (m: string, f?: Record<string, unknown>) => logger.error(f ?? {}, m),
  };
  const intervals = config.probes.filter((p) => p.enabled).map((p) => p.intervalMs);
  const ha = new HighAvailability({settings, thresholds: config.incidents, intervalMs: Math.min(...intervals, 60_000), log, registry, version: VERSION});
  logger.info({instance: ha.instance, quorum: ha.quorum, store: ha.store.where, leaseMs: settings.leaseMs}, 'several bridges: sharing state through PostgreSQL');
  await ha.migrate();
  return ha;
}

export interface ComposedBridge {
  bridge: Bridge;
  incidents: IncidentService;
  stop(): Promise<void>;
}

/** Builds and starts the whole bridge; the caller only waits for a signal and stops it. */
export async function composeBridge(config: Config, logger: Logger, secrets: SecretRegistry, registry: Registry): Promise<ComposedBridge> {
  const parts = bridgeParts(config, secrets);
  // The hourly rollups count slow runs against the latency objectives' thresholds.
  const history = new ResultHistory(DAY_MS, rollupPolicy(config.slos, config.probes));
  let slo: SloService | null = null;
  let bridge: Bridge | null = null;
  // Scraped only once running; `incidents` is defined by then.
  const delivery = createDeliveryMetrics(registry, {heartbeatMs: config.heartbeatMs, backlog: () => backlogOf(incidents.outbox.snapshot())});
  const onDelivered = (item: OutboxItem, postId: string) => {
    if (item.op !== 'create' || item.type !== REPORT_POST_TYPE) return;
    delivery.reportDelivered(Date.now());
    const report = item.props[REPORT_PROP] as {overall?: string} | undefined;
    bridge?.profile.publish(postId, report?.overall ?? 'unknown');
  };
  // Several bridges: the shared store migrated (waiting for the database if it must), the lease not yet taken.
  const ha = config.ha ? await highAvailability(config, logger, registry) : null;
  // Incidents, the outbox, the state file and /healthcheck ride on the prober's seams.
  const incidents = await incidentsFor(
    config,
    parts,
    logger,
    history,
    () => bridge?.scheduler ?? null,
    registry,
    {onDelivered},
    secrets,
    ha,
    sloSlash(() => slo),
    (id) => slo?.openAlerts().some((a) => a.rootDeliveryId === id) === true,
  );
  // The SLO alerts' buttons reach the service once it runs; several bridges: the leader applies a follower's acknowledgements.
  const sloPort = sloActionPort(
    () => slo,
    (id) => incidents.outbox.postIdOf(id),
  );
  if (ha) ha.onSloAck = (request) => void applySloAck(sloPort, request);
  bridge = await startBridge({
    config,
    logger,
    registry,
    history,
    secrets,
    parts,
    sink: incidents.reportSink(),
    states: incidents.stateSource(),
    incidents: () => incidents.summaries(),
    mutedUntil: () => incidents.mutedUntil(),
    // Incidents, and burn-rate pages of the services users feel.
    notice: () => (slo ? withSloAlerts(incidents.notice(), slo.openAlerts(), slo.slos, (p) => incidents.incidents.isMuted(p, Date.now())) : incidents.notice()),
    reportLedger: incidents.reportLedger,
    reportExtras: reportExtras(config, history, () => slo),
    ...(ha ? {reportBridges: () => ha.reportBridges()} : {}),
    leader: ha ? () => ha.lease.canSend() : undefined,
    routes: [
      async (app) => {
        await app.register(incidents.slashPlugin());
      },
      async (app) => {
        await app.register(incidents.actionsPlugin());
      },
      async (app) => {
        await app.register(incidents.sloActionsPlugin(sloPort));
      },
    ],
    onRun: (e) => incidents.observe([e.result]),
  });
  incidents.start();
  // Objectives and their burn-rate alerts; with several bridges only the leader alerts.
  slo = sloService(config, parts, history, incidents, registry, logger, ha ? () => ha.leading() : undefined);
  slo.start();
  const started = bridge;
  return {
    bridge: started,
    incidents,
    stop: async () => {
      slo?.stop();
      await started.stop();
      await incidents.stop();
    },
  };
}

async function incidentsFor(
  config: Config,
  parts: BridgeParts,
  logger: Logger,
  history: ResultHistory,
  scheduler: () => Scheduler | null,
  registry: Registry,
  outbox: IncidentServiceOptions['outbox'],
  secrets: SecretRegistry,
  ha: HighAvailability | null,
  slo: IncidentServiceOptions['slo'],
  keepDelivery: IncidentServiceOptions['keepDelivery'],
): Promise<IncidentService> {
  const {home} = config;
  const fields = (f?: Record<string, unknown>) => f ?? {};
  if (!config.stateFile && !ha) logger.warn('HEALTHCHECK_STATE_FILE is not set: open incidents and undelivered posts are lost on restart');
  let rows: (() => ProbeRow[]) | null = null;
  const service: IncidentService = await incidentService({
    bot: parts.bot,
    admin: parts.admin,
    botUserId: parts.botUserId,
    siteUrl: home.url,
    team: home.team,
    teams: config.teams,
    opsChannel: config.opsChannel,
    stateFile: config.stateFile,
    ...(ha ? {ha} : {}),
    historySaveMs: config.resultsSaveIntervalMs,
    publicUrl: config.publicUrl,
    trigger: config.slash.trigger,
    slashTokens: config.slash.tokens,
    onSecret: (value) => secrets.add(value),
    ...(parts.sign ? {sign: parts.sign} : {}),
    settings: config.incidents,
    actions: {...config.actions, opsChannel: config.opsChannel},
    registry,
    history,
    configured: parts.keys,
    outbox,
    slo,
    keepDelivery,
    knownProbes: () => config.probes.filter((p) => p.enabled).map((p) => p.name),
    probeRows: () => (rows ??= cachedStatusRows({history, jobs: parts.keys, states: service.stateSource()}))(),
    runNow: () => {
      const s = scheduler();
      return s ? s.runNow() : Promise.reject(new Error('the prober is not running yet'));
    },
    log: {info: (m, f) => logger.info(fields(f), m), warn: (m, f) => logger.warn(fields(f), m), error: (m, f) => logger.error(fields(f), m)},
  });
  return service;
}
