// What the bridge remembers of its probe runs: the latest result of every probe+target, the
// last failure, the runs of the last 24 h for aggregates and the chart series, and hourly rollups
// of 90 days for objectives (rollup.ts).
import type {Series} from '../contract/report';
import type {ProbeResult} from '../probes/types';
import {aggregate, type Aggregate} from './aggregate';
import {SampleWindow, type Sample} from './samples';
import {buildSeries} from './series';
import {decodeRuns, encodeHistoryFile, encodeHistoryFileGzip, type HistoryFileEntry} from './history-file';
import {HourlyRollup} from './rollup';

export const DAY_MS = 86_400_000;

interface Entry {
  probe: string;
  target: string;
  latest: ProbeResult;
  lastFailure: {at: number; reason: string} | null;
  window: SampleWindow;
  rollup: HourlyRollup;
}

/** What the rollups count as slow, and how long a gap between two runs still counts as observed. */
export interface RollupPolicy {
  /** A successful run slower than this is counted slow (null: none is). */
  slowMs(probe: string): number | null;
  /** The longest gap between two runs of a probe that still counts as observed time. */
  coverMaxMs(probe: string): number;
}

/** Without configuration: nothing is slow, a gap up to 2.5 min (60 s runs, a missed one) is observed. */
export const DEFAULT_ROLLUP_POLICY: RollupPolicy = {slowMs: () => null, coverMaxMs: () => 150_000};

/** How state files once held the history (read once after an upgrade; see history-file.ts for today's). */
export interface HistorySnapshot {
  entries: {probe: string; target: string; latest: ProbeResult; lastFailure: {at: number; reason: string} | null; samples: Sample[]}[];
}

export function failureReason(result: ProbeResult): string {
  return result.error ?? result.checks.find((c) => !c.ok)?.observed ?? 'failed';
}

export class ResultHistory {
  private readonly entries = new Map<string, Entry>();

  private recorded = 0;

  constructor(
    readonly windowMs = DAY_MS,
    private readonly policy: RollupPolicy = DEFAULT_ROLLUP_POLICY,
  ) {}

  /** Grows with every run recorded: readers may keep what they derived until it moves. */
  get version(): number {
    return this.recorded;
  }

