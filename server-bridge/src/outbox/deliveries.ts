// What the outbox knows reached the server: delivery id → post id (replies and edits of a root need
// it), bounded but never forgetting what it is told to keep (roots of open incidents); and the
// look-up of an earlier delivery by its id before anything that may have been stored is sent again.
import type {PostApi} from './post-api';
import type {DeliveredRecord, OutboxItem} from './types';

export class Deliveries {
  private readonly records: Map<string, DeliveredRecord>;

  constructor(
    private readonly api: PostApi,
    private readonly maxDelivered: number,
    private readonly keep: (deliveryId: string) => boolean,
    restored: readonly DeliveredRecord[] = [],
  ) {
    this.records = new Map(restored.map((d) => [d.deliveryId, d]));
  }

  has(deliveryId: string): boolean {
    return this.records.has(deliveryId);
  }

  get(deliveryId: string): DeliveredRecord | undefined {
    return this.records.get(deliveryId);
  }

  postIdOf(deliveryId: string): string | null {
    return this.records.get(deliveryId)?.postId ?? null;
  }

  all(): DeliveredRecord[] {
    return [...this.records.values()];
  }

  remember(record: DeliveredRecord): void {
    this.records.set(record.deliveryId, record);
    if (this.records.size <= this.maxDelivered) return;
    for (const id of this.records.keys()) {
      if (this.records.size <= this.maxDelivered) break;
      if (!this.keep(id)) this.records.delete(id);
    }
  }

  /** The post an earlier attempt left on the server (only the bot's count), with the revision it carries. */
  async findEarlier(item: OutboxItem, signal: AbortSignal): Promise<{postId: string; rev: number} | null> {
    return this.api.findDelivered(item.channelId, item.deliveryId, item.enqueuedAt ?? item.happenedAt, signal);
  }
}
