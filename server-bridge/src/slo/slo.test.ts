import {ResultHistory} from '../results/history';
import {BURN_ALERT_RULES, burnThreshold, DEFAULT_SLOS, scaledWindowMs, type Slo} from './definitions';
import {budgetOverTime, evaluate} from './evaluate';
import {firingRule, SloAlerts, type SloAlertsState} from './burn-alerts';
import {coverageText, monthlyReport, sloAnswer} from './slo-text';
import {withSloAlerts} from './notice';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 9, 1);

const loginSlo: Slo = {...(DEFAULT_SLOS[0] as Slo), target: 'mm'};

function history(policy?: ConstructorParameters<typeof ResultHistory>[1]) {
  return new ResultHistory(DAY, policy);
}

/** One run a minute of `probe` from `from` for `minutes`; bad(i) says which fail. */
function feed(h: ResultHistory, probe: string, from: number, minutes: number, bad: (i: number) => boolean = () => false, ms: (i: number) => number = () => 20) {
  for (let i = 0; i < minutes; i++) h.record({probe, target: 'mm', ok: !bad(i), durationMs: ms(i), startedAt: from + i * MIN, checks: []});
}

describe('burn-rate thresholds', () => {
  it('are the workbook figures: 14.4 over 1 h, 6 over 6 h, 1 over 3 d', () => {
    expect(BURN_ALERT_RULES.map((r) => [r.id, Math.round(burnThreshold(r) * 10) / 10, r.long, r.short])).toEqual([
      ['fast', 14.4, '1h', '5m'],
      ['slow', 6, '6h', '30m'],
      ['ticket', 1, '3d', '6h'],
    ]);
  });

  it('scale with the window: an objective over 1 h watches 5 s and 25 s for its fast page', () => {
    const short = {windowMs: HOUR};
    expect(scaledWindowMs(short, '1h')).toBe(5000);
    expect(scaledWindowMs(short, '6h')).toBe(30_000);
    expect(scaledWindowMs(short, '3d')).toBe(360_000);
    expect(scaledWindowMs({windowMs: 30 * DAY}, '5m')).toBe(5 * MIN);
  });
});

describe('SLO evaluation', () => {
  it('gives attained, budget left and burn rates from runs, over the window', () => {
    const h = history();
    const now = T0 + 10 * HOUR;
    // 10 h at one run a minute, the last 10 minutes all failing.
    feed(h, 'login', T0, 600, (i) => i >= 590);
    const s = evaluate(h, loginSlo, now);
    expect(s.total).toBe(600);
    expect(s.good).toBe(590);
    expect(s.attained).toBeCloseTo(590 / 600, 6);
    // 1.67 % bad against 0.5 % allowed: the budget is overspent.
    expect(s.budgetLeft).toBeCloseTo(1 - 10 / 600 / 0.005, 6);
    expect(s.burn['5m']).toBeCloseTo(200, 6);
    expect(s.burn['1h']).toBeCloseTo(10 / 60 / 0.005, 6);
    expect(firingRule(s)?.rule.id).toBe('fast');
  });

  it('counts time nobody watched for nothing, and says how much was watched (a bridge down for days)', () => {
    const h = history();
    feed(h, 'login', T0, 180);
    // Down for 5 days, then 2 hours more.
    const back = T0 + 5 * DAY;
    feed(h, 'login', back, 120);
    const now = back + 120 * MIN;
    const s = evaluate(h, loginSlo, now);
    expect(s.total).toBe(300);
    expect(s.attained).toBe(1);
    expect(s.budgetLeft).toBe(1);
    expect(s.observedMs).toBe((179 + 119) * MIN);
    expect(coverageText(s)).toBe('over the 4 h 58 min observed of 30 d');
  });

  it('counts slow runs as bad for a latency objective, from raw runs and from the hourly rollups alike', () => {
    const latency: Slo = {...(DEFAULT_SLOS[4] as Slo), target: 'mm'};
    const h = history({slowMs: (p) => (p === 'post_roundtrip' ? 2000 : null), coverMaxMs: () => 150_000});
    feed(
      h,
      'post_roundtrip',
      T0,
      3 * 1440,
      () => false,
      (i) => (i % 20 === 0 ? 2500 : 300),
    );
    const now = T0 + 3 * DAY;
    const s = evaluate(h, latency, now);
    // The window (30 d) is read from rollups, the 1 d burn window from raw runs: both see 5 % slow.
    expect(s.attained).toBeCloseTo(0.95, 6);
    expect(s.burn['1d']).toBeCloseTo(0.05 / 0.01, 6);
    expect(s.burn['3d']).toBeCloseTo(0.05 / 0.01, 6);
  });

  it('draws the budget over time, null before the first run', () => {
    const h = history();
    feed(h, 'login', T0 + 20 * DAY, 1440, (i) => i % 100 === 0);
    const points = budgetOverTime(h, loginSlo, T0 + 21 * DAY, 30);
    expect(points).toHaveLength(30);
    expect(points[0]?.left).toBeNull();
    expect(points[29]?.left).toBeCloseTo(1 - 15 / 1440 / 0.005, 3);
  });
});

