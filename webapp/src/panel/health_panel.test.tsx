import {act, cleanup, fireEvent, render, screen, waitFor} from '@testing-library/react';
import {withServices} from '../host/services';
import type {AdminSettingProps} from '../host/types';
import {fakeServices, type FakeRequest, type Route} from '../testing/fakes';
import {LOG_CHANNEL_ID, OTHER_ID, fixture, freshReport, manyTargetsReport, reportPost, serverRoutes} from '../testing/fixtures';
import {formatIncidentAge} from '../format';
import {translator} from '../i18n/translate';
import HealthPanel from './health_panel';

// uPlot needs canvas and matchMedia, which jsdom lacks: the chart is tested in the browser tests.
jest.mock('../chart/latency_chart', () => ({
  __esModule: true,
  default: ({label}: {label: string}) => <div data-testid='healthcheck-chart'>{label}</div>,
}));
jest.mock('../chart/budget_chart', () => ({
  __esModule: true,
  default: ({label}: {label: string}) => <div data-testid='healthcheck-budget-chart'>{label}</div>,
}));

function renderPanel(route: Route, config?: unknown, log: FakeRequest[] = [], store: {noCurrentTeam?: boolean} = {}) {
  const services = fakeServices(route, store, log);
  const Panel = withServices(services, HealthPanel);
  const props: AdminSettingProps = {id: 'HealthPanel', config};
  return {services, log, ...render(<Panel {...props} />)};
}

const adminConfig = (threshold: number, heartbeat?: number) => ({
  ServiceSettings: {GoroutineHealthThreshold: threshold},
  PluginSettings: {Plugins: {'mattermost-healthcheck': heartbeat ? {heartbeatminutes: heartbeat} : {}}},
});

