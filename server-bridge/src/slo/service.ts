// The objectives at work in a running bridge: evaluated on a timer from the result history, their
// burn-rate alerts posted through the outbox (their state saved in the store's change sets first), the
// monthly report in the log channel on the first day of a month, healthcheck_slo_* on /metrics,
// and the answers of /healthcheck slo.
import {readFileSync, renameSync} from 'node:fs';
import {Gauge, type Registry} from 'prom-client';
import {describeError} from '../mm/errors';
import {legacySloFileSchema, type SloState, type SloStateSlot} from './alert-state';
import {BURN_WINDOWS, scaledWindowMs, type Slo} from './definitions';
import {evaluate, type SloHistory, type SloStatus} from './evaluate';
import {SloAlerts, type SloAlertOutbox, type SloAlertsState} from './burn-alerts';
import {monthlyReport, sloAnswer} from './slo-text';
import {previousMonth, monthKey, monthLabel, type Month} from './month';

export interface SloServiceOptions {
  slos: readonly Slo[];
  history: SloHistory;
  outbox: SloAlertOutbox;
  /** The ops channel as the outbox knows it. */
  opsChannelId: string;
  /** The log channel's id (asked of the server once). */
  logChannelId: () => Promise<string>;
  isMuted: (probe: string, now: number) => boolean;
  /** The alerts' state as the store keeps it (incident-parts.ts builds it with the store). */
  state: SloStateSlot;
  /** The side file bridges before the store kept this wrote (\${stateFile}.slo): read once when the store has none, then set aside. */
  legacyFile?: string | null;
  registry?: Registry;
  log: {info(m: string, f?: Record<string, unknown>): void; warn(m: string, f?: Record<string, unknown>): void; error(m: string, f?: Record<string, unknown>): void};
  now?: () => number;
  /** False while this bridge may not post (several bridges: not the leader): figures go on, alerts wait. */
  mayAlert?: () => boolean;
  /** How often the objectives are evaluated (default: half the shortest burn window, 1 s to 30 s). */
  everyMs?: number;
}

export class SloService {
  private readonly now: () => number;
  private alerts: SloAlerts;
  private statuses: SloStatus[] = [];
  private timer: NodeJS.Timeout | null = null;
  private lastMonthlyReport: string | null = null;

  constructor(private readonly o: SloServiceOptions) {
    this.now = o.now ?? Date.now;
    const saved = o.state.current ?? this.importLegacy();
    this.lastMonthlyReport = saved?.lastMonthlyReport ?? null;
    this.alerts = this.alertsOn(saved);
    // A takeover (several bridges): the previous leader's alerts, continued in their threads.
    o.state.onReplace((state) => {
      this.alerts = this.alertsOn(state);
      this.lastMonthlyReport = state.lastMonthlyReport;
    });
    if (o.registry) this.metrics(o.registry);
  }

  private alertsOn(state: SloAlertsState | null): SloAlerts {
    const o = this.o;
    return new SloAlerts({outbox: o.outbox, channelId: o.opsChannelId, isMuted: o.isMuted, save: (s) => this.save(s), state: state ?? undefined});
  }

  get slos(): readonly Slo[] {
    return this.o.slos;
  }

