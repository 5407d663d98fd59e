// The objectives of a running bridge (slo/service.ts) joined to the parts they ride on: the
// result history, the incident service's outbox and mutes, the log channel, /metrics.
import type {Registry} from 'prom-client';
import type {Config} from '../config';
import type {Logger} from '../logger';
import {channelIdResolver} from '../mm/lookups';
import type {ResultHistory} from '../results/history';
import {monthOf} from '../slo/month';
import {SloService} from '../slo/service';
import type {SlashDeps} from '../slash/route';
import type {ReportSources} from '../report/builder';
import {buildStrips} from '../report/strips';
import {sloReports} from '../slo/report';
import type {BridgeParts} from './parts';
import type {IncidentService} from './incident-service';
import {sloAlertOutbox} from './slo-actions';

/** The ops channel as the outbox's channel resolver knows it (incident-parts.ts). */
const OPS_REF = '~ops';

export function sloService(config: Config, parts: BridgeParts, history: ResultHistory, incidents: IncidentService, registry: Registry, logger: Logger, mayAlert?: () => boolean): SloService {
  return new SloService({
    slos: config.slos,
    history,
    // Roots leave with their buttons and signature, as incident roots do.
    outbox: sloAlertOutbox({
      outbox: incidents.outbox,
      ...(parts.sign ? {sign: parts.sign} : {}),
      buttons: incidents.buttonTarget(),
      isMuted: (p, now) => incidents.incidents.isMuted(p, now),
      now: Date.now,
    }),
    opsChannelId: OPS_REF,
    logChannelId: channelIdResolver(parts.bot, config.home.team, config.logChannel),
    isMuted: (probe, now) => incidents.incidents.isMuted(probe, now),
    state: incidents.sloState,
    legacyFile: config.stateFile ? `${config.stateFile}.slo` : null,
    ...(mayAlert ? {mayAlert} : {}),
    registry,
    log: {info: (m, f) => logger.info(f ?? {}, m), warn: (m, f) => logger.warn(f ?? {}, m), error: (m, f) => logger.error(f ?? {}, m)},
  });
}

/** What reports carry of the objectives (once they run) and the home target's 90-day strips. */
export function reportExtras(config: Config, history: ResultHistory, service: () => SloService | null): NonNullable<ReportSources['extras']> {
  return (now) => {
    const s = service();
    return {...(s && s.slos.length > 0 ? {slos: sloReports(s, history, now)} : {}), strips: buildStrips(history, config.home.name, now)};
  };
}

/** /healthcheck slo for the slash route, before the service exists (it needs the outbox the route's service builds). */
export function sloSlash(service: () => SloService | null): NonNullable<SlashDeps['slo']> {
  const none = 'Service level objectives are starting; try again in a moment.';
  return {
    answer: () => service()?.answer() ?? none,
    acknowledge: (slo, by) => service()?.acknowledge(slo, by) ?? none,
    report: async () => {
      const s = service();
      if (s) await s.postReport(monthOf(Date.now()), `asked_${Date.now()}`);
    },
  };
}
