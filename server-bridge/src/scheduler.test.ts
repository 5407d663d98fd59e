import {MattermostClient} from './mm/client';
import {ProbeRun} from './probes/outcome';
import type {ProbeContext, ProbeDefinition, ProbeResult, TargetSettings} from './probes/types';
import {Scheduler, jobsFor, startupOffsets, type CycleEvent, type Job, type RunEvent} from './scheduler';

const target: TargetSettings = {name: 'local', url: 'http://127.0.0.1:1', botToken: 'tok'};

function probe(name: string, run: (ctx: ProbeContext) => Promise<ProbeResult>, needs: ProbeDefinition['needs'] = []): ProbeDefinition {
  return {name, description: name, needs, defaultIntervalMs: 1000, defaultTimeoutMs: 500, run};
}
const okProbe = (name: string) =>
  probe(name, async (ctx) => {
    const run = new ProbeRun(name, ctx);
    run.check('answer', true, 'yes', 'yes');
    return run.finish();
  });

/** Resolves when the signal aborts (a probe that honours its timeout). */
const untilAborted = (signal: AbortSignal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), {once: true}));

function scheduler(jobs: Job[], extra: Partial<ConstructorParameters<typeof Scheduler>[0]> = {}) {
  const s = new Scheduler({
    jobs,
    jitter: 0,
    contextFor: (job, signal, cache) => ({target: job.target, signal, timeoutMs: job.timeoutMs, cache, client: new MattermostClient({url: job.target.url})}),
    ...extra,
  });
  const runs: RunEvent[] = [];
  const cycles: CycleEvent[] = [];
  s.onRun((e) => runs.push(e));
  s.onCycle((e) => cycles.push(e));
  return {s, runs, cycles};
}

beforeEach(() => jest.useFakeTimers({now: 1_000_000}));
afterEach(() => jest.useRealTimers());

