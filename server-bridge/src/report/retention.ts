// Deletes the bot's report posts older than the retention period, so the log channel and the
// database stay bounded: permanently where the server allows it (admin token and
// ServiceSettings.EnableAPIPostDeletion), otherwise by the bot's normal delete. With a ledger it
// deletes the posts it made (their ids); it reads the whole channel only until the ledger is adopted.
import {REPORT_POST_TYPE} from '../contract/report';
import {MattermostApiError, describeError} from '../mm/errors';
import {botPostsSince} from '../mm/bot-posts';
import type {MattermostClient} from '../mm/client';
import type {ReportLedger} from './ledger';
import type {PosterLog} from './poster';

export interface RetentionOptions {
  bot: MattermostClient;
  /** With an admin token, posts are deleted permanently when the server allows it. */
  admin?: MattermostClient | null;
  channelId: () => Promise<string>;
  botUserId: () => Promise<string>;
  retentionMs: number;
  sweepMs: number;
  log: PosterLog;
  now?: () => number;
  redact?: (text: string) => string;
  /** The report posts made, by id and date (the outbox fills it); without it every sweep reads the channel. */
  ledger?: ReportLedger;
  /** Several bridges: only the leader sweeps. */
  enabled?: () => boolean;
}

export interface SweepResult {
  deleted: number;
  permanently: number;
  failed: number;
}

export class ReportRetention {
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<SweepResult> | null = null;
  /** Set once the server refused a permanent delete: later sweeps go straight to the normal one. */
  private permanentRefused: string | null = null;
  private readonly abort = new AbortController();

  constructor(private readonly o: RetentionOptions) {}

  start(): void {
    const loop = () => {
      const next = () => {
        if (this.abort.signal.aborted) return;
        this.timer = setTimeout(loop, this.o.sweepMs);
        this.timer.unref?.();
      };
      // run() logs its own failures; whatever happens, the next sweep is armed.
      this.sweep().then(next, next);
    };
    loop();
  }

  async stop(): Promise<void> {
    this.abort.abort(new Error('the bridge is shutting down'));
    if (this.timer) clearTimeout(this.timer);
    await this.sweeping?.catch(() => undefined);
  }

  /** One pass over the log channel; one sweep at a time. */
  sweep(): Promise<SweepResult> {
    this.sweeping ??= this.run().finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async run(): Promise<SweepResult> {
    const result: SweepResult = {deleted: 0, permanently: 0, failed: 0};
    if (this.o.enabled && !this.o.enabled()) return result;
    const signal = this.abort.signal;
    try {
      const cutoff = (this.o.now ?? Date.now)() - this.o.retentionMs;
      const {ledger} = this.o;
      const adopting = !ledger?.adopted;
      const old = adopting ? await this.readChannel(cutoff, signal) : ledger.due(cutoff);
      const done: string[] = [];
      for (const id of old) {
        if (signal.aborted) break;
        try {
          if (await this.deletePost(id, signal)) result.permanently++;
          result.deleted++;
          done.push(id);
        } catch (err) {
          if (err instanceof MattermostApiError && err.status === 404) {
            done.push(id);
            continue;
          }
          result.failed++;
          this.o.log.warn({postId: id, err: this.clean(describeError(err))}, 'old report post not deleted');
        }
      }
      ledger?.forget(done);
      if (adopting && !signal.aborted) ledger?.adopt();
      if (result.deleted > 0 || result.failed > 0) this.o.log.info({...result, permanentRefused: this.permanentRefused, from: adopting ? 'channel' : 'ledger'}, 'retention sweep');
    } catch (err) {
      if (!signal.aborted) this.o.log.warn({err: this.clean(describeError(err))}, 'retention sweep failed');
    }
    return result;
  }

  /** Every bot report post of the channel: the old ones are returned, the younger go into the ledger. */
  private async readChannel(cutoff: number, signal: AbortSignal): Promise<string[]> {
    const [channelId, botUserId] = await Promise.all([this.o.channelId(), this.o.botUserId()]);
    const old: string[] = [];
    for await (const post of botPostsSince(this.o.bot, {channelId, botUserId, sinceMs: null, signal})) {
      if (post.type !== REPORT_POST_TYPE) continue;
      if (post.create_at < cutoff) old.push(post.id);
      else this.o.ledger?.add(post.id, post.create_at);
    }
    return old;
  }

  /** True when the post was deleted permanently. */
  private async deletePost(id: string, signal: AbortSignal): Promise<boolean> {
    if (this.o.admin && !this.permanentRefused) {
      try {
        await this.o.admin.delete(`/posts/${id}`, {query: {permanent: 'true'}, signal});
        return true;
      } catch (err) {
        if (!(err instanceof MattermostApiError) || ![401, 403, 501].includes(err.status)) throw err;
        this.permanentRefused = `${err.status} ${err.message}`;
        this.o.log.warn({err: this.clean(this.permanentRefused)}, 'permanent deletion refused; old reports are deleted normally (rows stay in the database)');
      }
    }
    await this.o.bot.delete(`/posts/${id}`, {signal});
    return false;
  }

  private clean(text: string): string {
    return this.o.redact ? this.o.redact(text) : text;
  }
}
