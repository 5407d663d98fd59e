// One bridge's incident parts over a store and the burn-rate objectives on their outbox, for tests of
// what several bridges keep in a shared store (in memory, a state file, PostgreSQL); never started,
// so nothing is sent.
import {DEFAULT_INCIDENT_SETTINGS} from '../../incidents/incidents';
import {MattermostClient} from '../../mm/client';
import {ResultHistory} from '../../results/history';
import {DEFAULT_SLOS, type Slo} from '../../slo/definitions';
import {SloService} from '../../slo/service';
import {incidentParts} from '../incident-parts';
import type {IncidentServiceOptions} from '../incident-service';

const quiet = {info: () => undefined, warn: () => undefined, error: () => undefined};

/** The log-in objective of the defaults, on target mm. */
export const LOGIN_SLOS: Slo[] = [{...(DEFAULT_SLOS[0] as Slo), target: 'mm'}];

/** `o` says where its state is kept (store or stateFile) and anything else of the parts to change. */
export async function sloBridge(now: {t: number}, history: ResultHistory, o: Partial<IncidentServiceOptions>) {
  const parts = await incidentParts({
    bot: new MattermostClient({url: 'http://127.0.0.1:9', token: 'bottoken'}),
    siteUrl: 'http://127.0.0.1:9',
    team: 'team',
    teams: ['team'],
    opsChannel: 'ops',
    settings: DEFAULT_INCIDENT_SETTINGS,
    knownProbes: () => ['login'],
    probeRows: () => [],
    runNow: async () => [],
    log: quiet,
    now: () => now.t,
    ...o,
  });
  const slo = new SloService({
    slos: LOGIN_SLOS,
    history,
    outbox: parts.outbox,
    opsChannelId: '~ops',
    logChannelId: async () => 'log',
    isMuted: () => false,
    state: parts.sloState,
    log: quiet,
    now: () => now.t,
  });
  /** The alert roots waiting in the outbox. */
  const roots = () => parts.outbox.snapshot().pending.filter((i) => i.deliveryId.startsWith('slo_') && i.deliveryId.endsWith(':root'));
  return {parts, slo, roots};
}

/** An hour of log-ins on mm up to now, a third of them failing: the fast burn-rate rule fires. */
export function burningHistory(now: {t: number}): ResultHistory {
  const history = new ResultHistory();
  for (let i = 0; i < 60; i++) history.record({probe: 'login', target: 'mm', ok: i % 3 !== 0, durationMs: 9, startedAt: now.t - 3_600_000 + i * 60_000, checks: []});
  return history;
}
