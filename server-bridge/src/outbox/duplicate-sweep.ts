// The check on the promise of exactly once: now and then the bot's posts of the last day in the ops
// channel are read, and two posts carrying one delivery id are a double, counted once
// (healthcheck_outbox_duplicates_total) and logged. Reports are not swept (each is replaced by the
// next, and at 50 targets a day of them is tens of megabytes).
import {DELIVERY_ID_PROP} from '../contract';
import {botPostsSince} from '../mm/bot-posts';
import type {MattermostClient} from '../mm/client';
import {describeError} from '../mm/errors';
import type {OutboxLog} from './types';

export interface DuplicateSweepOptions {
  bot: MattermostClient;
  botUserId: () => Promise<string>;
  /** The channels alerts go to (the ops channel). */
  channels: () => Promise<string[]>;
  onDuplicate: (deliveryId: string, postIds: string[]) => void;
  log: OutboxLog;
  everyMs?: number;
  windowMs?: number;
  now?: () => number;
}

export class DuplicateSweep {
  /** Post ids already counted as a double (kept for the window). */
  private readonly counted = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly o: DuplicateSweepOptions) {}

  /** One pass: returns the doubles found this time (delivery id → its posts). */
  async sweep(signal: AbortSignal = AbortSignal.timeout(30_000)): Promise<Map<string, string[]>> {
    const now = (this.o.now ?? Date.now)();
    const since = now - (this.o.windowMs ?? 86_400_000);
    for (const [id, at] of this.counted) if (at < since) this.counted.delete(id);
    const botUserId = await this.o.botUserId();
    const found = new Map<string, string[]>();
    for (const channelId of await this.o.channels()) {
      const byDelivery = new Map<string, {id: string; at: number}[]>();
      for await (const post of botPostsSince(this.o.bot, {channelId, botUserId, sinceMs: since, signal, maxPages: 20})) {
        const deliveryId = post.props?.[DELIVERY_ID_PROP];
        if (typeof deliveryId !== 'string' || post.create_at < since) continue;
        byDelivery.set(deliveryId, [...(byDelivery.get(deliveryId) ?? []), {id: post.id, at: post.create_at}]);
      }
      for (const [deliveryId, posts] of byDelivery) {
        if (posts.length < 2) continue;
        // The first post is the delivery; each later one is a double, counted the first time it is seen.
        const extra = posts.sort((a, b) => a.at - b.at).slice(1);
        const fresh = extra.filter((p) => !this.counted.has(p.id));
        if (fresh.length === 0) continue;
        for (const p of fresh) this.counted.set(p.id, p.at);
        found.set(
          deliveryId,
          posts.map((p) => p.id),
        );
        this.o.onDuplicate(
          deliveryId,
          posts.map((p) => p.id),
        );
        this.o.log.error('outbox: one delivery is in the channel more than once (a double post)', {deliveryId, postIds: posts.map((p) => p.id), channelId});
      }
    }
    return found;
  }

  start(): void {
    const every = this.o.everyMs ?? 15 * 60_000;
    const loop = () => {
      this.timer = setTimeout(() => {
        this.sweep().then(loop, (err: unknown) => {
          this.o.log.warn('outbox: the sweep for double posts could not read the channel; tried again later', {error: describeError(err)});
          loop();
        });
      }, every);
      this.timer.unref();
    };
    loop();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
