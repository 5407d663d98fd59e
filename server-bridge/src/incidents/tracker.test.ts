import type {ProbeResult} from '../probes/types';
import {advance, newTracker, thresholdsFor, DEFAULT_THRESHOLDS, type Thresholds, type TrackerState} from './tracker';

const run = (at: number, ok: boolean, durationMs = 10): ProbeResult => ({probe: 'ping', target: 'local', ok, durationMs, startedAt: at, checks: [], ...(ok ? {} : {error: `failed at ${at}`})});

function feed(t: Thresholds, outcomes: [number, boolean, number?][]): {state: TrackerState; transitions: string[]} {
  let state = newTracker('ping', 'local');
  const transitions: string[] = [];
  for (const [at, ok, ms] of outcomes) {
    const {next, transition} = advance(state, run(at, ok, ms), t);
    state = next;
    if (transition) transitions.push(`${transition.from}->${transition.to}@${transition.at}`);
  }
  return {state, transitions};
}

describe('tracker', () => {
  it('goes OK on the first success and FAILING only after failureThreshold failures, dated at the first failure', () => {
    const {state, transitions} = feed(DEFAULT_THRESHOLDS, [
      [1, true],
      [2, false],
      [3, false],
      [4, false],
    ]);
    expect(transitions).toEqual(['unknown->ok@1', 'ok->failing@2']);
    expect(state.since).toBe(2);
    expect(state.lastFailure?.error).toBe('failed at 4');
  });

  it('ignores a single failure between successes', () => {
    const {state, transitions} = feed(DEFAULT_THRESHOLDS, [
      [1, true],
      [2, false],
      [3, true],
      [4, false],
      [5, true],
    ]);
    expect(transitions).toEqual(['unknown->ok@1']);
    expect(state.state).toBe('ok');
  });

  it('needs successThreshold consecutive successes to recover (hysteresis)', () => {
    const {state, transitions} = feed(DEFAULT_THRESHOLDS, [
      [1, false],
      [2, false],
      [3, true],
      [4, false],
      [5, true],
      [6, true],
    ]);
    expect(transitions).toEqual(['unknown->failing@1', 'failing->ok@6']);
    expect(state.failingSince).toBeNull();
  });

  it('marks a slow success DEGRADED and a fast one OK again', () => {
    const t = {...DEFAULT_THRESHOLDS, latencyBudgetMs: 100};
    const {transitions} = feed(t, [
      [1, true, 50],
      [2, true, 150],
      [3, true, 50],
    ]);
    expect(transitions).toEqual(['unknown->ok@1', 'ok->degraded@2', 'degraded->ok@3']);
  });

  it('recovers to DEGRADED when the recovering run is slow', () => {
    const t = {failureThreshold: 1, successThreshold: 1, latencyBudgetMs: 100};
    expect(
      feed(t, [
        [1, false],
        [2, true, 500],
      ]).transitions,
    ).toEqual(['unknown->failing@1', 'failing->degraded@2']);
  });

  it('keeps the last runs, bounded', () => {
    const {state} = feed(
      DEFAULT_THRESHOLDS,
      Array.from({length: 30}, (_, i) => [i, i % 2 === 0] as [number, boolean]),
    );
    expect(state.recent).toHaveLength(20);
    expect(state.recent[19]).toMatchObject({at: 29, ok: false});
  });

  it('takes per-probe thresholds over the defaults, ignoring unset ones', () => {
    expect(thresholdsFor('ping', DEFAULT_THRESHOLDS, {ping: {failureThreshold: 5, latencyBudgetMs: undefined}})).toEqual({failureThreshold: 5, successThreshold: 2, latencyBudgetMs: null});
    expect(thresholdsFor('login', DEFAULT_THRESHOLDS, {ping: {failureThreshold: 5}})).toEqual(DEFAULT_THRESHOLDS);
  });
});
