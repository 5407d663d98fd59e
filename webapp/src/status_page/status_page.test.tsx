import {render, screen} from '@testing-library/react';
import type {Report} from '@contract';
import {withServices} from '../host/services';
import {fakeServices} from '../testing/fakes';
import {fixture, reportPost, serverRoutes} from '../testing/fixtures';
import StatusPage from './status_page';
import {userIncidents, userServices} from './user_services';
import {dayKeys, daysOf} from './day_strip';

const HOUR = 3_600_000;

function report(over: Partial<Report> = {}): Report {
  const base = fixture<Report>('report.v1.json');
  return {...base, ...over};
}

const probe = (name: string, state: string, uptime24h: number | null = 1) =>
  ({...fixture<Report>('report.v1.json').probes[0], probe: name, target: 'node-1', state, uptime24h, since: 1000}) as Report['probes'][number];

describe('user services', () => {
  it('groups probes into what users feel: the worst state, the lowest uptime; services without a probe run are left out', () => {
    const r = report({
      probes: [probe('login', 'ok', 0.99), probe('login_page', 'failing', 0.5), probe('post_roundtrip', 'degraded'), probe('websocket', 'ok'), probe('push', 'not_configured', null)],
      incidents: [],
    });
    const rows = userServices(r);
    expect(rows.map((s) => [s.key, s.state, s.uptime24h])).toEqual([
      ['signIn', 'outage', 0.5],
      ['messages', 'degraded', 1],
    ]);
  });

  it('takes 7 days over the time observed, not over time before the bridge was there, and words incidents by service, newest first', () => {
    const now = 8 * 24 * HOUR;
    const r = report({
      probes: [
        {...probe('login', 'ok'), uptime7d: 0.9931, observed7dMs: 3 * HOUR},
        {...probe('login_page', 'ok'), uptime7d: 1, observed7dMs: 3 * HOUR},
        {...probe('search_users', 'ok'), uptime7d: undefined, observed7dMs: undefined},
      ],
      incidents: [
        {id: 'a', target: 'node-1', probes: ['login'], openedAt: now - 10 * HOUR, resolvedAt: now - 9 * HOUR, postId: null, channelId: null},
        {id: 'b', target: 'node-1', probes: ['search_users', 'login'], openedAt: now - HOUR, resolvedAt: null, postId: 'p', channelId: 'c'},
      ],
    });
    const rows = userServices(r);
    expect(rows.find((s) => s.key === 'signIn')).toMatchObject({uptime7d: 0.9931, observed7dMs: 3 * HOUR});
    // A bridge too old to say: no figure rather than a made-up one.
    expect(rows.find((s) => s.key === 'search')?.uptime7d).toBeNull();
    expect(userIncidents(r).map((i) => i.services)).toEqual([['signIn', 'search'], ['signIn']]);
  });

  it('leaves "the server" to the admins while what users do is measured (a ping UNHEALTHY by GoroutineHealthThreshold)', () => {
    const r = report({
      probes: [probe('ping', 'failing', 0.4), probe('login', 'ok'), probe('post_roundtrip', 'ok')],
      incidents: [{id: 'g', target: 'node-1', probes: ['ping'], openedAt: 5 * HOUR, resolvedAt: null, postId: null, channelId: null}],
    });
    expect(userServices(r).map((s) => s.key)).toEqual(['signIn', 'messages']);
    expect(userIncidents(r)).toEqual([]);
    // Only the server measured: then it is what users have to go by.
    const alone = report({probes: [probe('ping', 'failing', 0.4)], incidents: r.incidents});
    expect(userServices(alone).map((s) => [s.key, s.state])).toEqual([['server', 'outage']]);
  });
});

