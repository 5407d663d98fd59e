// The outbox's waiting posts in order, and the ones set aside (parked) because Mattermost refused
// them (401/403/404): a thread stays in order (what comes after a parked item of its thread waits
// parked behind it), and both lists are bounded in age and count, every drop through Drops.
import type {Drops} from './drops';
import {laneOf, threadOf, type OutboxItem} from './types';

export interface QueueBounds {
  /** At most this many alerts wait; the oldest beyond it are dropped. */
  maxPending: number;
  /** A post (waiting or parked) older than this is dropped. */
  maxAgeMs: number;
  /** At most this many parked posts; the oldest beyond it are dropped. */
  maxParked: number;
}

const bySeq = (a: OutboxItem, b: OutboxItem) => (a.seq ?? 0) - (b.seq ?? 0);

export class OutboxQueue {
  pending: OutboxItem[];
  parked: OutboxItem[];
  private seq: number;

  constructor(
    private readonly bounds: QueueBounds,
    private readonly drops: Drops,
    restored: {pending: OutboxItem[]; parked: OutboxItem[]} = {pending: [], parked: []},
  ) {
    // Files of before had no seq: their order in the file is the order.
    let n = 0;
    const number = (i: OutboxItem) => ({...i, seq: i.seq ?? ++n});
    this.pending = restored.pending.map(number);
    this.parked = restored.parked.map(number);
    this.seq = Math.max(n, ...[...this.pending, ...this.parked].map((i) => i.seq ?? 0));
    this.pending.sort(bySeq);
    this.parked.sort(bySeq);
  }

  nextSeq(): number {
    return ++this.seq;
  }

  has(deliveryId: string): boolean {
    return this.pending.some((p) => p.deliveryId === deliveryId) || this.parked.some((p) => p.deliveryId === deliveryId);
  }

  find(match: (i: OutboxItem) => boolean): OutboxItem | undefined {
    return this.pending.find(match) ?? this.parked.find(match);
  }

  /** A new item: behind a parked item of its thread it waits parked too (in order); otherwise it waits to be sent. */
  add(item: OutboxItem): 'pending' | 'parked' {
    const ahead = this.parked.find((p) => threadOf(p) === threadOf(item));
    if (ahead) {
      this.parked.push({...item, nextAttemptAt: ahead.nextAttemptAt});
      return 'parked';
    }
    this.pending.push(item);
    return 'pending';
  }

  remove(item: OutboxItem): void {
    this.pending = this.pending.filter((p) => p !== item);
    this.parked = this.parked.filter((p) => p !== item);
  }

  /** Sets an item aside until retryAt, with what waits behind it in its thread (never the one in flight); returns those. */
  park(item: OutboxItem, retryAt: number, inFlight: string | null): OutboxItem[] {
    const thread = this.pending.filter((p) => p !== item && threadOf(p) === threadOf(item) && (p.seq ?? 0) > (item.seq ?? 0) && p.deliveryId !== inFlight);
    this.pending = this.pending.filter((p) => p !== item && !thread.includes(p));
    item.nextAttemptAt = retryAt;
    for (const t of thread) t.nextAttemptAt = retryAt;
    this.parked = [...this.parked, item, ...thread].sort(bySeq);
    return thread;
  }

  /** Parked alerts of a channel are due now (a later alert there went through). */
  wakeChannel(channelId: string, now: number): void {
    for (const p of this.parked) if (p.channelId === channelId && laneOf(p) === 'alert') p.nextAttemptAt = Math.min(p.nextAttemptAt, now);
  }

  /** Parked alerts due for another try go back among the waiting ones, in their order; returns them. */
  unparkDue(now: number): OutboxItem[] {
    const due = this.parked.filter((p) => laneOf(p) === 'alert' && p.nextAttemptAt <= now);
    if (due.length === 0) return due;
    this.parked = this.parked.filter((p) => !due.includes(p));
    for (const p of due) p.nextAttemptAt = now;
    this.pending = [...due, ...this.pending].sort(bySeq);
    return due;
  }

  /** Drops what is in the way of a newer report: older reports waiting (not in flight) or parked. */
  supersedeReports(inFlight: string | null): void {
    const old = [...this.pending, ...this.parked].filter((p) => laneOf(p) === 'report' && p.deliveryId !== inFlight);
    this.dropWithThreads(old, 'superseded');
  }

  /** Drops items (and what waits in the threads they root) through Drops. */
  dropWithThreads(dropped: readonly OutboxItem[], reason: Parameters<Drops['drop']>[1], detail?: string, inFlight: string | null = null): void {
    if (dropped.length === 0) return;
    const items = [...dropped].sort(bySeq);
    const roots = new Set(items.filter((i) => i.op === 'create' && !i.rootDeliveryId).map((i) => i.deliveryId));
    const followers = [...this.pending, ...this.parked].filter((p) => !items.includes(p) && p.rootDeliveryId !== undefined && roots.has(p.rootDeliveryId) && p.deliveryId !== inFlight);
    for (const i of [...items, ...followers]) this.remove(i);
    this.drops.drop(items, reason, detail);
    this.drops.drop(followers, 'thread', `roots: ${[...roots].slice(0, 3).join(', ')}`);
  }

  /** Drops what waited or sat parked too long, then the oldest alerts and parked posts beyond their counts (never the one in flight). */
  enforce(now: number, inFlight: string | null): void {
    const {maxAgeMs, maxPending, maxParked} = this.bounds;
    const old = [...this.pending, ...this.parked].filter((p) => p.deliveryId !== inFlight && now - (p.enqueuedAt ?? now) > maxAgeMs);
    this.dropWithThreads(old, 'age', `older than ${Math.round(maxAgeMs / 3_600_000)} h`, inFlight);
    const alerts = this.pending.filter((p) => laneOf(p) === 'alert' && p.deliveryId !== inFlight);
    this.dropWithThreads(alerts.slice(0, Math.max(0, alerts.length - maxPending)), 'count', `more than ${maxPending} waiting`, inFlight);
    this.dropWithThreads(this.parked.slice(0, Math.max(0, this.parked.length - maxParked)), 'count', `more than ${maxParked} set aside`, inFlight);
  }
}
