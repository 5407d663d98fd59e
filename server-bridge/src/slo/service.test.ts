import {existsSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Registry} from 'prom-client';
import {ResultHistory} from '../results/history';
import {SloStateSlot, type SloState} from './alert-state';
import {DEFAULT_SLOS, type Slo} from './definitions';
import {previousMonth, monthKey} from './month';
import {SloService} from './service';

const MIN = 60_000;
const slos: Slo[] = [{...(DEFAULT_SLOS[0] as Slo), target: 'mm'}];

/** What a store holds of the SLO state between two services (a restart); null: none kept. */
type Disk = {state: SloState | null};

function build(now: {t: number}, disk: Disk | null, history = new ResultHistory(), legacyFile: string | null = null) {
  const posts: {deliveryId: string; channelId: string; message: string; rootDeliveryId?: string}[] = [];
  const registry = new Registry();
  const state: SloStateSlot = new SloStateSlot(disk?.state ?? null, {
    changed: () => {
      if (disk) disk.state = state.current;
    },
    durable: async () => undefined,
  });
  const service = new SloService({
    slos,
    history,
    outbox: {enqueue: (item) => (posts.push(item), item.deliveryId), update: () => undefined},
    opsChannelId: '~ops',
    logChannelId: async () => 'log-channel-id',
    isMuted: () => false,
    state,
    legacyFile,
    registry,
    log: {info: () => undefined, warn: () => undefined, error: () => undefined},
    now: () => now.t,
  });
  return {service, posts, registry, history, state};
}

describe('SLO service', () => {
  it('posts the monthly report once, on the first tick of a new month, and not again after a restart', async () => {
    const disk: Disk = {state: null};
    const now = {t: Date.UTC(2026, 9, 31, 23, 0)};
    const first = build(now, disk);
    for (let i = 0; i < 60; i++) first.history.record({probe: 'login', target: 'mm', ok: true, durationMs: 9, startedAt: now.t - 60 * MIN + i * MIN, checks: []});
    first.service.tick();
    // A bridge's first month is not reported (it was not there for most of it).
    expect(first.posts).toHaveLength(0);
    now.t = Date.UTC(2026, 10, 1, 0, 1);
    first.service.tick();
    await new Promise((r) => setImmediate(r));
    expect(first.posts.map((p) => [p.deliveryId, p.channelId])).toEqual([['slo_report_2026-10_monthly', 'log-channel-id']]);
    expect(first.posts[0]?.message).toContain('SLO report: October 2026');
    expect(first.posts[0]?.message).toContain('| log-in | 99.5 % | 100 % ✅ | 100 % | 59 min | 0 of 60 |');
    first.service.tick();
    const again = build(now, disk);
    again.service.tick();
    await new Promise((r) => setImmediate(r));
    expect(first.posts).toHaveLength(1);
    expect(again.posts).toHaveLength(0);
    expect(disk.state?.lastMonthlyReport).toBe('2026-10');
  });

  it('crosses the year in its month arithmetic', () => {
    expect(monthKey(previousMonth(Date.UTC(2027, 0, 1, 0, 0)))).toBe('2026-12');
    expect(monthKey(previousMonth(Date.UTC(2026, 2, 31, 23, 59)))).toBe('2026-02');
  });

  it('exports healthcheck_slo_* on /metrics', async () => {
    const now = {t: Date.UTC(2026, 9, 10)};
    const {service, registry, history} = build(now, null);
    for (let i = 0; i < 60; i++) history.record({probe: 'login', target: 'mm', ok: i < 30, durationMs: 9, startedAt: now.t - 60 * MIN + i * MIN, checks: []});
    service.tick();
    const text = await registry.metrics();
    expect(text).toContain('healthcheck_slo_objective_ratio{slo="log-in"} 0.995');
    expect(text).toContain('healthcheck_slo_attained_ratio{slo="log-in"} 0.5');
    expect(text).toMatch(/healthcheck_slo_burn_rate\{slo="log-in",window="5m"\} (200|199\.99)/);
    expect(text).toContain('healthcheck_slo_alert_firing{slo="log-in",severity="page"} 1');
    expect(text).toMatch(/healthcheck_slo_error_budget_remaining_ratio\{slo="log-in"\} -(99|98\.99)/);
  });

  it('keeps an open alert across a restart: no second root, and the resolution goes to the first one', () => {
    const disk: Disk = {state: null};
    const now = {t: Date.UTC(2026, 9, 10, 12)};
    const history = new ResultHistory();
    for (let i = 0; i < 60; i++) history.record({probe: 'login', target: 'mm', ok: i < 40, durationMs: 9, startedAt: now.t - 60 * MIN + i * MIN, checks: []});
    const first = build(now, disk, history);
    first.service.tick();
    expect(first.posts).toHaveLength(1);
    const root = first.posts[0]?.deliveryId;
    // The bridge restarts in the same hour, the burn still on.
    now.t += MIN;
    const again = build(now, disk, history);
    again.service.tick();
    expect(again.posts).toHaveLength(0);
    expect(again.service.openAlerts().map((a) => a.rootDeliveryId)).toEqual([root]);
    // Healthy for 7 h: every rule stops; the reply goes into the first thread.
    for (let i = 0; i < 420; i++) history.record({probe: 'login', target: 'mm', ok: true, durationMs: 9, startedAt: now.t + i * MIN, checks: []});
    now.t += 420 * MIN;
    again.service.tick();
    expect(again.posts.map((p) => [p.message.slice(0, 41), p.rootDeliveryId])).toEqual([[':white_check_mark: The burn stopped after', root]]);
  });

  it("reads an older version's side file once: its open alert goes on in its thread, and the file is set aside once the store has it", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'slo-')), 'state.json.slo');
    const now = {t: Date.UTC(2026, 9, 10, 12)};
    const history = new ResultHistory();
    for (let i = 0; i < 60; i++) history.record({probe: 'login', target: 'mm', ok: i < 40, durationMs: 9, startedAt: now.t - 60 * MIN + i * MIN, checks: []});
    const open = {
      id: 'slo_log-in_1',
      slo: 'log-in',
      rule: 'fast',
      severity: 'page',
      openedAt: now.t - 30 * MIN,
      resolvedAt: null,
      rootDeliveryId: 'slo_log-in_1:root',
      peakBurn: 60,
      lastFiringAt: now.t - MIN,
    };
    writeFileSync(file, JSON.stringify({version: 1, open: [open], resolved: [], lastMonthlyReport: '2026-09'}));
    const disk: Disk = {state: null};
    const {service, posts} = build(now, disk, history, file);
    expect(disk.state).toEqual({open: [open], resolved: [], lastMonthlyReport: '2026-09'});
    await new Promise((r) => setImmediate(r));
    expect([existsSync(file), existsSync(`${file}.imported`)]).toEqual([false, true]);
    service.tick();
    expect(posts).toHaveLength(0);
    expect(service.openAlerts().map((a) => a.rootDeliveryId)).toEqual(['slo_log-in_1:root']);
  });

  it('a state the store holds wins over a side file, which is not read', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'slo-')), 'state.json.slo');
    writeFileSync(file, JSON.stringify({version: 1, open: [], resolved: [], lastMonthlyReport: '2020-01'}));
    const disk: Disk = {state: {open: [], resolved: [], lastMonthlyReport: '2026-09'}};
    build({t: Date.UTC(2026, 9, 10, 12)}, disk, new ResultHistory(), file);
    expect([disk.state?.lastMonthlyReport, existsSync(file)]).toEqual(['2026-09', true]);
  });
});
