import {render, screen} from '@testing-library/react';
import type {Report} from '@contract';
import {withServices} from '../host/services';
import {fakeServices} from '../testing/fakes';
import {fixture, reportPost, serverRoutes} from '../testing/fixtures';
import StatusPage from './status_page';
import {userIncidents, userServices} from './user_services';

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
    const rows = userServices(r, 10 * HOUR);
    expect(rows.map((s) => [s.key, s.state, s.uptime24h])).toEqual([
      ['signIn', 'outage', 0.5],
      ['messages', 'degraded', 1],
    ]);
  });

  it('counts 7 days of uptime from the incidents and words incidents by service, newest first', () => {
    const now = 8 * 24 * HOUR;
    const r = report({
      probes: [probe('login', 'ok'), probe('search_users', 'ok')],
      incidents: [
        {id: 'a', target: 'node-1', probes: ['login'], openedAt: now - 10 * HOUR, resolvedAt: now - 9 * HOUR, postId: null, channelId: null},
        {id: 'b', target: 'node-1', probes: ['search_users', 'login'], openedAt: now - HOUR, resolvedAt: null, postId: 'p', channelId: 'c'},
      ],
    });
    const rows = userServices(r, now);
    expect(rows.find((s) => s.key === 'signIn')?.uptime7d).toBeCloseTo(1 - 2 / 168, 6);
    expect(userIncidents(r).map((i) => i.services)).toEqual([['signIn', 'search'], ['signIn']]);
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
});
