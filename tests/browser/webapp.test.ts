// The plugin inside the real Mattermost web app (an official release's compiled client/, when this
// machine has it), in Debian's Chromium, against the real server and the real bridge (a child
// process). Without the web app every test here is skipped, and the suite says why in one line.
import {execFileSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {Page} from 'playwright-core';
import {waitFor} from '../lib/incident-bridge';
import {testServer} from '../lib/mattermost';
import type {MmChannel, MmPost, MmUser} from '../../server-bridge/src/mm/types';
import {freePort, setupSettings, startBridgeProcess, type BridgeProcess} from './support/bridge_process';
import {patchPluginConfig as patchConfig, PROBES, REPORTING_BRIDGE, startFiftyTargets, waitForPost as waitForServerPost, type FiftyTargets} from './support/server_posts';
import {launchChromium, type Chromium} from './support/chromium';
import {SCREENSHOTS} from './support/preview';
import {pluginErrors, quietPreferences, realWebapp, recordConsole, signInWebapp, webappPost, type ConsoleRecord} from './support/webapp';
import manifest from '../../plugin.json';
import {botStatus, REPORT_PROP} from '../../server-bridge/src/contract';
import {MattermostClient} from '../../server-bridge/src/mm/client';
import {postSigner, signingKeyFrom} from '../../server-bridge/src/signing/post-signer';

const root = path.resolve(__dirname, '../..');
const mm = testServer();
const webapp = realWebapp(mm);
const suffix = Date.now().toString(36);
const opsChannel = `hc-wa-ops-${suffix}`;
const REPORT = 'custom_healthcheck_report';
const ALERT = 'custom_healthcheck_alert';
const SLO_ALERT = 'custom_healthcheck_slo';
const PANEL_URL = `/admin_console/plugins/plugin_${manifest.id}`;
const shots = path.join(SCREENSHOTS, 'webapp');
// The answers only the user sees: the web app shows them as system posts marked "(Only visible to you)".
const EPHEMERAL = '.post.post--system:has-text("(Only visible to you)")';

if (!webapp.present) console.log(webapp.reason);
const describeWebapp = webapp.present ? describe : describe.skip;

let chromium: Chromium | undefined;
let bridge: BridgeProcess | undefined;
let page: Page;
let consoleRecords: ConsoleRecord[];
let settings: Record<string, string>;
let teamId: string;
let logChannelId: string;
let bridgeUrl: string;
let previousPluginConfig: Record<string, unknown> | undefined;
let previousCommandIds: Set<string>;

const patchPluginConfig = (values: Record<string, unknown>) => patchConfig(mm, values);
const waitForPost = (channelId: string, match: (p: MmPost) => boolean, what: string, timeoutMs = 60000) => waitForServerPost(mm, channelId, match, what, {timeoutMs, ...(bridge ? {bridge} : {})});

const byBot = (p: MmPost) => p.user_id === mm.env.MM_BOT_USER_ID;
const shot = (name: string) => page.screenshot({path: path.join(shots, `${name}.png`)});

/** The web app's own theme for a user, by type (the web app fills in the rest from its presets). */
async function setTheme(userId: string, type: 'Denim' | 'Onyx'): Promise<void> {
  await mm.admin.put(`/users/${userId}/preferences`, [{user_id: userId, category: 'theme', name: '', value: JSON.stringify({type})}]);
}

async function createUser(name: string): Promise<{user: MmUser; password: string}> {
  const password = `Wa-${suffix}-Pw1!`;
  const user = await mm.admin.post<MmUser>('/users', {username: name, email: `${name}@localhost`, password});
  await mm.admin.post(`/teams/${teamId}/members`, {team_id: teamId, user_id: user.id});
  await mm.admin.put(`/users/${user.id}/preferences`, quietPreferences(user.id));
  return {user, password};
}

async function openChannel(name: string): Promise<void> {
  await page.goto(`${mm.url}/${mm.env.MM_TEAM}/channels/${name}`);
  await page.locator('#post_textbox').waitFor({timeout: 60000});
}

async function openPanel(): Promise<void> {
  await page.goto(`${mm.url}${PANEL_URL}`);
  await page.getByTestId('healthcheck-panel').waitFor({timeout: 60000});
}

/** Types a message into the real message box and sends it (a second Enter would post an unknown command as text). */
async function send(text: string): Promise<void> {
  const box = page.locator('#post_textbox');
  await box.fill(text);
  // The command autocomplete opens on "/" (a moment after typing): closed first, so Enter sends
  // rather than picks a suggestion. Enter is pressed again only while the list keeps taking it.
  const suggestions = page.locator('#suggestionList');
  await suggestions.waitFor({timeout: 1500}).catch(() => undefined);
  // The server's autocomplete list can open just as Enter is pressed, which then takes the suggestion
  // instead of sending (seen on a loaded machine, suggestions closed again by the time they were checked):
  // Enter again until the box is empty.
  for (let attempt = 0; attempt < 4; attempt++) {
    if (await suggestions.isVisible()) await box.press('Escape');
    if ((await box.inputValue()).trim() !== text) await box.fill(text);
    await box.press('Enter');
    const sent = await waitFor('the message box to be sent', async () => (await box.inputValue()) === '', 3000).then(
      () => true,
      () => false,
    );
    if (sent) break;
  }
  await waitFor('the message box to be sent', async () => (await box.inputValue()) === '', 10000).catch(async (err: unknown) => {
    await shot(`send-failed-${text.replace(/\W+/g, '-')}`);
    throw err;
  });
}

beforeAll(async () => {
  if (!webapp.present) return;
  execFileSync('make', ['-s', 'dist'], {cwd: root, stdio: 'inherit'});
  execFileSync('make', ['-s', 'deploy'], {cwd: root, stdio: 'inherit', env: {...process.env, MM_SERVICESETTINGS_SITEURL: mm.url, MM_ADMIN_TOKEN: mm.env.MM_ADMIN_TOKEN}});
  mkdirSync(shots, {recursive: true});
  settings = setupSettings(mm, {opsChannel});
  teamId = (await mm.admin.get<{id: string}>(`/teams/name/${mm.env.MM_TEAM}`)).id;
  logChannelId = (await mm.admin.get<MmChannel>(`/teams/name/${mm.env.MM_TEAM}/channels/name/${mm.env.MM_LOG_CHANNEL}`)).id;
  previousCommandIds = new Set((await mm.admin.get<Array<{id: string}>>('/commands', {query: {team_id: teamId, custom_only: true}})).map((c) => c.id));
  const config = await mm.admin.get<{PluginSettings: {Plugins: Record<string, Record<string, unknown>>}}>('/config');
  previousPluginConfig = config.PluginSettings.Plugins[manifest.id] ?? {};
  // The default settings: no team, the default channels, the default bot name.
  await patchPluginConfig({});
  await mm.admin.put(`/users/${mm.env.MM_ADMIN_USER_ID}/preferences`, quietPreferences(mm.env.MM_ADMIN_USER_ID as string));
  await setTheme(mm.env.MM_ADMIN_USER_ID as string, 'Denim');
  bridgeUrl = `http://127.0.0.1:${await freePort()}`;
  const started = Date.now();
  bridge = startBridgeProcess(settings, mm, {
    ...REPORTING_BRIDGE,
    HEALTHCHECK_LISTEN: bridgeUrl.replace('http://', ''),
    HEALTHCHECK_PUBLIC_URL: bridgeUrl,
  });
  await waitForPost(logChannelId, (p) => p.type === REPORT && byBot(p) && p.create_at >= started, 'report post from the bridge');
  chromium = await launchChromium();
  page = await chromium.context.newPage();
  consoleRecords = recordConsole(page);
  await signInWebapp(page, mm.url, {username: mm.env.MM_ADMIN_USERNAME as string, password: mm.env.MM_ADMIN_PASSWORD as string});
}, 300000);

afterAll(async () => {
  if (!webapp.present) return;
  await bridge?.stop();
  await chromium?.close();
  if (previousPluginConfig) await patchPluginConfig(previousPluginConfig);
  await mm.admin.post(`/plugins/${manifest.id}/enable`).catch(() => undefined);
  for (const c of await mm.admin.get<Array<{id: string; url: string}>>('/commands', {query: {team_id: teamId, custom_only: true}})) {
    if (!previousCommandIds.has(c.id) && c.url.startsWith(bridgeUrl)) await mm.admin.delete(`/commands/${c.id}`);
  }
});

describeWebapp('the real Mattermost web app', () => {
  it('signs in through the real login page and loads the plugin', async () => {
    await expect(page.locator('#input_loginId').count()).resolves.toBe(0);
    await waitFor('the web app to load the plugin', () => consoleRecords.some((r) => r.text.includes(`Loaded plugin ${manifest.id}`)), 60000);
    await shot('signed-in');
  });
});

describeWebapp('System Console › Plugins › Health Check in the real web app', () => {
  async function expectWorkingPanel(name: string): Promise<void> {
    const panel = page.getByTestId('healthcheck-panel');
    const ping = page.getByTestId('healthcheck-live-ping');
    await waitFor('the live ping', async () => /11\.4\.0/.test(await ping.innerText()), 30000);
    await expect(ping.innerText()).resolves.toMatch(/Server OK/);
    await expect(panel.innerText()).resolves.toMatch(/Goroutine health threshold: (off|\d+)/);
    const table = page.getByTestId('healthcheck-probes');
    await table.waitFor({timeout: 30000});
    for (const probe of PROBES) await expect(table.innerText()).resolves.toContain(probe);
    await expect(page.getByTestId('healthcheck-no-channel').count()).resolves.toBe(0);
    await page.getByTestId('healthcheck-chart').first().locator('canvas').first().waitFor();
    await page.locator('[data-testid="healthcheck-incidents"], [data-testid="healthcheck-incidents-none"]').first().waitFor();
    await page.getByTestId('healthcheck-panel').screenshot({path: path.join(shots, `${name}.png`)});
  }

  it("loaded directly by its URL with the default settings (no current team): live ping and the bridge's results", async () => {
    await openPanel();
    await expectWorkingPanel('panel-direct-default-settings');
    // The objectives of the bridge's defaults, their budgets drawn by uPlot.
    const slos = page.getByTestId('healthcheck-slos');
    await expect(slos.locator('tr[data-slo="log-in"]').innerText()).resolves.toMatch(/99\.50 %/);
    await slos.locator('[data-testid="healthcheck-budget-chart"] canvas').first().waitFor({timeout: 30000});
    await slos.screenshot({path: path.join(shots, 'slo-table.png')});
  });

  it("reached by navigation from a channel, through the System Console's menu", async () => {
    await openChannel(mm.env.MM_LOG_CHANNEL as string);
    await page.goto(`${mm.url}/admin_console`);
    await page.locator('.admin-sidebar').getByRole('link', {name: 'Health Check', exact: true}).click();
    await page.waitForURL((u) => u.pathname === PANEL_URL);
    await expectWorkingPanel('panel-navigated');
  });

  it('with a team set in the settings', async () => {
    await patchPluginConfig({team: mm.env.MM_TEAM});
    try {
      await openPanel();
      await expectWorkingPanel('panel-team-set');
    } finally {
      await patchPluginConfig({});
    }
  });

  it('Run probes now ends with a fresh report from that run', async () => {
    await openPanel();
    await waitFor(
      'the bridge to register /healthcheck',
      async () =>
        (await mm.admin.get<Array<{url: string; delete_at: number}>>('/commands', {query: {team_id: teamId, custom_only: true}})).some((c) => c.url.startsWith(bridgeUrl) && c.delete_at === 0),
      30000,
    );
    const since = Date.now();
    await page.getByTestId('healthcheck-run-now').click();
    await waitFor(
      'the report of the run in the panel',
      async () => (await page.getByTestId('healthcheck-run-answer').innerText()).includes('The probes ran: the results below are from that run.'),
      60000,
    );
    await waitForPost(
      logChannelId,
      (p) => p.type === REPORT && byBot(p) && p.create_at >= since && (p.props as {healthcheck_report?: {reason?: string}}).healthcheck_report?.reason === 'run',
      'report of the run',
    );
    await page.getByTestId('healthcheck-panel').screenshot({path: path.join(shots, 'panel-run-now.png')});
  });
});

describeWebapp('posts and /healthcheck in the real web app', () => {
  it("shows the bot's report posts in the log channel as report cards", async () => {
    const report = await waitForPost(logChannelId, (p) => p.type === REPORT && byBot(p), 'report post');
    await openChannel(mm.env.MM_LOG_CHANNEL as string);
    const card = webappPost(page, report.id).getByTestId('healthcheck-report-card');
    await card.waitFor({timeout: 30000});
    await expect(webappPost(page, report.id).getByTestId('healthcheck-untrusted').count()).resolves.toBe(0);
    await webappPost(page, report.id).screenshot({path: path.join(shots, 'report-card-light.png')});
  });

  it('shows a signed report whose props an admin patched (the server leaves no edit mark) as a forged post: plain, marked', async () => {
    const report = await waitForPost(logChannelId, (p) => p.type === REPORT && byBot(p) && typeof p.props.healthcheck_signature === 'string', 'signed report post');
    // A copy the bot posts with the same signed data (a card), then patched by an admin.
    const bot = mm.anonymous.withToken(mm.env.MM_BOT_TOKEN as string);
    const copy = await bot.post<MmPost>('/posts', {
      channel_id: logChannelId,
      message: report.message,
      type: REPORT,
      props: {healthcheck_report: report.props.healthcheck_report, healthcheck_signature: report.props.healthcheck_signature},
    });
    try {
      await openChannel(mm.env.MM_LOG_CHANNEL as string);
      await webappPost(page, copy.id).getByTestId('healthcheck-report-card').waitFor({timeout: 30000});
      const data = copy.props.healthcheck_report as {probes: {probe: string}[]};
      await mm.admin.put(`/posts/${copy.id}/patch`, {props: {...copy.props, healthcheck_report: {...data, probes: data.probes.map((p) => ({...p, probe: `patched_${p.probe}`}))}}});
      await webappPost(page, copy.id).getByTestId('healthcheck-untrusted').waitFor({timeout: 30000});
      await expect(webappPost(page, copy.id).getByTestId('healthcheck-report-card').count()).resolves.toBe(0);
      await expect(webappPost(page, copy.id).innerText()).resolves.not.toContain('patched_');
      await webappPost(page, copy.id).screenshot({path: path.join(shots, 'patched-report-card.png')});
    } finally {
      await mm.admin.delete(`/posts/${copy.id}`);
    }
  });

  it('answers /healthcheck typed in the real message box with the status card', async () => {
    await openChannel(mm.env.MM_LOG_CHANNEL as string);
    await send('/healthcheck');
    const card = page.getByTestId('healthcheck-status-card').last();
    await card.waitFor({timeout: 30000});
    await waitFor('the live ping in the card', async () => /11\.4\.0/.test(await card.innerText()), 30000);
    await expect(card.innerText()).resolves.toMatch(/Server OK/);
    await card.screenshot({path: path.join(shots, 'status-card.png')});
  });

  it.each([
    ['help', /mute/],
    ['history', /ping/],
  ])('passes /healthcheck %s to the bridge, whose answer comes back through Mattermost', async (sub, expected) => {
    const before = await page.locator(EPHEMERAL).count();
    await send(`/healthcheck ${sub}`);
    await waitFor(`the bridge's answer to /healthcheck ${sub}`, async () => (await page.locator(EPHEMERAL).count()) > before, 30000).catch(async (err: unknown) => {
      await shot(`slash-${sub}-missing`);
      console.log(
        await page.evaluate(() =>
          Array.from(document.querySelectorAll('[id^=post_]'))
            .slice(-4)
            .map((e) => `${e.id} ${e.className}`)
            .join('\n'),
        ),
      );
      throw err;
    });
    const answer = page.locator(EPHEMERAL).last();
    await expect(answer.innerText()).resolves.toMatch(expected);
    await answer.screenshot({path: path.join(shots, `slash-${sub}.png`)});
  });
});

describeWebapp('an incident in the real web app', () => {
  const incidentProbes = {HEALTHCHECK_PROBES: 'ping,login', HEALTHCHECK_INTERVAL: '2s', HEALTHCHECK_TIMEOUT: '1500ms', HEALTHCHECK_HEARTBEAT: '5m', HEALTHCHECK_LOG_LEVEL: 'warn'};
  let dir: string;
  let opsChannelId: string;
  let rootPost: MmPost;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hc-webapp-incident-'));
    writeFileSync(path.join(dir, 'wrong-password'), 'not-the-password-1A!\n', {mode: 0o600});
    opsChannelId = (await mm.admin.get<MmChannel>(`/teams/name/${mm.env.MM_TEAM}/channels/name/${opsChannel}`)).id;
    await mm.admin.post(`/channels/${opsChannelId}/members`, {user_id: mm.env.MM_ADMIN_USER_ID});
    await bridge?.stop();
    bridge = undefined;
  });

  afterAll(() => rmSync(dir, {recursive: true, force: true}));

  it("shows the open incident's alert card in the ops channel", async () => {
    bridge = startBridgeProcess(settings, mm, {...incidentProbes, HEALTHCHECK_STATE_FILE: path.join(dir, 'state.json'), HEALTHCHECK_PROBE_PASSWORD_FILE: path.join(dir, 'wrong-password')});
    await openChannel(opsChannel);
    rootPost = await waitForPost(opsChannelId, (p) => p.type === ALERT && byBot(p) && !p.root_id, 'incident root post');
    const card = webappPost(page, rootPost.id).getByTestId('healthcheck-alert-card');
    await card.waitFor({timeout: 30000});
    await expect(card.innerText()).resolves.toContain('Incident open');
    await expect(card.innerText()).resolves.toContain('login');
    await webappPost(page, rootPost.id).screenshot({path: path.join(shots, 'alert-card-open.png')});
  });

  it('turns the card to Resolved live when the incident resolves', async () => {
    await bridge?.stop();
    bridge = startBridgeProcess(settings, mm, {...incidentProbes, HEALTHCHECK_STATE_FILE: path.join(dir, 'state.json')});
    await waitForPost(opsChannelId, (p) => p.id === rootPost.id && (p.props as {healthcheck_alert?: {state?: string}}).healthcheck_alert?.state === 'resolved', 'resolved incident root');
    const card = webappPost(page, rootPost.id).getByTestId('healthcheck-alert-card');
    await waitFor('the card to say Resolved', async () => (await card.innerText()).includes('Resolved'), 30000);
    await webappPost(page, rootPost.id).screenshot({path: path.join(shots, 'alert-card-resolved.png')});
  });

  it('follows the dark theme (Onyx) and Dutch', async () => {
    const me = mm.env.MM_ADMIN_USER_ID as string;
    await setTheme(me, 'Onyx');
    await mm.admin.put(`/users/${me}/patch`, {locale: 'nl'});
    try {
      await page.reload();
      const card = webappPost(page, rootPost.id).getByTestId('healthcheck-alert-card');
      await waitFor('the card in Dutch', async () => (await card.innerText()).includes('Opgelost'), 30000);
      await expect(card.evaluate((el) => getComputedStyle(el).color)).resolves.toBe('rgb(227, 228, 232)');
      await webappPost(page, rootPost.id).screenshot({path: path.join(shots, 'alert-card-resolved-onyx-nl.png')});
      await openPanel();
      await waitFor('the panel in Dutch', async () => (await page.getByTestId('healthcheck-panel').innerText()).includes('Laatste resultaten'), 30000);
      await page.getByTestId('healthcheck-panel').screenshot({path: path.join(shots, 'panel-onyx-nl.png')});
      // The System Console keeps the web app's light theme whatever the user's: the panel follows the page.
      const pageColor = await page
        .locator('.admin-console')
        .first()
        .evaluate((el) => getComputedStyle(el).color);
      await expect(page.getByTestId('healthcheck-panel').evaluate((el) => getComputedStyle(el).color)).resolves.toBe(pageColor);
      // The incident of this test, resolved, in the panel's list with a link to its thread.
      await waitFor('the incident in the panel', async () => (await page.locator(`[data-testid="healthcheck-incidents"] a[href*="${rootPost.id}"]`).count()) > 0, 60000);
      await page.getByTestId('healthcheck-panel').screenshot({path: path.join(shots, 'panel-onyx-nl.png')});
    } finally {
      await setTheme(me, 'Denim');
      await mm.admin.put(`/users/${me}/patch`, {locale: 'en'});
    }
  });
});

