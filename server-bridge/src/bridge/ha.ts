// Several bridges, one voice (HEALTHCHECK_STORE): every bridge probes from its own vantage and
// writes its votes; one leader, by a lease with fencing (state/pg/lease.ts), turns the votes of a
// quorum into incidents and alone sends posts, sweeps reports, writes the bot's status and registers
// /healthcheck. A bridge that becomes the leader reloads the shared state first and continues the
// same incidents in the same threads; a follower refreshes its view (for /healthcheck and the
// buttons) from the store every few seconds.
import os from 'node:os';
import {Gauge, type Registry} from 'prom-client';
import {describeError} from '../mm/errors';
import type {OutboxLog} from '../outbox/types';
import type {ProbeResult} from '../probes/types';
import {verdicts, VantageTrackers, type Verdict, type Vote} from '../incidents/quorum';
import type {Thresholds} from '../incidents/tracker';
import {Lease} from '../state/pg/lease';
import {PgHistory} from '../state/pg/pg-history';
import {PgStore} from '../state/pg/pg-store';
import {trackerKey} from '../incidents/tracker';
import type {IncidentParts} from './incident-service';
import type {SloAckRequest} from '../actions/slo-perform';

export interface HaSettings {
  store: string;
  instance: string | null;
  quorum: number;
  leaseMs: number;
  voteWindowMs: number | null;
}

export interface HaOptions {
  settings: HaSettings;
  thresholds: {defaults: Thresholds; perProbe: Record<string, Partial<Thresholds>>};
  /** The shortest probe interval: votes are fresh for three of them (unless HEALTHCHECK_VOTE_WINDOW). */
  intervalMs: number;
  log: OutboxLog;
  registry?: Registry;
  version: string;
  /** How often the leader reads the votes and a follower its view (ms). */
  refreshMs?: number;
}

export const defaultInstance = () =>
  os
    .hostname()
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .slice(0, 64) || 'bridge';

interface VoteRow {
  instance: string;
  probe: string;
  target: string;
  state: Vote['state'];
  since: number | null;
  at_ms: number;
  row: {lastFailure?: Vote['lastFailure']};
}

export class HighAvailability {
  readonly store: PgStore;
  /** This bridge's own result history (its own row: each bridge probes on its own). */
  readonly history: PgHistory;
  readonly lease: Lease;
  readonly instance: string;
  readonly quorum: number;
  private readonly own: VantageTrackers;
  private readonly dirty = new Set<string>();
  /** When this bridge last recorded a run of its own (monotonic ms; null before the first). */
  private lastRunAt: number | null = null;
  /** Its votes in the store speak for runs before a pause: deleted before its next heartbeat. */
  private withdrawVotes = false;
  /** A monotonic clock in ms (a test's own). */
  monotonic: () => number = () => performance.now();
  private readonly windowMs: number;
  private parts: IncidentParts | null = null;
  private timer: NodeJS.Timeout | null = null;
  private beat: NodeJS.Timeout | null = null;
  private previous = new Map<string, Verdict>();
  /** Serialises role changes and refreshes (a takeover never overlaps a refresh). */
  private chain: Promise<void> = Promise.resolve();
  private belowQuorumSince: number | null = null;
  /** When this bridge last became the leader (ms): the bridges that report are counted only a vote window later. */
  private leaderSince = 0;
  /** True from the end of a takeover's reload until the lease is lost: what the store holds is loaded. */
  private term = false;
  private freshVantages: {instance: string; seenAgoS: number; leader: boolean}[] = [];
  /** Every bridge that ever reported in this store, silent ones included (a dead-man per bridge). */
  private allVantages: {instance: string; seenAgoS: number; leader: boolean; silent: boolean}[] = [];
  onLeader: (leader: boolean) => void = () => undefined;
  /** On the leader: an SLO alert's acknowledgement a follower took (compose.ts joins it to the SLO service). */
  onSloAck: (request: SloAckRequest) => void = () => undefined;

  constructor(private readonly o: HaOptions) {
    this.instance = o.settings.instance ?? defaultInstance();
    this.quorum = o.settings.quorum;
    this.windowMs = o.settings.voteWindowMs ?? Math.max(60_000, 3 * o.intervalMs);
    this.own = new VantageTrackers(o.thresholds.defaults, o.thresholds.perProbe);
    this.store = new PgStore({url: o.settings.store, log: o.log, fence: () => this.lease.fence()});
    this.history = new PgHistory(this.store.pool, this.instance);
    this.lease = new Lease({
      pool: this.store.pool,
      instance: this.instance,
      leaseMs: o.settings.leaseMs,
      log: o.log,
      onChange: (leader) => {
        this.chain = this.chain.then(() => this.roleChanged(leader)).catch((err: unknown) => o.log.error('ha: the change of role failed (a bug)', {error: describeError(err)}));
      },
    });
    if (o.registry) this.metrics(o.registry);
  }

