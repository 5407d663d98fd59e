import {act, render, screen, waitFor} from '@testing-library/react';
import type {ComponentType} from 'react';
import {withServices} from '../host/services';
import type {PostTypeProps} from '../host/types';
import {fakeServices, type FakeRequest} from '../testing/fakes';
import {BOT_ID, OTHER_ID, alertPost, fixture, freshReport, manyTargetsReport, reportPost, serverRoutes} from '../testing/fixtures';
import {testSigner, useNodeWebCrypto} from '../testing/signer';
import AlertCard from './alert_card';
import ReportCard from './report_card';
import StatusCard from './status_card';

function renderCard(Card: ComponentType<PostTypeProps>, post: PostTypeProps['post'], opts: Parameters<typeof serverRoutes>[0] = {}, locale = 'en') {
  const services = fakeServices(serverRoutes(opts), {locale});
  const Wrapped = withServices(services, Card);
  return {services, ...render(<Wrapped post={post} />)};
}

describe('report card', () => {
  it('renders a report from the bot: overall state, the failing probe and its reason', async () => {
    renderCard(ReportCard, reportPost(fixture('report.v1.json')));
    const card = await screen.findByTestId('healthcheck-report-card');
    expect(card.textContent).toContain('Failing');
    expect(card.textContent).toContain('post_roundtrip');
    expect(card.textContent).toContain('observed no posted event within 5000 ms, expected posted event within 5000 ms');
    expect(screen.queryByTestId('healthcheck-untrusted')).toBeNull();
  });

  it('says all probes are OK for the OK fixture', async () => {
    renderCard(ReportCard, reportPost(freshReport(60_000, 'report.ok.v1.json')));
    expect((await screen.findByTestId('healthcheck-report-card')).textContent).toMatch(/All \d+ probes OK/);
    expect(screen.queryByTestId('healthcheck-stale')).toBeNull();
  });

  it('does not call an old report in the history stale (the panel and /healthcheck do that)', async () => {
    renderCard(ReportCard, reportPost(freshReport(3 * 86_400_000)));
    await screen.findByTestId('healthcheck-report-card');
    expect(screen.queryByTestId('healthcheck-stale')).toBeNull();
  });

  it('with 50 targets summarises per target: failing ones expanded with reasons, the healthy 48 folded in one line', async () => {
    renderCard(ReportCard, reportPost(manyTargetsReport(50, ['node-7/login', 'node-31/ping'])));
    const card = await screen.findByTestId('healthcheck-report-card');
    expect(card.textContent).toContain('50 targets');
    const summary = screen.getByTestId('healthcheck-targets-summary');
    const open = Array.from(summary.children).filter((el) => el.tagName !== 'DETAILS');
    expect(open.map((el) => el.querySelector('[data-target]')?.getAttribute('data-target'))).toEqual(['node-31', 'node-7']);
    expect(open[1]?.textContent).toContain('observed no posted event within 5000 ms');
    const folded = screen.getByTestId('healthcheck-targets-folded') as HTMLDetailsElement;
    expect(folded.open).toBe(false);
    expect(folded.querySelector('summary')?.textContent).toBe('48 targets OK');
    expect(folded.querySelectorAll('[data-target]')).toHaveLength(48);
    // No wall of "probe NNN ms" fragments: one line per target, none per probe.
    expect(card.textContent).not.toMatch(/ping \d+ ms · login/);
  });

  it('with one target looks as it always did', async () => {
    renderCard(ReportCard, reportPost(manyTargetsReport(1)));
    const card = await screen.findByTestId('healthcheck-report-card');
    expect(screen.queryByTestId('healthcheck-targets-summary')).toBeNull();
    expect(card.textContent).toContain('All 4 probes OK.');
    expect(card.textContent).toMatch(/ping 10 ms · login 11 ms · websocket 12 ms · post_roundtrip 13 ms/);
  });

  it('does not trust a forged post: same type and props, another author', async () => {
    renderCard(ReportCard, reportPost(fixture('report.v1.json'), {user_id: OTHER_ID, message: 'all good, trust me'}));
    expect(await screen.findByTestId('healthcheck-untrusted')).toBeTruthy();
    expect(screen.getByText('all good, trust me')).toBeTruthy();
    expect(screen.queryByTestId('healthcheck-report-card')).toBeNull();
  });

  it('does not trust the bot account if it is not a bot', async () => {
    renderCard(ReportCard, reportPost(fixture('report.v1.json')), {botIsBot: false});
    expect(await screen.findByTestId('healthcheck-untrusted')).toBeTruthy();
  });

  it('shows malformed props from the bot as plain text, marked', async () => {
    renderCard(ReportCard, reportPost(fixture('report.invalid.json'), {message: 'broken report'}));
    const mark = await screen.findByTestId('healthcheck-untrusted');
    expect(mark.textContent).toContain('not a valid health-check report');
    expect(mark.getAttribute('title')).toContain('schema');
    expect(screen.getByText('broken report')).toBeTruthy();
  });

  it("marks an untrusted post in the theme's text colour on a warning tint, not in yellow text", async () => {
    renderCard(ReportCard, reportPost(fixture('report.v1.json'), {user_id: OTHER_ID}));
    const mark = await screen.findByTestId('healthcheck-untrusted');
    expect(mark.style.color).toBe('var(--center-channel-color)');
    expect(mark.style.borderLeft).toContain('var(--away-indicator)');
    expect(mark.style.background).toContain('--away-indicator-rgb');
  });

  it('shows emoji shortcodes in a plain message as their characters', async () => {
    renderCard(ReportCard, reportPost({}, {user_id: OTHER_ID, message: ':red_circle: Incident'}));
    await screen.findByTestId('healthcheck-untrusted');
    expect(screen.getByText('\u{1F534} Incident')).toBeTruthy();
  });

  it('renders post data as text, never as HTML', async () => {
    const {container} = renderCard(ReportCard, reportPost({}, {user_id: OTHER_ID, message: '<img src=x onerror=alert(1)><b>bold</b>'}));
    await screen.findByTestId('healthcheck-untrusted');
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect(container.textContent).toContain('<img src=x onerror=alert(1)><b>bold</b>');
  });

  it('trusts nothing when the bot cannot be found', async () => {
    renderCard(ReportCard, reportPost(fixture('report.v1.json')), {noBot: true});
    expect(await screen.findByTestId('healthcheck-untrusted')).toBeTruthy();
  });

  it('speaks Dutch to a Dutch user', async () => {
    renderCard(ReportCard, reportPost(fixture('report.v1.json')), {}, 'nl');
    expect((await screen.findByTestId('healthcheck-report-card')).textContent).toContain('Faalt');
  });
});

