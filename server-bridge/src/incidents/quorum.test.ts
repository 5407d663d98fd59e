import {verdicts, VantageTrackers, type Verdict, type Vote} from './quorum';
import {DEFAULT_THRESHOLDS} from './tracker';

const vote = (instance: string, state: Vote['state'], at = 1_000, since: number | null = 100): Vote => ({instance, probe: 'ping', target: 't', state, since, lastFailure: null, at});

describe('a quorum of vantages', () => {
  it('fails only when the quorum of fresh votes fails, naming who saw what', () => {
    expect(verdicts([vote('a', 'failing'), vote('b', 'ok'), vote('c', 'ok')], 2, 1_000, 10_000)).toEqual([expect.objectContaining({state: 'ok', failing: ['a'], healthy: ['b', 'c']})]);
    const [v] = verdicts([vote('a', 'failing', 1_000, 300), vote('b', 'failing', 1_000, 200), vote('c', 'ok')], 2, 1_000, 10_000);
    // Failing since the second vantage began to fail (the quorum's).
    expect(v).toMatchObject({state: 'failing', since: 300, failing: ['a', 'b'], healthy: ['c']});
  });

  it('does not count stale votes, and keeps the verdict when neither side has a quorum', () => {
    const previous = new Map<string, Verdict>([['t\u0000ping', {probe: 'ping', target: 't', state: 'failing', since: 5, lastFailure: null, failing: ['a', 'b'], healthy: []}]]);
    const [v] = verdicts([vote('a', 'failing', 50_000), vote('b', 'ok', 1_000), vote('c', 'unknown', 50_000)], 2, 50_000, 10_000, previous);
    expect(v).toMatchObject({state: 'failing', since: 5, failing: ['a'], healthy: []});
    const [gone] = verdicts([], 2, 50_000, 10_000, previous);
    expect(gone).toMatchObject({state: 'failing', failing: [], healthy: []});
  });

  it('resolves when the quorum sees it healthy; with a quorum of 1 any vantage decides', () => {
    expect(verdicts([vote('a', 'ok'), vote('b', 'degraded'), vote('c', 'failing')], 2, 1_000, 10_000)[0]?.state).toBe('ok');
    expect(verdicts([vote('a', 'failing')], 1, 1_000, 10_000)[0]?.state).toBe('failing');
  });

  it("a bridge's own trackers change its vote only on a transition", () => {
    const own = new VantageTrackers(DEFAULT_THRESHOLDS, {});
    const run = (ok: boolean, at: number) => ({probe: 'ping', target: 't', ok, durationMs: 1, startedAt: at, checks: []});
    expect(own.observe([run(true, 1)]).map((t) => t.state)).toEqual(['ok']);
    expect(own.observe([run(false, 2)])).toEqual([]);
    expect(own.observe([run(false, 3)]).map((t) => t.state)).toEqual(['failing']);
  });
});
