import {ALERT_PROP, alertSchema, type Alert} from '../contract';
import type {NewItem} from '../outbox/outbox';
import type {ProbeResult} from '../probes/types';
import {DEFAULT_INCIDENT_SETTINGS, IncidentManager, type AlertOutbox} from './incidents';

const MIN = 60_000;
const OPS = 'ops00000000000000000000000';

/** Records what the manager hands to the outbox (the unit's boundary). */
class RecordingSink implements AlertOutbox {
  items: (NewItem & {deliveryId: string})[] = [];
  updates: {deliveryId: string; message: string; alert: Alert}[] = [];
  enqueue(item: NewItem): string {
    const deliveryId = item.deliveryId ?? `d${this.items.length}`;
    this.items.push({...item, deliveryId});
    return deliveryId;
  }
  update(deliveryId: string, content: {message: string; props: Record<string, unknown>}): void {
    this.updates.push({deliveryId, message: content.message, alert: alertSchema.parse(content.props[ALERT_PROP])});
  }
  postIdOf(deliveryId: string): string | null {
    return `post-of-${deliveryId}`;
  }
  alerts(): Alert[] {
    return this.items.map((i) => alertSchema.parse(i.props[ALERT_PROP]));
  }
}

const result = (probe: string, at: number, ok: boolean, target = 'local'): ProbeResult => ({
  probe,
  target,
  ok,
  durationMs: 12,
  startedAt: at,
  checks: ok ? [] : [{label: 'status', ok: false, observed: 'connection refused', expected: 'HTTP 200'}],
  ...(ok ? {} : {error: `connect ECONNREFUSED (${probe})`}),
});

const PROBES = ['ping', 'login', 'websocket', 'post_roundtrip'];
const cycle = (at: number, ok: boolean, probes = PROBES) => probes.map((p) => result(p, at, ok));

function setup(extra: Partial<ConstructorParameters<typeof IncidentManager>[0]> = {}) {
  const sink = new RecordingSink();
  const manager = new IncidentManager({...DEFAULT_INCIDENT_SETTINGS, opsChannelId: OPS, reminderIntervalMs: 10 * MIN, maxReminders: 2, ...extra}, sink);
  return {sink, manager};
}

