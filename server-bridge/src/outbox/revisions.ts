// Revisions of a post's content (an incident's root and its edits): every new content gets the next
// number, the newest one known to be on the server is remembered, and an edit never sends content
// older than that (a button's answer, applied by Mattermost itself, counts as applied).

export class Revisions {
  private readonly latest = new Map<string, number>();
  private readonly applied = new Map<string, number>();

  /** Restores from what the outbox kept: the revisions its items carry and those of delivered posts. */
  constructor(restored: {items: readonly {deliveryId: string; op: string; rootDeliveryId?: string; rev?: number}[]; delivered: readonly {deliveryId: string; rev?: number}[]}) {
    for (const d of restored.delivered) {
      if (d.rev === undefined) continue;
      this.applied.set(d.deliveryId, d.rev);
      this.latest.set(d.deliveryId, d.rev);
    }
    for (const i of restored.items) {
      const post = i.op === 'patch' ? i.rootDeliveryId : i.deliveryId;
      if (post && i.rev !== undefined) this.latest.set(post, Math.max(this.latest.get(post) ?? 0, i.rev));
    }
  }

  /** The next revision of a post's content. */
  next(deliveryId: string): number {
    const rev = (this.latest.get(deliveryId) ?? 0) + 1;
    this.latest.set(deliveryId, rev);
    return rev;
  }

  /** The newest revision known to be on the server (0: none known). */
  appliedOf(deliveryId: string): number {
    return this.applied.get(deliveryId) ?? 0;
  }

  markApplied(deliveryId: string, rev: number): void {
    if (rev > this.appliedOf(deliveryId)) this.applied.set(deliveryId, rev);
  }

  /** Content older than what the server already shows: never send it. */
  isStale(deliveryId: string, rev: number | undefined): boolean {
    return rev !== undefined && rev < this.appliedOf(deliveryId);
  }

  forget(deliveryId: string): void {
    this.latest.delete(deliveryId);
    this.applied.delete(deliveryId);
  }
}