  start(): void {
    if (this.o.slos.length === 0) return;
    const shortest = Math.min(...this.o.slos.map((s) => scaledWindowMs(s, '5m')));
    const every = this.o.everyMs ?? Math.min(30_000, Math.max(1000, shortest / 2));
    this.timer = setInterval(() => this.tick(), every);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Evaluates every objective now; opens, updates or resolves alerts; posts the monthly report when due. */
  tick(): void {
    const now = this.now();
    try {
      this.statuses = this.o.slos.map((slo) => evaluate(this.o.history, slo, now));
      if (this.o.mayAlert && !this.o.mayAlert()) return;
      this.alerts.evaluate(this.statuses, now);
      this.monthly(now);
    } catch (err) {
      this.o.log.error('slo: evaluation failed (a bug)', {error: describeError(err)});
    }
  }

  current(): SloStatus[] {
    if (this.statuses.length !== this.o.slos.length) this.statuses = this.o.slos.map((slo) => evaluate(this.o.history, slo, this.now()));
    return this.statuses;
  }

  /** /healthcheck slo */
  answer(): string {
    return sloAnswer(this.o.slos.map((slo) => evaluate(this.o.history, slo, this.now())));
  }

  /** /healthcheck slo ack [name] (system admins). */
  acknowledge(name: string | null, by: string): string {
    const alert = this.alerts.find(name);
    if (!alert)
      return name === null && this.alerts.openAlerts().length > 1
        ? `Several SLO alerts are open; name one: ${this.alerts
            .openAlerts()
            .map((a) => `\`${a.slo}\``)
            .join(', ')}`
        : 'No such open SLO alert.';
    const slo = this.o.slos.find((s) => s.name === alert.slo);
    const outcome = this.alerts.acknowledge(alert.id, by, this.now(), slo ? evaluate(this.o.history, slo, this.now()) : null);
    return outcome === 'already' ? `The SLO alert of **${alert.slo}** was already acknowledged.` : `Acknowledged the SLO alert of **${alert.slo}**.`;
  }

  openAlerts() {
    return this.alerts.openAlerts();
  }

  /** The report of the month so far (on demand) or of a finished month, posted in the log channel. */
  async postReport(month: Month, why: string): Promise<void> {
    const {start, end} = monthSpan(month);
    const now = this.now();
    const until = Math.min(end, now);
    const statuses = this.o.slos.map((slo) => evaluate(this.o.history, {...slo, windowMs: Math.max(3_600_000, until - start)}, until));
    const channelId = await this.o.logChannelId();
    const text = monthlyReport(statuses, `${monthLabel(month)}${until < end ? ' (so far)' : ''}`);
    this.o.outbox.enqueue({op: 'create', deliveryId: `slo_report_${monthKey(month)}_${why}`, channelId, message: text, props: {}, happenedAt: now});
  }

  private monthly(now: number): void {
    const last = previousMonth(now);
    const key = monthKey(last);
    if (this.lastMonthlyReport === key || this.o.slos.length === 0) return;
    // A bridge started for the first time reports from the next month on.
    if (this.lastMonthlyReport === null) {
      this.lastMonthlyReport = key;
      this.save(this.alerts.snapshot());
      return;
    }
    this.lastMonthlyReport = key;
    this.save(this.alerts.snapshot());
    this.postReport(last, 'monthly').catch((err: unknown) => this.o.log.warn('slo: the monthly report could not be queued', {error: describeError(err)}));
  }

  /** An older bridge's side file, when the store holds no SLO state yet: handed to the store, then set aside (never written again). */
  private importLegacy(): SloState | null {
    const file = this.o.legacyFile;
    if (!file) return null;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as {code?: string}).code !== 'ENOENT') this.o.log.warn('slo: the alerts file of an older version could not be read', {file, error: describeError(err)});
      return null;
    }
    let state: SloState | null = null;
    try {
      const parsed = legacySloFileSchema.safeParse(JSON.parse(text));
      if (parsed.success) {
        const {version: _version, ...rest} = parsed.data;
        state = rest;
      }
    } catch {
      // Not JSON: reported below like any other content that does not fit.
    }
    const aside = () => {
      try {
        renameSync(file, `${file}.imported`);
      } catch (err) {
        this.o.log.warn('slo: the alerts file of an older version could not be set aside', {file, error: describeError(err)});
      }
    };
    if (!state) {
      this.o.log.warn('slo: the alerts file of an older version could not be used; open SLO alerts are forgotten', {file});
      aside();
      return null;
    }
    this.o.state.set(state);
    this.o.log.info('slo: the alerts of an older version were read from their side file; the store keeps them from now on', {file, open: state.open.length});
    // Set aside only once the store has them: a bridge stopped before reads the file again.
    this.o.state.durable().then(aside, () => undefined);
    return state;
  }

  /** Rare (an alert opens, changes or ends): into the store's next change set, which the outbox makes durable before it sends the post. */
  private save(state: SloAlertsState): void {
    this.o.state.set({...state, lastMonthlyReport: this.lastMonthlyReport});
  }

  private metrics(registry: Registry): void {
    const registers = [registry];
    const statuses = () => this.current();
    const each = (g: Gauge<string>, value: (s: SloStatus) => number | null) => {
      g.reset();
      for (const s of statuses()) {
        const v = value(s);
        if (v !== null) g.set({slo: s.slo.name}, v);
      }
    };
    new Gauge({
      name: 'healthcheck_slo_objective_ratio',
      help: 'The objective of the SLO (share of good runs wanted)',
      labelNames: ['slo'],
      registers,
      collect: function () {
        each(this, (s) => s.slo.objective);
      },
    });
    new Gauge({
      name: 'healthcheck_slo_window_seconds',
      help: 'The window of the SLO',
      labelNames: ['slo'],
      registers,
      collect: function () {
        each(this, (s) => s.slo.windowMs / 1000);
      },
    });
    new Gauge({
      name: 'healthcheck_slo_attained_ratio',
      help: 'Share of good runs over the window (observed time only)',
      labelNames: ['slo'],
      registers,
      collect: function () {
        each(this, (s) => s.attained);
      },
    });
    new Gauge({
      name: 'healthcheck_slo_error_budget_remaining_ratio',
      help: 'Error budget left over the window: 1 untouched, 0 spent, below 0 overspent',
      labelNames: ['slo'],
      registers,
      collect: function () {
        each(this, (s) => s.budgetLeft);
      },
    });
    new Gauge({
      name: 'healthcheck_slo_observed_ratio',
      help: 'Share of the window the bridge observed',
      labelNames: ['slo'],
      registers,
      collect: function () {
        each(this, (s) => s.coverage);
      },
    });
    new Gauge({
      name: 'healthcheck_slo_burn_rate',
      help: 'Error budget burn rate over a window (window as at 30 days; scaled to the SLO window)',
      labelNames: ['slo', 'window'],
      registers,
      collect: function () {
        this.reset();
        for (const s of statuses()) for (const w of BURN_WINDOWS) if (s.burn[w.label] !== null) this.set({slo: s.slo.name, window: w.label}, s.burn[w.label] as number);
      },
    });
    const slos = this.o.slos;
    const open = () => this.alerts.openAlerts();
    new Gauge({
      name: 'healthcheck_slo_alert_firing',
      help: '1 while a burn-rate alert of the SLO is open in the ops channel',
      labelNames: ['slo', 'severity'],
      registers,
      collect() {
        this.reset();
        for (const slo of slos) for (const severity of ['page', 'ticket']) this.set({slo: slo.name, severity}, 0);
        for (const a of open()) this.set({slo: a.slo, severity: a.severity}, 1);
      },
    });
  }
}

export function monthSpan(m: Month): {start: number; end: number} {
  return {start: Date.UTC(m.year, m.month - 1, 1), end: Date.UTC(m.year, m.month, 1)};
}
