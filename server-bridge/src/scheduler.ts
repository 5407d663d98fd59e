// Runs every enabled probe against every target on its own interval, with jitter and a timeout
// (AbortSignal); one run of a probe+target at a time; a run-now trigger; a clean stop that lets
// runs in flight finish (or aborts them after a grace period) so no probe is left half-done. The
// startup cycle spreads each server's heavy probes (logins, websockets, posts, searches, database
// writes) over its first interval, as they run afterwards, instead of starting them all at once.
import {MattermostClient} from './mm/client';
import {describeFailure} from './probes/failure';
import {missingSettings, ProbeRun} from './probes/outcome';
import type {ProbeContext, ProbeDefinition, ProbeResult, TargetSettings} from './probes/types';

export interface Job {
  probe: ProbeDefinition;
  target: TargetSettings;
  intervalMs: number;
  timeoutMs: number;
  /** After a failed run the next comes this soon (when shorter than the interval), so a recovery is seen quickly. */
  retryIntervalMs?: number;
}

export type Trigger = 'startup' | 'schedule' | 'run_now';

export interface RunEvent {
  result: ProbeResult;
  trigger: Trigger;
  /** When the run was due (ms since epoch). */
  plannedAt: number;
  /** When the scheduler invoked the probe (ms since epoch); startedAt − plannedAt is the schedule drift. */
  startedAt: number;
}

export interface CycleEvent {
  trigger: Exclude<Trigger, 'schedule'>;
  results: ProbeResult[];
}

export interface SchedulerOptions {
  jobs: readonly Job[];
  /** ± this fraction of the interval is added at random to every scheduled run. */
  jitter: number;
  random?: () => number;
  now?: () => number;
  /** A probe that ignores its signal is given up this long after its timeout (it still blocks its next run). */
  hardTimeoutGraceMs?: number;
  /** Builds a run's context; the default uses the target's cache and the map shared by all targets. */
  contextFor?: (job: Job, signal: AbortSignal, cache: Map<string, unknown>, shared: Map<string, unknown>) => ProbeContext;
  /** A listener threw: reported here, never to the scheduler. */
  onListenerError?: (err: unknown) => void;
  /** The longest gap between two spread first runs of one server's heavy probes (a few need no more). */
  startupGapMaxMs?: number;
}

interface JobState {
  job: Job;
  key: string;
  busy: Promise<ProbeResult> | null;
  /** A run-now waiting for the run in flight to end, shared by concurrent callers. */
  followUp: Promise<ProbeResult> | null;
  timer: NodeJS.Timeout | null;
  /** When the armed timer fires (ms since epoch). */
  dueAt: number;
  /** The unjittered slot the next scheduled run belongs to. */
  anchor: number;
}

const timeoutError = (ms: number) => new DOMException(`no answer within ${ms} ms`, 'TimeoutError');

/** The server a target is on: targets listing one server (its nodes, or one server many times) share its load. */
function serverOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return url;
  }
}

/**
 * When each job's first run starts, in ms after the start: a server's heavy probes one after the
 * other, evenly over its shortest first interval less their longest timeout (so the last ends within
 * that interval, and the first report with it), at most maxGapMs apart; light probes at once.
 */
export function startupOffsets(jobs: readonly Job[], maxGapMs: number): number[] {
  const servers = new Map<string, Job[]>();
  for (const job of jobs) {
    if (!job.probe.heavy) continue;
    const key = serverOf(job.target.url);
    const list = servers.get(key);
    if (list) list.push(job);
    else servers.set(key, [job]);
  }
  const offset = new Map<Job, number>();
  for (const heavy of servers.values()) {
    const span = Math.max(0, Math.min(...heavy.map((j) => j.intervalMs)) - Math.max(...heavy.map((j) => j.timeoutMs)));
    const gap = Math.min(maxGapMs, span / heavy.length);
    heavy.forEach((job, i) => offset.set(job, Math.round(i * gap)));
  }
  return jobs.map((job) => offset.get(job) ?? 0);
}

