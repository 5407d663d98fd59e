// Several vantages, one verdict: each bridge keeps its own hysteresis state per probe and target
// (its vote); a probe is FAILING for the incidents when at least `quorum` fresh votes say so, and
// OK again when at least `quorum` fresh votes say it is healthy. In between, the verdict stays.
import type {ProbeResult} from '../probes/types';
import {advance, newTracker, thresholdsFor, trackerKey, type HealthState, type Thresholds, type TrackerState} from './tracker';

/** One bridge's view of one probe on one target. */
export interface Vote {
  instance: string;
  probe: string;
  target: string;
  state: HealthState;
  since: number | null;
  /** Why it fails (the last failed run's failed checks and error), for the incident's reasons. */
  lastFailure: ProbeResult | null;
  /** When the vote was last written (ms, the database's clock). */
  at: number;
}

/** The verdict for the incidents, and who saw what. */
export interface Verdict {
  probe: string;
  target: string;
  state: HealthState;
  since: number | null;
  lastFailure: ProbeResult | null;
  failing: string[];
  healthy: string[];
}

/** This bridge's own trackers, from its own runs: what it votes. */
export class VantageTrackers {
  private readonly trackers = new Map<string, TrackerState>();

  constructor(
    private readonly defaults: Thresholds,
    private readonly perProbe: Record<string, Partial<Thresholds>>,
  ) {}

  /** Applies runs; returns the trackers whose state changed (their votes to write). */
  observe(results: readonly ProbeResult[]): TrackerState[] {
    const changed: TrackerState[] = [];
    for (const r of results) {
      if (r.notConfigured?.length) continue;
      const key = trackerKey(r.probe, r.target);
      const {next, transition} = advance(this.trackers.get(key) ?? newTracker(r.probe, r.target), r, thresholdsFor(r.probe, this.defaults, this.perProbe));
      this.trackers.set(key, next);
      if (transition) changed.push(next);
    }
    return changed;
  }

  all(): TrackerState[] {
    return [...this.trackers.values()];
  }

  /** Forgets every state: the next run of each probe starts it again. */
  reset(): void {
    this.trackers.clear();
  }
}

const isHealthy = (s: HealthState) => s === 'ok' || s === 'degraded';

/**
 * The verdicts from the fresh votes (written within windowMs of now); `previous` keeps a verdict
 * that neither side has a quorum for.
 */
export function verdicts(votes: readonly Vote[], quorum: number, now: number, windowMs: number, previous: ReadonlyMap<string, Verdict> = new Map()): Verdict[] {
  const fresh = votes.filter((v) => now - v.at <= windowMs);
  const byKey = new Map<string, Vote[]>();
  for (const v of fresh) byKey.set(trackerKey(v.probe, v.target), [...(byKey.get(trackerKey(v.probe, v.target)) ?? []), v]);
  for (const key of previous.keys()) if (!byKey.has(key)) byKey.set(key, []);
  const out: Verdict[] = [];
  for (const [key, list] of byKey) {
    const failing = list.filter((v) => v.state === 'failing').sort((a, b) => (a.since ?? 0) - (b.since ?? 0));
    const healthy = list.filter((v) => isHealthy(v.state));
    const who = {failing: failing.map((v) => v.instance).sort(), healthy: healthy.map((v) => v.instance).sort()};
    const before = previous.get(key);
    const [probe, target] = [list[0]?.probe ?? before?.probe, list[0]?.target ?? before?.target] as [string, string];
    if (failing.length >= quorum) {
      // Failing since the quorum-th vantage began to fail; its reasons from the latest failure seen.
      const since = failing[quorum - 1]?.since ?? now;
      const latest = [...failing].sort((a, b) => (b.lastFailure?.startedAt ?? 0) - (a.lastFailure?.startedAt ?? 0))[0];
      out.push({probe, target, state: 'failing', since: before?.state === 'failing' ? before.since : since, lastFailure: latest?.lastFailure ?? null, ...who});
    } else if (healthy.length >= quorum) {
      const state: HealthState = healthy.some((v) => v.state === 'ok') ? 'ok' : 'degraded';
      const since = Math.max(...healthy.map((v) => v.since ?? 0));
      out.push({probe, target, state, since: before && isHealthy(before.state) ? before.since : since, lastFailure: null, ...who});
    } else if (before) {
      out.push({...before, ...who});
    }
  }
  return out;
}