describeWebapp('fifty targets in the real web app', () => {
  let fifty: FiftyTargets | undefined;
  let report: MmPost;

  beforeAll(async () => {
    await bridge?.stop();
    fifty = await startFiftyTargets(mm, settings, logChannelId, {HEALTHCHECK_LISTEN: bridgeUrl.replace('http://', ''), HEALTHCHECK_PUBLIC_URL: bridgeUrl});
    bridge = fifty.bridge;
    report = fifty.report;
  }, 120000);

  afterAll(() => fifty?.close());

  it('shows the report card summary first: the failing target open with its reason, the other 49 folded', async () => {
    await openChannel(mm.env.MM_LOG_CHANNEL as string);
    const card = webappPost(page, report.id).getByTestId('healthcheck-report-card');
    await card.waitFor({timeout: 30000});
    await expect(card.innerText()).resolves.toContain('50 targets');
    const summary = card.getByTestId('healthcheck-targets-summary');
    await expect(summary.locator(':scope > div [data-target]').first().getAttribute('data-target')).resolves.toBe('node-13');
    await expect(card.getByTestId('healthcheck-targets-folded').locator('summary').innerText()).resolves.toBe('49 targets OK');
    await webappPost(page, report.id).screenshot({path: path.join(shots, 'report-card-50-targets.png')});
    // The plain message mobile apps and notifications show stays short.
    expect(report.message.split('\n').length).toBeLessThanOrEqual(5);
    expect(report.message).toMatch(/^Health check: FAILING · 49\/50 targets OK/);
  });

  it('shows one row per target in the panel, the failing one first and open, with a filter', async () => {
    await openPanel();
    const targets = page.getByTestId('healthcheck-targets');
    await targets.waitFor({timeout: 30000});
    await expect(targets.locator('tr[data-target]').count()).resolves.toBe(50);
    await expect(targets.locator('tr[data-target]').first().getAttribute('data-target')).resolves.toBe('node-13');
    // Only the open target draws its charts: two probes, two canvases' charts, not a hundred.
    await expect(page.getByTestId('healthcheck-target-details').count()).resolves.toBe(1);
    await expect(page.getByTestId('healthcheck-chart').count()).resolves.toBe(2);
    await page.getByTestId('healthcheck-panel').screenshot({path: path.join(shots, 'panel-50-targets.png')});
    await page.getByTestId('healthcheck-target-filter').fill('node-4');
    await expect(targets.locator('tr[data-target]').count()).resolves.toBe(11);
    await page.getByTestId('healthcheck-target-problems').check();
    await expect(targets.locator('tr[data-target]').count()).resolves.toBe(0);
    await page.getByTestId('healthcheck-target-filter').fill('');
    await expect(targets.locator('tr[data-target]').count()).resolves.toBe(1);
  });

  it('answers /healthcheck with the same summary', async () => {
    await openChannel(mm.env.MM_LOG_CHANNEL as string);
    await send('/healthcheck');
    const card = page.getByTestId('healthcheck-status-card').last();
    await card.getByTestId('healthcheck-targets-summary').waitFor({timeout: 30000});
    await expect(card.getByTestId('healthcheck-targets-folded').locator('summary').innerText()).resolves.toBe('49 targets OK');
    await card.screenshot({path: path.join(shots, 'status-card-50-targets.png')});
  });
});

