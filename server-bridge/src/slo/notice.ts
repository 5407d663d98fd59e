// Burn-rate pages in the degraded-service notice: an SLO of a service users feel that is burning
// its budget fast (page, not muted) makes that service "slow" in the notice, beside the incidents'
// services (an incident's "down" wins). Ticket-level burns are for the admins only.
import {SERVICE_KEYS, type Notice, type ServiceKey} from '../contract/notice';
import type {ServiceName, Slo} from './definitions';
import type {SloAlert} from './burn-alerts';

/** The objectives' services in the notice's words. */
const NOTICE_KEY: Record<ServiceName, ServiceKey> = {login: 'signIn', post: 'messages', search: 'search', realtime: 'messages'};

export function withSloAlerts(base: Notice | null, alerts: readonly SloAlert[], slos: readonly Slo[], isMuted: (probe: string) => boolean): Notice | null {
  const services = new Map(base?.services.map((s) => [s.key, s.down]) ?? []);
  let since = base?.since ?? Infinity;
  for (const alert of alerts) {
    const slo = slos.find((s) => s.name === alert.slo);
    if (alert.severity !== 'page' || !slo?.service || slo.probes.every(isMuted)) continue;
    const key = NOTICE_KEY[slo.service];
    services.set(key, services.get(key) ?? false);
    since = Math.min(since, alert.openedAt);
  }
  if (services.size === 0) return null;
  return {services: SERVICE_KEYS.filter((k) => services.has(k)).map((key) => ({key, down: services.get(key) === true})), since: Math.floor(since / 1000) * 1000};
}
