// New content for a post already on its way: a create still waiting is rewritten; otherwise one
// patch per burst carries the latest content (a waiting patch takes the newer content; the one in
// flight is never touched, a new patch follows it). Each content carries its revision.
import type {OutboxQueue} from './queue';
import type {Revisions} from './revisions';
import type {OutboxItem} from './types';

export interface Content {
  message: string;
  props: Record<string, unknown>;
}

export class Edits {
  constructor(
    private readonly queue: OutboxQueue,
    private readonly revisions: Revisions,
  ) {}

  /** The create of this post still waiting (not in flight): it takes the content, nothing more is sent. */
  rewriteWaitingCreate(deliveryId: string, content: Content, rev: number, inFlight: string | null): OutboxItem | null {
    const waiting = this.queue.find((p) => p.deliveryId === deliveryId && p.op === 'create');
    if (!waiting || inFlight === deliveryId) return null;
    Object.assign(waiting, {message: content.message, props: content.props, rev});
    return waiting;
  }

  /** A patch of this post waiting (not in flight) takes the newer content; null when none waits. */
  coalesce(deliveryId: string, content: Content, rev: number, happenedAt: number, inFlight: string | null): OutboxItem | null {
    const waiting = this.queue.find((p) => p.op === 'patch' && p.rootDeliveryId === deliveryId && p.deliveryId !== inFlight);
    if (!waiting) return null;
    Object.assign(waiting, {message: content.message, props: content.props, rev, happenedAt});
    return waiting;
  }

  /** The server shows this content now (a button's answer): the revision counts as applied. */
  applied(deliveryId: string): number {
    const rev = this.revisions.next(deliveryId);
    this.revisions.markApplied(deliveryId, rev);
    return rev;
  }

  /** An edit in flight or waiting (the one in flight stays in the queue until answered) may land after newer content. */
  anyEdit(deliveryId: string): boolean {
    return this.queue.find((p) => p.op === 'patch' && p.rootDeliveryId === deliveryId) !== undefined;
  }
}