describeWebapp('the panel of several bridges (a report with its bridges, signed by the bot as the leader posts it)', () => {
  // Its report must stay the newest while the panel loads: the running bridge is stopped, and one
  // answering /healthcheck as before comes back after.
  afterAll(() => {
    bridge = startBridgeProcess(settings, mm, {...REPORTING_BRIDGE, HEALTHCHECK_LISTEN: bridgeUrl.replace('http://', ''), HEALTHCHECK_PUBLIC_URL: bridgeUrl});
  });

  it('names the bridges reporting, the leader marked, and the silent one with when it was last heard', async () => {
    await bridge?.stop();
    bridge = undefined;
    const last = await waitForPost(logChannelId, (p) => p.type === REPORT && byBot(p), 'report post');
    const now = Date.now();
    const bridges = [
      {instance: 'bridge-a', lastSeenAt: now - 2_000, leader: true, silent: false},
      {instance: 'bridge-b', lastSeenAt: now - 3_000, leader: false, silent: false},
      {instance: 'bridge-c', lastSeenAt: now - 7 * 60_000, leader: false, silent: true},
    ];
    const keyFile = settings.HEALTHCHECK_SIGNING_KEY_FILE ?? path.join(mm.env.MM_SECRETS_DIR as string, 'signing-key');
    const sign = postSigner(signingKeyFrom(readFileSync(keyFile, 'utf8')));
    const botApi = new MattermostClient({url: mm.url, token: mm.env.MM_BOT_TOKEN as string});
    const data: Record<string, unknown> = {...(last.props[REPORT_PROP] as Record<string, unknown>), generatedAt: now, bridges};
    const posted = await botApi.post<MmPost>('/posts', {channel_id: logChannelId, ...sign({type: REPORT, message: last.message, props: {[REPORT_PROP]: data}})}, {query: {set_online: 'false'}});
    // The panel reads the report the bot's custom status names, as the leader's status points at its own.
    await botApi.put(`/users/${mm.env.MM_BOT_USER_ID}/status/custom`, botStatus(String(data.overall ?? 'ok'), 'healthcheck', posted.id));
    await openPanel();
    const list = page.getByTestId('healthcheck-bridges');
    await list.waitFor({timeout: 30000});
    await expect(list.innerText()).resolves.toContain('Bridges reporting: bridge-a (leader), bridge-b');
    await expect(list.locator('[data-silent="bridge-c"]').innerText()).resolves.toMatch(/^Bridge bridge-c silent: last heard .*7/);
    await page.getByTestId('healthcheck-panel').screenshot({path: path.join(shots, 'panel-several-bridges.png')});
  });
});

