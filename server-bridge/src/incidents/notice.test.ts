import type {ProbeResult} from '../probes/types';
import {DEFAULT_INCIDENT_SETTINGS, IncidentManager, type AlertOutbox} from './incidents';
import {noticeOf} from './notice';

const MIN = 60_000;
const sink: AlertOutbox = {enqueue: (item) => item.deliveryId ?? 'd', update: () => undefined, postIdOf: () => null};
const result = (probe: string, at: number, ok: boolean, target = 'local'): ProbeResult => ({probe, target, ok, durationMs: 12, startedAt: at, checks: [], ...(ok ? {} : {error: 'refused'})});

/** The notice a manager's state gives, as the incident service computes it. */
const noticeFrom = (m: IncidentManager, now: number) =>
  noticeOf(
    m.openIncidents(),
    (p) => m.isMuted(p, now),
    (p, t) => m.trackerOf(p, t)?.state,
  );

describe('the degraded-service notice', () => {
  it('is there while an incident is open, gone while it is muted and once it resolves', () => {
    const m = new IncidentManager({...DEFAULT_INCIDENT_SETTINGS, opsChannelId: 'ops'}, sink);
    const at = 1_764_496_920_000;
    m.observe([result('post_roundtrip', at, false), result('cluster', at, false)], at);
    expect(noticeFrom(m, at)).toBeNull();
    m.observe([result('post_roundtrip', at + MIN, false), result('cluster', at + MIN, false)], at + MIN);
    // cluster is no service users feel; post_roundtrip is "messages", failing: down.
    expect(noticeFrom(m, at + MIN)).toEqual({services: [{key: 'messages', down: true}], since: m.openIncidents()[0]?.openedAt});
    m.mute('post_roundtrip', 60 * MIN, 'admin', at + MIN);
    expect(noticeFrom(m, at + 2 * MIN)).toBeNull();
    // The mute ends by itself: the notice is back.
    expect(noticeFrom(m, at + 62 * MIN)).not.toBeNull();
    m.unmute('admin', at + 3 * MIN);
    expect(noticeFrom(m, at + 3 * MIN)).not.toBeNull();
    m.observe([result('post_roundtrip', at + 4 * MIN, true), result('cluster', at + 4 * MIN, true)], at + 4 * MIN);
    m.observe([result('post_roundtrip', at + 5 * MIN, true), result('cluster', at + 5 * MIN, true)], at + 5 * MIN);
    expect(m.openIncidents()).toEqual([]);
    expect(noticeFrom(m, at + 5 * MIN)).toBeNull();
  });

  it('a global mute silences every service', () => {
    const m = new IncidentManager({...DEFAULT_INCIDENT_SETTINGS, opsChannelId: 'ops'}, sink);
    for (const t of [0, MIN]) m.observe([result('login', t, false), result('search_users', t, false)], t);
    expect(noticeFrom(m, MIN)?.services.map((s) => s.key)).toEqual(['signIn', 'search']);
    m.mute(null, 60 * MIN, 'admin', MIN);
    expect(noticeFrom(m, 2 * MIN)).toBeNull();
  });

  it('says slow for a degraded probe, down for a failing one, since the earliest incident, in whole seconds', () => {
    const open = [
      {target: 'a', probes: ['login', 'search_users'], openedAt: 5_000_700},
      {target: 'b', probes: ['search_channels', 'ping'], openedAt: 9_000_000},
    ];
    const states: Record<string, 'degraded' | 'failing'> = {'a/login': 'degraded', 'a/search_users': 'degraded', 'b/search_channels': 'failing', 'b/ping': 'degraded'};
    expect(
      noticeOf(
        open,
        () => false,
        (p, t) => states[`${t}/${p}`],
      ),
    ).toEqual({
      services: [
        {key: 'signIn', down: false},
        {key: 'search', down: true},
        {key: 'server', down: false},
      ],
      since: 5_000_000,
    });
    // Only the later incident's probes unmuted: it sets the time.
    expect(
      noticeOf(
        open,
        (p) => p === 'login' || p === 'search_users',
        (p, t) => states[`${t}/${p}`],
      )?.since,
    ).toBe(9_000_000);
  });

  it("tells users nothing of the server's own health while signing in and posting work (GoroutineHealthThreshold)", () => {
    const m = new IncidentManager({...DEFAULT_INCIDENT_SETTINGS, opsChannelId: 'ops'}, sink);
    const at = 1_764_496_920_000;
    for (const t of [at, at + MIN]) m.observe([result('ping', t, false), result('login', t, true), result('post_roundtrip', t, true)], t);
    expect(m.openIncidents().map((i) => i.probes)).toEqual([['ping']]);
    expect(noticeFrom(m, at + MIN)).toBeNull();
    // Nothing users do works either: now the server is what they feel.
    for (const t of [at + 2 * MIN, at + 3 * MIN]) m.observe([result('ping', t, false), result('login', t, false), result('post_roundtrip', t, false)], t);
    expect(noticeFrom(m, at + 3 * MIN)?.services).toEqual([
      {key: 'signIn', down: true},
      {key: 'messages', down: true},
      {key: 'server', down: true},
    ]);
  });
});
