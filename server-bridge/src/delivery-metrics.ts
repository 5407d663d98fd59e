// Metrics of what the bridge delivers to Mattermost: how long the outbox has been stuck and the
// freshness of the report posts the plugin reads (the outbox's counts: outbox/metrics.ts).
// Read at scrape time, so they cost nothing between scrapes.
import {Gauge, type Registry} from 'prom-client';
import type {OutboxState} from './outbox/outbox';

export interface DeliverySources {
  /** When the oldest post waiting for Mattermost was queued. */
  backlog: () => {oldestAt: number | null};
  heartbeatMs: number;
  now?: () => number;
}

export interface DeliveryMetrics {
  /** A report post was accepted by Mattermost at this time (ms). */
  reportDelivered(at: number): void;
}

export function createDeliveryMetrics(registry: Registry, sources: DeliverySources): DeliveryMetrics {
  const now = sources.now ?? Date.now;
  const registers = [registry];
  // Until the first report lands, its age counts from the start, so a bridge that never posts goes stale too.
  let lastReportAt = now();
  new Gauge({
    name: 'healthcheck_outbox_oldest_pending_age_seconds',
    help: 'How long the oldest post in the outbox has waited for Mattermost; 0 when the outbox is empty',
    registers,
    collect() {
      const {oldestAt} = sources.backlog();
      this.set(oldestAt === null ? 0 : Math.max(0, (now() - oldestAt) / 1000));
    },
  });
  new Gauge({
    name: 'healthcheck_report_last_delivered_timestamp_seconds',
    help: 'When Mattermost last accepted a report post (Unix time; the start time until the first one)',
    registers,
    collect() {
      this.set(lastReportAt / 1000);
    },
  });
  new Gauge({name: 'healthcheck_report_heartbeat_seconds', help: 'Configured interval of report posts when nothing changes', registers}).set(sources.heartbeatMs / 1000);
  return {
    reportDelivered(at) {
      lastReportAt = Math.max(lastReportAt, at);
    },
  };
}

export function backlogOf(state: OutboxState): {oldestAt: number | null} {
  return {oldestAt: state.pending.reduce<number | null>((min, p) => Math.min(min ?? Infinity, p.enqueuedAt ?? p.happenedAt), null)};
}