describeWebapp('the plugin disabled and enabled again in the System Console, without a page reload', () => {
  /** In-app navigation, as a link click does: the web app's own history (exposed to plugins), no page load. */
  const navigate = (to: string) => page.evaluate((p) => (window as unknown as {WebappUtils: {browserHistory: {push(p: string): void}}}).WebappUtils.browserHistory.push(p), to);
  const enable = (value: 'true' | 'false') => page.locator(`input[name="PluginSettings.PluginStates.${manifest.id}.Enable"][value="${value}"]`);
  const logChannelPath = () => `/${mm.env.MM_TEAM}/channels/${mm.env.MM_LOG_CHANNEL}`;

  async function setEnabled(value: 'true' | 'false'): Promise<void> {
    await navigate(PANEL_URL);
    await enable(value).waitFor({timeout: 30000});
    await enable(value).check();
    await page.getByRole('button', {name: 'Save'}).click();
  }

  it('removes everything it registered and brings it back once', async () => {
    const report = await waitForPost(logChannelId, (p) => p.type === REPORT && byBot(p), 'report post');
    await openPanel();
    await page.evaluate(() => ((window as unknown as {notReloaded: boolean}).notReloaded = true));

    await setEnabled('false');
    await waitFor('the panel to go', async () => (await page.getByTestId('healthcheck-panel').count()) === 0, 30000);
    await shot('plugin-disabled-console');
    await navigate(logChannelPath());
    await webappPost(page, report.id).waitFor({timeout: 30000});
    // Its post types are unregistered: the web app shows the report's plain-text message.
    await expect(webappPost(page, report.id).getByTestId('healthcheck-report-card').count()).resolves.toBe(0);
    await expect(webappPost(page, report.id).innerText()).resolves.toMatch(/probes? OK|failing|OK/);
    await webappPost(page, report.id).screenshot({path: path.join(shots, 'report-post-plugin-disabled.png')});
    // Its slash hook is gone: /healthcheck goes to the server, and the bridge answers.
    const statusCards = await page.getByTestId('healthcheck-status-card').count();
    const answers = await page.locator(EPHEMERAL).count();
    await send('/healthcheck');
    await waitFor("the bridge's answer to /healthcheck", async () => (await page.locator(EPHEMERAL).count()) > answers, 30000);
    await expect(page.getByTestId('healthcheck-status-card').count()).resolves.toBe(statusCards);

    await setEnabled('true');
    await page.getByTestId('healthcheck-panel').waitFor({timeout: 60000});
    await expect(page.getByTestId('healthcheck-panel').count()).resolves.toBe(1);
    await navigate(logChannelPath());
    await webappPost(page, report.id).getByTestId('healthcheck-report-card').waitFor({timeout: 30000});
    await expect(webappPost(page, report.id).getByTestId('healthcheck-report-card').count()).resolves.toBe(1);
    // The hook is registered once: one /healthcheck gives one status card.
    const before = await page.getByTestId('healthcheck-status-card').count();
    await send('/healthcheck');
    await page.getByTestId('healthcheck-status-card').nth(before).waitFor({timeout: 30000});
    await page.waitForTimeout(1000);
    await expect(page.getByTestId('healthcheck-status-card').count()).resolves.toBe(before + 1);
    await expect(page.evaluate(() => (window as unknown as {notReloaded?: boolean}).notReloaded)).resolves.toBe(true);
    await shot('plugin-enabled-again');
  });
});

