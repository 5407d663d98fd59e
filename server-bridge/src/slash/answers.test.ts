import {helpAnswer, historyAnswer, statusAnswer, type ProbeRow} from './answers';

const MIN = 60_000;
const incident = {id: 'inc_local_0', target: 'local', probes: ['ping', 'login'], openedAt: 0, resolvedAt: null, rootDeliveryId: 'inc_local_0:root', remindersSent: 0, lastReminderAt: null};

describe('answers', () => {
  const row = (probe: string, state: ProbeRow['state'], extra: Partial<ProbeRow> = {}): ProbeRow => ({
    probe,
    target: 'local',
    state,
    durationMs: 4,
    startedAt: 11 * MIN,
    uptime24h: 1,
    runs24h: 10,
    failures24h: 0,
    error: undefined,
    ...extra,
  });

  it("status: the ping probe's latest run (not a ping made now), failing probes with their reason, open incidents with a link, mutes", () => {
    const text = statusAnswer({
      siteUrl: 'https://chat.example.com',
      probes: [row('ping', 'failing', {durationMs: 1500.4, uptime24h: 0.5, error: 'connect `ECONNREFUSED`', serverVersion: '10.12.0'}), row('login', 'degraded', {durationMs: 2300})],
      incidents: [{...incident, postId: 'post0000000000000000000000'}],
      mutes: [{id: 'm', probe: 'login', from: 0, until: 90 * MIN, by: 'admin'}],
      now: 12 * MIN,
    });
    expect(text).toContain('Server ping: 🔴 failing · last run 1 min ago (1500 ms) · Mattermost 10.12.0');
    expect(text).toContain('| ping | 🔴 failing | 1500 ms | 50.00 % |');
    expect(text).toContain('| login | ⚠️ degraded | 2300 ms | 100 % |');
    expect(text).toContain("- **ping**: `connect 'ECONNREFUSED'`");
    expect(text).toContain('- **ping**, **login** on `local` since 1970-01-01 00:00 UTC (12 min) · [thread](https://chat.example.com/_redirect/pl/post0000000000000000000000)');
    expect(text).toContain('🔇 Alerts muted for **login** until 1970-01-01 01:30 UTC (1 h 18 min left, by @admin)');
  });

  it('status: the ping line says how long ago, the version, or why there is none', () => {
    const view = (probes: ProbeRow[]) => statusAnswer({siteUrl: 'x', probes, incidents: [], mutes: [], now: 12 * MIN});
    expect(view([row('ping', 'ok', {durationMs: 3.6, startedAt: 12 * MIN - 42_000, serverVersion: '10.12.0'})])).toContain('Server ping: **OK** in 4 ms, 42 s ago · Mattermost 10.12.0\n');
    expect(view([row('ping', 'unknown', {durationMs: null, startedAt: null})])).toContain('Server ping: no result yet');
    expect(view([row('login', 'ok')])).toContain('Server ping: not probed (the ping probe is off)');
    expect(view([])).toContain('No probe results yet.');
  });

  it('status over several targets: healthy ones counted, one line per target in trouble, failing first, no per-probe table', () => {
    const at = (target: string, probe: string, state: ProbeRow['state'], extra: Partial<ProbeRow> = {}) => row(probe, state, {target, ...extra});
    const rows = [
      ...['a', 'b', 'c'].flatMap((t) => [at(t, 'ping', 'ok'), at(t, 'login', 'ok')]),
      at('slow', 'ping', 'ok'),
      at('slow', 'login', 'degraded', {durationMs: 2300.2}),
      at('down', 'ping', 'failing', {error: 'connect ECONNREFUSED', runs24h: 10, failures24h: 5}),
      at('down', 'login', 'failing', {error: 'login: HTTP 502', runs24h: 10, failures24h: 5}),
      at('new', 'ping', 'unknown', {durationMs: null, startedAt: null, runs24h: 0}),
    ];
    const text = statusAnswer({siteUrl: 'x', probes: rows, incidents: [], mutes: [], now: 12 * MIN});
    expect(text.split('\n')).toEqual([
      '#### Mattermost health',
      '**3 targets OK** of 6 · 🔴 2 in trouble · 1 target without results yet',
      '- 🔴 `down`: **ping** failing: `connect ECONNREFUSED` (+1 more) · 50.00 % up in 24 h',
      '- ⚠️ `slow`: **login** degraded, 2300 ms · 100 % up in 24 h',
      '',
      'Open incidents: none',
    ]);
    const healthy = statusAnswer({siteUrl: 'x', probes: rows.slice(0, 6), incidents: [], mutes: [], now: 0});
    expect(healthy).toContain('✅ **3 targets OK** of 3\n');
  });

  it('status over 50 targets stays short: at most 10 lines of trouble and a count of the rest', () => {
    const rows = Array.from({length: 50}, (_, i) => row('ping', i < 13 ? 'failing' : 'ok', {target: `t${i}`, error: i < 13 ? 'timed out' : undefined}));
    const text = statusAnswer({siteUrl: 'x', probes: rows, incidents: [], mutes: [], now: 0});
    expect(text).toContain('**37 targets OK** of 50 · 🔴 13 in trouble');
    expect(text.match(/^- 🔴/gm)).toHaveLength(10);
    expect(text).toContain('- and 3 more targets in trouble');
    expect(text.split('\n').length).toBeLessThan(20);
  });

  it('status: a target name that is Markdown stays inert', () => {
    const rows = [row('ping', 'ok'), row('ping', 'failing', {target: '@all [x](http://e.vil) `', error: 'e'})];
    expect(statusAnswer({siteUrl: 'x', probes: rows, incidents: [], mutes: [], now: 0})).toContain("`@all [x](http://e.vil) '`: **ping** failing");
  });

  it('history: marks of the last runs, the runs of one probe, recent incidents', () => {
    const runs = [
      {
        probe: 'ping',
        target: 'local',
        recent: [
          {at: 0, ok: true, durationMs: 3},
          {at: MIN, ok: false, durationMs: 800, error: 'timed out'},
        ],
      },
    ];
    const all = historyAnswer(null, runs, [{...incident, resolvedAt: 12 * MIN}]);
    expect(all).toContain('**ping** (local): ✅🔴');
    expect(all).toContain('- ping, login on `local`: 1970-01-01 00:00 UTC, resolved after 12 min');
    const one = historyAnswer('ping', runs, []);
    expect(one).toContain('- 1970-01-01 00:01 UTC · failed · 800 ms · `timed out`');
    expect(one).toContain('No recent incidents.');
  });

  it('help: every subcommand, and the problem first when there is one', () => {
    const text = helpAnswer('healthcheck', 'unknown subcommand "x"');
    expect(text.split('\n')[0]).toBe('⚠️ unknown subcommand "x"');
    for (const sub of ['status', 'history [probe]', 'run', 'mute <duration> [probe]', 'unmute', 'help']) expect(text).toContain(`/healthcheck ${sub}`);
  });

  it('several bridges: lists those reporting (the leader marked) and warns of a silent one', () => {
    const text = statusAnswer({
      siteUrl: 'x',
      probes: [],
      incidents: [],
      mutes: [],
      now: 0,
      bridges: [
        {instance: 'bridge-a', seenAgoS: 2, leader: true, silent: false},
        {instance: 'bridge-b', seenAgoS: 3, leader: false, silent: false},
        {instance: 'bridge-c', seenAgoS: 600, leader: false, silent: true},
      ],
    });
    expect(text).toContain('Bridges reporting: `bridge-a` (leader), `bridge-b`');
    expect(text).toMatch(/Bridge `bridge-c` silent for 10 min/);
  });
});
