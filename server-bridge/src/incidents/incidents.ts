// Turns probe results into incidents in the ops channel: one per target however many of its probes
// fail, reminders in the thread (capped), one recovery reply and one patch of the root; mutes hold
// alerts, not probes.
import {randomBytes} from 'node:crypto';
import type {FailingProbe, IncidentSummary} from '../contract';
import type {NewItem} from '../outbox/outbox';
import type {ProbeResult} from '../probes/types';
import {ackPost, mutePost, reminderPost, resolvedPost, rootPost, unmutePost, type AlertPost, type Incident, type Mute} from './alert-posts';
import type {Verdict} from './quorum';
import {advance, durableTracker, newTracker, restoredTracker, thresholdsFor, trackerKey, DEFAULT_THRESHOLDS, type DurableTracker, type Thresholds, type TrackerState} from './tracker';

export type {Incident, Mute};

export interface IncidentSettings {
  opsChannelId: string;
  defaults: Thresholds;
  perProbe: Record<string, Partial<Thresholds>>;
  reminderIntervalMs: number;
  maxReminders: number;
  /** Reminders of an acknowledged incident: none (0, the default) or this often. */
  ackReminderIntervalMs?: number;
  /** More props of an incident's root post (its buttons), given its current state. */
  rootExtras?: (incident: Incident, mutedUntil: number | null) => Record<string, unknown>;
}

export type AckOutcome = {status: 'acknowledged' | 'already'; incident: Incident; root: AlertPost} | {status: 'unknown'};

export const DEFAULT_INCIDENT_SETTINGS: Omit<IncidentSettings, 'opsChannelId'> = {
  defaults: DEFAULT_THRESHOLDS,
  perProbe: {},
  reminderIntervalMs: 30 * 60_000,
  maxReminders: 6,
};

/** What the manager needs of the outbox. */
export interface AlertOutbox {
  enqueue(item: NewItem): string;
  update(deliveryId: string, content: {message: string; props: Record<string, unknown>}, happenedAt: number): void;
  postIdOf(deliveryId: string): string | null;
}

export interface IncidentsState {
  trackers: DurableTracker[];
  open: Incident[];
  /** The latest resolved incidents, newest last (for history). */
  resolved: Incident[];
  mutes: Mute[];
}

export const RESOLVED_KEPT = 50;

const probeNames = (probes: readonly string[]) => probes.map((p) => `\`${p}\``).join(', ');

export class IncidentManager {
  private readonly trackers = new Map<string, TrackerState>();
  /** Several bridges: what is asked of this bridge is handed to the leader through the store as well. */
  forward?: {
    ack(incidentId: string, by: string, at: number): void;
    mute(request: {probe: string | null; durationMs: number; by: string; at: number; where: string | null}): void;
    unmute(request: {by: string; at: number; where: string | null}): void;
  };
  /** Several bridges: the latest verdict per probe and target, with the vantages behind it. */
  private readonly verdicts = new Map<string, Verdict>();
  private open: Incident[];
  private resolved: Incident[];
  private mutes: Mute[];

  constructor(
    private readonly settings: IncidentSettings,
    private readonly sink: AlertOutbox,
    state?: IncidentsState,
    /** lazy: only trackers changed (what they post goes through the sink, which says so itself). */
    private readonly onChange: (lazy: boolean) => void = () => undefined,
  ) {
    for (const t of state?.trackers ?? []) this.trackers.set(trackerKey(t.probe, t.target), restoredTracker(t));
    this.open = state?.open ?? [];
    this.resolved = state?.resolved ?? [];
    this.mutes = state?.mutes ?? [];
  }

  /** One cycle's results (or any batch): failures of one target in it open one incident. */
  observe(results: readonly ProbeResult[], now: number): void {
    for (const result of results) {
      if (result.notConfigured?.length) continue;
      const key = trackerKey(result.probe, result.target);
      const prev = this.trackers.get(key) ?? newTracker(result.probe, result.target);
      this.trackers.set(key, advance(prev, result, thresholdsFor(result.probe, this.settings.defaults, this.settings.perProbe)).next);
    }
    this.reconcile(now, new Set(results.map((r) => r.target)));
    this.onChange(true);
  }