describeWebapp('as a normal user in the real web app', () => {
  let userBrowser: Chromium | undefined;

  afterAll(async () => {
    await userBrowser?.close();
  });

  it("sees no System Console, the bot's cards trusted, and a forged report as plain text whose script never runs", async () => {
    const {user, password} = await createUser(`wareader${suffix}`);
    await mm.admin.post(`/channels/${logChannelId}/members`, {user_id: user.id});
    const login = await mm.anonymous.request<MmUser>('POST', '/users/login', {body: {login_id: user.username, password}});
    const forger = mm.anonymous.withToken(login.headers.get('token'));
    const real = await waitForPost(logChannelId, (p) => p.type === REPORT && byBot(p), 'report post');
    const forgedProps = JSON.parse(JSON.stringify(real.props)) as {healthcheck_report: {probes: {probe: string}[]}};
    for (const p of forgedProps.healthcheck_report.probes) p.probe = `forged_${p.probe}`;
    const forged = await forger.post<MmPost>('/posts', {channel_id: logChannelId, message: 'All fine <b>bold claim</b> <img src=x onerror="window.forgedRan=1">', type: REPORT, props: forgedProps});
    userBrowser = await launchChromium();
    const userPage = await userBrowser.context.newPage();
    try {
      const records = recordConsole(userPage);
      await signInWebapp(userPage, mm.url, {username: user.username, password});
      await userPage.goto(`${mm.url}/${mm.env.MM_TEAM}/channels/${mm.env.MM_LOG_CHANNEL}`);
      await webappPost(userPage, real.id).getByTestId('healthcheck-report-card').waitFor({timeout: 60000});
      await expect(webappPost(userPage, real.id).getByTestId('healthcheck-untrusted').count()).resolves.toBe(0);
      const item = webappPost(userPage, forged.id);
      await item.getByTestId('healthcheck-untrusted').waitFor();
      await expect(item.getByTestId('healthcheck-plain-post').innerText()).resolves.toContain('<b>bold claim</b>');
      await expect(item.locator('.post-message b, .post-message img, [data-testid="healthcheck-plain-post"] b, [data-testid="healthcheck-plain-post"] img').count()).resolves.toBe(0);
      await expect(userPage.evaluate(() => (window as unknown as {forgedRan?: number}).forgedRan)).resolves.toBeUndefined();
      await item.screenshot({path: path.join(shots, 'forged-report-normal-user.png')});
      await userPage.goto(`${mm.url}${PANEL_URL}`);
      await waitFor('the web app to send a non-admin away from the System Console', () => !new URL(userPage.url()).pathname.startsWith('/admin_console'), 30000);
      await expect(userPage.getByTestId('healthcheck-panel').count()).resolves.toBe(0);
      expect(pluginErrors(records, manifest.id)).toEqual([]);
    } finally {
      await mm.admin.delete(`/posts/${forged.id}`);
      await mm.admin.delete(`/users/${user.id}`);
    }
  });
});