describe('burn-rate alerts', () => {
  function setup(muted = false) {
    const posts: {deliveryId: string; rootDeliveryId?: string; message: string}[] = [];
    const edits: {deliveryId: string; message: string}[] = [];
    let saved: SloAlertsState | null = null;
    const order: string[] = [];
    const alerts = new SloAlerts({
      outbox: {
        enqueue: (item) => (order.push('enqueue'), posts.push(item), item.deliveryId),
        update: (deliveryId, content) => edits.push({deliveryId, message: content.message}),
      },
      channelId: 'ops',
      isMuted: () => muted,
      save: (s) => {
        order.push('save');
        saved = s;
      },
    });
    return {alerts, posts, edits, order, saved: () => saved};
  }

  it('opens one thread while the burn goes on, and resolves it once the burn stops', () => {
    const h = history();
    const {alerts, posts, edits, order, saved} = setup();
    // Two healthy days first: the 3-day window must reach back half its length before a ticket.
    feed(h, 'login', T0 - 2 * DAY, 2 * 1440);
    feed(h, 'login', T0, 120);
    // 20 failing minutes.
    feed(h, 'login', T0 + 120 * MIN, 20, () => true);
    let now = T0 + 140 * MIN;
    alerts.evaluate([evaluate(h, loginSlo, now)], now);
    now += MIN;
    alerts.evaluate([evaluate(h, loginSlo, now)], now);
    expect(posts.map((p) => p.deliveryId)).toHaveLength(1);
    expect(posts[0]?.message).toContain('Error budget burning fast');
    // Written before it is handed to the outbox.
    expect(order.slice(0, 2)).toEqual(['save', 'enqueue']);
    expect(saved()?.open).toHaveLength(1);
    // Healthy again: the page stops within minutes, but 20 bad minutes still burn the 6 h window
    // over the ticket's rate; the thread is resolved once they leave it.
    feed(h, 'login', T0 + 140 * MIN, 400);
    const resolvedAt: number[] = [];
    for (now = T0 + 150 * MIN; now <= T0 + 540 * MIN; now += 10 * MIN) {
      alerts.evaluate([evaluate(h, loginSlo, now)], now);
      if (posts.length === 2 && resolvedAt.length === 0) resolvedAt.push(now);
      if (now === T0 + 180 * MIN) expect(firingRule(evaluate(h, loginSlo, now))?.rule.id).toBe('ticket');
    }
    expect(posts).toHaveLength(2);
    expect(resolvedAt[0]).toBe(T0 + 500 * MIN);
    expect(posts[1]?.rootDeliveryId).toBe(posts[0]?.deliveryId);
    expect(posts[1]?.message).toContain('The burn stopped after 6 h');
    expect(edits.at(-1)?.message).toContain('Resolved');
    expect(alerts.openAlerts()).toHaveLength(0);
  });

  it('does not flap when the short window falls between two runs (an objective over 2 h: its 5 min are 1 s)', () => {
    // At 99 %, as in the end-to-end test: the slow page needs several failures, the fast one fires first.
    const short: Slo = {...loginSlo, windowMs: 2 * HOUR, objective: 0.99};
    const h = history();
    const {alerts, posts} = setup();
    // A run every 2 s: two minutes healthy, then forty seconds failing, then healthy.
    const runs = (from: number, n: number, ok: boolean) => {
      for (let i = 0; i < n; i++) h.record({probe: 'login', target: 'mm', ok, durationMs: 5, startedAt: from + i * 2000, checks: []});
    };
    runs(T0, 60, true);
    runs(T0 + 120_000, 20, false);
    runs(T0 + 160_000, 60, true);
    // Evaluated every half second, as the service does at this scale: half the time the 1 s window is empty.
    const roots = () => posts.filter((p) => !p.rootDeliveryId);
    for (let t = T0 + 120_000; t <= T0 + 155_000; t += 500) alerts.evaluate([evaluate(h, short, t)], t);
    expect(roots()).toHaveLength(1);
    expect(posts.filter((p) => p.rootDeliveryId)).toHaveLength(0);
    for (let t = T0 + 155_500; t <= T0 + 270_000; t += 500) alerts.evaluate([evaluate(h, short, t)], t);
    expect(roots()).toHaveLength(1);
    expect(posts.filter((p) => p.message.includes('The burn stopped'))).toHaveLength(1);
  });

  describe('an objective over 2 h with a run a second, as in the end-to-end test', () => {
    const short: Slo = {...loginSlo, windowMs: 2 * HOUR, objective: 0.99};
    /** Runs a second from 0.7 s, failing where bad(at) says, recorded as they end; evaluated every second from `phase`. */
    function replay(runsAt: number[], bad: (at: number) => boolean, phase: number, untilMs: number) {
      const h = history();
      const {alerts, posts, edits} = setup();
      let next = 0;
      for (let t = phase; t <= untilMs; t += 1000) {
        for (; next < runsAt.length && (runsAt[next] as number) + 20 <= t; next++) {
          const at = runsAt[next] as number;
          h.record({probe: 'login', target: 'mm', ok: !bad(at), durationMs: 20, startedAt: T0 + at, checks: []});
        }
        alerts.evaluate([evaluate(h, short, T0 + t)], T0 + t);
      }
      return {alerts, posts, edits, roots: () => posts.filter((p) => !p.rootDeliveryId), stopped: () => posts.filter((p) => p.message.includes('The burn stopped'))};
    }
    const everySecond = (from: number, to: number, skip: (at: number) => boolean = () => false) => {
      const out: number[] = [];
      for (let at = from; at < to; at += 1000) if (!skip(at)) out.push(at);
      return out;
    };

    it('keeps one thread when a rule reaches its long-window span after the fast one let go (the slow page opened a second root)', () => {
      // 16 s healthy, 11 s failing, then healthy: the fast rule lets go at once, while the slow
      // rule's 60 s window reaches back half its length 30 s after the first run, its 5 s still burning.
      const r = replay(everySecond(700, 200_000), (at) => at >= 16_700 && at <= 26_700, 200, 200_000);
      expect(r.roots()).toHaveLength(1);
      expect(r.stopped()).toHaveLength(1);
      // Resolved once the last failure left every short window (60 s for the ticket at this scale).
      expect(r.alerts.snapshot().resolved[0]?.resolvedAt).toBeGreaterThanOrEqual(T0 + 26_700 + 60_000);
    });

    it('keeps one thread through a gap in the runs during the burn (a bridge stalled under load)', () => {
      // No run for 7 s early in a burn: the fast rule's 10 s window then reaches back less than half
      // its length into runs (a gap of 3 or 4 s does not), which is not a sign that the burn stopped.
      const r = replay(
        everySecond(700, 200_000, (at) => at > 19_700 && at < 26_700),
        (at) => at >= 16_700 && at <= 40_700,
        200,
        200_000,
      );
      expect(r.roots()).toHaveLength(1);
      expect(r.stopped()).toHaveLength(1);
      expect(r.alerts.snapshot().resolved[0]?.resolvedAt).toBeGreaterThan(T0 + 40_700);
    });
  });

  it('resolves only on healthy runs after a gap, and closes an alert nobody could watch for the longest window', () => {
    const h = history();
    const {alerts, posts, edits} = setup();
    feed(h, 'login', T0 - 2 * DAY, 2 * 1440);
    feed(h, 'login', T0, 20, () => true);
    let now = T0 + 20 * MIN;
    alerts.evaluate([evaluate(h, loginSlo, now)], now);
    expect(alerts.openAlerts()).toHaveLength(1);
    // The bridge is down for an hour: no runs, so no evidence that the burn stopped.
    for (now += MIN; now <= T0 + 80 * MIN; now += MIN) alerts.evaluate([evaluate(h, loginSlo, now)], now);
    expect(alerts.openAlerts()).toHaveLength(1);
    // Back, healthy: the thread is resolved once the failures left the short windows (6 h: the ticket's).
    feed(h, 'login', T0 + 80 * MIN, 600);
    for (; now <= T0 + 680 * MIN; now += 10 * MIN) alerts.evaluate([evaluate(h, loginSlo, now)], now);
    expect(posts.filter((p) => p.message.includes('The burn stopped'))).toHaveLength(1);

    // Failing again, then the bridge is down for four days: a gap is not a failure, nor a recovery.
    const h2 = history();
    const second = setup();
    feed(h2, 'login', T0 - 2 * DAY, 2 * 1440);
    feed(h2, 'login', T0, 20, () => true);
    second.alerts.evaluate([evaluate(h2, loginSlo, T0 + 20 * MIN)], T0 + 20 * MIN);
    for (now = T0 + DAY; now < T0 + 3 * DAY; now += HOUR) second.alerts.evaluate([evaluate(h2, loginSlo, now)], now);
    expect(second.alerts.openAlerts()).toHaveLength(1);
    now = T0 + 4 * DAY;
    second.alerts.evaluate([evaluate(h2, loginSlo, now)], now);
    expect(second.alerts.openAlerts()).toHaveLength(0);
    expect(second.posts.at(-1)?.message).toBe(':white_check_mark: Closed: no run of its probes in the last 3 d; time not watched counts as neither up nor down.');
    expect(second.edits.at(-1)?.message).toContain('closed (no run of its probes');
    expect(edits.at(-1)?.message).toContain('Resolved');
  });

  it('opens nothing while the probes are muted', () => {
    const h = history();
    const {alerts, posts} = setup(true);
    feed(h, 'login', T0, 60, () => true);
    alerts.evaluate([evaluate(h, loginSlo, T0 + HOUR)], T0 + HOUR);
    expect(posts).toHaveLength(0);
  });

  it('takes an acknowledgement once, in the thread and on the root', () => {
    const h = history();
    const {alerts, posts, edits} = setup();
    feed(h, 'login', T0, 60, () => true);
    const s = evaluate(h, loginSlo, T0 + HOUR);
    alerts.evaluate([s], T0 + HOUR);
    expect(alerts.acknowledge('log-in', 'alice', T0 + HOUR, s)).toBe('acknowledged');
    expect(alerts.acknowledge(null, 'bob', T0 + HOUR, s)).toBe('already');
    expect(posts.map((p) => p.message)).toContain('Acknowledged by @alice.');
    expect(edits.at(-1)?.message).toContain('Acknowledged by @alice');
  });

  it('pages on neither a long burn that has stopped nor a short blip', () => {
    const h = history();
    feed(h, 'login', T0, 60, (i) => i < 30);
    feed(h, 'login', T0 + HOUR, 10);
    // 1 h burn high, 5 min burn 0: no page; no ticket either from a bridge an hour old (its 3 days are not half watched).
    expect(firingRule(evaluate(h, loginSlo, T0 + 70 * MIN))).toBeNull();
    const older = history();
    feed(older, 'login', T0 - 2 * DAY, 2 * 1440);
    feed(older, 'login', T0, 60, (i) => i < 30);
    feed(older, 'login', T0 + HOUR, 10);
    // Two days watched before: the ticket goes on (6 h and 3 d still burn).
    expect(firingRule(evaluate(older, loginSlo, T0 + 70 * MIN))?.rule.severity).toBe('ticket');
    const blip = history();
    feed(blip, 'login', T0, 600, (i) => i === 599);
    // 5 min burns at 40, 1 h at 3.3: no page either.
    expect(firingRule(evaluate(blip, loginSlo, T0 + 600 * MIN))).toBeNull();
  });
});