  /** Records a run; runs that were not configured are kept as latest but not counted. */
  record(result: ProbeResult): void {
    this.recorded++;
    const key = `${result.target}/${result.probe}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = {probe: result.probe, target: result.target, latest: result, lastFailure: null, window: new SampleWindow(this.windowMs), rollup: new HourlyRollup()};
      this.entries.set(key, entry);
    }
    entry.latest = result;
    if (result.notConfigured) return;
    entry.window.push({at: result.startedAt, ok: result.ok, durationMs: result.durationMs});
    entry.window.prune(result.startedAt);
    this.roll(entry, result.startedAt, result.ok, result.durationMs);
    entry.rollup.prune(result.startedAt);
    if (!result.ok) entry.lastFailure = {at: result.startedAt, reason: failureReason(result)};
  }

  private roll(entry: Entry, at: number, ok: boolean, durationMs: number): void {
    const slowMs = this.policy.slowMs(entry.probe);
    entry.rollup.add(at, ok, durationMs, slowMs !== null && durationMs > slowMs, this.policy.coverMaxMs(entry.probe));
  }

  /** The hourly rollups of a probe+target (undefined before its first run). */
  rollupOf(probe: string, target: string): HourlyRollup | undefined {
    return this.entries.get(`${target}/${probe}`)?.rollup;
  }

  /** The raw runs of the last 24 h of a probe+target, at or after `since`. */
  forEachRunSince(probe: string, target: string, since: number, fn: (at: number, ok: boolean, durationMs: number) => void): void {
    this.entries.get(`${target}/${probe}`)?.window.forEachSince(since, fn);
  }

  latest(probe: string, target: string): ProbeResult | undefined {
    return this.entries.get(`${target}/${probe}`)?.latest;
  }

  lastFailure(probe: string, target: string): {at: number; reason: string} | null {
    return this.entries.get(`${target}/${probe}`)?.lastFailure ?? null;
  }

  aggregate(probe: string, target: string, now: number): Aggregate {
    const entry = this.entries.get(`${target}/${probe}`);
    return entry ? aggregate(entry.window, now) : {uptime: null, p50Ms: null, p95Ms: null, runs: 0, failures: 0};
  }

  /** Runs and failures in the window, counted as they come (no pass over the runs, no sort). */
  counts(probe: string, target: string, now: number): {runs: number; failures: number} {
    const window = this.entries.get(`${target}/${probe}`)?.window;
    if (!window) return {runs: 0, failures: 0};
    window.prune(now);
    return {runs: window.size, failures: window.failures};
  }

  /** Every probe+target seen, in the order first seen. */
  keys(): {probe: string; target: string}[] {
    return [...this.entries.values()].map(({probe, target}) => ({probe, target}));
  }

  series(now: number, only?: readonly {probe: string; target: string}[]): Series {
    const wanted = only ? new Set(only.map((k) => `${k.target}/${k.probe}`)) : null;
    const inputs = [...this.entries.entries()].filter(([key]) => !wanted || wanted.has(key)).map(([, e]) => e);
    for (const e of inputs) e.window.prune(now);
    return buildSeries(inputs, now, this.windowMs);
  }

  /** The history file's text (see history-file.ts), built without stalling the event loop. */
  encode(now: number): Promise<string> {
    return encodeHistoryFile(this.prunedAsEncoded(now));
  }

  /** The history file gzipped, entry by entry (what the state store writes). */
  encodePacked(now: number): Promise<Buffer> {
    return encodeHistoryFileGzip(this.prunedAsEncoded(now));
  }

  /**
   * The entries of now, each pruned as the encoder reaches it: pruning all 550 of 50 targets first
   * took a millisecond of the first slice on its own.
   */
  private *prunedAsEncoded(now: number): Generator<Entry> {
    for (const e of [...this.entries.values()]) {
      e.window.prune(now);
      e.rollup.prune(now);
      yield e;
    }
  }

  /** Forgets every probe+target not in keys (no longer configured); returns how many went. */
  retainOnly(keys: readonly {probe: string; target: string}[]): number {
    const keep = new Set(keys.map((k) => `${k.target}/${k.probe}`));
    let dropped = 0;
    for (const key of [...this.entries.keys()]) if (!keep.has(key) && this.entries.delete(key)) dropped++;
    return dropped;
  }

  /** Entries read back from a history file (already validated). */
  restoreFile(entries: readonly HistoryFileEntry[]): void {
    for (const s of entries) {
      const window = new SampleWindow(this.windowMs);
      const saved = s.rollup ? HourlyRollup.fromFile(s.rollup) : null;
      const entry: Entry = {probe: s.probe, target: s.target, latest: s.latest, lastFailure: s.lastFailure, window, rollup: saved ?? new HourlyRollup()};
      // A file from before the rollups (or with a damaged one): the rollups start from its 24 h of runs.
      decodeRuns(s, (at, ok, durationMs) => {
        window.push({at, ok, durationMs});
        if (!saved) this.roll(entry, at, ok, durationMs);
      });
      this.entries.set(`${s.target}/${s.probe}`, entry);
    }
  }

  /** A history in the form state files held before the history had a file of its own. */
  restore(snapshot: HistorySnapshot): void {
    for (const s of snapshot.entries) {
      const window = new SampleWindow(this.windowMs);
      const entry: Entry = {probe: s.probe, target: s.target, latest: s.latest, lastFailure: s.lastFailure, window, rollup: new HourlyRollup()};
      for (const sample of s.samples) {
        window.push(sample);
        this.roll(entry, sample.at, sample.ok, sample.durationMs);
      }
      this.entries.set(`${s.target}/${s.probe}`, entry);
    }
  }
}
