// Posts wait here until Mattermost takes them, made idempotent by a stable delivery id in the
// props, looked up before any resend. Two lanes: alerts (incident posts, mutes) go in order and
// never wait behind reports; only the newest report waits. A post Mattermost refuses (401/403/404)
// is set aside (parked) with its thread and the rest flows; a parked alert is tried again every
// parkRetryMs (a server whose database is down answers 403 too); the queue is bounded in count and age.
import {randomUUID} from 'node:crypto';
import {DELIVERY_ID_PROP} from '../contract';
import {MattermostApiError, describeError} from '../mm/errors';
import type {PostApi} from './post-api';
import {deadline} from '../deadline';

export type Lane = 'alert' | 'report';

export interface OutboxItem {
  deliveryId: string;
  op: 'create' | 'patch';
  /** alert (default): in order, first; report: only the newest pending one is kept. */
  lane?: Lane;
  channelId: string;
  /** create: reply in the thread of this delivery; patch: the delivery to patch. */
  rootDeliveryId?: string;
  message: string;
  type?: string;
  props: Record<string, unknown>;
  /** When the thing the post tells of happened (not when it is delivered). */
  happenedAt: number;
  /** When it entered the outbox: the age bound counts from here, and an earlier delivery is younger. */
  enqueuedAt?: number;
  attempts: number;
  nextAttemptAt: number;
  /** A patch waits until then for newer content of the same post (one edit per burst). */
  holdUntil?: number;
  lastError?: string;
  /** An earlier attempt (or a crash) may have left it stored: look it up before sending. */
  maybeSent?: boolean;
  /** The last attempt got no answer at all: a sign of life from the server may retry it early, once. */
  kickable?: boolean;
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
  /** Posts Mattermost refused for good (401/403/404), kept for the operator. */
  parked?: OutboxItem[];
}

export type NewItem = Pick<OutboxItem, 'op' | 'channelId' | 'rootDeliveryId' | 'message' | 'type' | 'props' | 'happenedAt' | 'lane'> & {deliveryId?: string};

export type DropReason = 'refused' | 'age' | 'count' | 'superseded';

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
  /** At most this many alerts wait; the oldest beyond it are dropped (counted). */
  maxPending?: number;
  /** A post waiting longer than this is dropped (counted). */
  maxAgeMs?: number;
  maxParked?: number;
  /** A parked alert (and its thread) is tried again after this; a later alert in its channel going through retries it at once. */
  parkRetryMs?: number;
  /** Edits of one post within this window become one patch (latest content wins). */
  patchWindowMs?: number;
  now?: () => number;
  log?: OutboxLog;
  /** Called after every change worth persisting. */
  /** lazy: only a report changed (not alone worth a write of the state file). */
  onChange?: (lazy: boolean) => void;
  onDelivered?: (item: OutboxItem, postId: string) => void;
  onDropped?: (item: OutboxItem, reason: DropReason) => void;
  onParked?: (item: OutboxItem) => void;
  state?: OutboxState;
}

const silent: OutboxLog = {info: () => undefined, warn: () => undefined, error: () => undefined};
const laneOf = (i: OutboxItem): Lane => i.lane ?? 'alert';

/** 4xx that no retry can fix: the post itself is refused. */
function isInvalid(err: unknown): boolean {
  return err instanceof MattermostApiError && [400, 413, 422].includes(err.status);
}

/** The bot may not post there (token, permission, channel gone): no retry helps until someone acts. */
function isForbidden(err: unknown): boolean {
  return err instanceof MattermostApiError && [401, 403, 404].includes(err.status);
}

export class Outbox {
  private readonly api: PostApi;
  private readonly timeoutMs: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxDelivered: number;
  private readonly maxPending: number;
  private readonly maxAgeMs: number;
  private readonly maxParked: number;
  private readonly parkRetryMs: number;
  private readonly patchWindowMs: number;
  private readonly now: () => number;
  private readonly log: OutboxLog;
  private readonly onChange: (lazy: boolean) => void;
  private readonly onDelivered: NonNullable<OutboxOptions['onDelivered']>;
  private readonly onDropped: NonNullable<OutboxOptions['onDropped']>;
  private readonly onParked: NonNullable<OutboxOptions['onParked']>;
  private readonly keep: (deliveryId: string) => boolean;
  private pending: OutboxItem[];
  private parked: OutboxItem[];
  private delivered: Map<string, DeliveredRecord>;
  private inFlight: string | null = null;
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private readonly abort = new AbortController();
  /** Parked once already (told loudly then; a refusal again is a warning). */
  private readonly parkedBefore = new Set<string>();