describe('SLO text', () => {
  it('answers /healthcheck slo and writes the monthly report with what was observed', () => {
    const h = history();
    feed(h, 'login', T0, 180, (i) => i === 5);
    const s = evaluate(h, loginSlo, T0 + 3 * HOUR);
    const answer = sloAnswer([s]);
    expect(answer).toContain('**log-in**');
    expect(answer).toContain('attained 99.444 % over the 2 h 59 min observed of 30 d (1 bad of 180 runs)');
    const report = monthlyReport([s], 'October 2026');
    expect(report).toContain('| log-in | 99.5 % | 99.444 % ❌ |');
    expect(sloAnswer([])).toContain('No service level objectives');
  });
});

describe('SLO alerts in the notice', () => {
  const alert = (slo: string, severity: 'page' | 'ticket') => ({id: `a_${slo}`, slo, rule: 'fast' as const, severity, openedAt: 5_000_500, resolvedAt: null, rootDeliveryId: 'r', peakBurn: 20});
  const slos = DEFAULT_SLOS.map((s) => ({...s, target: 'mm'}));

  it("makes a paging objective's service slow, leaves tickets and muted probes out, and keeps an incident's down", () => {
    expect(withSloAlerts(null, [alert('post-and-receive', 'page')], slos, () => false)).toEqual({services: [{key: 'messages', down: false}], since: 5_000_000});
    expect(withSloAlerts(null, [alert('log-in', 'ticket')], slos, () => false)).toBeNull();
    expect(withSloAlerts(null, [alert('log-in', 'page')], slos, (p) => p === 'login')).toBeNull();
    const base = {services: [{key: 'messages' as const, down: true}], since: 1_000};
    expect(withSloAlerts(base, [alert('post-and-receive', 'page'), alert('search', 'page')], slos, () => false)).toEqual({
      services: [
        {key: 'messages', down: true},
        {key: 'search', down: false},
      ],
      since: 1_000,
    });
  });
});
