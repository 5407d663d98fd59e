// An SLO's figures at a moment: attained over its window, the error budget left, burn rates over
// the six windows, and how much of the window was observed. Windows up to the raw history (24 h)
// count runs exactly; longer ones add up hourly rollups. Time nobody watched counts for nothing:
// neither good nor bad, and the coverage says how much was watched.
import type {HourlyRollup} from '../results/rollup';
import {HOUR_MS} from '../results/rollup';
import {BURN_WINDOWS, scaledWindowMs, type BurnWindow, type Slo} from './definitions';

export interface SloHistory {
  readonly windowMs: number;
  forEachRunSince(probe: string, target: string, since: number, fn: (at: number, ok: boolean, durationMs: number) => void): void;
  rollupOf(probe: string, target: string): HourlyRollup | undefined;
}

export interface Counts {
  good: number;
  total: number;
  /** The earliest run counted (ms; an hour's start from rollups), Infinity without runs. */
  first: number;
}

export interface SloStatus {
  slo: Slo;
  /** Runs counted over the whole window. */
  good: number;
  total: number;
  /** good / total; null without runs. */
  attained: number | null;
  /** 1 − (bad share / allowed bad share): 1 untouched, 0 spent, below 0 overspent; null without runs. */
  budgetLeft: number | null;
  /** The time watched in the window (ms) and its share of the window. */
  observedMs: number;
  coverage: number;
  /** Per burn window (at the SLO's scale): bad share / allowed bad share; null without runs. */
  burn: Record<BurnWindow, number | null>;
  /** Per burn window: the share of it since its earliest run (a bridge minutes old has a few runs of a 3-day window). */
  burnSpan: Record<BurnWindow, number>;
}

const isBad = (slo: Slo, ok: boolean, durationMs: number) => !ok || (slo.kind === 'latency' && slo.thresholdMs !== null && durationMs > slo.thresholdMs);

/** Runs of the SLO's probes in (now − spanMs, now]: raw runs when the raw history reaches back that far, else hours. */
export function countSpan(history: SloHistory, slo: Slo, now: number, spanMs: number): Counts {
  const c: Counts = {good: 0, total: 0, first: Infinity};
  const target = slo.target ?? '';
  if (spanMs <= history.windowMs) {
    const since = now - spanMs;
    for (const probe of slo.probes) {
      history.forEachRunSince(probe, target, since, (at, ok, ms) => {
        if (at > now) return;
        c.total++;
        if (at < c.first) c.first = at;
        if (!isBad(slo, ok, ms)) c.good++;
      });
    }
    return c;
  }
  const to = Math.floor(now / HOUR_MS);
  const from = Math.floor((now - spanMs) / HOUR_MS) + 1;
  for (const probe of slo.probes) {
    const t = history.rollupOf(probe, target)?.totals(from, to);
    if (!t) continue;
    c.total += t.runs;
    c.good += t.runs - t.failures - (slo.kind === 'latency' ? t.slow : 0);
    history.rollupOf(probe, target)?.forEachHour(from, to, (hour) => {
      c.first = Math.min(c.first, Math.max(hour * HOUR_MS, now - spanMs));
    });
  }
  return c;
}

/** Observed time in (now − spanMs, now], from the rollups (the largest of the SLO's probes: they run side by side). */
export function observedMs(history: SloHistory, slo: Slo, now: number, spanMs: number): number {
  const to = Math.floor(now / HOUR_MS);
  const from = Math.floor((now - spanMs) / HOUR_MS) + 1;
  let best = 0;
  for (const probe of slo.probes) best = Math.max(best, history.rollupOf(probe, slo.target ?? '')?.totals(from, to).observedMs ?? 0);
  return Math.min(best, spanMs);
}

export const burnRate = (slo: Slo, c: Counts): number | null => (c.total === 0 ? null : (c.total - c.good) / c.total / (1 - slo.objective));

export function evaluate(history: SloHistory, slo: Slo, now: number): SloStatus {
  const whole = countSpan(history, slo, now, slo.windowMs);
  const burnOfWindow = burnRate(slo, whole);
  const burn = {} as Record<BurnWindow, number | null>;
  const burnSpan = {} as Record<BurnWindow, number>;
  for (const w of BURN_WINDOWS) {
    const ms = scaledWindowMs(slo, w.label);
    const c = countSpan(history, slo, now, ms);
    burn[w.label] = burnRate(slo, c);
    burnSpan[w.label] = c.total === 0 ? 0 : Math.min(1, (now - c.first) / ms);
  }
  const observed = observedMs(history, slo, now, slo.windowMs);
  return {
    slo,
    good: whole.good,
    total: whole.total,
    attained: whole.total === 0 ? null : whole.good / whole.total,
    budgetLeft: burnOfWindow === null ? null : 1 - burnOfWindow,
    observedMs: observed,
    coverage: observed / slo.windowMs,
    burn,
    burnSpan,
  };
}

/**
 * The budget left over the rolling window as it stood at `points` moments up to now (oldest
 * first), for the chart: null where the window held no runs.
 */
export function budgetOverTime(history: SloHistory, slo: Slo, now: number, points = 30): {at: number; left: number | null}[] {
  const step = slo.windowMs / points;
  const out: {at: number; left: number | null}[] = [];
  for (let i = points - 1; i >= 0; i--) {
    const at = now - i * step;
    const b = burnRate(slo, countSpan(history, slo, at, slo.windowMs));
    out.push({at: Math.round(at), left: b === null ? null : Math.round((1 - b) * 10_000) / 10_000});
  }
  return out;
}
