import type {ProbeResult} from '../probes/types';
import {DEFAULT_THRESHOLDS} from '../incidents/tracker';
import {silentLog} from '../outbox/types';
import {HighAvailability} from './ha';

/** A bridge of several whose store records every statement instead of sending it (no database is reached). */
function bridge() {
  const ha = new HighAvailability({
    settings: {store: 'postgres://hc@127.0.0.1:1/none', instance: 'a', quorum: 1, leaseMs: 3_000, voteWindowMs: 12_000},
    thresholds: {defaults: DEFAULT_THRESHOLDS, perProbe: {}},
    intervalMs: 3_000,
    log: silentLog,
    version: 'test',
  });
  const sql: {text: string; values: unknown[]}[] = [];
  (ha.store.pool as unknown as {query: unknown}).query = async (text: string, values: unknown[] = []) => {
    sql.push({text, values});
    return {rows: [], rowCount: 0};
  };
  let now = 0;
  ha.monotonic = () => now;
  const heartbeat = () => (ha as unknown as {heartbeat(): Promise<void>}).heartbeat();
  const settle = () => new Promise((r) => setImmediate(r));
  const run = async (ok: boolean, atMs: number) => {
    now = atMs;
    const result: ProbeResult = {probe: 'ping', target: 'mm', ok, durationMs: 3, startedAt: atMs, checks: [], ...(ok ? {} : {error: 'down'})};
    ha.observe(result);
    await settle();
  };
  /** The states of the votes written, in order. */
  const votes = () => sql.filter((q) => q.text.includes('INSERT INTO hc_votes')).map((q) => (q.values[3] as string[]).join(','));
  const withdrawn = () => sql.filter((q) => q.text.startsWith('DELETE FROM hc_votes')).length;
  return {sql, heartbeat, run, votes, withdrawn, at: (ms: number) => (now = ms)};
}

describe('a bridge of several back from a pause', () => {
  it('takes its old votes back and votes again from its next runs: a failing state from before the pause never comes back fresh', async () => {
    const b = bridge();
    await b.run(false, 0);
    await b.run(false, 1_000);
    expect(b.votes()).toEqual(['failing']);
    await b.heartbeat();
    // Paused for 40 s (the vote window is 12 s): the next heartbeat comes before any run.
    b.at(41_000);
    await b.heartbeat();
    expect(b.withdrawn()).toBe(1);
    // Its first run after the pause: healthy at once, not a failing state waiting for two successes.
    await b.run(true, 42_000);
    await b.heartbeat();
    expect(b.votes()).toEqual(['failing', 'ok']);
    expect(b.withdrawn()).toBe(1);
  });

  it('also when a run comes first after the pause: the new vote waits for the old ones to be taken back', async () => {
    const b = bridge();
    await b.run(false, 0);
    await b.run(false, 1_000);
    await b.run(true, 41_000);
    // Not written before the heartbeat takes the old votes back (the deletion would take it too).
    expect(b.votes()).toEqual(['failing']);
    await b.heartbeat();
    const deleted = b.sql.findIndex((q) => q.text.startsWith('DELETE FROM hc_votes'));
    const written = b.sql.findIndex((q, i) => i > deleted && q.text.includes('INSERT INTO hc_votes'));
    expect(deleted).toBeGreaterThanOrEqual(0);
    expect(written).toBeGreaterThan(deleted);
    expect(b.votes()).toEqual(['failing', 'ok']);
  });

  it('keeps its votes and their hysteresis while it runs on time', async () => {
    const b = bridge();
    await b.run(false, 0);
    await b.run(false, 1_000);
    for (let t = 4_000; t <= 40_000; t += 3_000) {
      await b.run(false, t);
      await b.heartbeat();
    }
    await b.run(true, 43_000);
    expect(b.withdrawn()).toBe(0);
    // One success is not a recovery (two are needed): no new vote.
    expect(b.votes()).toEqual(['failing']);
  });
});