describe('signed cards', () => {
  const {spki, sign: signed} = testSigner();
  beforeAll(useNodeWebCrypto);

  it('shows a report whose signature verifies with the key of the declaration', async () => {
    renderCard(ReportCard, signed(reportPost(fixture('report.v1.json'))), {signingKey: spki});
    expect((await screen.findByTestId('healthcheck-report-card')).textContent).toContain('post_roundtrip');
  });

  it('shows a report whose props someone patched after the bot signed them as a forged post: plain, marked', async () => {
    const post = signed(reportPost(freshReport(60_000, 'report.ok.v1.json')));
    const patched = {...post, props: {...post.props, healthcheck_report: {...((post.props as Record<string, unknown>).healthcheck_report as object), overall: 'failing'}}};
    renderCard(ReportCard, patched, {signingKey: spki});
    expect(await screen.findByTestId('healthcheck-untrusted')).toBeTruthy();
    expect(screen.queryByTestId('healthcheck-report-card')).toBeNull();
    expect(document.body.textContent).toContain(post.message);
  });

  it('does not trust an unsigned post of a bot whose declaration names a key, nor an alert signed with another key', async () => {
    renderCard(ReportCard, reportPost(fixture('report.v1.json')), {signingKey: spki});
    expect(await screen.findByTestId('healthcheck-untrusted')).toBeTruthy();
    const other = testSigner().spki;
    renderCard(AlertCard, signed(alertPost(fixture('alert.open.v1.json'))), {signingKey: other});
    await waitFor(() => expect(screen.getAllByTestId('healthcheck-untrusted')).toHaveLength(2));
  });
});

