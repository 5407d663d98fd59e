// The one place a post leaves the outbox without being delivered: counted (healthcheck_outbox_dropped_total
// through onDropped) and logged, whatever the reason.
import {laneOf, type DropReason, type OutboxItem, type OutboxLog} from './types';

const WHY: Record<DropReason, string> = {
  refused: 'Mattermost refused it as invalid',
  age: 'it waited longer than the age bound',
  count: 'more posts waited than the bound allows',
  superseded: 'a newer version took its place',
  thread: 'the root of its thread was dropped',
};

export class Drops {
  constructor(
    private readonly log: OutboxLog,
    private readonly onDropped: (item: OutboxItem, reason: DropReason) => void,
  ) {}

  drop(items: readonly OutboxItem[], reason: DropReason, detail?: string): void {
    if (items.length === 0) return;
    for (const item of items) this.onDropped(item, reason);
    // A report replaced by a newer one is the normal course; every other drop loses something.
    const routine = reason === 'superseded' && items.every((i) => laneOf(i) === 'report' || i.op === 'patch');
    (routine ? this.log.info : this.log.error).call(this.log, `outbox: ${items.length} post(s) dropped: ${WHY[reason]}${detail ? ` (${detail})` : ''}`, {
      reason,
      deliveryIds: items.slice(0, 10).map((i) => i.deliveryId),
      lanes: [...new Set(items.map(laneOf))],
      ops: [...new Set(items.map((i) => i.op))],
    });
  }
}