  constructor(options: OutboxOptions) {
    this.api = options.api;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.initialBackoffMs = options.initialBackoffMs ?? 1_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 60_000;
    this.maxDelivered = options.maxDelivered ?? 500;
    this.maxPending = options.maxPending ?? 1_000;
    this.maxAgeMs = options.maxAgeMs ?? 7 * 86_400_000;
    this.maxParked = options.maxParked ?? 100;
    this.parkRetryMs = options.parkRetryMs ?? 60_000;
    this.patchWindowMs = options.patchWindowMs ?? 5_000;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? silent;
    this.onChange = options.onChange ?? (() => undefined);
    this.onDelivered = options.onDelivered ?? (() => undefined);
    this.onDropped = options.onDropped ?? (() => undefined);
    this.onParked = options.onParked ?? (() => undefined);
    this.keep = options.keep ?? (() => false);
    // After a restart nothing says whether the last attempt reached the server.
    this.pending = (options.state?.pending ?? []).map((i) => ({...i, enqueuedAt: i.enqueuedAt ?? i.happenedAt, maybeSent: true}));
    this.parked = options.state?.parked ?? [];
    this.delivered = new Map((options.state?.delivered ?? []).map((d) => [d.deliveryId, d]));
  }

  enqueue(item: NewItem): string {
    const deliveryId = item.deliveryId ?? randomUUID();
    if (this.delivered.has(deliveryId) || this.pending.some((p) => p.deliveryId === deliveryId)) return deliveryId;
    const now = this.now();
    if (item.op === 'patch' && this.coalescePatch(item)) return deliveryId;
    // Only the newest report matters: older ones not yet on their way are replaced.
    if (laneOf(item as OutboxItem) === 'report') for (const old of this.pending.filter((p) => laneOf(p) === 'report' && p.deliveryId !== this.inFlight)) this.drop(old, 'superseded');
    const hold = item.op === 'patch' && this.patchWindowMs > 0 ? {holdUntil: now + this.patchWindowMs} : {};
    // A newer edit replaces one the server refused before.
    if (item.op === 'patch') this.parked = this.parked.filter((p) => !(p.op === 'patch' && p.rootDeliveryId === item.rootDeliveryId));
    const parkedRoot = item.rootDeliveryId ? this.parked.find((p) => p.deliveryId === item.rootDeliveryId) : undefined;
    if (parkedRoot) {
      // Its thread's root waits parked: the reply or edit waits with it, in order.
      this.parked.push({...item, deliveryId, enqueuedAt: now, attempts: 0, nextAttemptAt: parkedRoot.nextAttemptAt});
      this.onChange(false);
      return deliveryId;
    }
    this.pending.push({...item, deliveryId, enqueuedAt: now, attempts: 0, nextAttemptAt: now, ...hold});
    this.enforceBounds(now);
    this.onChange(laneOf(item as OutboxItem) === 'report');
    this.schedule(0);
    return deliveryId;
  }

