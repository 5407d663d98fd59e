// Posts wait here until Mattermost takes them, exactly once: each is written to the store before its
// first attempt (write-ahead, with the change that caused it), each attempt is recorded before its
// request, and one that may have been stored is looked up by its delivery id before it is sent again.
// Two lanes: alerts go in order and never wait behind reports; only the newest report waits. The
// parts have homes of their own: the queue and its bounds (queue.ts), what reached the server and the
// look-up (deliveries.ts), edits and revisions (edits.ts, revisions.ts), drops (drops.ts).
import {randomUUID} from 'node:crypto';
import {DELIVERY_ID_PROP, DELIVERY_REV_PROP} from '../contract';
import {MattermostApiError, describeError} from '../mm/errors';
import type {PostApi} from './post-api';
import {deadline} from '../deadline';
import {Deliveries} from './deliveries';
import {Drops} from './drops';
import {Edits, type Content} from './edits';
import {OutboxQueue} from './queue';
import {Revisions} from './revisions';
import {laneOf, silentLog, type DropReason, type NewItem, type OutboxItem, type OutboxLog, type OutboxState} from './types';

export type {DeliveredRecord, DropReason, Lane, NewItem, OutboxItem, OutboxLog, OutboxState} from './types';

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
  /** A post waiting or parked longer than this is dropped (counted). */
  maxAgeMs?: number;
  maxParked?: number;
  /** A parked alert (and its thread) is tried again after this; a later alert in its channel going through retries it at once. */
  parkRetryMs?: number;
  /** Edits of one post within this window become one patch (latest content wins). */
  patchWindowMs?: number;
  now?: () => number;
  log?: OutboxLog;
  /** Called after every change worth persisting; lazy: only a report changed (not alone worth a write). */
  onChange?: (lazy: boolean) => void;
  /** Makes every change so far durable (the store's write); an attempt is made only once it resolves. */
  persist?: () => Promise<void>;
  /** Asked right before each request, after its attempt is recorded: false (a leader whose lease ran out) holds it back. */
  mayAttempt?: () => boolean;
  onDelivered?: (item: OutboxItem, postId: string) => void;
  onDropped?: (item: OutboxItem, reason: DropReason) => void;
  onParked?: (item: OutboxItem) => void;
  state?: OutboxState;
}

/** 4xx that no retry can fix: the post itself is refused. */
function isInvalid(err: unknown): boolean {
  return err instanceof MattermostApiError && [400, 413, 422].includes(err.status);
}

/** The bot may not post there (token, permission, channel gone, or a server whose database is down). */
function isForbidden(err: unknown): boolean {
  return err instanceof MattermostApiError && [401, 403, 404].includes(err.status);
}

/** After a restart: an item with a recorded attempt may be on the server; files of before recorded none, so all may be. */
function restoredItem(i: OutboxItem, writeAhead: boolean): OutboxItem {
  return {...i, enqueuedAt: i.enqueuedAt ?? i.happenedAt, maybeSent: writeAhead ? i.attempts > 0 : true, kickable: false};
}

export class Outbox {
  private readonly api: PostApi;
  private readonly timeoutMs: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly parkRetryMs: number;
  private readonly patchWindowMs: number;
  private readonly now: () => number;
  private readonly log: OutboxLog;
  private readonly onChange: (lazy: boolean) => void;
  private readonly persist: () => Promise<void>;
  private readonly onDelivered: NonNullable<OutboxOptions['onDelivered']>;
  private readonly onParked: NonNullable<OutboxOptions['onParked']>;
  private queue!: OutboxQueue;
  private deliveries!: Deliveries;
  private revisions!: Revisions;
  private edits!: Edits;
  private readonly mayAttempt: () => boolean;
  private inFlight: string | null = null;
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private abort = new AbortController();
  /** Parked once already (told loudly then; a refusal again is a warning). */
  private readonly parkedBefore = new Set<string>();

  constructor(private readonly options: OutboxOptions) {
    this.api = options.api;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.initialBackoffMs = options.initialBackoffMs ?? 1_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 60_000;
    this.parkRetryMs = options.parkRetryMs ?? 60_000;
    this.patchWindowMs = options.patchWindowMs ?? 5_000;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? silentLog;
    this.onChange = options.onChange ?? (() => undefined);
    this.persist = options.persist ?? (() => Promise.resolve());
    this.onDelivered = options.onDelivered ?? (() => undefined);
    this.onParked = options.onParked ?? (() => undefined);
    this.mayAttempt = options.mayAttempt ?? (() => true);
    this.restore(options.state);
  }

