// Per probe and target: OK → FAILING after N consecutive failures, back after M successes
// (hysteresis), DEGRADED when a success is slower than the probe's latency budget.
import type {ProbeResult} from '../probes/types';

export type HealthState = 'unknown' | 'ok' | 'degraded' | 'failing';

export interface Thresholds {
  failureThreshold: number;
  successThreshold: number;
  /** A success slower than this is DEGRADED; null = no budget. */
  latencyBudgetMs: number | null;
}

export const DEFAULT_THRESHOLDS: Thresholds = {failureThreshold: 2, successThreshold: 2, latencyBudgetMs: null};

export interface RecentRun {
  at: number;
  ok: boolean;
  durationMs: number;
  error?: string;
}

export interface TrackerState {
  probe: string;
  target: string;
  state: HealthState;
  /** When the current state began (for FAILING: the first failed run of the streak). */
  since: number | null;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  /** Start of the current failure streak, even before the threshold is reached. */
  failingSince: number | null;
  lastResult: ProbeResult | null;
  /** The last failed result, kept for the incident's reasons. */
  lastFailure: ProbeResult | null;
  recent: RecentRun[];
}

/**
 * What of a tracker survives a restart: its state and since when; a failing one also its streak's
 * start and reasons. Fields at their empty value are left out (50 targets: 450 trackers a write).
 */
export type DurableTracker = Pick<TrackerState, 'probe' | 'target' | 'state' | 'since'> & Partial<Omit<TrackerState, 'probe' | 'target' | 'state' | 'since'>>;

export interface Transition {
  from: HealthState;
  to: HealthState;
  at: number;
}

export const RECENT_RUNS = 20;

export function trackerKey(probe: string, target: string): string {
  return `${target}\u0000${probe}`;
}

export function newTracker(probe: string, target: string): TrackerState {
  return {probe, target, state: 'unknown', since: null, consecutiveFailures: 0, consecutiveSuccesses: 0, failingSince: null, lastResult: null, lastFailure: null, recent: []};
}

function successState(result: ProbeResult, t: Thresholds): 'ok' | 'degraded' {
  return t.latencyBudgetMs !== null && result.durationMs > t.latencyBudgetMs ? 'degraded' : 'ok';
}

/** Applies one result; returns the new state and the transition, if any. Pure. */
export function advance(prev: TrackerState, result: ProbeResult, t: Thresholds): {next: TrackerState; transition: Transition | null} {
  const at = result.startedAt;
  const recent = [...prev.recent, {at, ok: result.ok, durationMs: result.durationMs, ...(result.error ? {error: result.error} : {})}].slice(-RECENT_RUNS);
  const next: TrackerState = {...prev, lastResult: result, recent};
  if (result.ok) {
    next.consecutiveSuccesses = prev.consecutiveSuccesses + 1;
    next.consecutiveFailures = 0;
    if (prev.state !== 'failing') next.failingSince = null;
  } else {
    next.consecutiveFailures = prev.consecutiveFailures + 1;
    next.consecutiveSuccesses = 0;
    next.lastFailure = result;
    if (prev.consecutiveFailures === 0 && prev.state !== 'failing') next.failingSince = at;
  }

  let to: HealthState = prev.state;
  if (prev.state === 'failing') {
    if (next.consecutiveSuccesses >= t.successThreshold) to = successState(result, t);
  } else if (!result.ok) {
    if (next.consecutiveFailures >= t.failureThreshold) to = 'failing';
  } else {
    to = successState(result, t);
  }
  if (to === prev.state) return {next, transition: null};
  next.state = to;
  next.since = to === 'failing' ? (next.failingSince ?? at) : at;
  if (prev.state === 'failing') next.failingSince = null;
  return {next, transition: {from: prev.state, to, at: next.since}};
}

/**
 * What of a tracker must survive a restart: its state, since when, and a failing probe's reasons.
 * Not the runs nor the streak counts, which change with every run (at 50 targets that rewrote the
 * file every second): after a restart a streak starts again, so a threshold is crossed a run or
 * two later at most.
 */
export function durableTracker(t: TrackerState): DurableTracker {
  const f = t.state === 'failing' ? t.lastFailure : null;
  if (!f) return {probe: t.probe, target: t.target, state: t.state, since: t.since};
  const reasons: ProbeResult = {probe: f.probe, target: f.target, ok: false, durationMs: 0, startedAt: 0, checks: f.checks.filter((c) => !c.ok), ...(f.error ? {error: f.error} : {})};
  return {probe: t.probe, target: t.target, state: t.state, since: t.since, failingSince: t.failingSince, lastFailure: reasons};
}

/** A tracker read back from the state file (older files carry every field; the rest start empty). */
export function restoredTracker(d: DurableTracker): TrackerState {
  return {...newTracker(d.probe, d.target), ...d};
}

/** Thresholds of one probe: its own settings over the defaults. */
export function thresholdsFor(probe: string, defaults: Thresholds, perProbe: Record<string, Partial<Thresholds>>): Thresholds {
  return {...defaults, ...Object.fromEntries(Object.entries(perProbe[probe] ?? {}).filter(([, v]) => v !== undefined))};
}
