// Burn-rate alerts in the ops channel, multiwindow as in the SRE workbook: a rule fires while the
// burn rate is over its threshold in both its long and its short window. Each SLO has at most one
// alert thread at a time, like an incident: a root post once (through the outbox, stable delivery
// ids), edited when the severity changes or it is acknowledged, a reply and a last edit when the
// burn stops. Mutes of the SLO's probes hold new alerts, as they hold incidents.
import {randomBytes} from 'node:crypto';
import {formatDuration} from '../text/format';
import {userMention} from '../text/markdown';
import {closedRootPost, rootPost} from './alert-post';
import {BURN_ALERT_RULES, burnThreshold, scaledWindowMs, type BurnAlertRule} from './definitions';
import type {SloStatus} from './evaluate';
import {pct} from './slo-text';

export interface SloAlert {
  id: string;
  slo: string;
  rule: BurnAlertRule['id'];
  severity: BurnAlertRule['severity'];
  openedAt: number;
  resolvedAt: number | null;
  rootDeliveryId: string;
  /** The highest long-window burn rate seen while open. */
  peakBurn: number;
  /** The last evaluation at which the burn went on (stillBurning): the resolution waits a short window after it. */
  lastFiringAt?: number;
  ack?: {by: string; at: number};
}

export interface SloAlertsState {
  open: SloAlert[];
  resolved: SloAlert[];
}

/** What the alerts need of the outbox: its public API. */
export interface SloAlertOutbox {
  enqueue(item: {op: 'create'; deliveryId: string; channelId: string; rootDeliveryId?: string; message: string; type?: string; props: Record<string, unknown>; happenedAt: number}): string;
  update(deliveryId: string, content: {message: string; props: Record<string, unknown>}, happenedAt: number): void;
}

export interface SloAlertOptions {
  outbox: SloAlertOutbox;
  channelId: string;
  /** Mutes: a probe muted now holds new alerts of SLOs covering it. */
  isMuted: (probe: string, now: number) => boolean;
  /** Called after every change, before anything is enqueued (write-ahead: the caller makes it durable). */
  save: (state: SloAlertsState) => void;
  state?: SloAlertsState;
}

/** A long window must reach back this far into runs: a few minutes of runs say little of 3 days. */
export const MIN_LONG_SPAN = 0.5;

/**
 * Whether the burn of an open alert goes on: a rule's long window burns and its short window burns
 * too or holds no run right now (a 5-minute window between two runs of a scaled-down objective, a
 * missed run). Every rule counts, however far its long window reaches back into runs: that gate
 * keeps thin data from opening an alert, and a rule crossing it mid-burn must not end one (a young
 * bridge's slow rule became eligible 3 s after the fast one let go, and opened a second root).
 */
export function stillBurning(s: SloStatus): boolean {
  return BURN_ALERT_RULES.some((rule) => {
    const long = s.burn[rule.long];
    const short = s.burn[rule.short];
    return long !== null && long > burnThreshold(rule) && (short === null || short > burnThreshold(rule));
  });
}

/** Evidence that the burn stopped: no rule burns and a short window holds runs under its rate. */
export function burnStopped(s: SloStatus): boolean {
  return !stillBurning(s) && BURN_ALERT_RULES.some((rule) => s.burn[rule.short] !== null && (s.burn[rule.short] as number) <= burnThreshold(rule));
}

const longestWindowMs = (slo: SloStatus['slo']) => Math.max(...BURN_ALERT_RULES.map((rule) => scaledWindowMs(slo, rule.long)));

/** No run in any rule's long window (a bridge down for longer than the longest): nothing to decide on. */
export function unwatched(s: SloStatus): boolean {
  return BURN_ALERT_RULES.every((rule) => s.burn[rule.long] === null);
}

/** The rule that fires for a status, the page ones first; null when none does. */
export function firingRule(s: SloStatus): {rule: BurnAlertRule; burn: number} | null {
  for (const rule of BURN_ALERT_RULES) {
    const long = s.burn[rule.long];
    const short = s.burn[rule.short];
    const threshold = burnThreshold(rule);
    if (s.burnSpan[rule.long] < MIN_LONG_SPAN) continue;
    if (long !== null && short !== null && long > threshold && short > threshold) return {rule, burn: long};
  }
  return null;
}

const RESOLVED_KEPT = 20;

export class SloAlerts {
  private open: SloAlert[];
  private resolved: SloAlert[];

  constructor(private readonly o: SloAlertOptions) {
    this.open = o.state?.open ?? [];
    this.resolved = o.state?.resolved ?? [];
  }

