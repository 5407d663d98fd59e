// Posts wait here until Mattermost takes them: delivered in order, retried with backoff, and made
// idempotent by a stable delivery id in the props, looked up before any resend.
import {randomUUID} from 'node:crypto';
import {DELIVERY_ID_PROP} from '../contract';
import {MattermostApiError, describeError} from '../mm/errors';
import type {PostApi} from './post-api';
import {deadline} from '../deadline';

export interface OutboxItem {
  deliveryId: string;
  op: 'create' | 'patch';
  channelId: string;
  /** create: reply in the thread of this delivery; patch: the delivery to patch. */
  rootDeliveryId?: string;
  message: string;
  type?: string;
  props: Record<string, unknown>;
  /** When the thing the post tells of happened (not when it is delivered). */
  happenedAt: number;
  attempts: number;
  nextAttemptAt: number;
  lastError?: string;
  /** An earlier attempt (or a crash) may have left it stored: look it up before sending. */
  maybeSent?: boolean;
}

export interface DeliveredRecord {
  deliveryId: string;
  postId: string;
  channelId: string;
  at: number;
}

export interface OutboxState {
  pending: OutboxItem[];
  delivered: DeliveredRecord[];
}

export type NewItem = Pick<OutboxItem, 'op' | 'channelId' | 'rootDeliveryId' | 'message' | 'type' | 'props' | 'happenedAt'> & {deliveryId?: string};

export interface OutboxLog {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface OutboxOptions {
  api: PostApi;
  /** Per request; a request that times out may still have been stored, hence the lookup. */
  timeoutMs?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Delivered ids remembered (replies and patches of older roots need them). */
  maxDelivered?: number;
  /** Delivered ids never forgotten while this says so (roots of open incidents). */
  keep?: (deliveryId: string) => boolean;
  now?: () => number;
  log?: OutboxLog;
  /** Called after every change worth persisting. */
  onChange?: () => void;
  onDelivered?: (item: OutboxItem, postId: string) => void;
  state?: OutboxState;
}

const silent: OutboxLog = {info: () => undefined, warn: () => undefined, error: () => undefined};

/** 4xx that no retry can fix: the post itself is refused. */
function isPermanent(err: unknown): boolean {
  return err instanceof MattermostApiError && [400, 413, 422].includes(err.status);
}

export class Outbox {
  private readonly api: PostApi;
  private readonly timeoutMs: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxDelivered: number;
  private readonly now: () => number;
  private readonly log: OutboxLog;
  private readonly onChange: () => void;
  private readonly onDelivered: (item: OutboxItem, postId: string) => void;
  private readonly keep: (deliveryId: string) => boolean;
  private pending: OutboxItem[];
  private delivered: Map<string, DeliveredRecord>;
  private inFlight: string | null = null;
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private readonly abort = new AbortController();

  constructor(options: OutboxOptions) {
    this.api = options.api;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.initialBackoffMs = options.initialBackoffMs ?? 1_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 60_000;
    this.maxDelivered = options.maxDelivered ?? 500;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? silent;
    this.onChange = options.onChange ?? (() => undefined);
    this.onDelivered = options.onDelivered ?? (() => undefined);
    this.keep = options.keep ?? (() => false);
    // After a restart nothing says whether the last attempt reached the server.
    this.pending = (options.state?.pending ?? []).map((i) => ({...i, maybeSent: true}));
    this.delivered = new Map((options.state?.delivered ?? []).map((d) => [d.deliveryId, d]));
  }

  enqueue(item: NewItem): string {
    const deliveryId = item.deliveryId ?? randomUUID();
    if (this.delivered.has(deliveryId) || this.pending.some((p) => p.deliveryId === deliveryId)) return deliveryId;
    this.pending.push({...item, deliveryId, attempts: 0, nextAttemptAt: this.now()});
    this.onChange();
    this.schedule(0);
    return deliveryId;
  }

  /** New content for a post: rewrites it while still waiting, otherwise queues a patch. */
  update(deliveryId: string, content: {message: string; props: Record<string, unknown>}, happenedAt: number): void {
    const waiting = this.pending.find((p) => p.deliveryId === deliveryId && p.op === 'create');
    if (waiting && this.inFlight !== deliveryId) {
      waiting.message = content.message;
      waiting.props = content.props;
      this.onChange();
      return;
    }
    const channelId = waiting?.channelId ?? this.delivered.get(deliveryId)?.channelId;
    if (!channelId) {
      this.log.warn('outbox: update of an unknown post dropped', {deliveryId});
      return;
    }
    this.enqueue({op: 'patch', channelId, rootDeliveryId: deliveryId, message: content.message, props: content.props, happenedAt});
  }