describe('Scheduler', () => {
  it('runs every job once at start, as one cycle, then each on its interval', async () => {
    const {s, runs, cycles} = scheduler([
      {probe: okProbe('a'), target, intervalMs: 1000, timeoutMs: 500},
      {probe: okProbe('b'), target, intervalMs: 3000, timeoutMs: 500},
    ]);
    const first = await s.start();
    expect(first.map((r) => [r.probe, r.ok])).toEqual([
      ['a', true],
      ['b', true],
    ]);
    expect(cycles).toEqual([{trigger: 'startup', results: first}]);
    await jest.advanceTimersByTimeAsync(6000);
    const scheduled = runs.filter((r) => r.trigger === 'schedule');
    expect(scheduled.filter((r) => r.result.probe === 'a').map((r) => r.plannedAt)).toEqual([1_001_000, 1_002_000, 1_003_000, 1_004_000, 1_005_000, 1_006_000]);
    expect(scheduled.filter((r) => r.result.probe === 'b').map((r) => r.plannedAt)).toEqual([1_003_000, 1_006_000]);
    expect(scheduled.map((r) => r.startedAt - r.plannedAt)).toEqual(scheduled.map(() => 0));
    await s.stop();
  });

  it('adds jitter within ± the configured fraction of the interval', async () => {
    const values = [0, 1, 0.5];
    let i = 0;
    const {s, runs} = scheduler([{probe: okProbe('a'), target, intervalMs: 1000, timeoutMs: 500}], {jitter: 0.1, random: () => values[i++ % values.length] as number});
    await s.start();
    await jest.advanceTimersByTimeAsync(3200);
    expect(runs.filter((r) => r.trigger === 'schedule').map((r) => r.plannedAt)).toEqual([1_000_900, 1_002_100, 1_003_000]);
    await s.stop();
  });

  it('never runs one probe and target twice at once, skipping the slots it overran', async () => {
    let active = 0;
    let maxActive = 0;
    let calls = 0;
    const slow = probe('slow', async (ctx) => {
      calls++;
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise((r) => setTimeout(r, 2500));
      active--;
      const run = new ProbeRun('slow', ctx);
      run.check('done', true, 'done', 'done');
      return run.finish();
    });
    const {s} = scheduler([{probe: slow, target, intervalMs: 1000, timeoutMs: 5000}], {hardTimeoutGraceMs: 10_000});
    void s.start();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(maxActive).toBe(1);
    // 10 s at a 2.5 s run time: at most 4 runs instead of the 11 slots.
    expect(calls).toBeLessThanOrEqual(4);
    expect(calls).toBeGreaterThanOrEqual(3);
    const stopping = s.stop(0);
    await jest.advanceTimersByTimeAsync(3000);
    await stopping;
  });

  it('aborts a run at its timeout and reports it as a failure with the reason', async () => {
    const hang = probe('hang', async (ctx) => {
      const run = new ProbeRun('hang', ctx);
      await untilAborted(ctx.signal);
      run.check('answer', false, `no answer within ${ctx.timeoutMs} ms`, 'an answer');
      return run.finish();
    });
    const {s} = scheduler([{probe: hang, target, intervalMs: 1000, timeoutMs: 300}]);
    const done = s.start();
    await jest.advanceTimersByTimeAsync(300);
    const [result] = await done;
    expect(result).toMatchObject({probe: 'hang', ok: false, error: 'answer: no answer within 300 ms (expected an answer)'});
    await s.stop();
  });

  it('gives up on a probe that ignores its signal, and still waits for it before the next run', async () => {
    let calls = 0;
    let release: () => void = () => undefined;
    const stubborn = probe('stubborn', async (ctx) => {
      calls++;
      await new Promise<void>((r) => (release = r));
      const run = new ProbeRun('stubborn', ctx);
      run.check('late', true, 'late', 'late');
      return run.finish();
    });
    const {s} = scheduler([{probe: stubborn, target, intervalMs: 1000, timeoutMs: 200}], {hardTimeoutGraceMs: 100});
    const done = s.start();
    await jest.advanceTimersByTimeAsync(300);
    const [result] = await done;
    expect(result?.ok).toBe(false);
    expect(result?.error).toContain('still running 100 ms after its 200 ms timeout');
    await jest.advanceTimersByTimeAsync(3000);
    expect(calls).toBe(1);
    release();
    await jest.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(2);
    const stopping = s.stop(0);
    await jest.advanceTimersByTimeAsync(1);
    release();
    await stopping;
  });

  it('gives a probe that cleans up after its timeout the time it declares, so its own reason is reported', async () => {
    const tidy: ProbeDefinition = {
      ...probe('tidy', async (ctx) => {
        await untilAborted(ctx.signal);
        // Deleting what the run left, on a budget of its own.
        await new Promise((r) => setTimeout(r, 5000));
        const run = new ProbeRun('tidy', ctx);
        run.check('posted event', false, 'not received within 200 ms', 'received within 200 ms');
        return run.finish();
      }),
      cleanupMs: 6000,
    };
    const {s} = scheduler([{probe: tidy, target, intervalMs: 60_000, timeoutMs: 200}], {hardTimeoutGraceMs: 100});
    const done = s.start();
    await jest.advanceTimersByTimeAsync(5300);
    const [result] = await done;
    expect(result?.error).toBe('posted event: not received within 200 ms (expected received within 200 ms)');
    await s.stop(0);
  });

  it('runs one run-now cycle at a time: calls while it runs join it', async () => {
    let calls = 0;
    const slow = probe('slow', async (ctx) => {
      calls++;
      await new Promise((r) => setTimeout(r, 1000));
      const run = new ProbeRun('slow', ctx);
      run.check('done', true, 'done', 'done');
      return run.finish();
    });
    const {s, cycles} = scheduler([{probe: slow, target, intervalMs: 600_000, timeoutMs: 5000}]);
    const started = s.start();
    await jest.advanceTimersByTimeAsync(1000);
    await started;
    const asked = [s.runNow(), s.runNow(), s.runNow()];
    await jest.advanceTimersByTimeAsync(1000);
    const answers = await Promise.all(asked);
    expect(calls).toBe(2);
    expect(answers[1]).toBe(answers[0]);
    expect(cycles.filter((c) => c.trigger === 'run_now')).toHaveLength(1);
    // Once it is done, the next call runs a fresh cycle.
    const again = s.runNow();
    await jest.advanceTimersByTimeAsync(1000);
    await again;
    expect(calls).toBe(3);
    await s.stop();
  });

  it('reports a probe whose settings are missing as not configured, without running it', async () => {
    const run = jest.fn();
    const needy = probe('login', run, ['probeUser']);
    const {s} = scheduler([{probe: needy, target, intervalMs: 1000, timeoutMs: 200}]);
    const [result] = await s.start();
    expect(run).not.toHaveBeenCalled();
    expect(result).toMatchObject({probe: 'login', target: 'local', ok: false, notConfigured: ['probeUsername', 'probePassword']});
    await s.stop();
  });

  it('turns a probe that throws into a failed result with the reason', async () => {
    const broken = probe('broken', async () => {
      throw Object.assign(new Error('fetch failed'), {cause: {code: 'ECONNREFUSED'}});
    });
    const {s} = scheduler([{probe: broken, target, intervalMs: 1000, timeoutMs: 200}]);
    const [result] = await s.start();
    expect(result).toMatchObject({ok: false, checks: [{label: 'run', ok: false, observed: 'connection refused (ECONNREFUSED)', expected: 'no error'}]});
    await s.stop();
  });

  it('run-now waits for the run in flight, then runs fresh; concurrent callers share it', async () => {
    let calls = 0;
    const counted = probe('counted', async (ctx) => {
      calls++;
      await new Promise((r) => setTimeout(r, 100));
      const run = new ProbeRun('counted', ctx);
      run.check('call', true, String(calls), 'any');
      return run.finish();
    });
    const {s, cycles} = scheduler([
      {probe: counted, target, intervalMs: 10_000, timeoutMs: 500},
      {probe: okProbe('other'), target, intervalMs: 10_000, timeoutMs: 500},
    ]);
    const startup = s.start();
    const now1 = s.runNow({probe: 'counted'});
    const now2 = s.runNow({probe: 'counted'});
    await jest.advanceTimersByTimeAsync(250);
    await startup;
    const [r1, r2] = await Promise.all([now1, now2]);
    expect(calls).toBe(2);
    expect(r1?.[0]?.checks[0]?.observed).toBe('2');
    expect(r2).toEqual(r1);
    expect(cycles.map((c) => [c.trigger, c.results.map((r) => r.probe)])).toEqual([
      ['startup', ['counted', 'other']],
      // One cycle for both callers: one report, not two.
      ['run_now', ['counted']],
    ]);
    await s.stop();
  });

  it('stop lets runs in flight finish, aborts them after the grace period, and starts no more', async () => {
    let calls = 0;
    const patient = probe('patient', async (ctx) => {
      calls++;
      const run = new ProbeRun('patient', ctx);
      await untilAborted(ctx.signal);
      run.check('ended by', false, String((ctx.signal.reason as Error).message), 'an answer');
      return run.finish();
    });
    const {s, runs} = scheduler([{probe: patient, target, intervalMs: 60_000, timeoutMs: 30_000}]);
    void s.start();
    await jest.advanceTimersByTimeAsync(10);
    const stopped = s.stop(1000);
    let done = false;
    void stopped.then(() => (done = true));
    await jest.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await stopped;
    expect(runs.map((r) => r.result.error)).toEqual(['ended by: the bridge is shutting down (expected an answer)']);
    await jest.advanceTimersByTimeAsync(120_000);
    expect(calls).toBe(1);
    await expect(s.runNow()).rejects.toThrow('stopped');
  });

  it('stop gives up on a probe that ignores even the shutdown', async () => {
    const deaf = probe('deaf', () => new Promise<ProbeResult>(() => undefined));
    const {s} = scheduler([{probe: deaf, target, intervalMs: 60_000, timeoutMs: 30_000}], {hardTimeoutGraceMs: 500});
    void s.start();
    const stopped = s.stop(1000);
    let done = false;
    void stopped.then(() => (done = true));
    await jest.advanceTimersByTimeAsync(1499);
    expect(done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
  });

  it('keeps running when a listener throws, and reports the error', async () => {
    const errors: unknown[] = [];
    const {s, runs} = scheduler([{probe: okProbe('a'), target, intervalMs: 1000, timeoutMs: 500}], {onListenerError: (e) => errors.push(e)});
    s.onRun(() => {
      throw new Error('listener bug');
    });
    await s.start();
    await jest.advanceTimersByTimeAsync(1000);
    expect(runs).toHaveLength(2);
    expect(errors.map(String)).toEqual(['Error: listener bug', 'Error: listener bug']);
    await s.stop();
  });

  it('runs a failing probe again at the retry interval, and returns to its interval once it succeeds', async () => {
    let failing = true;
    const flaky = probe('flaky', async (ctx) => {
      const run = new ProbeRun('flaky', ctx);
      run.check('answer', !failing, failing ? 'no' : 'yes', 'yes');
      return run.finish();
    });
    const {s, runs} = scheduler([{probe: flaky, target, intervalMs: 60_000, timeoutMs: 500, retryIntervalMs: 10_000}]);
    await s.start();
    await jest.advanceTimersByTimeAsync(35_000);
    // Failed at start: retried at 10 s, 20 s and 30 s instead of waiting for the 60 s slot.
    expect(runs.map((r) => r.startedAt - 1_000_000)).toEqual([0, 10_000, 20_000, 30_000]);
    failing = false;
    await jest.advanceTimersByTimeAsync(10_000);
    await jest.advanceTimersByTimeAsync(120_000);
    expect(runs.map((r) => r.startedAt - 1_000_000)).toEqual([0, 10_000, 20_000, 30_000, 40_000, 60_000, 120_000]);
    await s.stop();
  });

  it('jitters the retries, so probes that failed together do not all retry at once', async () => {
    const failing = (name: string) =>
      probe(name, async (ctx) => {
        const run = new ProbeRun(name, ctx);
        run.check('answer', false, 'no', 'yes');
        return run.finish();
      });
    const values = [0.5, 0.5, 0, 1];
    let i = 0;
    const {s, runs} = scheduler(
      [
        {probe: failing('a'), target, intervalMs: 60_000, timeoutMs: 500, retryIntervalMs: 10_000},
        {probe: failing('b'), target, intervalMs: 60_000, timeoutMs: 500, retryIntervalMs: 10_000},
      ],
      {jitter: 0.1, random: () => values[i++ % values.length] as number},
    );
    await s.start();
    await jest.advanceTimersByTimeAsync(11_000);
    const retried = runs.filter((r) => r.startedAt > 1_000_000).map((r) => [r.result.probe, r.startedAt - 1_000_000]);
    // random 0 and 1 with 10 % jitter: 9 s and 11 s after the failure, not both at 10 s.
    expect(retried).toEqual([
      ['a', 9_000],
      ['b', 11_000],
    ]);
    await s.stop();
  });
});

describe('the startup cycle of heavy probes', () => {
  const HEAVY = ['login', 'websocket', 'post_roundtrip', 'channel_join'];
  /** A heavy probe that takes `ms` and counts how many heavy runs are in flight at once, per server. */
  function heavyProbes(ms: number) {
    const active = new Map<string, number>();
    const peak = new Map<string, number>();
    const make = (name: string) => ({
      ...probe(name, async (ctx) => {
        const server = new URL(ctx.target.url).host;
        active.set(server, (active.get(server) ?? 0) + 1);
        peak.set(server, Math.max(peak.get(server) ?? 0, active.get(server) ?? 0));
        await new Promise((r) => setTimeout(r, ms));
        active.set(server, (active.get(server) ?? 0) - 1);
        const run = new ProbeRun(name, ctx);
        run.check('answer', true, 'yes', 'yes');
        return run.finish();
      }),
      heavy: true,
    });
    return {make, peak};
  }
  const targets = (n: number, url: string) => Array.from({length: n}, (_, i) => ({...target, name: `t${i}`, url}));
  const jobsOf = (make: (name: string) => ProbeDefinition, ts: TargetSettings[], light = ['ping']) =>
    ts.flatMap((t) => [
      ...light.map((name) => ({probe: okProbe(name), target: t, intervalMs: 60_000, timeoutMs: 10_000})),
      ...HEAVY.map((name) => ({probe: make(name), target: t, intervalMs: 60_000, timeoutMs: 10_000})),
    ]);

  it("starts one server's heavy probes one after the other over its first interval, light ones at once, and reports within the interval", async () => {
    const {make, peak} = heavyProbes(200);
    const {s, runs, cycles} = scheduler(jobsOf(make, targets(50, 'http://mm.example:8065')));
    let done = false;
    const first = s.start().then((r) => ((done = true), r));
    await jest.advanceTimersByTimeAsync(59_999);
    expect(done).toBe(true);
    const results = await first;
    expect(results).toHaveLength(250);
    expect(cycles.map((c) => [c.trigger, c.results.length])).toEqual([['startup', 250]]);
    // 200 heavy runs over 60 s less their 10 s timeout: 250 ms apart, so at most one in flight (each takes 200 ms).
    expect(peak.get('mm.example:8065')).toBe(1);
    const starts = runs.filter((r) => HEAVY.includes(r.result.probe)).map((r) => r.startedAt - 1_000_000);
    expect(starts.slice(0, 5)).toEqual([0, 250, 500, 750, 1000]);
    expect(Math.max(...starts)).toBe(49_750);
    expect(runs.filter((r) => r.result.probe === 'ping').every((r) => r.startedAt === 1_000_000)).toBe(true);
    expect(runs.every((r) => r.startedAt === r.plannedAt)).toBe(true);
    await s.stop();
  });

  it('keeps the spread after the first runs: each heavy probe runs one interval after its first run', async () => {
    const {make} = heavyProbes(10);
    const {s, runs} = scheduler(jobsOf(make, targets(2, 'http://mm.example'), []), {startupGapMaxMs: 60_000});
    const started = s.start();
    await jest.advanceTimersByTimeAsync(60_000);
    await started;
    await jest.advanceTimersByTimeAsync(60_100);
    const byJob = (job: string) => runs.filter((r) => `${r.result.target}/${r.result.probe}` === job).map((r) => r.plannedAt - 1_000_000);
    // 8 heavy runs over 50 s: 6.25 s apart; the next runs keep that offset, not all at 60 s.
    expect(byJob('t0/login')).toEqual([0, 60_000, 120_000]);
    expect(byJob('t0/websocket')).toEqual([6_250, 66_250]);
    expect(byJob('t1/channel_join')).toEqual([43_750, 103_750]);
    await s.stop();
  });

  it('spreads each server on its own, and only as far apart as needed', async () => {
    const {make, peak} = heavyProbes(100);
    const jobs = [...jobsOf(make, targets(1, 'http://a.example')), ...jobsOf(make, targets(1, 'http://b.example'))];
    expect(startupOffsets(jobs, 500)).toEqual([0, 0, 500, 1000, 1500, 0, 0, 500, 1000, 1500]);
    expect(startupOffsets(jobs, 60_000)).toEqual([0, 0, 12_500, 25_000, 37_500, 0, 0, 12_500, 25_000, 37_500]);
    const {s} = scheduler(jobs);
    const first = s.start();
    await jest.advanceTimersByTimeAsync(2_000);
    expect(await first).toHaveLength(10);
    expect([peak.get('a.example'), peak.get('b.example')]).toEqual([1, 1]);
    await s.stop();
  });

  it('ends every spread run within the first interval, whatever the timeouts', () => {
    const {make} = heavyProbes(0);
    const jobs = jobsOf(make, targets(3, 'http://mm.example'), []).map((j, i) => ({...j, timeoutMs: i === 5 ? 30_000 : 10_000, intervalMs: i === 7 ? 40_000 : 60_000}));
    const offsets = startupOffsets(jobs, 60_000);
    // The shortest interval (40 s) less the longest timeout (30 s): 10 s over 12 runs.
    expect(Math.max(...offsets.map((o, i) => o + (jobs[i] as Job).timeoutMs))).toBeLessThanOrEqual(40_000);
    expect(offsets[1]).toBe(833);
  });

  it('stop during the spread starts none of the waiting runs, and the cycle resolves with those made', async () => {
    const {make} = heavyProbes(10);
    const {s, runs, cycles} = scheduler(jobsOf(make, targets(10, 'http://mm.example')));
    const first = s.start();
    await jest.advanceTimersByTimeAsync(1_100);
    await s.stop();
    const results = await first;
    await jest.advanceTimersByTimeAsync(120_000);
    // 10 pings at once, heavy runs at 0, 500 and 1000 ms.
    expect(results).toHaveLength(13);
    expect(runs).toHaveLength(13);
    expect(cycles[0]?.results).toHaveLength(13);
  });
});

describe('jobsFor', () => {
  it('makes one job per enabled probe and target', () => {
    const defs = {a: okProbe('a'), b: okProbe('b')};
    const jobs = jobsFor(
      [
        {name: 'a', enabled: true, intervalMs: 1, timeoutMs: 1},
        {name: 'b', enabled: false, intervalMs: 1, timeoutMs: 1},
      ],
      defs,
      [target, {...target, name: 'second'}],
    );
    expect(jobs.map((j) => `${j.target.name}/${j.probe.name}`)).toEqual(['local/a', 'second/a']);
  });
});
