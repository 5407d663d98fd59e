// Posts report posts in the log channel: when any probe's state changes (debounced, so one cycle
// makes one post) and otherwise at the heartbeat interval; never one per probe run.
import {REPORT_POST_TYPE, REPORT_PROP, type Report} from '../contract/report';
import {describeError} from '../mm/errors';
import {fitReport, type ReportReason} from './builder';
import {reportMessage} from './message';
import type {PostSigner} from '../signing/post-signer';
import type {PostSink} from './sink';

export interface PosterLog {
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
}

export interface ReportPosterOptions {
  sink: PostSink;
  channelId: () => Promise<string>;
  build: (reason: ReportReason) => Report | Promise<Report>;
  /** A string that changes when any probe's state changes. */
  stateSignature: () => string;
  heartbeatMs: number;
  /** Wait this long after a run before comparing states, so a cycle's changes share one post. */
  debounceMs?: number;
  /** After a failed post, the next attempt waits at least this long. */
  retryMs?: number;
  /** State-change reports come at most this often; changes in between share the next one. */
  minIntervalMs?: number;
  log: PosterLog;
  /** Secrets to keep out of logged errors. */
  redact?: (text: string) => string;
  /** Signs the post as it is built (contract/signature.ts). */
  sign?: PostSigner;
}

export class ReportPoster {
  private heartbeat: NodeJS.Timeout | null = null;
  private debounce: NodeJS.Timeout | null = null;
  private posting: Promise<unknown> = Promise.resolve();
  private postedSignature: string | null = null;
  private retryAfter = 0;
  private lastPostAt = -Infinity;
  private stopped = false;
  private readonly abort = new AbortController();

  constructor(private readonly o: ReportPosterOptions) {}

  /** The first report (after the startup cycle); the heartbeat runs from here. */
  start(): Promise<Report | null> {
    return this.post('startup');
  }

  /** Call after every probe run: posts when a state changed. */
  runObserved(): void {
    if (this.stopped || this.debounce || this.postedSignature === null) return;
    this.debounce = setTimeout(() => this.checkChange(), this.o.debounceMs ?? 500);
  }

  private checkChange(): void {
    this.debounce = null;
    if (this.stopped || this.o.stateSignature() === this.postedSignature) return;
    const wait = Math.max(this.retryAfter, this.lastPostAt + (this.o.minIntervalMs ?? 0)) - Date.now();
    if (wait > 0) {
      this.debounce = setTimeout(() => this.checkChange(), wait);
      return;
    }
    this.fire('state_change');
  }

  /** A post nobody waits for; send() logs its own failures, so a rejection here is a bug, logged too. */
  private fire(reason: ReportReason): void {
    this.post(reason).catch((err: unknown) => this.o.log.warn({reason, err: describeError(err)}, 'report not posted'));
  }

  /** Builds and posts a report now; posts never overlap. */
  post(reason: ReportReason): Promise<Report | null> {
    const next = this.posting.then(() => this.send(reason));
    this.posting = next.catch(() => undefined);
    return next;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.heartbeat) clearTimeout(this.heartbeat);
    if (this.debounce) clearTimeout(this.debounce);
    this.heartbeat = this.debounce = null;
    await this.posting;
  }

  private async send(reason: ReportReason): Promise<Report | null> {
    if (this.stopped) return null;
    let ok = false;
    try {
      // Building is inside the try too: a report that cannot be built is a report not posted, logged and retried.
      const signature = this.o.stateSignature();
      const fitted = fitReport(await this.o.build(reason));
      const report = fitted.report;
      if (fitted.trimmed) this.o.log.warn({reason, probes: report.probes.length}, 'report too large for a post: sent without the chart series of healthy probes (or all)');
      const channelId = await this.o.channelId();
      const content = {channelId, message: reportMessage(report), type: REPORT_POST_TYPE, props: {[REPORT_PROP]: report}};
      const posted = await this.o.sink.send(this.o.sign ? this.o.sign(content) : content, this.abort.signal);
      ok = true;
      this.postedSignature = signature;
      this.lastPostAt = Date.now();
      this.o.log.info({reason, overall: report.overall, postId: posted?.id ?? null}, 'report posted');
      return report;
    } catch (err) {
      const text = describeError(err);
      this.retryAfter = Date.now() + (this.o.retryMs ?? 30_000);
      this.o.log.warn({reason, err: this.o.redact ? this.o.redact(text) : text}, 'report not posted');
      return null;
    } finally {
      this.armHeartbeat(ok ? this.o.heartbeatMs : Math.min(this.o.heartbeatMs, this.o.retryMs ?? 30_000));
    }
  }

  private armHeartbeat(delayMs: number): void {
    if (this.stopped) return;
    if (this.heartbeat) clearTimeout(this.heartbeat);
    this.heartbeat = setTimeout(() => this.fire(this.postedSignature === null ? 'startup' : this.o.stateSignature() === this.postedSignature ? 'heartbeat' : 'state_change'), delayMs);
    this.heartbeat.unref?.();
  }
}