  /** Everything from a saved state (at start; and when this bridge becomes the leader, while stopped). */
  private restore(state: OutboxState | undefined): void {
    const o = this.options;
    const writeAhead = state?.writeAhead === true;
    const pending = (state?.pending ?? []).map((i) => restoredItem(i, writeAhead));
    const parked = (state?.parked ?? []).map((i) => restoredItem(i, writeAhead));
    const drops = new Drops(this.log, o.onDropped ?? (() => undefined));
    this.queue = new OutboxQueue({maxPending: o.maxPending ?? 1_000, maxAgeMs: o.maxAgeMs ?? 7 * 86_400_000, maxParked: o.maxParked ?? 100}, drops, {pending, parked});
    this.deliveries = new Deliveries(o.api, o.maxDelivered ?? 500, o.keep ?? (() => false), state?.delivered);
    this.revisions = new Revisions({items: [...pending, ...parked], delivered: state?.delivered ?? []});
    this.edits = new Edits(this.queue, this.revisions);
  }

  /** Replaces what waits and what was delivered with a saved state; only while stopped. */
  replaceState(state: OutboxState): void {
    if (this.started || this.running) throw new Error('outbox: replaceState while running');
    this.restore(state);
    this.abort = new AbortController();
  }

  enqueue(item: NewItem): string {
    const deliveryId = item.deliveryId ?? randomUUID();
    if (this.deliveries.has(deliveryId) || this.queue.has(deliveryId)) return deliveryId;
    if (item.op === 'patch' && item.rootDeliveryId) {
      this.update(item.rootDeliveryId, item, item.happenedAt);
      return deliveryId;
    }
    const now = this.now();
    // Only the newest report matters: older ones not yet on their way (waiting or parked) are replaced.
    if (laneOf(item) === 'report') this.queue.supersedeReports(this.inFlight);
    const rev = item.op === 'create' && !item.rootDeliveryId ? this.revisions.next(deliveryId) : undefined;
    this.add({...item, deliveryId, ...(rev ? {rev} : {})}, now);
    this.onChange(laneOf(item) === 'report');
    return deliveryId;
  }

  /** New content for a post: rewrites it while still waiting, otherwise queues a patch (one per burst). */
  update(deliveryId: string, content: Content, happenedAt: number): void {
    const rev = this.revisions.next(deliveryId);
    const waiting = this.edits.rewriteWaitingCreate(deliveryId, content, rev, this.inFlight);
    if (waiting) return this.onChange(false);
    const channelId = this.queue.find((p) => p.deliveryId === deliveryId)?.channelId ?? this.deliveries.get(deliveryId)?.channelId;
    if (!channelId) {
      this.log.warn('outbox: update of an unknown post dropped', {deliveryId});
      return;
    }
    if (this.edits.coalesce(deliveryId, content, rev, happenedAt, this.inFlight)) return this.onChange(false);
    const now = this.now();
    const hold = this.patchWindowMs > 0 ? {holdUntil: now + this.patchWindowMs} : {};
    this.add({op: 'patch', deliveryId: randomUUID(), channelId, rootDeliveryId: deliveryId, message: content.message, props: content.props, happenedAt, rev, ...hold}, now);
    this.onChange(false);
  }

  /**
   * A post Mattermost changed itself (a button's answer): that content is applied. A waiting edit
   * takes it; after an edit in flight (which may land later with older content) it is sent again.
   */
  amendWaiting(deliveryId: string, content: Content): boolean {
    const rev = this.edits.applied(deliveryId);
    const record = this.deliveries.get(deliveryId);
    if (record) record.rev = rev;
    if (this.edits.coalesce(deliveryId, content, rev, this.now(), this.inFlight)) return (this.onChange(false), true);
    if (!this.edits.anyEdit(deliveryId) || !record) return (this.onChange(false), false);
    this.add({op: 'patch', deliveryId: randomUUID(), channelId: record.channelId, rootDeliveryId: deliveryId, message: content.message, props: content.props, happenedAt: this.now(), rev}, this.now());
    this.onChange(false);
    return true;
  }

  postIdOf(deliveryId: string): string | null {
    return this.deliveries.postIdOf(deliveryId);
  }

  get size(): number {
    return this.queue.pending.length;
  }

  /** Waiting posts per lane, and the parked ones (for /metrics). */
  counts(): {alert: number; report: number; parked: number} {
    const alert = this.queue.pending.filter((p) => laneOf(p) === 'alert').length;
    return {alert, report: this.queue.pending.length - alert, parked: this.queue.parked.length};
  }