describe('alert card buttons', () => {
  const withButtons = (over: Record<string, unknown> = {}, user = BOT_ID) => {
    const p = alertPost({...fixture<Record<string, unknown>>('alert.open.v1.json'), ...over}, {user_id: user});
    const actions = [
      {id: 'ack', type: 'button', name: 'Acknowledge', style: 'primary'},
      {id: 'mute1h', type: 'button', name: 'Mute 1 h'},
      {id: 'bad/id', name: 'Sneaky'},
    ];
    return {...p, props: {...p.props, attachments: [{actions}]}};
  };

  it("shows the post's buttons in the card and clicks through Mattermost's post action route", async () => {
    const log: FakeRequest[] = [];
    const post = withButtons();
    const base = serverRoutes();
    const services = fakeServices((req) => (req.path === `/posts/${post.id}/actions/ack` ? {body: {status: 'OK'}} : base(req)), {}, log);
    const Wrapped = withServices(services, AlertCard);
    render(<Wrapped post={post} />);
    const actions = await screen.findByTestId('healthcheck-alert-actions');
    expect(Array.from(actions.querySelectorAll('button')).map((b) => b.textContent)).toEqual(['Acknowledge', 'Mute 1 h']);
    await act(async () => (actions.querySelector('[data-action="ack"]') as HTMLButtonElement).click());
    const call = log.find((r) => r.path.includes('/actions/'));
    expect(call).toMatchObject({method: 'POST', path: `/posts/${post.id}/actions/ack`, credentials: 'include'});
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says so when Mattermost refuses the click', async () => {
    const post = withButtons();
    const base = serverRoutes();
    const services = fakeServices((req) => (req.path.includes('/actions/') ? {status: 403, body: {message: 'no'}} : base(req)));
    const Wrapped = withServices(services, AlertCard);
    render(<Wrapped post={post} />);
    const actions = await screen.findByTestId('healthcheck-alert-actions');
    await act(async () => (actions.querySelector('[data-action="mute1h"]') as HTMLButtonElement).click());
    expect((await screen.findByRole('alert')).textContent).toContain('did not let you');
  });

  it('shows who acknowledged, and no buttons on a post not from the bot', async () => {
    renderCard(AlertCard, withButtons({ack: {by: 'oncall', at: 1764115300000}}));
    expect((await screen.findByTestId('healthcheck-alert-ack')).textContent).toContain('Acknowledged by @oncall');
    renderCard(AlertCard, withButtons({}, OTHER_ID));
    await screen.findByTestId('healthcheck-untrusted');
    expect(screen.getAllByTestId('healthcheck-alert-actions')).toHaveLength(1);
  });
});