describeWebapp('incident buttons in the real web app', () => {
  let dir: string;
  let opsChannelId: string;
  let rootPost: MmPost;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hc-webapp-buttons-'));
    writeFileSync(path.join(dir, 'wrong-password'), 'not-the-password-1A!\n', {mode: 0o600});
    opsChannelId = (await mm.admin.get<MmChannel>(`/teams/name/${mm.env.MM_TEAM}/channels/name/${opsChannel}`)).id;
    await mm.admin.post(`/channels/${opsChannelId}/members`, {user_id: mm.env.MM_ADMIN_USER_ID});
    await bridge?.stop();
    // Mattermost calls the buttons' URL: the bridge's public URL, on a port known before it starts.
    bridge = startBridgeProcess(settings, mm, {
      HEALTHCHECK_PROBES: 'ping,login',
      HEALTHCHECK_INTERVAL: '2s',
      HEALTHCHECK_TIMEOUT: '1500ms',
      HEALTHCHECK_HEARTBEAT: '5m',
      HEALTHCHECK_LOG_LEVEL: 'warn',
      HEALTHCHECK_LISTEN: bridgeUrl.replace('http://', ''),
      HEALTHCHECK_PUBLIC_URL: bridgeUrl,
      HEALTHCHECK_PROBE_PASSWORD_FILE: path.join(dir, 'wrong-password'),
    });
  });

  afterAll(async () => {
    await bridge?.stop();
    bridge = undefined;
    rmSync(dir, {recursive: true, force: true});
  });

  it("shows Acknowledge, Mute 1 h and Mute 4 h in the card's own style", async () => {
    const since = Date.now();
    // This bridge's login incident: the fifty-target bridge before it may have left node-13's open here.
    const ofLogin = (p: MmPost) => ((p.props as {healthcheck_alert?: {probes?: Array<{probe?: string}>}}).healthcheck_alert?.probes ?? []).some((x) => x.probe === 'login');
    rootPost = await waitForPost(
      opsChannelId,
      (p) => p.type === ALERT && byBot(p) && !p.root_id && p.create_at >= since - 60000 && Array.isArray(p.props.attachments) && ofLogin(p),
      'incident root post with buttons',
      90000,
    );
    await openChannel(opsChannel);
    const actions = webappPost(page, rootPost.id).getByTestId('healthcheck-alert-actions');
    await actions.waitFor({timeout: 30000});
    await expect(actions.locator('button').allInnerTexts()).resolves.toEqual(['Acknowledge', 'Mute 1 h', 'Mute 4 h']);
    await webappPost(page, rootPost.id).screenshot({path: path.join(shots, 'alert-card-buttons.png')});
  });

  it('acknowledges from the card through Mattermost: the card says who, and the buttons change', async () => {
    const actions = webappPost(page, rootPost.id).getByTestId('healthcheck-alert-actions');
    await actions.locator('[data-action="ack"]').click();
    await waitForPost(opsChannelId, (p) => p.id === rootPost.id && p.message.includes('Acknowledged by'), 'acknowledged root', 30000);
    const ack = webappPost(page, rootPost.id).getByTestId('healthcheck-alert-ack');
    await ack.waitFor({timeout: 30000});
    await expect(ack.innerText()).resolves.toContain(`Acknowledged by @${mm.env.MM_ADMIN_USERNAME}`);
    await waitFor('the buttons to change', async () => (await actions.locator('button').allInnerTexts()).join(',') === 'Mute 1 h,Mute 4 h', 30000);
    await waitForPost(opsChannelId, (p) => p.root_id === rootPost.id && p.message.includes('Acknowledged by'), 'the acknowledgement in the thread', 30000);
    await webappPost(page, rootPost.id).screenshot({path: path.join(shots, 'alert-card-acknowledged.png')});
  });
});