  /** Each SLO's status now: opens, escalates or resolves its alert. */
  evaluate(statuses: readonly SloStatus[], now: number): void {
    for (const s of statuses) {
      const firing = firingRule(s);
      const alert = this.open.find((a) => a.slo === s.slo.name);
      const quietMs = alert ? now - (alert.lastFiringAt ?? alert.openedAt) : 0;
      if (alert && stillBurning(s)) {
        alert.lastFiringAt = now;
        if (firing) this.carryOn(alert, s, firing, now);
      }
      // Healthy runs, and quiet for the fast rule's short window (5 min at 30 days) after the burn: resolved, not flapping.
      else if (alert && burnStopped(s) && quietMs >= scaledWindowMs(s.slo, '5m')) this.resolve(alert, s, now);
      // A gap is not a failure: an alert nobody could watch for the longest window closes, and says why.
      else if (alert && unwatched(s)) this.close(alert, now, `no run of its probes in the last ${formatDuration(longestWindowMs(s.slo))}; time not watched counts as neither up nor down.`);
      else if (!alert && firing && !s.slo.probes.every((p) => this.o.isMuted(p, now))) this.openAlert(s, firing, now);
    }
    // An SLO no longer configured leaves no alert open.
    for (const alert of this.open.filter((a) => !statuses.some((s) => s.slo.name === a.slo))) this.close(alert, now, 'its objective is no longer configured.');
  }

  openAlerts(): SloAlert[] {
    return this.open.map((a) => ({...a}));
  }

  snapshot(): SloAlertsState {
    return {open: this.openAlerts(), resolved: this.resolved.map((a) => ({...a}))};
  }

  /** The open alert of an SLO (by its name or the alert's id), or the only one when null. */
  find(idOrName: string | null): SloAlert | null {
    const found = idOrName === null ? (this.open.length === 1 ? this.open[0] : undefined) : this.open.find((a) => a.id === idOrName || a.slo === idOrName);
    return found ? {...found} : null;
  }

  /** /healthcheck ack <slo>: the root names who and when; one line in the thread. Again changes nothing. */
  acknowledge(idOrName: string | null, by: string, now: number, status: SloStatus | null): 'acknowledged' | 'already' | 'unknown' {
    const alert = idOrName === null ? (this.open.length === 1 ? this.open[0] : undefined) : this.open.find((a) => a.id === idOrName || a.slo === idOrName);
    if (!alert) return 'unknown';
    if (alert.ack) return 'already';
    alert.ack = {by, at: now};
    this.o.save(this.snapshot());
    this.o.outbox.enqueue({
      op: 'create',
      deliveryId: `${alert.id}:ack`,
      channelId: this.o.channelId,
      rootDeliveryId: alert.rootDeliveryId,
      message: `Acknowledged by ${userMention(by)}.`,
      props: {},
      happenedAt: now,
    });
    if (status) this.o.outbox.update(alert.rootDeliveryId, rootPost(alert, status), now);
    return 'acknowledged';
  }

  private openAlert(s: SloStatus, firing: {rule: BurnAlertRule; burn: number}, now: number): void {
    const id = `slo_${s.slo.name}_${now}_${randomBytes(4).toString('hex')}`;
    const alert: SloAlert = {
      id,
      slo: s.slo.name,
      rule: firing.rule.id,
      severity: firing.rule.severity,
      openedAt: now,
      resolvedAt: null,
      rootDeliveryId: `${id}:root`,
      peakBurn: firing.burn,
      lastFiringAt: now,
    };
    this.open.push(alert);
    this.o.save(this.snapshot());
    this.o.outbox.enqueue({op: 'create', deliveryId: alert.rootDeliveryId, channelId: this.o.channelId, ...rootPost(alert, s), happenedAt: now});
  }

  private carryOn(alert: SloAlert, s: SloStatus, firing: {rule: BurnAlertRule; burn: number}, now: number): void {
    const escalated = firing.rule.severity === 'page' && alert.severity === 'ticket';
    const peak = firing.burn > alert.peakBurn * 1.5;
    if (!escalated && !peak && firing.rule.id === alert.rule) return;
    alert.rule = firing.rule.id;
    if (escalated) alert.severity = 'page';
    alert.peakBurn = Math.max(alert.peakBurn, firing.burn);
    this.o.save(this.snapshot());
    this.o.outbox.update(alert.rootDeliveryId, rootPost(alert, s), now);
  }

  private resolve(alert: SloAlert, s: SloStatus, now: number): void {
    this.close(alert, now, null, s);
  }

  private close(alert: SloAlert, now: number, note: string | null, s?: SloStatus): void {
    alert.resolvedAt = now;
    this.open = this.open.filter((a) => a !== alert);
    this.resolved = [...this.resolved, alert].slice(-RESOLVED_KEPT);
    this.o.save(this.snapshot());
    const budget = s ? ` Budget left: ${pct(s.budgetLeft, 1)}.` : '';
    const message = note ? `:white_check_mark: Closed: ${note}` : `:white_check_mark: The burn stopped after ${formatDuration(now - alert.openedAt)}.${budget}`;
    this.o.outbox.enqueue({op: 'create', deliveryId: `${alert.id}:resolved`, channelId: this.o.channelId, rootDeliveryId: alert.rootDeliveryId, message, props: {}, happenedAt: now});
    if (s) this.o.outbox.update(alert.rootDeliveryId, rootPost(alert, s), now);
    else this.o.outbox.update(alert.rootDeliveryId, closedRootPost(alert, note ?? ''), now);
  }
}
