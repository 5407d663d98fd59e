// The degraded-service notice from the open incidents: each service users feel that an open incident
// touches through a probe nobody muted, down when that probe is failing, else slow; since the
// earliest such incident opened. Muted or resolved incidents (and probes no service holds) say nothing,
// and neither does the server's own health while what users do works.
import {SERVICE_KEYS, SERVICES, servicesOf, type Notice, type NoticeService} from '../contract/notice';
import type {HealthState} from './tracker';

export interface OpenIncident {
  target: string;
  probes: readonly string[];
  openedAt: number;
}

/** Probes of what users do: one of them working proves the server answers. */
const USER_PATHS: readonly string[] = [...SERVICES.signIn, ...SERVICES.messages, ...SERVICES.search, ...SERVICES.channels];

export function noticeOf(open: readonly OpenIncident[], isMuted: (probe: string) => boolean, stateOf: (probe: string, target: string) => HealthState | undefined): Notice | null {
  const down = new Map<NoticeService['key'], boolean>();
  let since = Infinity;
  for (const incident of open) {
    // Users feel "the server" only when nothing they use works: a ping UNHEALTHY by
    // GoroutineHealthThreshold while signing in or posting works is the admins' business alone.
    const answers = USER_PATHS.some((p) => stateOf(p, incident.target) === 'ok');
    for (const probe of incident.probes.filter((p) => !isMuted(p))) {
      for (const key of servicesOf([probe])) {
        if (key === 'server' && answers) continue;
        down.set(key, (down.get(key) ?? false) || stateOf(probe, incident.target) === 'failing');
        since = Math.min(since, incident.openedAt);
      }
    }
  }
  if (down.size === 0) return null;
  return {services: SERVICE_KEYS.filter((k) => down.has(k)).map((key) => ({key, down: down.get(key) === true})), since: Math.floor(since / 1000) * 1000};
}