describe('90-day strips', () => {
  it('put each hour in its day in the user time zone: a day of the spring change has 23 hours', () => {
    // 2026-03-28 00:00 UTC, 72 hours; Amsterdam moves to summer time on 2026-03-29.
    const start = Date.UTC(2026, 2, 28);
    const keys = dayKeys(start, 72, 'Europe/Amsterdam');
    const count = (d: string) => keys.filter((k) => k === d).length;
    expect(count('2026-03-28')).toBe(23);
    expect(count('2026-03-29')).toBe(23);
    expect(count('2026-03-30')).toBe(24);
    expect(keys[0]).toBe('2026-03-28');
    expect(dayKeys(start, 1, 'America/New_York')[0]).toBe('2026-03-27');
  });

  it('give a day its uptime over the minutes observed, and none to a day nobody watched', () => {
    const start = Date.UTC(2026, 2, 1);
    // Day 1 watched all day with 30 bad minutes; day 2 not at all; day 3 watched for 3 h.
    const hours = [
      ...Array.from({length: 24}, (_, i) => (i === 10 ? '8E' : '8A')),
      ...Array.from({length: 24}, () => 'AA'),
      ...Array.from({length: 3}, () => '8A'),
      ...Array.from({length: 21}, () => 'AA'),
    ].join('');
    const days = daysOf(hours, dayKeys(start, 72, 'UTC'), 90) ?? [];
    expect(days.map((d) => [d.date, d.observedMin, d.uptime])).toEqual([
      ['2026-03-01', 1440, 1 - 4 / 1440],
      ['2026-03-02', 0, null],
      ['2026-03-03', 180, 1],
    ]);
    expect(daysOf('not a strip', dayKeys(start, 72, 'UTC'))).toBeNull();
  });
});

describe('status page', () => {
  it('shows a normal user the services in plain words, never a probe, target, URL or error text', async () => {
    const r = fixture<Report>('report.v1.json');
    const services = fakeServices(serverRoutes({posts: [reportPost(r)]}), {teamName: 'healthcheck'});
    const Page = withServices(services, StatusPage);
    render(<Page />);
    const page = await screen.findByTestId('healthcheck-status-services');
    const text = (await screen.findByTestId('healthcheck-status-page')).textContent ?? '';
    expect(page.textContent).toContain('Sending and receiving messages');
    for (const p of r.probes) {
      expect(text).not.toContain(p.probe);
      if (p.error) expect(text).not.toContain(p.error);
    }
    expect(text).not.toMatch(/https?:\/\//);
  });

  it('speaks Dutch', async () => {
    const services = fakeServices(serverRoutes({posts: [reportPost(fixture('report.v1.json'))]}), {teamName: 'healthcheck', locale: 'nl'});
    const Page = withServices(services, StatusPage);
    render(<Page />);
    expect((await screen.findByTestId('healthcheck-status-services')).textContent).toContain('Berichten versturen en ontvangen');
  });

  it('says the time observed beside each figure and draws 90 bars a service (no HTML from the report)', async () => {
    const r = fixture<Report>('report.slo.v1.json');
    // A bridge started ten minutes ago: never "1 h".
    r.probes = r.probes.map((p) => (p.probe === 'login' || p.probe === 'login_page' ? {...p, observed24hMs: 10 * 60_000} : p));
    const services = fakeServices(serverRoutes({posts: [reportPost(r)]}), {teamName: 'healthcheck'});
    const Page = withServices(services, StatusPage);
    render(<Page />);
    const table = await screen.findByTestId('healthcheck-status-services');
    expect(table.textContent).toContain('over the 3 h observed');
    expect(table.querySelector('[data-service="signIn"]')?.textContent).toContain('over the 10 min observed');
    const strips = await screen.findByTestId('healthcheck-status-strips');
    const bars = strips.querySelectorAll('[data-strip="signIn"] [data-day]');
    expect(bars).toHaveLength(90);
    // The fixture's bridge is 31 days old: the older days are not observed, never shown as up.
    expect([...bars].slice(0, 50).every((b) => b.getAttribute('data-uptime') === 'none')).toBe(true);
    expect([...bars].some((b) => Number(b.getAttribute('data-uptime')) < 0.999 && b.getAttribute('data-uptime') !== 'none')).toBe(true);
    expect(strips.querySelector('[data-strip="server"]')).toBeNull();
  });
});