describe('health panel', () => {
  it('shows its loading states while the server has not answered', () => {
    renderPanel(() => new Promise(() => undefined));
    expect(screen.getByTestId('healthcheck-report-loading')).toBeTruthy();
    expect(screen.getByText('Pinging the server…')).toBeTruthy();
  });

  it('shows the live ping: status, search backend, version, round trip, threshold', async () => {
    renderPanel(serverRoutes({posts: []}), adminConfig(5000));
    const line = await screen.findByTestId('healthcheck-ping');
    expect(line.textContent).toContain('Server OK');
    expect(line.textContent).toContain('search: database');
    expect(line.textContent).toContain('version 11.4.0');
    expect(line.textContent).toMatch(/round trip \d/);
    expect(line.textContent).not.toContain('Database');
    expect(screen.getByText('Goroutine health threshold: 5000.')).toBeTruthy();
  });

  it('runs the deep check only when asked', async () => {
    const {log} = renderPanel(serverRoutes({posts: []}));
    await screen.findByTestId('healthcheck-ping');
    expect(log.filter((r) => r.path === '/system/ping').every((r) => !r.query.has('get_server_status'))).toBe(true);
    fireEvent.click(screen.getByText('Deep check'));
    await waitFor(() => expect(screen.getByTestId('healthcheck-ping').textContent).toContain('Database OK'));
    expect(screen.getByTestId('healthcheck-ping').textContent).toContain('File store OK');
    expect(log.filter((r) => r.query.get('get_server_status') === 'true')).toHaveLength(1);
  });

  it('explains UNHEALTHY with the goroutine threshold', async () => {
    renderPanel(serverRoutes({posts: [], pingStatus: 'UNHEALTHY'}), adminConfig(10));
    expect((await screen.findByTestId('healthcheck-unhealthy')).textContent).toContain('at least 10 goroutines');
  });

  it('says when the server cannot be reached', async () => {
    renderPanel(() => ({status: 502, body: {message: 'bad gateway'}}));
    expect((await screen.findAllByRole('alert')).map((e) => e.textContent).join(' ')).toContain('did not answer the ping');
  });

  it('has an empty state with "Run probes now" when the bot has not reported yet', async () => {
    const {log} = renderPanel(serverRoutes({posts: []}));
    const empty = await screen.findByTestId('healthcheck-report-empty');
    expect(empty.textContent).toContain('No report from @healthcheck-bot in ~healthcheck-log yet');
    fireEvent.click(screen.getByTestId('healthcheck-run-now'));
    await waitFor(() => expect(log.some((r) => r.path === '/commands/execute')).toBe(true));
    expect(log.find((r) => r.path === '/commands/execute')).toMatchObject({method: 'POST', body: {command: '/healthcheck run', channel_id: LOG_CHANNEL_ID}});
  });

  it('shows the objectives: target, attained with the time observed, budget left, burn rates, the open alert and a budget chart each', async () => {
    renderPanel(serverRoutes({posts: [reportPost(freshReport(60_000, 'report.slo.v1.json'))]}));
    const table = await screen.findByTestId('healthcheck-slos');
    const row = (name: string) => table.querySelector(`tr[data-slo="${name}"]`) as HTMLElement;
    expect(row('log-in').textContent).toContain('99.50 %');
    expect(row('log-in').textContent).toContain('99.91 %');
    expect(row('log-in').textContent).toContain('over the 28 days observed');
    expect(row('log-in').textContent).toContain('82.0 %');
    expect(row('post-and-receive').getAttribute('data-alert')).toBe('page');
    expect(row('post-and-receive').textContent).toContain('-36.0 %');
    expect(row('post-and-receive').textContent).toContain('Burning fast (page)');
    expect(row('post-and-receive').textContent).toContain('1h 20');
    expect(row('post-latency').textContent).toContain('no runs yet');
    expect(row('post-latency').textContent).toContain('runs under 2000 ms');
    expect(await screen.findAllByTestId('healthcheck-budget-chart')).toHaveLength(4);
  });

  it('shows what the bridge answered to "Run probes now", and says so when /healthcheck is not registered', async () => {
    const routes = serverRoutes({posts: [reportPost(freshReport())]});
    let registered = true;
    renderPanel((req) =>
      req.path === '/commands/execute' ? (registered ? {body: {text: 'Running every probe now.'}} : {status: 404, body: {message: 'Command with a trigger of healthcheck not found.'}}) : routes(req),
    );
    fireEvent.click(await screen.findByTestId('healthcheck-run-now'));
    expect(await screen.findByText('Running every probe now.')).toBeTruthy();
    registered = false;
    fireEvent.click(screen.getByTestId('healthcheck-run-now'));
    expect((await screen.findByText(/not registered in this team/)).textContent).toContain('Could not run the probes');
  });

  it("replaces the bridge's answer once the report of the run has arrived", async () => {
    const routes = serverRoutes({posts: [reportPost(freshReport())]});
    const {services} = renderPanel((req) => (req.path === '/commands/execute' ? {body: {text: 'Running every probe now.'}} : routes(req)));
    fireEvent.click(await screen.findByTestId('healthcheck-run-now'));
    expect((await screen.findByTestId('healthcheck-run-answer')).textContent).toBe('Running every probe now.');
    act(() => services.reports.emit(reportPost(freshReport(1000, 'report.ok.v1.json'), {create_at: Date.now()})));
    await waitFor(() => expect(screen.getByTestId('healthcheck-run-answer').textContent).toBe('The probes ran: the results below are from that run.'));
  });

  it("shows emoji shortcodes in the bridge's answer as characters, never the raw shortcode", async () => {
    const routes = serverRoutes({posts: [reportPost(freshReport())]});
    renderPanel((req) => (req.path === '/commands/execute' ? {body: {text: ':hourglass_flowing_sand: Running every probe now.'}} : routes(req)));
    fireEvent.click(await screen.findByTestId('healthcheck-run-now'));
    expect(await screen.findByText('\u23F3 Running every probe now.')).toBeTruthy();
    expect(screen.getByTestId('healthcheck-panel').textContent).not.toContain(':hourglass');
  });

  it("keeps the probe table's headers and figures on one line; only the reason column wraps", async () => {
    renderPanel(serverRoutes({posts: [reportPost(freshReport())]}));
    const table = await screen.findByTestId('healthcheck-probes');
    const headers = [...table.querySelectorAll('th')];
    expect(headers.length).toBeGreaterThan(0);
    expect(headers.map((th) => th.style.whiteSpace)).toEqual(headers.map(() => 'nowrap'));
    const cells = [...(table.querySelector('[data-probe="post_roundtrip"]')?.querySelectorAll('td') ?? [])];
    expect(cells.map((td) => td.style.whiteSpace)).toEqual(['', 'nowrap', 'nowrap', 'nowrap', 'nowrap']);
  });

  it('several bridges: lists those reporting with the leader marked, and names one gone silent', async () => {
    const now = Date.now();
    const report = {
      ...freshReport(),
      bridges: [
        {instance: 'bridge-a', lastSeenAt: now - 2_000, leader: true, silent: false},
        {instance: 'bridge-b', lastSeenAt: now - 3_000, leader: false, silent: false},
        {instance: 'bridge-c', lastSeenAt: now - 10 * 60_000, leader: false, silent: true},
      ],
    };
    renderPanel(serverRoutes({posts: [reportPost(report)]}));
    const line = await screen.findByTestId('healthcheck-bridges');
    expect(line.textContent).toContain('Bridges reporting: bridge-a (leader), bridge-b');
    expect(line.querySelector('[data-silent="bridge-c"]')?.textContent).toBe('Bridge bridge-c silent: last heard 10 min ago');
  });

  it('shows no bridge line for a single bridge (a report without bridges)', async () => {
    renderPanel(serverRoutes({posts: [reportPost(freshReport())]}));
    await screen.findByTestId('healthcheck-probes');
    expect(screen.queryByTestId('healthcheck-bridges')).toBeNull();
  });

  it('counts failed periods in the right plural form', async () => {
    const report = freshReport();
    const series = report.series as {probes: {probe: string; failures: number[]}[]};
    for (const p of series.probes) p.failures = p.failures.map((_, i) => (p.probe === 'login' && i === 3 ? 2 : p.probe === 'post_roundtrip' && i < 2 ? 1 : 0));
    renderPanel(serverRoutes({posts: [reportPost(report)]}));
    await screen.findAllByTestId('healthcheck-chart');
    expect(document.querySelector('[data-chart-probe="login"] figcaption')?.textContent).toContain('1 period with failures');
    expect(document.querySelector('[data-chart-probe="post_roundtrip"] figcaption')?.textContent).toContain('2 periods with failures');
  });

  describe('open incidents', () => {
    const NOW = 1_764_115_200_000;
    beforeEach(() => jest.useFakeTimers({now: NOW}));
    afterEach(() => jest.useRealTimers());

    it('count on every second, as the alert card does, also for an incident newer than the panel', async () => {
      const routes = serverRoutes({posts: [reportPost(freshReport())]});
      const {services} = renderPanel(routes);
      await screen.findByTestId('healthcheck-incidents');
      // A report arrives later with an incident opened after the panel was shown.
      act(() => jest.advanceTimersByTime(20_000));
      const report = {...freshReport(0), incidents: [{id: 'inc_new', target: 'local', probes: ['login'], openedAt: Date.now() - 3000, resolvedAt: null, postId: 'p1', channelId: 'c1'}]};
      act(() => services.reports.emit(reportPost(report, {create_at: Date.now()})));
      const line = () => screen.getByTestId('healthcheck-incidents').querySelector('[data-incident="inc_new"]')?.textContent ?? '';
      await waitFor(() => expect(line()).toContain('open for 3 s'));
      act(() => jest.advanceTimersByTime(2000));
      expect(line()).toContain('open for 5 s');
      expect(line()).toContain(formatIncidentAge(translator('en'), {openedAt: NOW + 17_000, resolvedAt: null}, Date.now()));
    });
  });

  it('shows the report with default settings when no team is current (the System Console loaded by its URL)', async () => {
    renderPanel(serverRoutes({posts: [reportPost(freshReport())]}), adminConfig(-1), [], {noCurrentTeam: true});
    expect((await screen.findByTestId('healthcheck-probes')).textContent).toContain('ping');
    expect(screen.queryByTestId('healthcheck-no-channel')).toBeNull();
  });

  it('says where it looked when no team is current and no team has the log channel', async () => {
    renderPanel(serverRoutes({noChannel: true}), adminConfig(-1), [], {noCurrentTeam: true});
    expect((await screen.findByTestId('healthcheck-no-channel')).textContent).toBe("The log channel ~healthcheck-log was not found in the bot's teams or yours. Set the team below.");
  });

  it('with 50 targets shows one row per target, failing ones first and open with their probes and charts only', async () => {
    renderPanel(serverRoutes({posts: [reportPost(manyTargetsReport(50, ['node-7/login']))]}), adminConfig(-1));
    const targets = await screen.findByTestId('healthcheck-targets');
    const rows = targets.querySelectorAll('tr[data-target]');
    expect(rows).toHaveLength(50);
    expect(rows[0]?.getAttribute('data-target')).toBe('node-7');
    expect(rows[0]?.textContent).toContain('Failing');
    // Only the failing target is open: its four probes and four charts, not 200 of each.
    expect(screen.getAllByTestId('healthcheck-target-details')).toHaveLength(1);
    expect(screen.getAllByTestId('healthcheck-chart')).toHaveLength(4);
    expect(screen.getByTestId('healthcheck-targets-shown').textContent).toBe('50 of 50 targets');
    fireEvent.change(screen.getByTestId('healthcheck-target-filter'), {target: {value: 'node-4'}});
    expect(targets.querySelectorAll('tr[data-target]')).toHaveLength(11);
    fireEvent.click(targets.querySelector('tr[data-target="node-42"] [data-testid="healthcheck-target-toggle"]') as Element);
    await waitFor(() => expect(screen.getAllByTestId('healthcheck-chart')).toHaveLength(4));
    expect(screen.getAllByTestId('healthcheck-target-details')).toHaveLength(1);
    fireEvent.change(screen.getByTestId('healthcheck-target-filter'), {target: {value: ''}});
    fireEvent.click(screen.getByTestId('healthcheck-target-problems'));
    expect(Array.from(targets.querySelectorAll('tr[data-target]')).map((r) => r.getAttribute('data-target'))).toEqual(['node-7']);
  });

  it('says what is missing when there is no bot or no log channel', async () => {
    renderPanel(serverRoutes({noBot: true}));
    expect((await screen.findByTestId('healthcheck-no-bot')).textContent).toContain('@healthcheck-bot');
    cleanup();
    renderPanel(serverRoutes({noChannel: true}), {PluginSettings: {Plugins: {'mattermost-healthcheck': {team: 'healthcheck', logchannel: 'hc-log'}}}});
    expect((await screen.findByTestId('healthcheck-no-channel')).textContent).toContain('~hc-log');
  });

  it('has an error state with a retry', async () => {
    let fail = true;
    const routes = serverRoutes({posts: [reportPost(freshReport())]});
    renderPanel((req) => (fail && req.path.endsWith('/posts') ? {status: 500, body: {message: 'database down'}} : routes(req)));
    expect((await screen.findByTestId('healthcheck-report-error')).textContent).toContain('database down');
    fail = false;
    fireEvent.click(screen.getByText('Try again'));
    expect(await screen.findByTestId('healthcheck-probes')).toBeTruthy();
  });

  it('shows the latest trusted report: probes with reasons, charts, incidents linking to their threads', async () => {
    const forgedNewer = reportPost(freshReport(1000, 'report.ok.v1.json'), {user_id: OTHER_ID});
    renderPanel(serverRoutes({posts: [forgedNewer, reportPost(freshReport())]}));
    const table = await screen.findByTestId('healthcheck-probes');
    const roundtrip = table.querySelector('[data-probe="post_roundtrip"]');
    expect(roundtrip?.textContent).toContain('Failing');
    expect(roundtrip?.textContent).toContain('observed no posted event within 5000 ms');
    expect(table.querySelector('[data-probe="ping"]')?.textContent).toContain('100 %');
    const report = fixture<{series: {probes: unknown[]}; incidents: {postId: string | null}[]}>('report.v1.json');
    expect(await screen.findAllByTestId('healthcheck-chart')).toHaveLength(report.series.probes.length);
    const links = screen.getByTestId('healthcheck-incidents').querySelectorAll('a');
    expect([...links].map((a) => a.getAttribute('href'))).toEqual(expect.arrayContaining(report.incidents.filter((i) => i.postId).map((i) => `http://mm.test/healthcheck/pl/${i.postId}`)));
    expect(screen.queryByTestId('healthcheck-stale')).toBeNull();
    expect(screen.getByText('~healthcheck-ops').getAttribute('href')).toBe('http://mm.test/healthcheck/channels/healthcheck-ops');
  });

  it("warns when the newest report is older than twice the heartbeat (the dead-man's switch)", async () => {
    renderPanel(serverRoutes({posts: [reportPost(freshReport(11 * 60_000))]}));
    expect((await screen.findByTestId('healthcheck-stale')).textContent).toContain('The prober is silent');
  });

  it("uses the admin's heartbeat setting over the one the report announces", async () => {
    renderPanel(serverRoutes({posts: [reportPost(freshReport(11 * 60_000))]}), adminConfig(0, 10));
    await screen.findByTestId('healthcheck-probes');
    expect(screen.queryByTestId('healthcheck-stale')).toBeNull();
    expect(screen.getByText('Goroutine health threshold: off.')).toBeTruthy();
  });

  it('updates live from websocket report posts, and ignores forged ones', async () => {
    const {services} = renderPanel(serverRoutes({posts: [reportPost(freshReport(11 * 60_000))]}));
    await screen.findByTestId('healthcheck-stale');
    act(() => services.reports.emit(reportPost(freshReport(1000, 'report.ok.v1.json'), {user_id: OTHER_ID, create_at: Date.now()})));
    expect(screen.getByTestId('healthcheck-stale')).toBeTruthy();
    act(() => services.reports.emit(reportPost(freshReport(1000, 'report.ok.v1.json'), {create_at: Date.now()})));
    await waitFor(() => expect(screen.queryByTestId('healthcheck-stale')).toBeNull());
    expect(screen.getByTestId('healthcheck-probes').querySelector('[data-probe="post_roundtrip"]')?.textContent).toContain('OK');
  });
});
