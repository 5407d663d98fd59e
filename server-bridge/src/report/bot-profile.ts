// The bot's custom status (contract/trust.ts botStatus): the overall state, the slash trigger and
// the id of its latest report. Only the bot and admins can set it and every user can read it, so a
// reader finds the latest report in one read however many posts others add to the log channel.
import {botStatus} from '../contract';
import type {MattermostClient} from '../mm/client';
import {describeError} from '../mm/errors';
import type {MmUser} from '../mm/types';

export interface BotProfileOptions {
  bot: MattermostClient;
  trigger: string;
  log: {warn(fields: Record<string, unknown>, msg: string): void};
  redact: (text: string) => string;
}

export class BotProfile {
  private chain: Promise<void> = Promise.resolve();
  private next: {overall: string; postId: string} | null = null;
  private written = '';
  private botId: string | null = null;

  constructor(private readonly o: BotProfileOptions) {}

  /** Names this report in the bot's status, in the background (a failure is logged). */
  publish(postId: string, overall: string): void {
    this.next = {postId, overall};
    // One write at a time; a burst of reports ends with the newest in the status. write() never rejects.
    this.chain = this.chain.then(() => this.write());
  }

  /** Resolves once every publish so far is written (or failed). */
  idle(): Promise<void> {
    return this.chain;
  }

  private async write(): Promise<void> {
    if (!this.next) return;
    const status = botStatus(this.next.overall, this.o.trigger, this.next.postId);
    if (status.text === this.written) return;
    try {
      this.botId ??= (await this.o.bot.get<MmUser>('/users/me')).id;
      await this.o.bot.put(`/users/${this.botId}/status/custom`, status);
      this.written = status.text;
    } catch (err) {
      // Custom statuses may be off (TeamSettings.EnableCustomUserStatuses): readers then page the channel.
      this.o.log.warn({err: this.o.redact(describeError(err))}, 'the bot status (latest report, trigger) could not be set');
    }
  }
}