  /** Applies the migrations, retrying until the database answers (the bridge cannot share state before). */
  async migrate(retryMs = 5_000): Promise<void> {
    for (;;) {
      try {
        const applied = await this.store.migrate();
        if (applied.length) this.o.log.info('store: migrations applied', {versions: applied, store: this.store.where});
        return;
      } catch (err) {
        this.o.log.error('store: the PostgreSQL store cannot be reached or migrated; retrying', {store: this.store.where, error: describeError(err), retryInMs: retryMs});
        await new Promise((r) => setTimeout(r, retryMs));
      }
    }
  }

  /** This bridge's own run: its vote, written when its state changes (and refreshed by the heartbeat). */
  observe(result: ProbeResult): void {
    this.checkAway();
    this.lastRunAt = this.monotonic();
    for (const t of this.own.observe([result])) this.dirty.add(trackerKey(t.probe, t.target));
    // Back from a pause: the heartbeat takes the old votes back first, then writes these.
    if (this.dirty.size && !this.withdrawVotes) this.writeVotes().catch(() => undefined);
  }

  start(parts: IncidentParts): void {
    this.parts = parts;
    parts.incidents.forward = this.forwarder();
    this.lease.start();
    const every = this.o.refreshMs ?? 2_000;
    const loop = () => {
      this.timer = setTimeout(() => {
        this.chain = this.chain.then(() => this.refresh()).catch((err: unknown) => this.o.log.warn('ha: refresh failed; tried again', {error: describeError(err)}));
        this.chain.then(loop, loop);
      }, every);
      this.timer.unref();
    };
    loop();
    const heartbeat = () => {
      this.beat = setTimeout(() => {
        this.heartbeat().then(heartbeat, heartbeat);
      }, this.beatMs());
      this.beat.unref();
    };
    this.heartbeat().then(heartbeat, heartbeat);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    if (this.beat) clearTimeout(this.beat);
    await this.lease.stop(true);
    await this.chain.catch(() => undefined);
  }

  /**
   * A follower's view of the store brought up to date now, in turn with the refreshes and changes of
   * role (it reloads every 2 s): a button clicked on a root the leader posted since the last reload
   * names a post this follower does not know yet.
   */
  catchUp(): Promise<void> {
    const parts = this.parts;
    if (!parts) return Promise.resolve();
    const done = this.chain.then(() => (this.lease.canSend() ? undefined : this.reload(parts)));
    this.chain = done.catch((err: unknown) => this.o.log.warn('ha: could not read the store to catch up', {error: describeError(err)}));
    return this.chain;
  }

  /** Every bridge of the store's last day, silent ones marked (for /healthcheck). */
  bridgeList(): {instance: string; seenAgoS: number; leader: boolean; silent: boolean}[] {
    return this.allVantages.map((v) => ({...v, leader: v.instance === this.instance ? this.lease.canSend() : v.leader}));
  }

  /** For the report (the panel shows them): each bridge, when it last reported, the leader, the silent ones. */
  reportBridges(): {instance: string; lastSeenAt: number; leader: boolean; silent: boolean}[] {
    const now = Date.now();
    return this.bridgeList().map((b) => ({instance: b.instance, lastSeenAt: now - b.seenAgoS * 1000, leader: b.leader, silent: b.silent}));
  }

  private beatMs(): number {
    return Math.min(5_000, this.windowMs / 4);
  }

  /** Bridges seen within the vote window (for /healthcheck, the report and the dead-man notice). */
  vantages(): {instance: string; seenAgoS: number; leader: boolean}[] {
    return this.freshVantages;
  }

  /**
   * The leader, with the previous leader's state loaded: what may open, change and resolve burn-rate
   * alerts (between the lease and the reload it would not know the alert the previous one opened).
   */
  leading(): boolean {
    return this.term && this.lease.canSend();
  }

  private async roleChanged(leader: boolean): Promise<void> {
    const parts = this.parts;
    this.term = false;
    this.onLeader(leader);
    if (leader) this.leaderSince = Date.now();
    if (!parts) return;
    await parts.outbox.stop();
    if (!leader) return;
    // A new term: what the store holds is the truth (the previous leader's incidents and outbox).
    await this.reload(parts);
    this.term = true;
    parts.outbox.start();
    this.o.log.info('ha: took over as the leader; continuing the incidents and posts in the store', {
      instance: this.instance,
      epoch: this.lease.epoch,
      open: parts.incidents.openIncidents().map((i) => i.id),
      waiting: parts.outbox.size,
    });
  }

