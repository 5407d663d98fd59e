// One leader among the bridges, by a lease row in PostgreSQL with an increasing epoch. The lease is
// taken only once the previous one has expired by the database's clock; its holder counts its own
// validity on its monotonic clock from before its request, less a margin, so it stops sending
// before any other bridge can take over. Every write of the shared state is fenced by the epoch
// (pg-store.ts). Why not an advisory lock alone: PostgreSQL releases it when the holder's connection
// drops, while the holder may still be mid-request to Mattermost, paused, or cut from the database
// but not from Mattermost; nothing would stop it from sending beside the new leader.
import type {Pool} from 'pg';
import {describeError} from '../../mm/errors';
import type {OutboxLog} from '../../outbox/types';

export interface LeaseOptions {
  pool: Pool;
  /** This bridge's name (HEALTHCHECK_INSTANCE). */
  instance: string;
  /** How long a lease lasts unless renewed. */
  leaseMs: number;
  /** How often the holder renews it (and others try to take it): a third of the lease by default. */
  renewMs?: number;
  /** The holder stops sending this long before its lease runs out. */
  marginMs?: number;
  log: OutboxLog;
  /** Called when this bridge becomes the leader (a new epoch) or stops being it. */
  onChange?: (leader: boolean, epoch: number) => void;
  /** The monotonic clock (ms). */
  monotonic?: () => number;
}

export class Lease {
  private leader = false;
  private held = 0;
  private validUntil = 0;
  private lastRenewal = 0;
  private timer: NodeJS.Timeout | null = null;
  private expiryTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** After giving the lease up, this bridge does not try to take it before then (monotonic ms). */
  private holdOffUntil = 0;
  private readonly monotonic: () => number;

  constructor(private readonly o: LeaseOptions) {
    this.monotonic = o.monotonic ?? (() => performance.now());
  }

  /** True while this bridge holds an unexpired lease (with the margin): only then may it send. */
  canSend(): boolean {
    return this.leader && this.monotonic() < this.validUntil;
  }

  get isLeader(): boolean {
    return this.canSend();
  }

  get epoch(): number {
    return this.held;
  }

  /** Seconds since the lease was last renewed by this bridge (null when it never held it). */
  ageSeconds(): number | null {
    return this.lastRenewal ? (this.monotonic() - this.lastRenewal) / 1000 : null;
  }

  /** What pg-store checks each write against. */
  fence(): {holder: string; epoch: number} | null {
    return this.canSend() ? {holder: this.o.instance, epoch: this.held} : null;
  }

  private get marginMs(): number {
    return this.o.marginMs ?? Math.max(1_000, this.o.leaseMs / 5);
  }

  /** One try: renew the lease held, or take it when it has expired (a new epoch). */
  async tick(): Promise<void> {
    const startedAt = this.monotonic();
    if (!this.leader && startedAt < this.holdOffUntil) return;
    try {
      const r = await this.o.pool.query<{epoch: number}>(
        `UPDATE hc_lease SET
           epoch = CASE WHEN holder = $1 AND expires_at > now() AND epoch = $3 THEN epoch ELSE epoch + 1 END,
           holder = $1, renewed_at = now(), expires_at = now() + make_interval(secs => $2)
         WHERE name = 'leader' AND ((holder = $1 AND expires_at > now() AND epoch = $3) OR expires_at <= now())
         RETURNING epoch`,
        [this.o.instance, this.o.leaseMs / 1000, this.held],
      );
      const row = r.rows[0];
      if (!row) return this.lose('another bridge holds the lease');
      const epoch = Number(row.epoch);
      this.validUntil = startedAt + this.o.leaseMs - this.marginMs;
      this.lastRenewal = startedAt;
      this.armExpiry();
      if (this.leader && epoch === this.held) return;
      // A new term: taken after the previous lease expired (or this bridge's own, after a pause).
      this.leader = true;
      this.held = epoch;
      this.o.log.info('lease: this bridge is the leader', {instance: this.o.instance, epoch});
      this.o.onChange?.(true, epoch);
    } catch (err) {
      // Cut from the database: the lease runs out by itself (armExpiry), and sending stops then.
      this.o.log.warn('lease: could not reach the database to renew or take the lease', {error: describeError(err), leader: this.canSend()});
    }
  }

  start(): void {
    this.stopped = false;
    const every = this.o.renewMs ?? Math.max(500, Math.floor(this.o.leaseMs / 3));
    const loop = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.tick().then(loop, loop);
      }, every);
      this.timer.unref();
    };
    this.tick().then(loop, loop);
  }

  /** Stops renewing; a clean stop gives the lease up at once, so another bridge takes over within its next try. */
  async stop(release = true): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    const was = this.leader;
    this.leader = false;
    if (was) this.o.onChange?.(false, this.held);
    if (release && was) {
      await this.o.pool.query("UPDATE hc_lease SET expires_at = now() WHERE name = 'leader' AND holder = $1 AND epoch = $2", [this.o.instance, this.held]).catch(() => undefined);
    }
  }

  /** Gives the lease up now (another bridge takes it at its next try) and does not try again for holdOffMs. */
  async resign(holdOffMs: number, why: string): Promise<void> {
    if (!this.leader) return;
    const epoch = this.held;
    this.holdOffUntil = this.monotonic() + holdOffMs;
    this.lose(why);
    await this.o.pool.query("UPDATE hc_lease SET expires_at = now() WHERE name = 'leader' AND holder = $1 AND epoch = $2", [this.o.instance, epoch]).catch(() => undefined);
  }

  private armExpiry(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = setTimeout(() => this.lose('the lease ran out before it could be renewed'), Math.max(0, this.validUntil - this.monotonic()));
    this.expiryTimer.unref();
  }

  private lose(why: string): void {
    if (!this.leader) return;
    this.leader = false;
    this.o.log.warn('lease: this bridge is no longer the leader; it stops sending', {instance: this.o.instance, epoch: this.held, why});
    this.o.onChange?.(false, this.held);
  }
}