  /** New content for a post: rewrites it while still waiting, otherwise queues a patch. */
  update(deliveryId: string, content: {message: string; props: Record<string, unknown>}, happenedAt: number): void {
    const waiting = [...this.pending, ...this.parked].find((p) => p.deliveryId === deliveryId && p.op === 'create');
    if (waiting && this.inFlight !== deliveryId) {
      waiting.message = content.message;
      waiting.props = content.props;
      this.onChange(false);
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

  get size(): number {
    return this.pending.length;
  }

  /** Waiting posts per lane, and the parked ones (for /metrics). */
  counts(): {alert: number; report: number; parked: number} {
    const alert = this.pending.filter((p) => laneOf(p) === 'alert').length;
    return {alert, report: this.pending.length - alert, parked: this.parked.length};
  }

  /**
   * What must survive a crash. A report not yet sent is left out: a restart posts a fresh one, and
   * at 50 targets it is 250 KB a write; one that may have reached the server is kept (looked up).
   */
  snapshot(): OutboxState {
    const kept = this.pending.filter((i) => laneOf(i) === 'alert' || i.maybeSent || i.deliveryId === this.inFlight);
    return {pending: kept.map((i) => ({...i})), delivered: [...this.delivered.values()], parked: this.parked.map((i) => ({...i}))};
  }

  /**
   * The server answered a probe: a post whose last attempt got no answer at all is retried now,
   * once per failed attempt; a post the server answered with an error keeps its backoff.
   */
  kick(): void {
    let kicked = false;
    for (const head of this.heads()) {
      if (!head.kickable) continue;
      head.kickable = false;
      head.nextAttemptAt = Math.min(head.nextAttemptAt, this.now());
      kicked = true;
    }
    if (kicked) this.schedule(0);
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

  /** Delivers due posts (alerts first) until none is due or the lanes' heads fail. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    this.running = this.drain().finally(() => {
      this.running = null;
    });
    await this.running;
  }

  /** The first waiting post of each lane; a held patch does not block the alerts behind it. */
  private heads(): OutboxItem[] {
    const now = this.now();
    const alert = this.pending.find((p) => laneOf(p) === 'alert' && !((p.holdUntil ?? 0) > now));
    const report = this.pending.find((p) => laneOf(p) === 'report');
    return [alert, report].filter((i): i is OutboxItem => !!i);
  }

  /** When the next post is due (its backoff or its patch window), or null when none waits. */
  private nextDueAt(): number | null {
    const now = this.now();
    const held = this.pending.filter((p) => (p.holdUntil ?? 0) > now).map((p) => p.holdUntil as number);
    const times = [...this.heads().map((h) => h.nextAttemptAt), ...held, ...this.parked.filter((p) => laneOf(p) === 'alert').map((p) => p.nextAttemptAt)];
    return times.length ? Math.min(...times) : null;
  }

  private schedule(delayMs: number): void {
    if (!this.started) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush()
        .then(() => {
          const due = this.nextDueAt();
          if (due !== null) this.schedule(Math.max(0, due - this.now()));
        })
        .catch((err: unknown) => this.log.error('outbox: the delivery loop failed (a bug); retried on the next post or kick', {error: describeError(err)}));
    }, delayMs);
    this.timer.unref?.();
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.abort.signal.aborted) return;
      this.unparkDue(this.now());
      this.enforceBounds(this.now());
      // A lane whose head waits for its backoff does not hold the other lane.
      const item = this.heads().find((h) => h.nextAttemptAt <= this.now());
      if (!item) return;
      await this.attempt(item);
    }
  }

  /** One attempt at one post; false when it stays waiting (backoff). */
  private async attempt(item: OutboxItem): Promise<boolean> {
    this.inFlight = item.deliveryId;
    try {
      const postId = await this.deliver(item);
      this.remove(item);
      // Only alerts are replied to or patched later; a report's post id goes to onDelivered (the ledger).
      if (postId && laneOf(item) === 'alert') this.remember({deliveryId: item.deliveryId, postId, channelId: item.channelId, at: this.now()});
      if (postId) this.onDelivered(item, postId);
      // The bot may post there again: what was refused in that channel is tried now.
      if (laneOf(item) === 'alert') for (const p of this.parked) if (p.channelId === item.channelId && laneOf(p) === 'alert') p.nextAttemptAt = Math.min(p.nextAttemptAt, this.now());
      this.onChange(laneOf(item) === 'report');
      return true;
    } catch (err) {
      if (this.abort.signal.aborted) return false;
      item.attempts += 1;
      item.maybeSent = true;
      item.lastError = describeError(err);
      if (isInvalid(err)) {
        this.drop(item, 'refused');
        this.log.error('outbox: Mattermost refused a post as invalid; dropped it', {deliveryId: item.deliveryId, op: item.op, error: item.lastError});
        this.onChange(laneOf(item) === 'report');
        return true;
      }
      if (isForbidden(err)) {
        this.park(item);
        this.onChange(laneOf(item) === 'report');
        return true;
      }
      item.kickable = !(err instanceof MattermostApiError);
      item.nextAttemptAt = this.now() + Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** Math.min(item.attempts - 1, 30));
      this.log.warn('outbox: delivery failed; will retry', {
        deliveryId: item.deliveryId,
        lane: laneOf(item),
        attempts: item.attempts,
        retryInMs: item.nextAttemptAt - this.now(),
        error: item.lastError,
      });
      this.onChange(laneOf(item) === 'report');
      return false;
    } finally {
      this.inFlight = null;
    }
  }

  /** A post edited by other means (an action's answer): an edit still waiting takes the new content; nothing new is sent. */
  amendWaiting(deliveryId: string, content: {message: string; props: Record<string, unknown>}): boolean {
    return this.coalescePatch({op: 'patch', channelId: '', rootDeliveryId: deliveryId, ...content, happenedAt: this.now()});
  }

  /** A newer edit of a post whose patch still waits replaces that patch's content. */
  private coalescePatch(item: NewItem): boolean {
    const waiting = this.pending.find((p) => p.op === 'patch' && p.rootDeliveryId === item.rootDeliveryId && p.deliveryId !== this.inFlight);
    if (!waiting) return false;
    waiting.message = item.message;
    waiting.props = item.props;
    waiting.happenedAt = item.happenedAt;
    this.onChange(false);
    return true;
  }

  private park(item: OutboxItem): void {
    const again = this.parkedBefore.has(item.deliveryId);
    this.parkedBefore.add(item.deliveryId);
    // Its replies and edits waiting behind it go with it, so the thread stays in order.
    const thread = this.pending.filter((p) => p.rootDeliveryId === item.deliveryId && p.deliveryId !== this.inFlight);
    this.pending = this.pending.filter((p) => p !== item && !thread.includes(p));
    item.nextAttemptAt = this.now() + this.parkRetryMs;
    for (const t of thread) t.nextAttemptAt = item.nextAttemptAt;
    this.parked = [...this.parked, item, ...thread].slice(-this.maxParked);
    if (!again) this.onParked(item);
    (again ? this.log.warn : this.log.error).call(this.log, 'outbox: Mattermost does not let the bot post this (check its token, its membership and the channel); set aside, later posts go on', {
      deliveryId: item.deliveryId,
      lane: laneOf(item),
      op: item.op,
      channel: item.channelId,
      error: item.lastError,
    });
  }

  /** Parked alerts due for another try go back to the head of their lane, threads in order. */
  private unparkDue(now: number): void {
    const due = this.parked.filter((p) => laneOf(p) === 'alert' && p.nextAttemptAt <= now);
    if (due.length === 0) return;
    this.parked = this.parked.filter((p) => !due.includes(p));
    for (const p of due) p.nextAttemptAt = now;
    this.pending = [...due, ...this.pending];
    this.log.info('outbox: trying parked posts again', {deliveryIds: due.slice(0, 10).map((p) => p.deliveryId)});
  }

  private drop(item: OutboxItem, reason: DropReason): void {
    this.remove(item);
    this.onDropped(item, reason);
  }

  private remove(item: OutboxItem): void {
    this.pending = this.pending.filter((p) => p !== item);
  }

  /** Drops what waited too long, then the oldest alerts beyond the count (never the one in flight). */
  private enforceBounds(now: number): void {
    const old = this.pending.filter((p) => p.deliveryId !== this.inFlight && now - (p.enqueuedAt ?? now) > this.maxAgeMs);
    const alerts = this.pending.filter((p) => laneOf(p) === 'alert' && p.deliveryId !== this.inFlight && !old.includes(p));
    const excess = alerts.slice(0, Math.max(0, alerts.length - this.maxPending));
    for (const [items, reason] of [
      [old, 'age'],
      [excess, 'count'],
    ] as const) {
      if (items.length === 0) continue;
      for (const item of items) this.drop(item, reason);
      this.log.error(`outbox: ${items.length} waiting post(s) dropped (${reason === 'age' ? `older than ${Math.round(this.maxAgeMs / 3_600_000)} h` : `more than ${this.maxPending} waiting`})`, {
        deliveryIds: items.slice(0, 10).map((i) => i.deliveryId),
      });
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
      const found = await this.call((signal) => this.api.findDelivered(item.channelId, item.deliveryId, item.enqueuedAt ?? item.happenedAt, signal));
      if (found) {
        this.log.info('outbox: found an earlier delivery; not sending again', {deliveryId: item.deliveryId, postId: found});
        return found;
      }
    }
    const rootId = item.rootDeliveryId ? this.postIdOf(item.rootDeliveryId) : null;
    if (item.rootDeliveryId && !rootId) this.log.warn('outbox: thread root unknown; posting the reply on its own', {deliveryId: item.deliveryId, root: item.rootDeliveryId});
    const created = await this.call((signal) =>
      this.api.create(
        {channel_id: item.channelId, ...(rootId ? {root_id: rootId} : {}), pending_post_id: item.deliveryId, message: item.message, ...(item.type ? {type: item.type} : {}), props},
        signal,
      ),
    );
    return created.id;
  }
}
