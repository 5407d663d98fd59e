// The degraded-service notice from the open incidents: each service users feel that an open incident
// touches through a probe nobody muted, down when that probe is failing, else slow; since the
// earliest such incident opened. Muted or resolved incidents (and probes no service holds) say nothing.
import {SERVICE_KEYS, servicesOf, type Notice, type NoticeService} from '../contract/notice';
import type {HealthState} from './tracker';

export interface OpenIncident {
  target: string;
  probes: readonly string[];
  openedAt: number;
}

export function noticeOf(open: readonly OpenIncident[], isMuted: (probe: string) => boolean, stateOf: (probe: string, target: string) => HealthState | undefined): Notice | null {
  const down = new Map<NoticeService['key'], boolean>();
  let since = Infinity;
  for (const incident of open) {
    for (const probe of incident.probes.filter((p) => !isMuted(p))) {
      for (const key of servicesOf([probe])) {
        down.set(key, (down.get(key) ?? false) || stateOf(probe, incident.target) === 'failing');
        since = Math.min(since, incident.openedAt);
      }
    }
  }
  if (down.size === 0) return null;
  return {services: SERVICE_KEYS.filter((k) => down.has(k)).map((key) => ({key, down: down.get(key) === true})), since: Math.floor(since / 1000) * 1000};
}