describeWebapp('an SLO burn-rate alert in the real web app', () => {
  // A real burn, as in tests/e2e/slo-actions.test.ts: the objective's window scaled to 2 h, the
  // server's ping made UNHEALTHY by a low GoroutineHealthThreshold, then put back.
  const slo = `ping-webapp-${suffix}`;
  let dir: string;
  let opsChannelId: string;
  let rootPost: MmPost;
  let threshold: number | null = null;
  const restoreThreshold = async () => {
    if (threshold !== null) await mm.admin.put('/config/patch', {ServiceSettings: {GoroutineHealthThreshold: threshold}});
    threshold = null;
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hc-webapp-slo-'));
    writeFileSync(path.join(dir, 'bridge.json'), JSON.stringify({slos: [{name: slo, probes: ['ping'], objective: 99, window: '2h'}]}));
    opsChannelId = (await mm.admin.get<MmChannel>(`/teams/name/${mm.env.MM_TEAM}/channels/name/${opsChannel}`)).id;
    await mm.admin.post(`/channels/${opsChannelId}/members`, {user_id: mm.env.MM_ADMIN_USER_ID});
    await bridge?.stop();
    bridge = startBridgeProcess(settings, mm, {
      HEALTHCHECK_CONFIG_FILE: path.join(dir, 'bridge.json'),
      HEALTHCHECK_STATE_FILE: path.join(dir, 'state.json'),
      HEALTHCHECK_PROBES: 'ping',
      HEALTHCHECK_INTERVAL: '1s',
      HEALTHCHECK_TIMEOUT: '900ms',
      HEALTHCHECK_JITTER: '0',
      HEALTHCHECK_HEARTBEAT: '5m',
      HEALTHCHECK_LOG_LEVEL: 'warn',
      HEALTHCHECK_LISTEN: bridgeUrl.replace('http://', ''),
      HEALTHCHECK_PUBLIC_URL: bridgeUrl,
    });
    // Healthy runs first, then the failure that burns the budget.
    await new Promise((r) => setTimeout(r, 12000));
    threshold = (await mm.admin.get<{ServiceSettings: {GoroutineHealthThreshold: number}}>('/config')).ServiceSettings.GoroutineHealthThreshold;
    await mm.admin.put('/config/patch', {ServiceSettings: {GoroutineHealthThreshold: 10}});
  }, 60000);

  afterAll(async () => {
    await restoreThreshold();
    await bridge?.stop();
    bridge = undefined;
    rmSync(dir, {recursive: true, force: true});
  });

  it('shows the signed alert as its card with Acknowledge, Mute 1 h and Mute 4 h', async () => {
    rootPost = await waitForPost(
      opsChannelId,
      (p) => p.type === SLO_ALERT && byBot(p) && !p.root_id && p.message.includes(slo) && Array.isArray(p.props.attachments),
      'SLO alert root with buttons',
      90000,
    );
    await openChannel(opsChannel);
    const card = webappPost(page, rootPost.id).getByTestId('healthcheck-slo-alert-card');
    await card.waitFor({timeout: 30000});
    await expect(card.innerText()).resolves.toContain(`Error budget of ${slo}`);
    await expect(card.innerText()).resolves.toContain('Burning fast (page)');
    await expect(webappPost(page, rootPost.id).getByTestId('healthcheck-alert-actions').locator('button').allInnerTexts()).resolves.toEqual(['Acknowledge', 'Mute 1 h', 'Mute 4 h']);
    await expect(webappPost(page, rootPost.id).getByTestId('healthcheck-untrusted').count()).resolves.toBe(0);
    await webappPost(page, rootPost.id).screenshot({path: path.join(shots, 'slo-alert-card-open.png')});
  });

  it('acknowledges from the card through Mattermost: the card says who, Acknowledge goes, one line in the thread', async () => {
    const actions = webappPost(page, rootPost.id).getByTestId('healthcheck-alert-actions');
    await actions.locator('[data-action="ack"]').click();
    await waitForPost(opsChannelId, (p) => p.id === rootPost.id && p.message.includes('Acknowledged by'), 'acknowledged SLO alert root', 30000);
    const ack = webappPost(page, rootPost.id).getByTestId('healthcheck-slo-alert-ack');
    await ack.waitFor({timeout: 30000});
    await expect(ack.innerText()).resolves.toContain(`Acknowledged by @${mm.env.MM_ADMIN_USERNAME}`);
    await waitFor('the buttons to change', async () => (await actions.locator('button').allInnerTexts()).join(',') === 'Mute 1 h,Mute 4 h', 30000);
    await waitForPost(opsChannelId, (p) => p.root_id === rootPost.id && p.message.startsWith('Acknowledged by'), 'the acknowledgement in the thread', 30000);
    await webappPost(page, rootPost.id).screenshot({path: path.join(shots, 'slo-alert-card-acknowledged.png')});
  });

  it('turns the card to Resolved once the burn stops, and follows the dark theme (Onyx) and Dutch', async () => {
    await restoreThreshold();
    await waitForPost(
      opsChannelId,
      (p) => p.id === rootPost.id && (p.props as {healthcheck_slo_alert?: {state?: string}}).healthcheck_slo_alert?.state === 'resolved',
      'resolved SLO alert root',
      150000,
    );
    const card = webappPost(page, rootPost.id).getByTestId('healthcheck-slo-alert-card');
    await waitFor('the card to say Resolved', async () => (await card.innerText()).includes('Resolved'), 30000);
    await expect(webappPost(page, rootPost.id).getByTestId('healthcheck-alert-actions').count()).resolves.toBe(0);
    const me = mm.env.MM_ADMIN_USER_ID as string;
    await setTheme(me, 'Onyx');
    await mm.admin.put(`/users/${me}/patch`, {locale: 'nl'});
    try {
      await page.reload();
      const dutch = webappPost(page, rootPost.id).getByTestId('healthcheck-slo-alert-card');
      await waitFor('the card in Dutch', async () => (await dutch.innerText()).includes(`Foutbudget van ${slo}`), 30000);
      await expect(dutch.innerText()).resolves.toContain('Opgelost');
      await expect(dutch.evaluate((el) => getComputedStyle(el).color)).resolves.toBe('rgb(227, 228, 232)');
      await webappPost(page, rootPost.id).screenshot({path: path.join(shots, 'slo-alert-card-resolved-onyx-nl.png')});
    } finally {
      await setTheme(me, 'Denim');
      await mm.admin.put(`/users/${me}/patch`, {locale: 'en'});
    }
  }, 200000);
});

describeWebapp('the status page in the real web app', () => {
  let userBrowser: Chromium | undefined;

  // A report of every service users feel: the bridges of the tests before may have run fewer probes.
  beforeAll(async () => {
    await bridge?.stop();
    const since = Date.now();
    bridge = startBridgeProcess(settings, mm, {
      ...REPORTING_BRIDGE,
    });
    const allProbes = (p: MmPost) => PROBES.every((name) => ((p.props as {healthcheck_report?: {probes?: Array<{probe: string}>}}).healthcheck_report?.probes ?? []).some((x) => x.probe === name));
    await waitForPost(logChannelId, (p) => p.type === REPORT && byBot(p) && p.create_at >= since && allProbes(p), 'a report of every probe', 90000);
  }, 120000);

  afterAll(async () => {
    await userBrowser?.close();
  });

  it('shows a normal user in no health-check channel each service in plain words, light and dark, English and Dutch', async () => {
    const {user, password} = await createUser(`wastatus${suffix}`);
    userBrowser = await launchChromium();
    const userPage = await userBrowser.context.newPage();
    try {
      const records = recordConsole(userPage);
      await signInWebapp(userPage, mm.url, {username: user.username, password});
      await userPage.goto(`${mm.url}/${mm.env.MM_TEAM}/channels/town-square`);
      await userPage.locator('#post_textbox').waitFor({timeout: 60000});
      // The main menu's entry leads there (the team menu in this web app).
      await userPage.goto(`${mm.url}/${mm.env.MM_TEAM}/${manifest.id}/status`);
      const services = userPage.getByTestId('healthcheck-status-services');
      await services.waitFor({timeout: 60000});
      const text = await userPage.getByTestId('healthcheck-status-page').innerText();
      expect(text).toContain('Sending and receiving messages');
      for (const probe of ['post_roundtrip', 'search_users', 'server_status', '127.0.0.1', 'http://']) expect(text).not.toContain(probe);
      // The server (ping) is the admins' business while what users do is measured.
      expect(text).not.toContain('The server');
      const bars = userPage.locator('[data-testid="healthcheck-status-strips"] [data-strip="messages"] [data-day]');
      await expect(bars.count()).resolves.toBe(90);
      await expect(bars.last().getAttribute('data-uptime')).resolves.not.toBe('none');
      // The page fills the web app's content frame (.main-wrapper) to its right edge, as the web
      // app's own pages do: no dark band of empty grid columns beside it.
      const box = await userPage.getByTestId('healthcheck-status-page').boundingBox();
      const frame = await userPage.locator('.main-wrapper').boundingBox();
      expect(Math.abs((frame?.x ?? 0) + (frame?.width ?? 0) - ((box?.x ?? 0) + (box?.width ?? 0)))).toBeLessThan(2);
      expect(box?.width ?? 0).toBeGreaterThan((frame?.width ?? 0) - 4);
      await userPage.getByTestId('healthcheck-status-page').screenshot({path: path.join(shots, 'status-page-normal-user.png')});
      await userPage.screenshot({path: path.join(shots, 'status-page-normal-user-full.png')});
      await setTheme(user.id, 'Onyx');
      await mm.admin.put(`/users/${user.id}/patch`, {locale: 'nl'});
      await userPage.reload();
      await waitFor(
        'the page in Dutch',
        async () =>
          (
            await userPage
              .getByTestId('healthcheck-status-page')
              .innerText()
              .catch(() => '')
          ).includes('Berichten versturen'),
        60000,
      );
      await userPage.getByTestId('healthcheck-status-page').screenshot({path: path.join(shots, 'status-page-onyx-nl.png')});
      expect(pluginErrors(records, manifest.id)).toEqual([]);
    } finally {
      await mm.admin.delete(`/users/${user.id}`);
    }
  });
});

