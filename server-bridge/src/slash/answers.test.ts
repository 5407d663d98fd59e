import {helpAnswer, historyAnswer, statusAnswer} from './answers';

const MIN = 60_000;
const incident = {id: 'inc_local_0', target: 'local', probes: ['ping', 'login'], openedAt: 0, resolvedAt: null, rootDeliveryId: 'inc_local_0:root', remindersSent: 0, lastReminderAt: null};

describe('answers', () => {
  it('status: a failed live ping, failing probes with their reason, open incidents with a link, mutes', () => {
    const text = statusAnswer({
      siteUrl: 'https://chat.example.com',
      ping: {ok: false, ms: 1500.4, detail: 'GET /system/ping failed: timed out'},
      probes: [
        {probe: 'ping', target: 'local', state: 'failing', durationMs: null, uptime24h: 0.5, error: 'connect `ECONNREFUSED`'},
        {probe: 'login', target: 'local', state: 'degraded', durationMs: 2300, uptime24h: 1, error: undefined},
      ],
      incidents: [{...incident, postId: 'post0000000000000000000000'}],
      mutes: [{id: 'm', probe: 'login', from: 0, until: 90 * MIN, by: 'admin'}],
      now: 12 * MIN,
    });
    expect(text).toContain('Server ping now: :red_circle: **GET /system/ping failed: timed out** (after 1500 ms)');
    expect(text).toContain('| ping | :red_circle: failing | – | 50.00 % |');
    expect(text).toContain('| login | :warning: degraded | 2300 ms | 100 % |');
    expect(text).toContain("- **ping**: `connect 'ECONNREFUSED'`");
    expect(text).toContain('- **ping**, **login** on `local` since 1970-01-01 00:00 UTC (12 min) · [thread](https://chat.example.com/_redirect/pl/post0000000000000000000000)');
    expect(text).toContain(':mute: Alerts muted for **login** until 1970-01-01 01:30 UTC (1 h 18 min left, by @admin)');
  });

  it('status: names the target when there are several, says when nothing ran yet', () => {
    const many = statusAnswer({siteUrl: 'x', ping: {ok: true, ms: 2, detail: 'OK'}, probes: [{probe: 'ping', target: 'a', state: 'ok', durationMs: 1, uptime24h: null, error: undefined}, {probe: 'ping', target: 'b', state: 'unknown', durationMs: null, uptime24h: null, error: undefined}], incidents: [], mutes: [], now: 0});
    expect(many).toContain('| ping (a) |');
    expect(many).toContain('| ping (b) | :grey_question: unknown | – | – |');
    expect(statusAnswer({siteUrl: 'x', ping: {ok: true, ms: 2, detail: 'OK'}, probes: [], incidents: [], mutes: [], now: 0})).toContain('No probe results yet.');
  });

  it('history: marks of the last runs, the runs of one probe, recent incidents', () => {
    const runs = [{probe: 'ping', target: 'local', recent: [{at: 0, ok: true, durationMs: 3}, {at: MIN, ok: false, durationMs: 800, error: 'timed out'}]}];
    const all = historyAnswer(null, runs, [{...incident, resolvedAt: 12 * MIN}]);
    expect(all).toContain('**ping** (local): :white_check_mark::red_circle:');
    expect(all).toContain('- ping, login on `local`: 1970-01-01 00:00 UTC, resolved after 12 min');
    const one = historyAnswer('ping', runs, []);
    expect(one).toContain('- 1970-01-01 00:01 UTC · failed · 800 ms · `timed out`');
    expect(one).toContain('No recent incidents.');
  });

  it('help: every subcommand, and the problem first when there is one', () => {
    const text = helpAnswer('healthcheck', 'unknown subcommand "x"');
    expect(text.split('\n')[0]).toBe(':warning: unknown subcommand "x"');
    for (const sub of ['status', 'history [probe]', 'run', 'mute <duration> [probe]', 'unmute', 'help']) expect(text).toContain(`/healthcheck ${sub}`);
  });
});