  /**
   * Several bridges: the verdicts of their votes (quorum.ts) stand in for this bridge's own runs.
   * An incident names the vantages that saw its probes fail and those that saw them healthy.
   */
  observeVerdicts(verdicts: readonly Verdict[], now: number): void {
    const targets = new Set<string>();
    for (const v of verdicts) {
      const key = trackerKey(v.probe, v.target);
      const prev = this.trackers.get(key);
      this.verdicts.set(key, v);
      if (prev && prev.state === v.state && prev.since === v.since) continue;
      this.trackers.set(key, {...newTracker(v.probe, v.target), state: v.state, since: v.since, failingSince: v.state === 'failing' ? v.since : null, lastFailure: v.lastFailure});
      targets.add(v.target);
    }
    if (targets.size) this.reconcile(now, targets);
    for (const incident of this.open) {
      const seen = this.vantagesOf(incident);
      if (JSON.stringify(seen) === JSON.stringify(incident.vantages ?? null)) continue;
      if (seen) incident.vantages = seen;
      else delete incident.vantages;
      if (incident.rootDeliveryId) this.sink.update(incident.rootDeliveryId, this.root(incident, now), now);
      targets.add(incident.target);
    }
    if (targets.size) this.onChange(false);
  }

  /** Replaces everything with what the store holds (a bridge that becomes the leader, or a follower's view). */
  replaceState(state: IncidentsState): void {
    this.trackers.clear();
    for (const t of state.trackers) this.trackers.set(trackerKey(t.probe, t.target), restoredTracker(t));
    this.open = state.open;
    this.resolved = state.resolved;
    this.mutes = state.mutes;
  }

  /** Time passing: reminders, mutes that end by themselves. */
  tick(now: number): void {
    let changed = false;
    const ended = this.mutes.filter((m) => m.until <= now);
    if (ended.length > 0) {
      this.mutes = this.mutes.filter((m) => m.until > now);
      for (const m of ended) this.announce(unmutePost(m, m.until, null), `${m.id}:ended`, m.until);
      this.reconcile(now);
      this.refreshRoots(now);
      changed = true;
    }
    for (const incident of this.open) {
      if (!incident.rootDeliveryId || incident.remindersSent >= this.settings.maxReminders) continue;
      if (incident.probes.every((p) => this.isMuted(p, now))) continue;
      const interval = incident.ack ? (this.settings.ackReminderIntervalMs ?? 0) : this.settings.reminderIntervalMs;
      if (interval <= 0 || now - (incident.lastReminderAt ?? incident.openedAt) < interval) continue;
      changed = true;
      incident.remindersSent += 1;
      incident.lastReminderAt = now;
      const reply = reminderPost(incident, this.failing(incident), now);
      this.sink.enqueue({
        op: 'create',
        deliveryId: `${incident.id}:reminder:${incident.remindersSent}`,
        channelId: this.settings.opsChannelId,
        rootDeliveryId: incident.rootDeliveryId,
        ...reply,
        happenedAt: now,
      });
    }
    if (changed) this.onChange(false);
  }

  /** forwarded: applied for another bridge (not handed on again). */
  mute(probe: string | null, durationMs: number, by: string, now: number, where: string | null = null, forwarded = false): Mute {
    if (!forwarded) this.forward?.mute({probe, durationMs, by, at: now, where});
    const mute: Mute = {id: `mute_${now}_${probe ?? 'all'}`, probe, from: now, until: now + durationMs, by, ...(where ? {where} : {})};
    this.mutes = [...this.mutes.filter((m) => m.probe !== probe), mute];
    this.announce(mutePost(mute), mute.id, now);
    this.refreshRoots(now);
    this.onChange(false);
    return mute;
  }

  /** Ends every mute now; returns the ones ended. */
  unmute(by: string, now: number, where: string | null = null, forwarded = false): Mute[] {
    if (!forwarded) this.forward?.unmute({by, at: now, where});
    const ended = this.mutes;
    this.mutes = [];
    for (const m of ended) this.announce(unmutePost(m, now, by, where), `${m.id}:unmuted`, now);
    this.reconcile(now);
    if (ended.length > 0) this.refreshRoots(now);
    this.onChange(false);
    return ended;
  }

  /**
   * Acknowledges an open incident: the root says by whom and when, one line in the thread,
   * reminders stop (or slow). Again on an acknowledged one changes nothing.
   */
  acknowledge(incidentId: string, by: string, now: number): AckOutcome {
    const incident = this.open.find((i) => i.id === incidentId);
    if (!incident) return {status: 'unknown'};
    if (incident.ack) return {status: 'already', incident: {...incident}, root: this.root(incident, now)};
    incident.ack = {by, at: now};
    incident.lastReminderAt = now;
    this.forward?.ack(incident.id, by, now);
    const interval = this.settings.ackReminderIntervalMs ?? 0;
    if (incident.rootDeliveryId) {
      this.sink.enqueue({
        op: 'create',
        deliveryId: `${incident.id}:ack`,
        channelId: this.settings.opsChannelId,
        rootDeliveryId: incident.rootDeliveryId,
        ...ackPost(incident, interval > 0 ? interval : 'stop'),
        happenedAt: now,
      });
    }
    this.onChange(false);
    return {status: 'acknowledged', incident: {...incident}, root: this.root(incident, now)};
  }