  postIdOf(deliveryId: string): string | null {
    return this.delivered.get(deliveryId)?.postId ?? null;
  }

  isPending(deliveryId: string): boolean {
    return this.pending.some((p) => p.deliveryId === deliveryId);
  }

  get size(): number {
    return this.pending.length;
  }

  snapshot(): OutboxState {
    return {pending: this.pending.map((i) => ({...i})), delivered: [...this.delivered.values()]};
  }

  /** Retry the head now (e.g. the server answered a probe again). */
  kick(): void {
    const head = this.pending[0];
    if (head && head.nextAttemptAt > this.now()) head.nextAttemptAt = this.now();
    this.schedule(0);
  }

  start(): void {
    this.started = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abort.abort(new Error('outbox stopped'));
    await this.running;
  }

  /** Delivers due items in order until the queue is empty or one fails. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    this.running = this.drain().finally(() => {
      this.running = null;
    });
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (!this.started) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush().then(() => {
        const head = this.pending[0];
        if (head) this.schedule(Math.max(0, head.nextAttemptAt - this.now()));
      });
    }, delayMs);
    this.timer.unref?.();
  }

  private async drain(): Promise<void> {
    for (;;) {
      const head = this.pending[0];
      if (!head || head.nextAttemptAt > this.now() || this.abort.signal.aborted) return;
      this.inFlight = head.deliveryId;
      try {
        const postId = await this.deliver(head);
        this.pending.shift();
        if (postId) this.remember({deliveryId: head.deliveryId, postId, channelId: head.channelId, at: this.now()});
        if (postId) this.onDelivered(head, postId);
        this.onChange();
      } catch (err) {
        if (this.abort.signal.aborted) return;
        head.attempts += 1;
        head.maybeSent = true;
        head.lastError = describeError(err);
        if (isPermanent(err)) {
          this.pending.shift();
          this.log.error('outbox: Mattermost refused a post; dropped it', {deliveryId: head.deliveryId, op: head.op, error: head.lastError});
          this.onChange();
          continue;
        }
        head.nextAttemptAt = this.now() + Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** Math.min(head.attempts - 1, 30));
        this.log.warn('outbox: delivery failed; will retry', {deliveryId: head.deliveryId, attempts: head.attempts, retryInMs: head.nextAttemptAt - this.now(), error: head.lastError});
        this.onChange();
        return;
      } finally {
        this.inFlight = null;
      }
    }
  }

  private remember(record: DeliveredRecord): void {
    this.delivered.set(record.deliveryId, record);
    if (this.delivered.size <= this.maxDelivered) return;
    for (const id of this.delivered.keys()) {
      if (this.delivered.size <= this.maxDelivered) break;
      if (!this.keep(id)) this.delivered.delete(id);
    }
  }

  /** Runs one call to Mattermost under the outbox's timeout and its stop signal. */
  private async call<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const d = deadline(this.timeoutMs, this.abort.signal);
    try {
      return await work(d.signal);
    } finally {
      d.dispose();
    }
  }

  /** Returns the post id (create) or null (patch). */
  private async deliver(item: OutboxItem): Promise<string | null> {
    const props = {...item.props, [DELIVERY_ID_PROP]: item.op === 'patch' ? item.rootDeliveryId : item.deliveryId};
    if (item.op === 'patch') {
      const postId = item.rootDeliveryId ? this.postIdOf(item.rootDeliveryId) : null;
      if (!postId) {
        this.log.error('outbox: patch of a post never delivered; dropped', {deliveryId: item.deliveryId, root: item.rootDeliveryId});
        return null;
      }
      await this.call((signal) => this.api.patch(postId, {message: item.message, props}, signal));
      return null;
    }
    // A previous attempt may have been stored by the server before its answer was lost.
    if (item.maybeSent) {
      const found = await this.call((signal) => this.api.findDelivered(item.channelId, item.deliveryId, signal));
      if (found) {
        this.log.info('outbox: found an earlier delivery; not sending again', {deliveryId: item.deliveryId, postId: found});
        return found;
      }
    }
    const rootId = item.rootDeliveryId ? this.postIdOf(item.rootDeliveryId) : null;
    if (item.rootDeliveryId && !rootId) this.log.warn('outbox: thread root unknown; posting the reply on its own', {deliveryId: item.deliveryId, root: item.rootDeliveryId});
    const created = await this.call((signal) => this.api.create({channel_id: item.channelId, ...(rootId ? {root_id: rootId} : {}), message: item.message, ...(item.type ? {type: item.type} : {}), props}, signal));
    return created.id;
  }
}