export function jobKey(probe: string, target: string): string {
  return `${target}/${probe}`;
}

export class Scheduler {
  private readonly states: JobState[];
  private readonly jitter: number;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly hardGraceMs: number;
  private readonly contextFor: NonNullable<SchedulerOptions['contextFor']>;
  private readonly onListenerError: (err: unknown) => void;
  private readonly caches = new Map<string, Map<string, unknown>>();
  private readonly shared = new Map<string, unknown>();
  private readonly runNowCycles = new Map<string, Promise<ProbeResult[]>>();
  private readonly shutdown = new AbortController();
  private readonly live = new Set<AbortController>();
  private readonly clients = new Map<string, MattermostClient>();
  private readonly runListeners = new Set<(e: RunEvent) => unknown>();
  private readonly cycleListeners = new Set<(e: CycleEvent) => unknown>();
  private readonly startupGapMaxMs: number;
  /** First runs of the startup cycle still waiting for their turn: stop() cancels them. */
  private readonly waiting = new Set<() => void>();
  private started = false;
  private stopped = false;

  constructor(options: SchedulerOptions) {
    this.states = options.jobs.map((job) => ({job, key: jobKey(job.probe.name, job.target.name), busy: null, followUp: null, timer: null, dueAt: 0, anchor: 0}));
    this.jitter = options.jitter;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.hardGraceMs = options.hardTimeoutGraceMs ?? 2_000;
    this.contextFor = options.contextFor ?? ((job, signal, cache, shared) => ({target: job.target, signal, timeoutMs: job.timeoutMs, cache, shared, client: this.clientFor(job.target)}));
    this.onListenerError = options.onListenerError ?? (() => undefined);
    this.startupGapMaxMs = options.startupGapMaxMs ?? 500;
  }

  /** After every probe run, whatever triggered it. Returns an unsubscribe function. */
  onRun(listener: (e: RunEvent) => unknown): () => void {
    this.runListeners.add(listener);
    return () => this.runListeners.delete(listener);
  }

  /** After the startup cycle and every run-now cycle, with all its results. */
  onCycle(listener: (e: CycleEvent) => unknown): () => void {
    this.cycleListeners.add(listener);
    return () => this.cycleListeners.delete(listener);
  }

  /**
   * Runs every job once (the startup cycle; heavy probes spread per server, see startupOffsets),
   * then keeps each on its own schedule from its first run on. Resolves with the runs that were
   * made (one a job, unless stop() came first).
   */
  async start(): Promise<ProbeResult[]> {
    if (this.started) throw new Error('the scheduler was already started');
    this.started = true;
    const t0 = this.now();
    const offsets = startupOffsets(
      this.states.map((s) => s.job),
      this.startupGapMaxMs,
    );
    const firstRuns = this.states.map((s, i) => {
      const plannedAt = t0 + (offsets[i] ?? 0);
      // Its later runs keep the spread: slots one interval apart from its first run.
      s.anchor = plannedAt;
      this.scheduleNext(s);
      return plannedAt === t0 ? this.runFresh(s, 'startup', t0) : this.startAt(s, plannedAt);
    });
    const results = (await Promise.all(firstRuns)).filter((r): r is ProbeResult => r !== null);
    this.emit(this.cycleListeners, {trigger: 'startup', results});
    return results;
  }

  /** A first run that waits for its turn in the startup cycle; null when stop() came first. */
  private startAt(s: JobState, plannedAt: number): Promise<ProbeResult | null> {
    return new Promise((resolve) => {
      const cancel = () => {
        clearTimeout(timer);
        this.waiting.delete(cancel);
        resolve(null);
      };
      const timer = setTimeout(() => {
        this.waiting.delete(cancel);
        resolve(this.stopped ? null : this.runFresh(s, 'startup', plannedAt));
      }, plannedAt - this.now());
      timer.unref?.();
      this.waiting.add(cancel);
    });
  }

