// What users feel, from a report: each service is a group of probes, its state the worst of them,
// its uptime the lowest, over the time the bridge observed (said with it); incidents in the
// services' names. "The server" (ping) is shown only when nothing users do is measured: a ping
// UNHEALTHY by GoroutineHealthThreshold while signing in and posting work is the admins' business.
// No probe, target, URL or error text.
// The services and their probes are the contract's (the bridge's notice names the same ones).
import {SERVICES, servicesOf, type Report, type ServiceKey} from '@contract';

export type ServiceState = 'operational' | 'degraded' | 'outage' | 'unknown';

export interface UserService {
  key: ServiceKey;
  state: ServiceState;
  /** Since when in that state (null: unknown). */
  since: number | null;
  uptime24h: number | null;
  /** Time observed of the last 24 h (null: the bridge does not say, an older one). */
  observed24hMs: number | null;
  /** Over the time observed in the last 7 days (null: no runs, or a bridge too old to say). */
  uptime7d: number | null;
  observed7dMs: number | null;
}

export interface UserIncident {
  services: ServiceKey[];
  openedAt: number;
  resolvedAt: number | null;
}

const RANK: Record<ServiceState, number> = {operational: 0, unknown: 1, degraded: 2, outage: 3};
const fromProbe = (state: string): ServiceState | null =>
  state === 'ok' ? 'operational' : state === 'degraded' ? 'degraded' : state === 'failing' ? 'outage' : state === 'unknown' ? 'unknown' : null;

/** What users do: any of it measured makes "the server" an admins' matter. */
const USER_PATHS: readonly ServiceKey[] = ['signIn', 'messages', 'search', 'channels'];

function measuresUserPaths(report: Report): boolean {
  return report.probes.some((p) => p.state !== 'not_configured' && USER_PATHS.some((k) => (SERVICES[k] as readonly string[]).includes(p.probe)));
}

export function userIncidents(report: Report): UserIncident[] {
  const hidden = measuresUserPaths(report) ? 'server' : null;
  return report.incidents
    .map((i) => ({services: servicesOf(i.probes).filter((k) => k !== hidden), openedAt: i.openedAt, resolvedAt: i.resolvedAt}))
    .filter((i) => i.services.length > 0)
    .sort((a, b) => b.openedAt - a.openedAt);
}

const lowest = (values: readonly (number | null | undefined)[]) => {
  const known = values.filter((v): v is number => typeof v === 'number');
  return known.length ? Math.min(...known) : null;
};
const longest = (values: readonly (number | null | undefined)[]) => {
  const known = values.filter((v): v is number => typeof v === 'number');
  return known.length ? Math.max(...known) : null;
};

export function userServices(report: Report): UserService[] {
  const hideServer = measuresUserPaths(report);
  return (Object.keys(SERVICES) as ServiceKey[]).flatMap((key) => {
    if (key === 'server' && hideServer) return [];
    const probes = report.probes.filter((p) => (SERVICES[key] as readonly string[]).includes(p.probe));
    const measured = probes.flatMap((p) => {
      const state = fromProbe(p.state);
      return state ? [{...p, userState: state}] : [];
    });
    // A service none of whose probes runs here is not shown (e.g. mobile without a device).
    if (measured.length === 0) return [];
    const worst = measured.reduce((w, p) => (RANK[p.userState] > RANK[w.userState] ? p : w));
    return [
      {
        key,
        state: worst.userState,
        since: worst.since,
        uptime24h: lowest(measured.map((p) => p.uptime24h)),
        observed24hMs: longest(measured.map((p) => p.observed24hMs)),
        uptime7d: lowest(measured.map((p) => p.uptime7d)),
        observed7dMs: longest(measured.map((p) => p.observed7dMs)),
      },
    ];
  });
}
