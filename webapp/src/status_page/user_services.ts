// What users feel, from a report: each service is a group of probes, its state the worst of them,
// its uptime the lowest; incidents in the services' names. No probe, target, URL or error text.
// The services and their probes are the contract's (the bridge's notice names the same ones).
import {SERVICES, servicesOf, type Report, type ServiceKey} from '@contract';

export type ServiceState = 'operational' | 'degraded' | 'outage' | 'unknown';

export interface UserService {
  key: ServiceKey;
  state: ServiceState;
  /** Since when in that state (null: unknown). */
  since: number | null;
  uptime24h: number | null;
  uptime7d: number | null;
}

export interface UserIncident {
  services: ServiceKey[];
  openedAt: number;
  resolvedAt: number | null;
}

const DAY = 86_400_000;
const RANK: Record<ServiceState, number> = {operational: 0, unknown: 1, degraded: 2, outage: 3};
const fromProbe = (state: string): ServiceState | null =>
  state === 'ok' ? 'operational' : state === 'degraded' ? 'degraded' : state === 'failing' ? 'outage' : state === 'unknown' ? 'unknown' : null;

export function userIncidents(report: Report): UserIncident[] {
  return report.incidents
    .map((i) => ({services: servicesOf(i.probes), openedAt: i.openedAt, resolvedAt: i.resolvedAt}))
    .filter((i) => i.services.length > 0)
    .sort((a, b) => b.openedAt - a.openedAt);
}

/** Share of the last 7 days a service spent outside incidents (from the incidents the report lists). */
function uptime7d(key: ServiceKey, incidents: readonly UserIncident[], now: number): number {
  const from = now - 7 * DAY;
  const down = incidents.filter((i) => i.services.includes(key)).reduce((sum, i) => sum + Math.max(0, Math.min(i.resolvedAt ?? now, now) - Math.max(i.openedAt, from)), 0);
  return Math.max(0, 1 - down / (7 * DAY));
}

export function userServices(report: Report, now: number): UserService[] {
  const incidents = userIncidents(report);
  return (Object.keys(SERVICES) as ServiceKey[]).flatMap((key) => {
    const probes = report.probes.filter((p) => (SERVICES[key] as readonly string[]).includes(p.probe));
    const measured = probes.flatMap((p) => {
      const state = fromProbe(p.state);
      return state ? [{...p, userState: state}] : [];
    });
    // A service none of whose probes runs here is not shown (e.g. mobile without a device).
    if (measured.length === 0) return [];
    const worst = measured.reduce((w, p) => (RANK[p.userState] > RANK[w.userState] ? p : w));
    const uptimes = measured.map((p) => p.uptime24h).filter((u): u is number => u !== null);
    return [{key, state: worst.userState, since: worst.since, uptime24h: uptimes.length ? Math.min(...uptimes) : null, uptime7d: uptime7d(key, incidents, now)}];
  });
}