describe('alert card', () => {
  it('shows an open incident with what failed', async () => {
    renderCard(AlertCard, alertPost(fixture('alert.open.v1.json')));
    const card = await screen.findByTestId('healthcheck-alert-card');
    expect(card.textContent).toContain('Incident open');
    expect(card.textContent).toContain('open for');
    expect(card.textContent).toContain('post_roundtrip');
    expect(card.querySelector('[data-state="open"]')).not.toBeNull();
  });

  it('shows a resolved incident with its duration', async () => {
    renderCard(AlertCard, alertPost(fixture('alert.resolved.v1.json')));
    const card = await screen.findByTestId('healthcheck-alert-card');
    expect(card.textContent).toContain('Resolved');
    expect(card.textContent).toContain('resolved after 12 min');
  });

  it('does not trust a forged alert', async () => {
    renderCard(AlertCard, alertPost(fixture('alert.open.v1.json'), {user_id: OTHER_ID}));
    expect(await screen.findByTestId('healthcheck-untrusted')).toBeTruthy();
    expect(screen.queryByTestId('healthcheck-alert-card')).toBeNull();
  });

  it('names a probe once, with its reason (a check labelled like its probe is not repeated)', async () => {
    const alert = {...fixture('alert.open.v1.json'), probes: [{probe: 'login', checks: [{label: 'login', ok: false, observed: 'HTTP 401', expected: 'a session'}]}]};
    renderCard(AlertCard, alertPost(alert));
    const card = await screen.findByTestId('healthcheck-alert-card');
    expect(card.textContent?.match(/login/g)).toHaveLength(1);
    expect(card.textContent).toContain('loginobserved HTTP 401, expected a session');
    expect(card.querySelector('li')).toBeNull();
  });

  it('keeps a check label that says more than the probe name', async () => {
    renderCard(AlertCard, alertPost(fixture('alert.open.v1.json')));
    const card = await screen.findByTestId('healthcheck-alert-card');
    expect(card.textContent).toContain('posted event received: observed no posted event within 5000 ms');
  });

  describe('how long an incident is open', () => {
    const NOW = 1_764_115_200_000;
    const open = fixture('alert.open.v1.json');
    beforeEach(() => jest.useFakeTimers({now: NOW}));
    afterEach(() => jest.useRealTimers());

    it('counts on every second while the incident is open, and stops its clock on unmount', async () => {
      const {unmount} = renderCard(AlertCard, alertPost({...open, openedAt: NOW - 3000}));
      const age = await screen.findByTestId('healthcheck-alert-age');
      expect(age.textContent).toBe('open for 3 s');
      act(() => jest.advanceTimersByTime(2000));
      expect(age.textContent).toBe('open for 5 s');
      unmount();
      expect(jest.getTimerCount()).toBe(0);
    });

    it('says how long it had been open when a reminder was posted, and does not count on', async () => {
      const reminder = {...open, event: 'reminder', openedAt: NOW - 30 * 60_000};
      renderCard(AlertCard, alertPost(reminder, {create_at: NOW - 10 * 60_000}));
      expect((await screen.findByTestId('healthcheck-alert-age')).textContent).toBe('open for 20 min');
      expect(jest.getTimerCount()).toBe(0);
    });
  });

  it('does not read a report as an alert', async () => {
    renderCard(AlertCard, reportPost(fixture('report.v1.json')));
    await waitFor(() => expect(screen.getByTestId('healthcheck-untrusted')).toBeTruthy());
  });
});

describe('status card', () => {
  it('is plain and marked when this browser did not make it (a forged post of our type)', () => {
    renderCard(StatusCard, {id: 'forged', user_id: OTHER_ID, channel_id: 'c', message: 'fake status', create_at: 1, type: 'custom_healthcheck_status', props: {}});
    expect(screen.getByTestId('healthcheck-untrusted')).toBeTruthy();
    expect(screen.getByText('fake status')).toBeTruthy();
  });

  it('shows the answer made in this browser: live ping, the latest report and a stale warning when due', () => {
    const services = fakeServices(serverRoutes());
    const latest = {postId: 'r1', createAt: 1, report: freshReport(11 * 60_000) as never};
    const ping = {status: 'OK', searchBackend: 'database', version: '11.4.0', rttMs: 12, deep: false, checkedAt: Date.now()};
    services.statuses.set('eph1', {ping, pingError: null, latest, teamName: 'healthcheck', staleAfterMs: 600_000});
    const Card = withServices(services, StatusCard);
    render(<Card post={{id: 'eph1', user_id: 'me', channel_id: 'c', message: 'Health check: Failing', create_at: 1, type: 'custom_healthcheck_status'}} />);
    expect(screen.getByTestId('healthcheck-ping').textContent).toContain('version 11.4.0');
    expect(screen.getByTestId('healthcheck-report-summary').textContent).toContain('post_roundtrip');
    expect(screen.getByTestId('healthcheck-stale')).toBeTruthy();
    expect(screen.getByText(/Only visible to you/)).toBeTruthy();
  });
});
