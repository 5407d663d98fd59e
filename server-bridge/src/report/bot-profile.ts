// The bot's custom status (contract/trust.ts botStatus): the overall state, the slash trigger and
// the id of its latest report. Only the bot and admins can set it and every user can read it, so a
// reader finds the latest report in one read however many posts others add to the log channel.
// It also carries the degraded-service notice: every client receives the bot's user_updated event
// when the status changes, so the notice reaches every user with no request of theirs.
import {botStatus, type Notice} from '../contract';
import type {MattermostClient} from '../mm/client';
import {describeError} from '../mm/errors';
import {meResolver} from '../mm/lookups';

export interface BotProfileOptions {
  /** Several bridges: only the leader writes the bot's status. */
  enabled?: () => boolean;
  bot: MattermostClient;
  trigger: string;
  log: {warn(fields: Record<string, unknown>, msg: string): void};
  redact: (text: string) => string;
  /** The notice to carry now (null: none); read on each write and every refreshMs. Absent: never. */
  notice?: () => Notice | null;
  /** How often the notice is looked at between reports (a mute or an incident changes it). */
  refreshMs?: number;
  /** The bot's user id (default: asked of the server once). */
  botUserId?: () => Promise<string>;
  /**
   * The status expires this long after each write (0: never), so a notice outlives a bridge that
   * died by at most this much; written again when half of it is gone, also with the same text.
   */
  ttlMs?: number;
  now?: () => number;
}

export class BotProfile {
  private chain: Promise<void> = Promise.resolve();
  private next: {overall: string; postId: string} | null = null;
  private written = '';
  private timer: NodeJS.Timeout | null = null;
  private failed: {text: string; at: number} | null = null;
  private looking = false;
  private writtenAt = 0;
  private stopped = false;
  private readonly botUserId: () => Promise<string>;

  constructor(private readonly o: BotProfileOptions) {
    this.botUserId = o.botUserId ?? meResolver(o.bot);
  }

  /** Names this report in the bot's status, in the background (a failure is logged). */
  publish(postId: string, overall: string): void {
    this.next = {postId, overall};
    // One write at a time; a burst of reports ends with the newest in the status. write() never rejects.
    this.chain = this.chain.then(() => this.write());
    // The notice follows incidents and mutes between reports; a write happens only when the text changes.
    if (this.o.notice && !this.timer) {
      this.timer = setInterval(() => {
        // At most one look waits: a slow server must not pile them up.
        if (this.looking) return;
        this.looking = true;
        this.chain = this.chain.then(() => this.write()).finally(() => (this.looking = false));
      }, this.o.refreshMs ?? 1000);
      this.timer.unref();
    }
  }

  /** Stops looking; a notice in the status is taken out (a stopped bridge cannot vouch for it). */
  stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stopped = true;
    this.chain = this.chain.then(() => this.write());
    return this.chain;
  }

  /** Resolves once every publish so far is written (or failed). */
  idle(): Promise<void> {
    return this.chain;
  }

  private async write(): Promise<void> {
    if (!this.next) return;
    // Several bridges: the status is the leader's to write (a former leader leaves it to the new one).
    if (this.o.enabled && !this.o.enabled()) return;
    let notice: Notice | null = null;
    try {
      notice = this.stopped ? null : (this.o.notice?.() ?? null);
    } catch (err) {
      this.o.log.warn({err: this.o.redact(String(err))}, 'the degraded-service notice could not be computed (a bug)');
    }
    const status = botStatus(this.next.overall, this.o.trigger, this.next.postId, notice);
    const now = (this.o.now ?? Date.now)();
    const ttl = this.o.ttlMs ?? 0;
    if (status.text === this.written && (!ttl || now - this.writtenAt < ttl / 2)) return;
    // A refused text is tried again after a minute, not every refresh (custom statuses may be off).
    if (this.failed && this.failed.text === status.text && Date.now() - this.failed.at < 60_000) return;
    try {
      const expiry = ttl ? {duration: 'date_and_time', expires_at: new Date(now + ttl).toISOString()} : {};
      await this.o.bot.put(`/users/${await this.botUserId()}/status/custom`, {...status, ...expiry});
      this.written = status.text;
      this.writtenAt = now;
      this.failed = null;
    } catch (err) {
      this.failed = {text: status.text, at: Date.now()};
      // Custom statuses may be off (TeamSettings.EnableCustomUserStatuses): readers then page the channel.
      this.o.log.warn({err: this.o.redact(describeError(err))}, 'the bot status (latest report, trigger) could not be set');
    }
  }
}