  /** The open incident with this id, or the only open one when id is null. */
  findOpen(id: string | null): Incident | null {
    if (id === null) return this.open.length === 1 ? {...(this.open[0] as Incident)} : null;
    const found = this.open.find((i) => i.id === id || i.target === id);
    return found ? {...found} : null;
  }

  /** The root post's current content (buttons included), e.g. for an action's answer. */
  rootOf(incidentId: string, now: number): AlertPost | null {
    const incident = [...this.open, ...this.resolved].find((i) => i.id === incidentId);
    return incident ? this.root(incident, now) : null;
  }

  isMuted(probe: string, now: number): boolean {
    return this.mutes.some((m) => m.until > now && (m.probe === null || m.probe === probe));
  }

  activeMutes(now: number): Mute[] {
    return this.mutes.filter((m) => m.until > now);
  }

  /** The end of a mute covering every probe, or null. */
  mutedUntil(now: number): number | null {
    const all = this.mutes.filter((m) => m.probe === null && m.until > now);
    return all.length ? Math.max(...all.map((m) => m.until)) : null;
  }

  trackerOf(probe: string, target: string): TrackerState | undefined {
    return this.trackers.get(trackerKey(probe, target));
  }

  trackerStates(): TrackerState[] {
    return [...this.trackers.values()];
  }

  openIncidents(): Incident[] {
    return this.open.map((i) => ({...i}));
  }

  recentIncidents(): Incident[] {
    return this.resolved.map((i) => ({...i}));
  }

  /** For report posts: open incidents and the recently resolved ones, with their root posts. */
  summaries(): IncidentSummary[] {
    return [...this.open, ...this.resolved.slice(-10)].map((i) => ({
      id: i.id,
      target: i.target,
      probes: [...i.probes],
      openedAt: i.openedAt,
      resolvedAt: i.resolvedAt,
      postId: i.rootDeliveryId ? this.sink.postIdOf(i.rootDeliveryId) : null,
      channelId: i.rootDeliveryId ? this.settings.opsChannelId : null,
    }));
  }

  /** A plain line in the ops channel (who ran a state-changing command, and where). */
  note(message: string, deliveryId: string, at: number): void {
    this.sink.enqueue({op: 'create', deliveryId, channelId: this.settings.opsChannelId, message, props: {}, happenedAt: at});
  }

  /** What must survive a restart; it changes with states and incidents, not with every run. */
  snapshot(): IncidentsState {
    const trackers = this.trackerStates().map(durableTracker);
    return {trackers, open: this.openIncidents(), resolved: this.recentIncidents(), mutes: [...this.mutes]};
  }

  /**
   * Forgets trackers of probes or targets no longer configured; an open incident left with none of
   * its probes is closed with a note (no recovery was seen), one with some left keeps those.
   */
  retainOnly(configured: readonly {probe: string; target: string}[], now: number): {trackers: number; closed: Incident[]} {
    const keep = new Set(configured.map((k) => trackerKey(k.probe, k.target)));
    const closed: Incident[] = [];
    for (const incident of [...this.open]) {
      const gone = incident.probes.filter((p) => !keep.has(trackerKey(p, incident.target)));
      if (gone.length === 0) continue;
      if (gone.length < incident.probes.length) {
        incident.probes = incident.probes.filter((p) => !gone.includes(p));
        continue;
      }
      const configuredTarget = configured.some((k) => k.target === incident.target);
      incident.closedNote = configuredTarget ? `${probeNames(gone)} ${gone.length > 1 ? 'are' : 'is'} no longer configured on this target.` : 'this target is no longer configured.';
      this.close(incident, now);
      closed.push(incident);
    }
    const before = this.trackers.size;
    for (const key of [...this.trackers.keys()]) if (!keep.has(key)) this.trackers.delete(key);
    if (before !== this.trackers.size || closed.length > 0) this.onChange(false);
    return {trackers: before - this.trackers.size, closed};
  }

  private announce(p: AlertPost, deliveryId: string, at: number): void {
    this.sink.enqueue({op: 'create', deliveryId, channelId: this.settings.opsChannelId, ...p, happenedAt: at});
  }

  /** Roots whose buttons depend on the mutes (only when buttons are on). */
  private refreshRoots(now: number): void {
    if (!this.settings.rootExtras) return;
    for (const i of this.open) if (i.rootDeliveryId) this.sink.update(i.rootDeliveryId, this.root(i, now), now);
  }

  private root(incident: Incident, now: number): AlertPost {
    const post = rootPost(incident, this.failing(incident));
    const extras = this.settings.rootExtras?.(incident, this.mutedUntil(now));
    return extras ? {...post, props: {...post.props, ...extras}} : post;
  }

