// Builds the incident service from the bridge's config: the seams of run.ts (report sink, states,
// incidents, routes) on one side, the scheduler and result history on the other.
import type {Registry} from 'prom-client';
import type {Config} from '../config';
import type {Logger} from '../logger';
import {MattermostClient} from '../mm/client';
import {probeRegistry} from '../probes/registry';
import type {ResultHistory} from '../results/history';
import {jobsFor, type Scheduler} from '../scheduler';
import type {SecretRegistry} from '../secrets';
import {statusRows} from '../slash/status-rows';
import {IncidentService, type IncidentServiceOptions} from './service';

export function incidentServiceFor(config: Config, logger: Logger, history: ResultHistory, scheduler: () => Scheduler | null, registry?: Registry, outbox?: IncidentServiceOptions['outbox'], secrets?: SecretRegistry): IncidentService {
  const home = config.home;
  const keys = jobsFor(config.probes, probeRegistry, config.targets).map((j) => ({probe: j.probe.name, target: j.target.name}));
  const fields = (f?: Record<string, unknown>) => f ?? {};
  if (!config.stateFile) logger.warn('HEALTHCHECK_STATE_FILE is not set: open incidents and undelivered posts are lost on restart');
  const service: IncidentService = new IncidentService({
    bot: new MattermostClient({url: home.url, token: home.botToken}),
    admin: home.adminToken ? new MattermostClient({url: home.url, token: home.adminToken}) : null,
    siteUrl: home.url,
    team: home.team,
    teams: config.teams,
    opsChannel: config.opsChannel,
    stateFile: config.stateFile,
    historySaveMs: config.resultsSaveIntervalMs,
    publicUrl: config.publicUrl,
    trigger: config.slash.trigger,
    slashTokens: config.slash.tokens,
    onSecret: (value) => secrets?.add(value),
    settings: config.incidents,
    actions: {...config.actions, opsChannel: config.opsChannel},
    registry,
    history,
    configured: keys,
    ...(outbox ? {outbox} : {}),
    knownProbes: () => config.probes.filter((p) => p.enabled).map((p) => p.name),
    probeRows: () => statusRows({history, jobs: keys, states: service.stateSource()}, Date.now()),
    runNow: () => {
      const s = scheduler();
      return s ? s.runNow() : Promise.reject(new Error('the prober is not running yet'));
    },
    log: {info: (m, f) => logger.info(fields(f), m), warn: (m, f) => logger.warn(fields(f), m), error: (m, f) => logger.error(fields(f), m)},
  });
  return service;
}
