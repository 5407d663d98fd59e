// The objectives at work in a running bridge: evaluated on a timer from the result history, their
// burn-rate alerts posted through the outbox (state saved beside the state file first), the
// monthly report in the log channel on the first day of a month, healthcheck_slo_* on /metrics,
// and the answers of /healthcheck slo.
import {readFileSync, renameSync, writeFileSync} from 'node:fs';
import {Gauge, type Registry} from 'prom-client';
import * as z from 'zod';
import {describeError} from '../mm/errors';
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
  /** Where the alerts' state is kept (null: in memory only). */
  stateFile: string | null;
  registry?: Registry;
  log: {info(m: string, f?: Record<string, unknown>): void; warn(m: string, f?: Record<string, unknown>): void; error(m: string, f?: Record<string, unknown>): void};
  now?: () => number;
  /** False while this bridge may not post (several bridges: not the leader): figures go on, alerts wait. */
  mayAlert?: () => boolean;
  /** How often the objectives are evaluated (default: half the shortest burn window, 1 s to 30 s). */
  everyMs?: number;
}

const alertSchema = z.object({
  id: z.string(),
  slo: z.string(),
  rule: z.enum(['fast', 'slow', 'ticket']),
  severity: z.enum(['page', 'ticket']),
  openedAt: z.number(),
  resolvedAt: z.number().nullable(),
  rootDeliveryId: z.string(),
  peakBurn: z.number(),
  lastFiringAt: z.number().optional(),
  ack: z.object({by: z.string(), at: z.number()}).optional(),
});
const fileSchema = z.object({version: z.literal(1), open: z.array(alertSchema), resolved: z.array(alertSchema), lastMonthlyReport: z.string().nullable()});

export class SloService {
  private readonly now: () => number;
  private readonly alerts: SloAlerts;
  private statuses: SloStatus[] = [];
  private timer: NodeJS.Timeout | null = null;
  private lastMonthlyReport: string | null = null;
  private readonly file: string | null;

  constructor(private readonly o: SloServiceOptions) {
    this.now = o.now ?? Date.now;
    this.file = o.stateFile ? `${o.stateFile}.slo` : null;
    const saved = this.load();
    this.lastMonthlyReport = saved?.lastMonthlyReport ?? null;
    this.alerts = new SloAlerts({outbox: o.outbox, channelId: o.opsChannelId, isMuted: o.isMuted, save: (s) => this.save(s), state: saved ?? undefined});
    if (o.registry) this.metrics(o.registry);
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

  private load(): (SloAlertsState & {lastMonthlyReport: string | null}) | null {
    if (!this.file) return null;
    try {
      const parsed = fileSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      if (parsed.success) return parsed.data;
      this.o.log.warn('slo: the alerts file could not be used; open SLO alerts are forgotten', {file: this.file});
    } catch (err) {
      if ((err as {code?: string}).code !== 'ENOENT') this.o.log.warn('slo: the alerts file could not be read', {file: this.file, error: describeError(err)});
    }
    return null;
  }

  /** Small and rare (an alert opens, changes or ends): written at once, atomically, before the post is queued. */
  private save(state: SloAlertsState): void {
    if (!this.file) return;
    const tmp = `${this.file}.tmp-${process.pid}`;
    try {
      writeFileSync(tmp, JSON.stringify({version: 1, ...state, lastMonthlyReport: this.lastMonthlyReport}), {mode: 0o600});
      renameSync(tmp, this.file);
    } catch (err) {
      this.o.log.error('slo: the alerts file could not be written', {file: this.file, error: describeError(err)});
    }
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