  /**
   * What must survive a crash. A report is kept only once an attempt at it is recorded (a restart
   * looks it up, else posts a fresh one: at 50 targets it is 250 KB a write); a parked report is
   * never kept (refused, so not stored; the next report replaces it).
   */
  snapshot(): OutboxState {
    const kept = (i: OutboxItem) => laneOf(i) === 'alert' || i.attempts > 0 || i.deliveryId === this.inFlight;
    return {
      pending: this.queue.pending.filter(kept).map((i) => ({...i})),
      delivered: this.deliveries.all().map((d) => ({...d})),
      parked: this.queue.parked.filter((i) => laneOf(i) === 'alert').map((i) => ({...i})),
      writeAhead: true,
    };
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

  private add(fields: Omit<OutboxItem, 'attempts' | 'nextAttemptAt' | 'enqueuedAt' | 'seq'>, now: number): void {
    const item: OutboxItem = {...fields, enqueuedAt: now, seq: this.queue.nextSeq(), attempts: 0, nextAttemptAt: now};
    this.queue.add(item);
    this.queue.enforce(now, this.inFlight);
    this.schedule(0);
  }

  /** The first waiting post of each lane; a held patch does not block the alerts behind it. */
  private heads(): OutboxItem[] {
    const now = this.now();
    const alert = this.queue.pending.find((p) => laneOf(p) === 'alert' && !((p.holdUntil ?? 0) > now));
    const report = this.queue.pending.find((p) => laneOf(p) === 'report');
    return [alert, report].filter((i): i is OutboxItem => !!i);
  }

  /** When the next post is due (its backoff or its patch window), or null when none waits. */
  private nextDueAt(): number | null {
    const now = this.now();
    const held = this.queue.pending.filter((p) => (p.holdUntil ?? 0) > now).map((p) => p.holdUntil as number);
    const parked = this.queue.parked.filter((p) => laneOf(p) === 'alert').map((p) => p.nextAttemptAt);
    const times = [...this.heads().map((h) => h.nextAttemptAt), ...held, ...parked];
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
      const unparked = this.queue.unparkDue(this.now());
      if (unparked.length) this.log.info('outbox: trying parked posts again', {deliveryIds: unparked.slice(0, 10).map((p) => p.deliveryId)});
      this.queue.enforce(this.now(), this.inFlight);
      // A lane whose head waits for its backoff does not hold the other lane.
      const item = this.heads().find((h) => h.nextAttemptAt <= this.now());
      if (!item) return;
      await this.attempt(item);
    }
  }

  /** Records the attempt durably before its request: after a crash it is looked up, never blindly sent again. */
  private async recordAttempt(item: OutboxItem): Promise<boolean> {
    item.attempts += 1;
    try {
      await this.persist();
      return true;
    } catch (err) {
      item.attempts -= 1;
      this.backOff(item, err, 'the store could not record the attempt');
      return false;
    }
  }

  /** One attempt at one post. */
  private async attempt(item: OutboxItem): Promise<void> {
    if (item.op === 'patch') {
      const root = item.rootDeliveryId ?? '';
      const why = this.revisions.isStale(root, item.rev) ? 'superseded' : this.postIdOf(root) ? null : 'thread';
      if (why) {
        this.queue.dropWithThreads([item], why, why === 'superseded' ? 'the server already shows newer content' : 'the post it edits was never delivered');
        return this.onChange(false);
      }
    }
    this.inFlight = item.deliveryId;
    try {
      if (!(await this.recordAttempt(item))) return;
      if (!this.mayAttempt()) {
        // Recorded but not sent: a later attempt looks it up first, which is harmless.
        item.maybeSent = true;
        return this.backOff(item, new Error('this bridge may not send now (not the leader)'), 'held back');
      }
      const postId = await this.deliver(item);
      this.queue.remove(item);
      if (postId) this.delivered(item, postId);
      else if (item.op === 'patch' && item.rootDeliveryId && item.rev !== undefined) this.appliedRev(item.rootDeliveryId, item.rev);
      // The bot may post there again: what was refused in that channel is tried now.
      if (laneOf(item) === 'alert') this.queue.wakeChannel(item.channelId, this.now());
      this.onChange(laneOf(item) === 'report');
    } catch (err) {
      if (this.abort.signal.aborted) return;
      item.maybeSent = true;
      item.lastError = describeError(err);
      if (isInvalid(err)) {
        this.queue.dropWithThreads([item], 'refused', item.lastError);
      } else if (isForbidden(err)) {
        this.park(item);
      } else {
        this.backOff(item, err, 'delivery failed');
      }
      this.onChange(laneOf(item) === 'report');
    } finally {
      this.inFlight = null;
    }
  }