describeWebapp('the degraded-service notice in the real web app', () => {
  let dir: string;
  let userBrowser: Chromium | undefined;
  let userPage: Page;
  let user: MmUser;
  const noticeProbes = {HEALTHCHECK_PROBES: 'ping,login', HEALTHCHECK_INTERVAL: '2s', HEALTHCHECK_TIMEOUT: '1500ms', HEALTHCHECK_HEARTBEAT: '5m', HEALTHCHECK_LOG_LEVEL: 'warn'};
  const botStatusText = async () => {
    const bot = await mm.admin.get<MmUser>(`/users/${mm.env.MM_BOT_USER_ID}`);
    return (JSON.parse(String(bot.props?.customStatus ?? '{}')) as {text?: string}).text ?? '';
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hc-webapp-notice-'));
    writeFileSync(path.join(dir, 'wrong-password'), 'not-the-password-1A!\n', {mode: 0o600});
    await bridge?.stop();
    bridge = startBridgeProcess(settings, mm, {...noticeProbes, HEALTHCHECK_STATE_FILE: path.join(dir, 'state.json')});
    await waitFor('a status without a notice', async () => / · report [a-z0-9]{26}$/.test(await botStatusText()) && !(await botStatusText()).includes('· notice'), 60000);
    // A normal user in no health-check channel (the team's default channels only).
    const created = await createUser(`wanotice${suffix}`);
    user = created.user;
    userBrowser = await launchChromium();
    userPage = await userBrowser.context.newPage();
    await signInWebapp(userPage, mm.url, {username: user.username, password: created.password});
    await userPage.goto(`${mm.url}/${mm.env.MM_TEAM}/channels/town-square`);
    await userPage.locator('#post_textbox').waitFor({timeout: 60000});
  }, 180000);

  afterAll(async () => {
    await bridge?.stop();
    bridge = undefined;
    await userBrowser?.close();
    if (user) await mm.admin.delete(`/users/${user.id}`);
    rmSync(dir, {recursive: true, force: true});
  });

  it('appears for a normal user within seconds of the incident, in plain words, linking to the status page', async () => {
    expect(await userPage.getByTestId('healthcheck-notice').count()).toBe(0);
    await bridge?.stop();
    bridge = startBridgeProcess(settings, mm, {...noticeProbes, HEALTHCHECK_STATE_FILE: path.join(dir, 'state.json'), HEALTHCHECK_PROBE_PASSWORD_FILE: path.join(dir, 'wrong-password')});
    await waitFor('the notice in the bot status', async () => (await botStatusText()).includes('· notice i!'), 60000, 200);
    const statusAt = Date.now();
    const bar = userPage.getByTestId('healthcheck-notice');
    await bar.waitFor({timeout: 10000});
    console.log(`notice shown ${Date.now() - statusAt} ms after the bot status carried it (polled every 200 ms)`);
    expect(await bar.innerText()).toMatch(/Signing in does not work since \d{1,2}:\d{2}/);
    expect(await bar.locator('a').getAttribute('href')).toBe(`${mm.url}/${mm.env.MM_TEAM}/${manifest.id}/status`);
    await bar.screenshot({path: path.join(shots, 'notice-bar.png')});
    await userPage.screenshot({path: path.join(shots, 'notice-normal-user-full.png')});
  });

  it('follows the dark theme (Onyx) and Dutch', async () => {
    await setTheme(user.id, 'Onyx');
    await mm.admin.put(`/users/${user.id}/patch`, {locale: 'nl'});
    await userPage.reload();
    const bar = userPage.getByTestId('healthcheck-notice');
    await waitFor('the notice in Dutch', async () => (await bar.innerText().catch(() => '')).includes('Aanmelden werkt niet sinds'), 60000);
    // Beside the web app's own bars (here its preview-mode bar), never over them.
    await waitFor("the web app's announcement bar", async () => (await userPage.locator('#root > .announcement-bar').count()) > 0, 30000).catch(() => undefined);
    const ours = await bar.boundingBox();
    for (const other of await userPage.locator('#root > .announcement-bar').all()) {
      const box = await other.boundingBox();
      if (ours && box) expect(box.y + box.height <= ours.y + 0.5 || ours.y + ours.height <= box.y + 0.5).toBe(true);
    }
    await bar.screenshot({path: path.join(shots, 'notice-bar-onyx-nl.png')});
    await userPage.screenshot({path: path.join(shots, 'notice-normal-user-onyx-nl-full.png')});
  });

  it('goes when the incident resolves', async () => {
    await bridge?.stop();
    bridge = startBridgeProcess(settings, mm, {...noticeProbes, HEALTHCHECK_STATE_FILE: path.join(dir, 'state.json')});
    await waitFor('no notice in the bot status', async () => !(await botStatusText()).includes('· notice'), 60000, 200);
    const statusAt = Date.now();
    await userPage.getByTestId('healthcheck-notice').waitFor({state: 'detached', timeout: 10000});
    console.log(`notice gone ${Date.now() - statusAt} ms after the bot status dropped it`);
    await userPage.screenshot({path: path.join(shots, 'notice-resolved-onyx-nl-full.png')});
  });
});

describeWebapp('the browser console', () => {
  it('holds no error from the plugin', () => {
    expect(pluginErrors(consoleRecords, manifest.id)).toEqual([]);
  });
});