  /** Which vantages see the incident's probes failing and which see them healthy (null with one bridge). */
  private vantagesOf(incident: Incident): {failing: string[]; healthy: string[]} | null {
    const seen = incident.probes.map((p) => this.verdicts.get(trackerKey(p, incident.target))).filter((v): v is Verdict => !!v);
    if (seen.length === 0) return null;
    const failing = [...new Set(seen.flatMap((v) => v.failing))].sort();
    const healthy = [...new Set(seen.flatMap((v) => v.healthy))].filter((i) => !failing.includes(i)).sort();
    return {failing, healthy};
  }

  private tracker(target: string, probe: string): TrackerState | undefined {
    return this.trackers.get(trackerKey(probe, target));
  }

  private failing(incident: Incident): FailingProbe[] {
    return incident.probes.map((probe) => {
      const last = this.tracker(incident.target, probe)?.lastFailure;
      return {probe, checks: last?.checks ?? [], ...(last?.error ? {error: last.error} : {})};
    });
  }

  private lastError(incident: Incident): string | undefined {
    const failures = incident.probes.map((p) => this.tracker(incident.target, p)?.lastFailure).filter((r): r is ProbeResult => !!r?.error);
    failures.sort((a, b) => b.startedAt - a.startedAt);
    return failures[0]?.error;
  }

  /** only: the targets whose trackers changed (a probe run); time-driven changes (mutes) pass none. */
  private reconcile(now: number, only?: ReadonlySet<string>): void {
    // One pass over the trackers, not one per target: at 50 targets x 9 probes this ran per probe run.
    const byTarget = new Map<string, TrackerState[]>();
    for (const t of this.trackers.values()) {
      if (only && !only.has(t.target)) continue;
      const list = byTarget.get(t.target);
      if (list) list.push(t);
      else byTarget.set(t.target, [t]);
    }
    for (const [target, trackers] of byTarget) {
      const failing = trackers.filter((t) => t.state === 'failing');
      const incident = this.open.find((i) => i.target === target);
      if (incident) {
        const joining = failing.filter((t) => !incident.probes.includes(t.probe) && !this.isMuted(t.probe, now));
        if (joining.length > 0) {
          incident.probes.push(...joining.map((t) => t.probe));
          // The incident began when its first probe began failing, even one that crossed the threshold later.
          incident.openedAt = Math.min(incident.openedAt, ...joining.map((t) => t.since ?? incident.openedAt));
          incident.lastError = this.lastError(incident);
          if (incident.rootDeliveryId) this.sink.update(incident.rootDeliveryId, this.root(incident, now), now);
        }
        if (incident.probes.every((p) => this.tracker(target, p)?.state !== 'failing')) this.resolve(incident);
        continue;
      }
      const alerting = failing.filter((t) => !this.isMuted(t.probe, now));
      if (alerting.length === 0) continue;
      const openedAt = Math.min(...alerting.map((t) => t.since ?? now));
      // Assigned once and stored with the root's outbox row; not guessable from the target and time.
      const id = `inc_${target}_${openedAt}_${randomBytes(6).toString('hex')}`;
      const opened: Incident = {
        id,
        target,
        probes: alerting.map((t) => t.probe),
        openedAt,
        resolvedAt: null,
        rootDeliveryId: `${id}:root`,
        remindersSent: 0,
        lastReminderAt: now,
      };
      opened.lastError = this.lastError(opened);
      const seen = this.vantagesOf(opened);
      if (seen) opened.vantages = seen;
      this.open.push(opened);
      this.sink.enqueue({op: 'create', deliveryId: opened.rootDeliveryId as string, channelId: this.settings.opsChannelId, ...this.root(opened, now), happenedAt: openedAt});
    }
  }

  private resolve(incident: Incident): void {
    this.close(incident, Math.max(...incident.probes.map((p) => this.tracker(incident.target, p)?.since ?? incident.openedAt)));
  }

  private close(incident: Incident, recoveredAt: number): void {
    incident.resolvedAt = recoveredAt;
    this.open = this.open.filter((i) => i !== incident);
    this.resolved = [...this.resolved, incident].slice(-RESOLVED_KEPT);
    if (!incident.rootDeliveryId) return;
    const probes = this.failing(incident);
    this.sink.enqueue({
      op: 'create',
      deliveryId: `${incident.id}:resolved`,
      channelId: this.settings.opsChannelId,
      rootDeliveryId: incident.rootDeliveryId,
      ...resolvedPost(incident, probes),
      happenedAt: recoveredAt,
    });
    this.sink.update(incident.rootDeliveryId, this.root(incident, recoveredAt), recoveredAt);
  }
}