describe('incidents', () => {
  it('dates the incident at the earliest failure of any probe in it, also one that joins later', () => {
    const {sink, manager} = setup();
    manager.observe([result('login', 1 * MIN, false), result('ping', 1 * MIN + 1, true)], 1 * MIN + 1);
    manager.observe([result('ping', 2 * MIN, false)], 2 * MIN);
    manager.observe([result('ping', 3 * MIN, false)], 3 * MIN);
    expect(sink.alerts()[0]).toMatchObject({openedAt: 2 * MIN});
    manager.observe([result('login', 4 * MIN, false)], 4 * MIN);
    const update = sink.updates.at(-1);
    expect(update?.alert.probes.map((p) => p.probe)).toEqual(['ping', 'login']);
    expect(update?.alert.openedAt).toBe(1 * MIN);
    expect(manager.openIncidents()[0]?.openedAt).toBe(1 * MIN);
  });

  it('opens one incident for all probes of a target failing in one cycle, dated at the first failure', () => {
    const {sink, manager} = setup();
    manager.observe(cycle(0, true), 0);
    manager.observe(cycle(1 * MIN, false), 1 * MIN);
    expect(sink.items).toHaveLength(0);
    manager.observe(cycle(2 * MIN, false), 2 * MIN);
    expect(sink.items).toHaveLength(1);
    const [root] = sink.items;
    expect(root).toMatchObject({op: 'create', channelId: OPS, type: 'custom_healthcheck_alert', happenedAt: 1 * MIN});
    expect(sink.alerts()[0]).toMatchObject({event: 'open', state: 'open', target: 'local', openedAt: 1 * MIN, resolvedAt: null, lastError: expect.stringContaining('ECONNREFUSED')});
    expect(sink.alerts()[0]?.probes.map((p) => p.probe)).toEqual(PROBES);
    expect(root?.message).toContain('**Incident on `local`**: **ping**, **login**, **websocket**, **post_roundtrip** failing since 1970-01-01 00:01 UTC');
    expect(root?.message).toContain('observed `connection refused`, expected `HTTP 200`');
    manager.observe(cycle(3 * MIN, false), 3 * MIN);
    expect(sink.items).toHaveLength(1);
  });

  it('reminds in the thread at the interval, capped, then recovers with one reply and one root update', () => {
    const {sink, manager} = setup();
    manager.observe(cycle(0, false), 0);
    manager.observe(cycle(1 * MIN, false), 1 * MIN);
    const rootId = sink.items[0]?.deliveryId;
    for (let t = 2; t <= 40; t++) manager.tick(t * MIN);
    const reminders = sink.items.filter((i) => i.deliveryId.includes(':reminder:'));
    expect(reminders.map((r) => r.happenedAt)).toEqual([11 * MIN, 21 * MIN]);
    expect(reminders[0]).toMatchObject({rootDeliveryId: rootId, message: expect.stringContaining('Still failing for 11 min')});

    manager.observe(cycle(41 * MIN, true), 41 * MIN);
    expect(manager.openIncidents()).toHaveLength(1);
    manager.observe(cycle(42 * MIN, true), 42 * MIN);
    expect(manager.openIncidents()).toHaveLength(0);
    const reply = sink.items.at(-1);
    expect(reply).toMatchObject({rootDeliveryId: rootId, message: expect.stringContaining('Recovered after 42 min'), happenedAt: 42 * MIN});
    expect(sink.updates).toHaveLength(1);
    expect(sink.updates[0]).toMatchObject({deliveryId: rootId, alert: {event: 'open', state: 'resolved', durationMs: 42 * MIN, resolvedAt: 42 * MIN}});
    expect(sink.updates[0]?.message).toContain('**Resolved on `local`** after 42 min: **ping**');
    expect(manager.recentIncidents()).toHaveLength(1);
  });

  it('adds a probe that starts failing later to the open incident instead of opening another', () => {
    const {sink, manager} = setup();
    manager.observe(cycle(0, false, ['ping']), 0);
    manager.observe(cycle(1, false, ['ping']), 1);
    manager.observe(cycle(2, false, ['login']), 2);
    manager.observe(cycle(3, false, ['login']), 3);
    expect(sink.items).toHaveLength(1);
    expect(sink.updates.at(-1)?.alert.probes.map((p) => p.probe)).toEqual(['ping', 'login']);
    manager.observe([...cycle(4, true), ...cycle(5, true)], 5);
    expect(manager.openIncidents()).toHaveLength(0);
  });

  it('keeps targets apart: two targets failing are two incidents', () => {
    const {sink, manager} = setup();
    for (const at of [0, 1]) manager.observe([result('ping', at, false, 'a'), result('ping', at, false, 'b')], at);
    expect(sink.alerts().map((a) => a.target)).toEqual(['a', 'b']);
  });

  it('holds alerts of muted probes, announces the mute and its end, and opens the held incident when it ends', () => {
    const {sink, manager} = setup();
    manager.mute(null, 30 * MIN, 'admin', 0);
    expect(sink.alerts()[0]).toMatchObject({event: 'mute', mutedUntil: 30 * MIN});
    expect(sink.items[0]?.message).toContain('muted for all probes');
    expect(manager.mutedUntil(MIN)).toBe(30 * MIN);
    manager.observe(cycle(1 * MIN, false), 1 * MIN);
    manager.observe(cycle(2 * MIN, false), 2 * MIN);
    manager.tick(20 * MIN);
    expect(sink.items).toHaveLength(1);
    manager.tick(31 * MIN);
    expect(sink.alerts().map((a) => a.event)).toEqual(['mute', 'unmute', 'open']);
    expect(sink.items[1]?.message).toContain('the mute ended');
    expect(sink.alerts()[2]?.openedAt).toBe(1 * MIN);
  });

  it('an incident that comes and goes inside a mute is never posted', () => {
    const {sink, manager} = setup();
    manager.mute('login', 60 * MIN, 'admin', 0);
    for (const [at, ok] of [
      [1, false],
      [2, false],
      [3, true],
      [4, true],
    ] as const)
      manager.observe(cycle(at * MIN, ok, ['login']), at * MIN);
    manager.unmute('admin', 5 * MIN);
    expect(sink.alerts().map((a) => a.event)).toEqual(['mute', 'unmute']);
    expect(sink.items[1]?.message).toContain('by @admin');
  });

  it('a muted probe does not hold the alert of another probe', () => {
    const {sink, manager} = setup();
    manager.mute('login', 60 * MIN, 'admin', 0);
    manager.observe(cycle(1, false), 1);
    manager.observe(cycle(2, false), 2);
    expect(sink.alerts()[1]?.probes.map((p) => p.probe)).toEqual(['ping', 'websocket', 'post_roundtrip']);
  });

  it('after a restart from its snapshot, recovery lands in the original thread and nothing reopens', () => {
    const first = setup();
    first.manager.observe(cycle(0, false), 0);
    first.manager.observe(cycle(1, false), 1);
    const saved = JSON.parse(JSON.stringify(first.manager.snapshot()));
    const sink = new RecordingSink();
    const again = new IncidentManager({...DEFAULT_INCIDENT_SETTINGS, opsChannelId: OPS}, sink, saved);
    again.observe(cycle(2, false), 2);
    expect(sink.items).toHaveLength(0);
    again.observe(cycle(3, true), 3);
    again.observe(cycle(4, true), 4);
    expect(sink.items).toHaveLength(1);
    expect(sink.items[0]).toMatchObject({rootDeliveryId: first.sink.items[0]?.deliveryId, message: expect.stringContaining('Recovered')});
    expect(again.summaries()[0]).toMatchObject({resolvedAt: 4, postId: `post-of-${first.sink.items[0]?.deliveryId}`, channelId: OPS});
  });

  it('ignores results of probes that are not configured', () => {
    const {sink, manager} = setup();
    for (const at of [0, 1, 2]) manager.observe([{...result('login', at, false), notConfigured: ['probeUser']}], at);
    expect(sink.items).toHaveLength(0);
  });

  it('has a snapshot that changes with states and incidents, not with every run', () => {
    const {manager} = setup();
    manager.observe(cycle(0, true), 0);
    manager.observe(cycle(1, true), 1);
    const steady = JSON.stringify(manager.snapshot());
    // Steady, and a single failure between successes (below the threshold): no change worth a write.
    for (let at = 2; at <= 30; at++) manager.observe(cycle(at * MIN, at % 5 !== 0), at * MIN);
    expect(JSON.stringify(manager.snapshot())).toBe(steady);
    // During an outage too: the same reasons run after run.
    manager.observe(cycle(31 * MIN, false), 31 * MIN);
    manager.observe(cycle(32 * MIN, false), 32 * MIN);
    const failing = JSON.stringify(manager.snapshot());
    for (let at = 33; at < 40; at++) manager.observe(cycle(at * MIN, false), at * MIN);
    expect(JSON.stringify(manager.snapshot())).toBe(failing);
    expect(failing.length).toBeLessThan(6000);
  });

  it('keeps of a healthy tracker only its state and since when (50 targets write 450 of them)', () => {
    const {manager} = setup();
    manager.observe(cycle(0, true), 0);
    manager.observe(cycle(MIN, true), MIN);
    expect(manager.snapshot().trackers[0]).toEqual({probe: 'ping', target: 'local', state: 'ok', since: 0});
    manager.observe(cycle(2 * MIN, false), 2 * MIN);
    manager.observe(cycle(3 * MIN, false), 3 * MIN);
    const failing = manager.snapshot().trackers[0];
    expect(failing).toMatchObject({state: 'failing', since: 2 * MIN, failingSince: 2 * MIN, lastFailure: {ok: false}});
    expect(Object.keys(failing ?? {}).sort()).toEqual(['failingSince', 'lastFailure', 'probe', 'since', 'state', 'target']);
  });

  it('drops what a restored state holds of probes and targets no longer configured, closing their incident with a note', () => {
    const first = setup();
    for (const at of [0, 1]) first.manager.observe([...cycle(at, false), result('ping', at, false, 'old-node')], at);
    expect(
      first.manager
        .openIncidents()
        .map((i) => i.target)
        .sort(),
    ).toEqual(['local', 'old-node']);
    const saved = JSON.parse(JSON.stringify(first.manager.snapshot()));
    const sink = new RecordingSink();
    const again = new IncidentManager({...DEFAULT_INCIDENT_SETTINGS, opsChannelId: OPS}, sink, saved);
    const {trackers, closed} = again.retainOnly(
      [
        {probe: 'ping', target: 'local'},
        {probe: 'login', target: 'local'},
      ],
      10,
    );
    expect(trackers).toBe(3);
    expect(closed.map((i) => i.target)).toEqual(['old-node']);
    expect(again.openIncidents().map((i) => [i.target, i.probes])).toEqual([['local', ['ping', 'login']]]);
    expect(
      again
        .trackerStates()
        .map((t) => `${t.target}/${t.probe}`)
        .sort(),
    ).toEqual(['local/login', 'local/ping']);
    const reply = sink.items.find((i) => i.deliveryId.endsWith(':resolved'));
    expect(reply?.message).toContain('Closed without a recovery: this target is no longer configured.');
    expect(sink.updates.at(-1)?.message).toMatch(/Closed on `old-node`/);
    expect(sink.updates.at(-1)?.alert.state).toBe('resolved');
  });
});

