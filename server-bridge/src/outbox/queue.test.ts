import {Drops} from './drops';
import {OutboxQueue} from './queue';
import type {DropReason, OutboxItem} from './types';

const item = (deliveryId: string, extra: Partial<OutboxItem> = {}): OutboxItem => ({
  deliveryId,
  op: 'create',
  channelId: 'c',
  message: deliveryId,
  props: {},
  happenedAt: 0,
  enqueuedAt: 0,
  attempts: 0,
  nextAttemptAt: 0,
  ...extra,
});

describe('the outbox queue', () => {
  const dropped: string[] = [];
  const errors: string[] = [];
  const drops = new Drops({info: () => undefined, warn: () => undefined, error: (m) => errors.push(m)}, (i, reason: DropReason) => dropped.push(`${i.deliveryId}:${reason}`));
  beforeEach(() => {
    dropped.length = 0;
    errors.length = 0;
  });
  const queue = (bounds: Partial<ConstructorParameters<typeof OutboxQueue>[0]> = {}) => new OutboxQueue({maxPending: 100, maxAgeMs: 1_000, maxParked: 100, ...bounds}, drops);
  const add = (q: OutboxQueue, i: OutboxItem) => q.add({...i, seq: q.nextSeq()});

  it('keeps the order of a restored file that had no sequence numbers', () => {
    const q = new OutboxQueue({maxPending: 9, maxAgeMs: 9, maxParked: 9}, drops, {pending: [item('a'), item('b')], parked: [item('p')]});
    expect(q.pending.map((i) => [i.deliveryId, i.seq])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(q.nextSeq()).toBe(4);
  });

  it('parks an item with what follows it in its thread, and brings them back in order', () => {
    const q = queue();
    for (const i of [item('root'), item('other'), item('reply', {rootDeliveryId: 'root'}), item('edit', {op: 'patch', rootDeliveryId: 'root'})]) add(q, i);
    const followers = q.park(q.pending[0] as OutboxItem, 500, null);
    expect(followers.map((i) => i.deliveryId)).toEqual(['reply', 'edit']);
    expect(q.pending.map((i) => i.deliveryId)).toEqual(['other']);
    expect(add(q, item('later', {rootDeliveryId: 'root'}))).toBe('parked');
    expect(q.unparkDue(499)).toEqual([]);
    expect(q.unparkDue(500).map((i) => i.deliveryId)).toEqual(['root', 'reply', 'edit', 'later']);
    expect(q.pending.map((i) => i.deliveryId)).toEqual(['root', 'other', 'reply', 'edit', 'later']);
  });

  it('never takes the item in flight along when parking', () => {
    const q = queue();
    for (const i of [item('reply1', {rootDeliveryId: 'r'}), item('reply2', {rootDeliveryId: 'r'})]) add(q, i);
    q.park(q.pending[0] as OutboxItem, 500, 'reply2');
    expect(q.pending.map((i) => i.deliveryId)).toEqual(['reply2']);
  });

  it('drops by age from both lists and by count, a root with its thread, each counted and logged', () => {
    const q = queue({maxPending: 3});
    for (const i of [item('root'), item('b'), item('reply', {rootDeliveryId: 'root'}), item('c')]) add(q, i);
    q.enforce(0, null);
    expect(dropped).toEqual(['root:count', 'reply:thread']);
    q.park(q.pending[0] as OutboxItem, 10_000, null);
    q.enforce(1_001, null);
    expect(dropped).toEqual(['root:count', 'reply:thread', 'b:age', 'c:age']);
    expect(errors).toHaveLength(3);
  });

  it('supersedes waiting and parked reports, not the one in flight', () => {
    const q = queue();
    for (const i of [item('r1', {lane: 'report'}), item('r2', {lane: 'report'}), item('r3', {lane: 'report'})]) add(q, i);
    q.park(q.pending[0] as OutboxItem, 10_000, null);
    q.supersedeReports('r3');
    expect(dropped).toEqual(['r1:superseded', 'r2:superseded']);
    expect(errors).toEqual([]);
    expect(q.pending.map((i) => i.deliveryId)).toEqual(['r3']);
  });
});