  /**
   * Runs the matching jobs now (after any run in flight) and resolves with the completed cycle. A
   * call while the same run-now cycle is in flight joins it: N calls, one cycle, one report.
   */
  async runNow(filter: {probe?: string; target?: string} = {}): Promise<ProbeResult[]> {
    if (this.stopped) throw new Error('the scheduler is stopped');
    const key = `${filter.target ?? ''}/${filter.probe ?? ''}`;
    const running = this.runNowCycles.get(key);
    if (running) return running;
    const chosen = this.states.filter((s) => (!filter.probe || s.job.probe.name === filter.probe) && (!filter.target || s.job.target.name === filter.target));
    const cycle = this.cycle('run_now', chosen, this.now()).finally(() => this.runNowCycles.delete(key));
    this.runNowCycles.set(key, cycle);
    return cycle;
  }

  /** No new runs; waits for the runs in flight, aborts them after graceMs, gives up hardGraceMs later. */
  async stop(graceMs = 5_000): Promise<void> {
    this.stopped = true;
    for (const s of this.states) if (s.timer) clearTimeout(s.timer);
    for (const cancel of [...this.waiting]) cancel();
    const busy = this.states.flatMap((s) => [s.busy, s.followUp]).filter((p): p is Promise<ProbeResult> => p !== null);
    if (busy.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.allSettled(busy), grace]);
    clearTimeout(timer);
    this.shutdown.abort(new Error('the bridge is shutting down'));
    for (const controller of this.live) controller.abort(this.shutdown.signal.reason);
    // A probe that ignores its signal cannot hold the shutdown for ever.
    const last = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.hardGraceMs)));
    await Promise.race([Promise.allSettled(this.states.flatMap((s) => [s.busy, s.followUp]).filter((p) => p !== null)), last]);
    clearTimeout(timer);
  }

  /** One token-less client per target (its runs add their token per call). */
  private clientFor(target: TargetSettings): MattermostClient {
    let client = this.clients.get(target.name);
    if (!client) this.clients.set(target.name, (client = new MattermostClient({url: target.url})));
    return client;
  }

  private async cycle(trigger: CycleEvent['trigger'], states: JobState[], plannedAt: number): Promise<ProbeResult[]> {
    const results = await Promise.all(states.map((s) => this.runFresh(s, trigger, plannedAt)));
    this.emit(this.cycleListeners, {trigger, results});
    return results;
  }

  /** A run that starts after any run in flight, so its result is fresh. */
  private runFresh(s: JobState, trigger: Trigger, plannedAt: number): Promise<ProbeResult> {
    if (!s.busy) return this.runOnce(s, trigger, plannedAt);
    s.followUp ??= s.busy.then((previous) => {
      s.followUp = null;
      return this.stopped ? previous : this.runOnce(s, trigger, plannedAt);
    });
    return s.followUp;
  }

  private scheduleNext(s: JobState): void {
    if (this.stopped) return;
    const {intervalMs} = s.job;
    s.anchor += intervalMs;
    // Slots missed while a run overran are skipped, not run in a burst.
    const now = this.now();
    if (s.anchor < now) s.anchor += Math.ceil((now - s.anchor) / intervalMs) * intervalMs;
    this.arm(s, s.anchor + (this.random() * 2 - 1) * this.jitter * intervalMs);
  }

  private arm(s: JobState, plannedAt: number, retry = false): void {
    if (s.timer) clearTimeout(s.timer);
    s.dueAt = plannedAt;
    s.timer = setTimeout(() => this.tick(s, plannedAt, retry), Math.max(0, plannedAt - this.now()));
    s.timer.unref?.();
  }

  /** A failed run brings the next one forward to the retry interval; the regular slots follow once it passes. */
  private retryAfter(s: JobState, result: ProbeResult): void {
    const retry = s.job.retryIntervalMs;
    if (this.stopped || result.ok || result.notConfigured || !retry || retry >= s.job.intervalMs) return;
    // Jittered like the slots: runs that failed together (a server's outage) do not retry in one burst.
    const at = this.now() + retry + (this.random() * 2 - 1) * this.jitter * retry;
    if (s.timer && s.dueAt > at) this.arm(s, at, true);
  }

  private tick(s: JobState, plannedAt: number, retry: boolean): void {
    s.timer = null;
    if (this.stopped) return;
    // A retry came before the regular slot it replaced: that slot stays the next one.
    if (retry && s.anchor > this.now()) this.arm(s, s.anchor + (this.random() * 2 - 1) * this.jitter * s.job.intervalMs);
    else this.scheduleNext(s);
    // Never two runs of one probe and target at once: a slot that finds it running is skipped.
    if (s.busy || s.followUp) return;
    this.runOnce(s, 'schedule', plannedAt).catch(this.onListenerError);
  }

  private runOnce(s: JobState, trigger: Trigger, plannedAt: number): Promise<ProbeResult> {
    const {job} = s;
    let cache = this.caches.get(job.target.name);
    if (!cache) this.caches.set(job.target.name, (cache = new Map()));
    // One controller per run, aborted at the timeout or by stop(): signals are costly to combine.
    const controller = new AbortController();
    this.live.add(controller);
    if (this.shutdown.signal.aborted) controller.abort(this.shutdown.signal.reason);
    const ctx = this.contextFor(job, controller.signal, cache, this.shared);
    const missing = missingSettings(job.target, job.probe.needs);
    const startedAt = this.now();

    return new Promise<ProbeResult>((resolve) => {
      let settled = false;
      const finish = (result: ProbeResult) => {
        if (settled) return;
        settled = true;
        this.emit(this.runListeners, {result, trigger, plannedAt, startedAt});
        resolve(result);
      };
      if (missing.length > 0) {
        this.live.delete(controller);
        finish(new ProbeRun(job.probe.name, ctx).notConfigured(missing));
        return;
      }
      let hard: NodeJS.Timeout | undefined;
      // A probe that ignores its signal is given up on (reported), but still blocks its next run;
      // one that cleans up after its timeout (post_roundtrip deletes its post) is given that time.
      const graceMs = Math.max(this.hardGraceMs, job.probe.cleanupMs ?? 0);
      const timeout = setTimeout(() => {
        controller.abort(timeoutError(job.timeoutMs));
        hard = setTimeout(() => {
          const run = new ProbeRun(job.probe.name, ctx);
          run.check('run', false, `still running ${graceMs} ms after its ${job.timeoutMs} ms timeout`, 'the probe stops at its timeout');
          finish(run.finish());
        }, graceMs);
      }, job.timeoutMs);
      const real = job.probe.run(ctx).catch((err: unknown) => {
        const run = new ProbeRun(job.probe.name, ctx);
        run.check('run', false, describeFailure(ctx, err), 'no error');
        return run.finish();
      });
      s.busy = real;
      real
        .then((result) => {
          clearTimeout(timeout);
          clearTimeout(hard);
          this.live.delete(controller);
          if (s.busy === real) s.busy = null;
          finish(result);
          this.retryAfter(s, result);
        })
        .catch(this.onListenerError);
    });
  }

  private emit<E>(listeners: Set<(e: E) => unknown>, event: E): void {
    for (const listener of listeners) {
      try {
        const out = listener(event);
        if (out instanceof Promise) out.catch(this.onListenerError);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }
}

/** One job per enabled probe and target, with the probe's configured interval and timeout. */
export function jobsFor(
  probes: readonly {name: string; enabled: boolean; intervalMs: number; timeoutMs: number}[],
  definitions: Readonly<Record<string, ProbeDefinition>>,
  targets: readonly TargetSettings[],
  options: {retryIntervalMs?: number} = {},
): Job[] {
  const jobs: Job[] = [];
  for (const target of targets) {
    for (const p of probes) {
      const probe = definitions[p.name];
      if (p.enabled && probe) jobs.push({probe, target, intervalMs: p.intervalMs, timeoutMs: p.timeoutMs, ...(options.retryIntervalMs ? {retryIntervalMs: options.retryIntervalMs} : {})});
    }
  }
  return jobs;
}