  private async reload(parts: IncidentParts): Promise<void> {
    const loaded = await this.store.load();
    parts.incidents.replaceState(loaded.incidents ?? {trackers: [], open: [], resolved: [], mutes: []});
    parts.outbox.replaceState(loaded.outbox ?? {pending: [], delivered: []});
    parts.reportLedger.replaceState(loaded.reports ?? {adopted: false, posts: []});
    // A store no bridge has written SLO alerts to yet keeps what this one read of an older version's side file.
    parts.sloState.replace(loaded.slo ?? parts.sloState.current);
    parts.store?.rebase(loaded);
    this.previous = new Map();
  }

  /** Leader: votes → verdicts → incidents, then the acknowledgements other bridges took. Follower: its view from the store. */
  private async refresh(): Promise<void> {
    const parts = this.parts;
    if (!parts) return;
    if (!this.lease.canSend()) return this.reload(parts);
    const now = Date.now();
    const votes = await this.readVotes();
    const list = verdicts(votes, this.quorum, now, this.windowMs, this.previous);
    this.previous = new Map(list.map((v) => [trackerKey(v.probe, v.target), v]));
    parts.incidents.observeVerdicts(list, now);
    // A leader cut from Mattermost while another bridge reaches it could post nothing: it hands over.
    const healthyElsewhere = this.cutOff(votes);
    if (healthyElsewhere) {
      await this.lease.resign(2 * this.o.settings.leaseMs, `this bridge cannot reach Mattermost (${healthyElsewhere.probe} failing) while ${healthyElsewhere.instance} can`);
      return;
    }
    for (const ack of await this.store.acks()) {
      const open = parts.incidents.openIncidents().find((i) => i.id === ack.incidentId);
      if (!open || open.ack) continue;
      const done = parts.incidents.acknowledge(ack.incidentId, ack.by, ack.at);
      if (done.status === 'acknowledged' && done.incident.rootDeliveryId) parts.outbox.update(done.incident.rootDeliveryId, done.root, now);
    }
    await this.applyRequests(parts);
    this.deadMan(parts, now);
  }

  /** A probe this bridge sees failing that another fresh vantage sees healthy on the same target, or null. */
  private cutOff(votes: readonly Vote[]): {probe: string; instance: string} | null {
    // Only a bridge that has beaten since this one took over is one to hand over to: a killed bridge's votes stay in the window a while.
    for (const t of this.own.all()) {
      if (t.state !== 'failing') continue;
      const other = votes.find(
        (v) =>
          v.instance !== this.instance && v.at > this.leaderSince && Date.now() - v.at <= this.windowMs && v.probe === t.probe && v.target === t.target && (v.state === 'ok' || v.state === 'degraded'),
      );
      if (other) return {probe: t.probe, instance: other.instance};
    }
    return null;
  }

  /** Mutes, unmutes and SLO acknowledgements another bridge was asked for, in order, each once. */
  private async applyRequests(parts: IncidentParts): Promise<void> {
    const r = await this.store.pool.query<{id: number; kind: string; row: Record<string, unknown>}>('SELECT id, kind, row FROM hc_requests WHERE applied_at IS NULL ORDER BY id LIMIT 50');
    for (const q of r.rows) {
      const x = q.row as {probe: string | null; durationMs: number; by: string; at: number; where: string | null};
      if (q.kind === 'mute') parts.incidents.mute(x.probe, Math.max(0, x.at + x.durationMs - Date.now()), x.by, Date.now(), x.where, true);
      else if (q.kind === 'unmute') parts.incidents.unmute(x.by, Date.now(), x.where, true);
      else if (q.kind === 'slo_ack') this.onSloAck(q.row as unknown as SloAckRequest);
      await this.store.pool.query('UPDATE hc_requests SET applied_at = now() WHERE id = $1', [q.id]);
    }
  }

