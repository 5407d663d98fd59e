// The outbox on /metrics: what waits per lane, what was set aside, and what was dropped and why.
import {Counter, Gauge, type Registry} from 'prom-client';
import type {DropReason, Lane, OutboxItem} from './outbox';

export interface OutboxMetrics {
  dropped(item: OutboxItem, reason: DropReason): void;
  parked(item: OutboxItem): void;
  /** A double found in the channel: posts beyond the first with one delivery id. */
  duplicates(extra: number): void;
}

const LANES: readonly Lane[] = ['alert', 'report'];
const REASONS: readonly DropReason[] = ['refused', 'age', 'count', 'superseded', 'thread'];

export function createOutboxMetrics(registry: Registry, counts: () => {alert: number; report: number; parked: number}): OutboxMetrics {
  const registers = [registry];
  new Gauge({
    name: 'healthcheck_outbox_pending',
    help: 'Posts waiting for Mattermost, by lane (alert: incidents and mutes; report: report posts)',
    labelNames: ['lane'],
    registers,
    collect() {
      const c = counts();
      for (const lane of LANES) this.set({lane}, c[lane]);
    },
  });
  new Gauge({
    name: 'healthcheck_outbox_parked',
    help: 'Posts Mattermost refused for good (401/403/404) and set aside',
    registers,
    collect() {
      this.set(counts().parked);
    },
  });
  const parkedTotal = new Counter({name: 'healthcheck_outbox_parked_posts_total', help: 'Posts set aside because Mattermost refused them (401/403/404)', labelNames: ['lane'], registers});
  const droppedTotal = new Counter({
    name: 'healthcheck_outbox_dropped_total',
    help: 'Posts dropped: refused as invalid, too old, too many waiting, superseded by a newer report or edit, or with the root of their thread',
    labelNames: ['lane', 'reason'],
    registers,
  });
  const duplicatesTotal = new Counter({
    name: 'healthcheck_outbox_duplicates_total',
    help: 'Posts found in the ops channel carrying the delivery id of an earlier one (a double; should stay 0)',
    registers,
  });
  // Every series exists from the first scrape, so increase() works at once.
  for (const lane of LANES) {
    parkedTotal.inc({lane}, 0);
    for (const reason of REASONS) droppedTotal.inc({lane, reason}, 0);
  }
  return {
    dropped: (item, reason) => droppedTotal.inc({lane: item.lane ?? 'alert', reason}),
    duplicates: (extra) => duplicatesTotal.inc(extra),
    parked: (item) => parkedTotal.inc({lane: item.lane ?? 'alert'}),
  };
}