describe('acknowledging', () => {
  const openIncident = (extra: Partial<ConstructorParameters<typeof IncidentManager>[0]> = {}) => {
    const s = setup(extra);
    s.manager.observe(cycle(1 * MIN, false, ['ping']), 1 * MIN);
    s.manager.observe(cycle(2 * MIN, false, ['ping']), 2 * MIN);
    const incident = s.manager.openIncidents()[0];
    if (!incident) throw new Error('no incident');
    return {...s, incident};
  };
  const reminders = (sink: RecordingSink) => sink.items.filter((i) => i.deliveryId.includes(':reminder:')).length;

  it('stops reminders by default, says who and when on the root and once in the thread; again changes nothing', () => {
    const {sink, manager, incident} = openIncident({maxReminders: 10});
    const out = manager.acknowledge(incident.id, 'oncall', 5 * MIN);
    expect(out).toMatchObject({status: 'acknowledged'});
    expect(out.status === 'acknowledged' && out.root.message).toContain('Acknowledged by @oncall at');
    expect(manager.acknowledge(incident.id, 'other', 6 * MIN)).toMatchObject({status: 'already', incident: {ack: {by: 'oncall', at: 5 * MIN}}});
    for (let t = 6; t < 120; t += 5) manager.tick(t * MIN);
    expect(reminders(sink)).toBe(0);
    expect(sink.items.filter((i) => i.deliveryId === `${incident.id}:ack`)).toHaveLength(1);
    expect(manager.snapshot().open[0]?.ack).toEqual({by: 'oncall', at: 5 * MIN});
  });

  it('slows reminders when an interval is set for acknowledged incidents', () => {
    const {sink, manager, incident} = openIncident({maxReminders: 10, ackReminderIntervalMs: 60 * MIN});
    manager.acknowledge(incident.id, 'oncall', 3 * MIN);
    for (let t = 4; t <= 125; t += 1) manager.tick(t * MIN);
    expect(reminders(sink)).toBe(2);
  });

  it('knows no closed or unknown incident', () => {
    const {manager} = openIncident();
    expect(manager.acknowledge('inc_nope', 'oncall', 3 * MIN)).toEqual({status: 'unknown'});
  });
});