  /** What a follower was asked (acknowledge, mute, unmute) goes to the store for the leader to apply. */
  forwarder(): NonNullable<IncidentParts['incidents']['forward']> {
    const log = (what: string) => (err: unknown) => this.o.log.error(`ha: ${what} could not be handed to the leader through the store`, {error: describeError(err)});
    return {
      ack: (incidentId, by, at) => {
        this.store.acknowledge(incidentId, by, at).catch(log('an acknowledgement'));
      },
      mute: (row) => {
        if (!this.lease.canSend()) this.store.pool.query("INSERT INTO hc_requests (kind, row) VALUES ('mute', $1::jsonb)", [JSON.stringify(row)]).catch(log('a mute'));
      },
      unmute: (row) => {
        if (!this.lease.canSend()) this.store.pool.query("INSERT INTO hc_requests (kind, row) VALUES ('unmute', $1::jsonb)", [JSON.stringify(row)]).catch(log('an unmute'));
      },
    };
  }

  /** A follower's acknowledgement of an SLO alert, for the leader to apply (it alone knows the alert's thread). */
  forwardSloAck(request: SloAckRequest): void {
    if (this.lease.canSend()) return;
    this.store.pool
      .query("INSERT INTO hc_requests (kind, row) VALUES ('slo_ack', $1::jsonb)", [JSON.stringify(request)])
      .catch((err: unknown) => this.o.log.error('ha: an SLO acknowledgement could not be handed to the leader through the store', {error: describeError(err)}));
  }

  /** Tells the ops channel once when fewer bridges than the quorum are reporting, and once when enough are back. */
  private deadMan(parts: IncidentParts, now: number): void {
    // Right after a takeover (or a start) the others' heartbeats may not have been read yet.
    if (now - this.leaderSince < this.windowMs) return;
    const live = this.freshVantages.length;
    if (live < this.quorum && this.belowQuorumSince === null) {
      this.belowQuorumSince = now;
      parts.incidents.note(
        `:warning: Only ${live} of the health-check bridges report (${this.freshVantages.map((v) => `**${v.instance}**`).join(', ') || 'none'}); an incident needs ${this.quorum}. Failures are not alerted until enough bridges report again.`,
        `vantages:below-quorum:${now}`,
        now,
      );
    } else if (live >= this.quorum && this.belowQuorumSince !== null) {
      parts.incidents.note(
        `:white_check_mark: ${live} health-check bridges report again (${this.freshVantages.map((v) => `**${v.instance}**`).join(', ')}); the quorum of ${this.quorum} is met.`,
        `vantages:quorum-back:${now}`,
        now,
      );
      this.belowQuorumSince = null;
    }
  }

  private async readVotes(): Promise<Vote[]> {
    const r = await this.store.pool.query<VoteRow>(
      // A bridge's votes are as fresh as its heartbeat (they are written only when they change).
      `SELECT v.instance, v.probe, v.target, v.state, v.since, (extract(epoch FROM b.seen_at) * 1000)::bigint AS at_ms, v.row
         FROM hc_votes v JOIN hc_vantages b ON b.instance = v.instance
        WHERE b.seen_at > now() - make_interval(secs => $1)`,
      [this.windowMs / 1000],
    );
    // The database's clock dates the votes; compared with it, not with this host's.
    const dbNow = Number((await this.store.pool.query<{now_ms: number}>('SELECT (extract(epoch FROM now()) * 1000)::bigint AS now_ms')).rows[0]?.now_ms ?? Date.now());
    const skew = Date.now() - dbNow;
    return r.rows.map((v) => ({instance: v.instance, probe: v.probe, target: v.target, state: v.state, since: v.since, lastFailure: v.row.lastFailure ?? null, at: Number(v.at_ms) + skew}));
  }

  private async writeVotes(): Promise<void> {
    const keys = [...this.dirty];
    this.dirty.clear();
    const trackers = this.own.all().filter((t) => keys.includes(trackerKey(t.probe, t.target)));
    if (trackers.length === 0) return;
    try {
      const rows = trackers.map((t) => {
        const f = t.state === 'failing' ? t.lastFailure : null;
        const lastFailure = f
          ? {probe: f.probe, target: f.target, ok: false, durationMs: f.durationMs, startedAt: f.startedAt, checks: f.checks.filter((c) => !c.ok), ...(f.error ? {error: f.error} : {})}
          : null;
        return {target: t.target, probe: t.probe, state: t.state, since: t.since, row: JSON.stringify({lastFailure})};
      });
      // One statement for every vote that changed.
      await this.store.pool.query(
        `INSERT INTO hc_votes (instance, target, probe, state, since, at, row)
         SELECT $1, v.target, v.probe, v.state, v.since, now(), v.row::jsonb FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[]) AS v(target, probe, state, since, row)
         ON CONFLICT (instance, target, probe) DO UPDATE SET state = EXCLUDED.state, since = EXCLUDED.since, at = now(), row = EXCLUDED.row`,
        [this.instance, rows.map((r) => r.target), rows.map((r) => r.probe), rows.map((r) => r.state), rows.map((r) => r.since), rows.map((r) => r.row)],
      );
    } catch (err) {
      // Written again with the next change or heartbeat.
      for (const k of keys) this.dirty.add(k);
      this.o.log.warn('ha: this bridge could not write its votes', {error: describeError(err)});
    }
  }