  private backOff(item: OutboxItem, err: unknown, what: string): void {
    item.kickable = !(err instanceof MattermostApiError);
    item.nextAttemptAt = this.now() + Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** Math.min(Math.max(item.attempts, 1) - 1, 30));
    item.lastError = describeError(err);
    this.log.warn(`outbox: ${what}; will retry`, {
      deliveryId: item.deliveryId,
      lane: laneOf(item),
      attempts: item.attempts,
      retryInMs: item.nextAttemptAt - this.now(),
      error: item.lastError,
    });
  }

  private delivered(item: OutboxItem, postId: string): void {
    // Only alerts are replied to or patched later; a report's post id goes to onDelivered (the ledger).
    if (laneOf(item) === 'alert') this.deliveries.remember({deliveryId: item.deliveryId, postId, channelId: item.channelId, at: this.now(), ...(item.rev ? {rev: item.rev} : {})});
    if (item.rev !== undefined) this.revisions.markApplied(item.deliveryId, item.rev);
    this.onDelivered(item, postId);
  }

  private appliedRev(deliveryId: string, rev: number): void {
    this.revisions.markApplied(deliveryId, rev);
    const record = this.deliveries.get(deliveryId);
    if (record && rev > (record.rev ?? 0)) record.rev = rev;
  }

  private park(item: OutboxItem): void {
    const again = this.parkedBefore.has(item.deliveryId);
    this.parkedBefore.add(item.deliveryId);
    // What waits behind it in its thread goes with it, so the thread stays in order.
    this.queue.park(item, this.now() + this.parkRetryMs, null);
    if (!again) this.onParked(item);
    (again ? this.log.warn : this.log.error).call(this.log, 'outbox: Mattermost does not let the bot post this (check its token, its membership and the channel); set aside, later posts go on', {
      deliveryId: item.deliveryId,
      lane: laneOf(item),
      op: item.op,
      channel: item.channelId,
      error: item.lastError,
    });
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

  private propsOf(item: OutboxItem): Record<string, unknown> {
    const id = item.op === 'patch' ? item.rootDeliveryId : item.deliveryId;
    return {...item.props, [DELIVERY_ID_PROP]: id, ...(item.rev !== undefined ? {[DELIVERY_REV_PROP]: item.rev} : {})};
  }

  /** Returns the post id (create) or null (patch). */
  private async deliver(item: OutboxItem): Promise<string | null> {
    const props = this.propsOf(item);
    if (item.op === 'patch') {
      const postId = this.postIdOf(item.rootDeliveryId ?? '') as string;
      // An edit that may have landed (a recorded attempt, then a crash or no answer) is looked up too.
      if (item.maybeSent && item.rev !== undefined) {
        const shown = await this.call((signal) => this.api.revisionOf(postId, signal));
        if (shown >= item.rev) {
          this.log.info('outbox: the edit is on the server already; not sending it again', {deliveryId: item.deliveryId, postId, rev: shown});
          return null;
        }
      }
      await this.call((signal) => this.api.patch(postId, {message: item.message, props}, signal));
      return null;
    }
    // A previous attempt may have been stored by the server before its answer was lost.
    if (item.maybeSent) {
      const found = await this.call((signal) => this.deliveries.findEarlier(item, signal));
      if (found) {
        this.log.info('outbox: found an earlier delivery; not sending again', {deliveryId: item.deliveryId, postId: found.postId});
        this.adoptEarlier(item, found);
        return found.postId;
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
    // Mattermost answered with an earlier create of this post (same pending_post_id), older than what waits now.
    if (created.rev !== undefined) this.adoptEarlier(item, {postId: created.id, rev: created.rev});
    return created.id;
  }

  /** The post an earlier attempt left is older than the item's content now (it was rewritten while waiting): edit it. */
  private adoptEarlier(item: OutboxItem, found: {postId: string; rev: number}): void {
    if (item.rev === undefined || found.rev >= item.rev) return;
    const rev = item.rev;
    // Recorded as delivered with the old revision first, so the edit has a post to go to.
    this.deliveries.remember({deliveryId: item.deliveryId, postId: found.postId, channelId: item.channelId, at: this.now(), rev: found.rev});
    item.rev = found.rev;
    this.add(
      {op: 'patch', deliveryId: randomUUID(), channelId: item.channelId, rootDeliveryId: item.deliveryId, message: item.message, props: item.props, happenedAt: item.happenedAt, rev},
      this.now(),
    );
    this.log.info('outbox: the earlier delivery shows older content; editing it', {deliveryId: item.deliveryId, postId: found.postId, from: found.rev, to: rev});
  }
}