  /** This bridge is alive: its heartbeat and its votes refreshed; and who else is. */
  /**
   * No run of this bridge's for longer than the vote window: it was paused (SIGSTOP, a suspended VM)
   * or stalled, and the others stopped counting its votes when its heartbeat aged. Its next heartbeat
   * would make those votes fresh again, states no run confirmed since: a leader resumed after its
   * lease had gone re-opened, with its stale 'failing', the incident the next leader had resolved.
   * Its trackers start again from its next runs, and its votes are taken back first.
   */
  private checkAway(): void {
    if (this.lastRunAt === null) return;
    const gapMs = this.monotonic() - this.lastRunAt;
    if (gapMs <= this.windowMs) return;
    this.o.log.warn('ha: this bridge ran no probe for longer than the vote window (paused or stalled); its votes start again from its next runs', {
      awayS: Math.round(gapMs / 1000),
      windowS: this.windowMs / 1000,
    });
    this.own.reset();
    this.dirty.clear();
    this.withdrawVotes = true;
    this.lastRunAt = this.monotonic();
  }

  private async heartbeat(): Promise<void> {
    this.checkAway();
    try {
      if (this.withdrawVotes) {
        await this.store.pool.query('DELETE FROM hc_votes WHERE instance = $1', [this.instance]);
        this.withdrawVotes = false;
      }
      await this.store.pool.query(`INSERT INTO hc_vantages (instance, seen_at, row) VALUES ($1, now(), $2::jsonb) ON CONFLICT (instance) DO UPDATE SET seen_at = now(), row = EXCLUDED.row`, [
        this.instance,
        JSON.stringify({version: this.o.version, leader: this.lease.canSend()}),
      ]);
      // Votes are written when they change (and retried here when that failed); the heartbeat keeps them fresh.
      await this.writeVotes();
      // Bridges silent for a day are forgotten (a pod replaced by a rollout has a new name).
      const r = await this.store.pool.query<{instance: string; ago: number; row: {leader?: boolean}}>(
        "SELECT instance, extract(epoch FROM now() - seen_at)::float8 AS ago, row FROM hc_vantages WHERE seen_at > now() - interval '1 day' ORDER BY instance",
      );
      this.allVantages = r.rows.map((x) => ({instance: x.instance, seenAgoS: Math.round(Number(x.ago)), leader: x.row.leader === true, silent: Number(x.ago) * 1000 > this.windowMs}));
      this.freshVantages = this.allVantages.filter((v) => !v.silent).map(({silent: _silent, ...v}) => v);
    } catch (err) {
      this.o.log.warn('ha: the heartbeat could not be written (the store is unreachable); probing goes on', {error: describeError(err)});
    }
  }

  private metrics(registry: Registry): void {
    const registers = [registry];
    const lease = this.lease;
    new Gauge({
      name: 'healthcheck_leader',
      help: 'Several bridges: 1 while this bridge holds the lease (it alone sends posts), else 0',
      registers,
      collect() {
        this.set(lease.canSend() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'healthcheck_lease_epoch',
      help: 'Several bridges: the epoch of the lease this bridge last held (0: never)',
      registers,
      collect() {
        this.set(lease.epoch);
      },
    });
    new Gauge({
      name: 'healthcheck_lease_age_seconds',
      help: 'Several bridges: seconds since this bridge last renewed the lease it held (absent when it never held it)',
      registers,
      collect() {
        const a = lease.ageSeconds();
        if (a === null) this.reset();
        else this.set(a);
      },
    });
    const own = this.own;
    const instance = this.instance;
    new Gauge({
      name: 'healthcheck_vantage_votes',
      help: "Several bridges: this bridge's own votes (probe and target pairs) by state",
      labelNames: ['vantage', 'state'],
      registers,
      collect() {
        this.reset();
        for (const t of own.all()) this.inc({vantage: instance, state: t.state});
      },
    });
    const fresh = () => this.freshVantages.length;
    new Gauge({
      name: 'healthcheck_vantages_reporting',
      help: 'Several bridges: bridges whose heartbeat is within the vote window',
      registers,
      collect() {
        this.set(fresh());
      },
    });
  }
}
