// The plugin's real bundle in Debian's Chromium, on the preview host page, against the real
// Mattermost server, with report posts written by the real bridge (a child process). Its own log
// and ops channels keep it independent of what other tests left on the server.
import {execFileSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {Page} from 'playwright-core';
import {waitFor} from '../lib/incident-bridge';
import {testServer} from '../lib/mattermost';
import type {MmChannel, MmCommand, MmPost, MmUser} from '../../server-bridge/src/mm/types';
import type {HostServer} from './server/host_server';
import {freePort, setupSettings, startBridgeProcess, type BridgeProcess} from './support/bridge_process';
import {patchPluginConfig as patchConfig, PROBES, REPORTING_BRIDGE, startFiftyTargets, waitForPost as waitForServerPost, type FiftyTargets} from './support/server_posts';
import {launchChromium, type Chromium} from './support/chromium';
import {SCREENSHOTS, recordResponses, signIn, startPreview, type SeenResponse} from './support/preview';
import manifest from '../../plugin.json';
import {publicKeyOf, signingKeyFrom} from '../../server-bridge/src/signing/post-signer';

const root = path.resolve(__dirname, '../..');
const mm = testServer();
const suffix = Date.now().toString(36);
const logChannel = `hc-log-${suffix}`;
const opsChannel = `hc-ops-${suffix}`;
const REPORT = 'custom_healthcheck_report';
const ALERT = 'custom_healthcheck_alert';
const SLO_ALERT = 'custom_healthcheck_slo';

let chromium: Chromium | undefined;
let preview: HostServer | undefined;
let bridge: BridgeProcess | undefined;
let page: Page;
let responses: SeenResponse[];
let settings: Record<string, string>;
let logChannelId: string;
let previousPluginConfig: Record<string, unknown> | undefined;
let teamId: string;
let bridgeUrl: string;
// The bridge (re)registers /healthcheck in the team for "Run probes now": what was there is put back.
let previousCommands: MmCommand[] | undefined;

const healthcheckCommands = async () => (await mm.admin.get<MmCommand[]>('/commands', {query: {team_id: teamId, custom_only: true}})).filter((c) => c.trigger === 'healthcheck' && c.delete_at === 0);

const pluginPath = (p: string) => p.startsWith(`/static/plugins/${manifest.id}/`);
const postItem = (id: string) => page.locator(`li[data-post-id="${id}"]`);

const patchPluginConfig = (values: Record<string, unknown>) => patchConfig(mm, values);
const waitForPost = (channelId: string, match: (p: MmPost) => boolean, what: string, timeoutMs = 60000) => waitForServerPost(mm, channelId, match, what, {timeoutMs, ...(bridge ? {bridge} : {})});

beforeAll(async () => {
  execFileSync('make', ['-s', 'dist'], {cwd: root, stdio: 'inherit'});
  execFileSync('make', ['-s', 'deploy'], {cwd: root, stdio: 'inherit', env: {...process.env, MM_SERVICESETTINGS_SITEURL: mm.url, MM_ADMIN_TOKEN: mm.env.MM_ADMIN_TOKEN}});
  settings = setupSettings(mm, {logChannel, opsChannel});
  teamId = (await mm.admin.get<{id: string}>(`/teams/name/${mm.env.MM_TEAM}`)).id;
  previousCommands = await healthcheckCommands();
  bridgeUrl = `http://127.0.0.1:${await freePort()}`;
  logChannelId = (await mm.admin.get<MmChannel>(`/teams/name/${mm.env.MM_TEAM}/channels/name/${logChannel}`)).id;
  const config = await mm.admin.get<{PluginSettings: {Plugins: Record<string, Record<string, unknown>>}}>('/config');
  previousPluginConfig = config.PluginSettings.Plugins[manifest.id] ?? {};
  await patchPluginConfig({...previousPluginConfig, logchannel: logChannel, opschannel: opsChannel});
  mkdirSync(SCREENSHOTS, {recursive: true});
  preview = await startPreview(mm);
  chromium = await launchChromium();
  page = await chromium.context.newPage();
  responses = recordResponses(page);
  await signIn(page, preview.url, {username: mm.env.MM_ADMIN_USERNAME as string, password: mm.env.MM_ADMIN_PASSWORD as string}, logChannel);
}, 240000);

afterAll(async () => {
  await bridge?.stop();
  await chromium?.close();
  await preview?.close();
  if (previousPluginConfig) await patchPluginConfig(previousPluginConfig);
  if (previousCommands) {
    for (const c of await healthcheckCommands()) {
      const before = previousCommands.find((p) => p.id === c.id);
      if (before) await mm.admin.put(`/commands/${c.id}`, before);
      else if (c.url.startsWith(bridgeUrl)) await mm.admin.delete(`/commands/${c.id}`);
    }
  }
});

describe('the plugin bundle on the preview host page', () => {
  it('is loaded from the real server under /static/plugins/ and initializes without errors', async () => {
    const registered = await page.locator('#registrations li').allInnerTexts();
    expect(registered).toEqual(
      expect.arrayContaining([
        `${manifest.id}: registerAdminConsoleCustomSetting (HealthPanel)`,
        `${manifest.id}: registerPostTypeComponent (custom_healthcheck_report)`,
        `${manifest.id}: registerPostTypeComponent (custom_healthcheck_alert)`,
        `${manifest.id}: registerSlashCommandWillBePostedHook`,
        `${manifest.id}: registerWebSocketEventHandler (posted)`,
      ]),
    );
    await expect(page.locator('#registrations [role=alert]').count()).resolves.toBe(0);
    const bundle = responses.find((r) => pluginPath(r.url) && /_bundle\.js$/.test(r.url));
    expect(bundle).toMatchObject({status: 200});
    expect(bundle?.url).toMatch(new RegExp(`^/static/plugins/${manifest.id}/${manifest.id}_[0-9a-f]+_bundle\\.js$`));
  });

  it('loads the lazy chunks from beside the bundle', async () => {
    await page.getByTestId('healthcheck-panel').waitFor();
    const chunks = responses.filter((r) => pluginPath(r.url) && !r.url.endsWith('_bundle.js') && r.url.endsWith('.js'));
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.every((c) => c.status === 200)).toBe(true);
  });
});

describe('System Console panel', () => {
  it('shows the live ping from the browser: status and server version', async () => {
    const ping = page.getByTestId('healthcheck-live-ping');
    await waitFor('the ping to be answered', async () => /11\.4\.0/.test(await ping.innerText()), 30000);
    await expect(ping.innerText()).resolves.toMatch(/\bOK\b/);
    const pings = responses.filter((r) => r.url.startsWith('/api/v4/system/ping'));
    expect(pings.length).toBeGreaterThan(0);
    // The plain ping only: the deep check writes to the database and waits for the admin's click.
    expect(pings.some((r) => r.url.includes('get_server_status=true'))).toBe(false);
  });

  it('says there is no report yet in a fresh log channel', async () => {
    await page.getByTestId('healthcheck-report-empty').waitFor();
  });

  it('shows the report the real bridge posts, live, without reloading the page', async () => {
    await page.evaluate(() => ((window as unknown as {notReloaded: boolean}).notReloaded = true));
    const started = Date.now();
    bridge = startBridgeProcess(settings, mm, {
      ...REPORTING_BRIDGE,
      HEALTHCHECK_LISTEN: bridgeUrl.replace('http://', ''),
      HEALTHCHECK_PUBLIC_URL: bridgeUrl,
    });
    const report = await waitForPost(logChannelId, (p) => p.type === REPORT && p.user_id === mm.env.MM_BOT_USER_ID && p.create_at >= started, 'report post from the bridge');
    const table = page.getByTestId('healthcheck-probes');
    await table.waitFor({timeout: 30000});
    const text = await table.innerText();
    for (const probe of PROBES) expect(text).toContain(probe);
    await expect(page.evaluate(() => (window as unknown as {notReloaded?: boolean}).notReloaded)).resolves.toBe(true);
    // The same post arrived over the host page's websocket and is rendered by the plugin's card.
    await postItem(report.id).getByTestId('healthcheck-report-card').waitFor();
    await expect(postItem(report.id).getByTestId('healthcheck-untrusted').count()).resolves.toBe(0);
  });
});

describe('System Console opened by its URL (no current team, as in the web app)', () => {
  it("finds the log channel without a team and shows the bridge's report with the default team setting", async () => {
    const consolePage = await (chromium as Chromium).context.newPage();
    try {
      await consolePage.goto(`${(preview as HostServer).url}/?view=console`);
      await consolePage.getByTestId('console-only').waitFor();
      const table = consolePage.getByTestId('healthcheck-probes');
      await table.waitFor({timeout: 30000});
      for (const probe of PROBES) await expect(table.innerText()).resolves.toContain(probe);
      await expect(consolePage.getByTestId('healthcheck-no-channel').count()).resolves.toBe(0);
      await consolePage
        .locator('.console-custom')
        .first()
        .screenshot({path: path.join(SCREENSHOTS, 'panel-console-only.png')});
    } finally {
      await consolePage.close();
    }
  });
});

describe('Run probes now', () => {
  it("runs /healthcheck run through the real server; the report of that run replaces the bridge's answer in the panel", async () => {
    await waitFor('the bridge to register /healthcheck', async () => (await healthcheckCommands()).some((c) => c.url.startsWith(bridgeUrl)), 30000);
    await page.getByTestId('healthcheck-run-now').click();
    // The bridge's answer shows first; the report it posts after the run then replaces it.
    await waitFor(
      'the report of the run in the panel',
      async () => (await page.getByTestId('healthcheck-run-answer').innerText()).includes('The probes ran: the results below are from that run.'),
      30000,
    );
    await waitForPost(
      logChannelId,
      (p) => p.type === REPORT && p.user_id === mm.env.MM_BOT_USER_ID && (p.props as {healthcheck_report?: {reason?: string}}).healthcheck_report?.reason === 'run',
      'report of the run',
    );
    // The bridge writes Mattermost markdown: its emoji shortcodes are not shown raw.
    await expect(page.getByTestId('healthcheck-panel').innerText()).resolves.not.toMatch(/:[a-z_]+:/);
    expect(responses.filter((r) => r.url.startsWith('/api/v4/commands/execute')).map((r) => r.status)).toEqual([200]);
  });
});

describe('trust', () => {
  it('shows a forged report by a normal user as plain text, marked, never as HTML', async () => {
    const name = `forger${suffix}`;
    const password = `Forger-${suffix}-Pw1!`;
    const user = await mm.admin.post<MmUser>('/users', {username: name, email: `${name}@localhost`, password});
    const team = await mm.admin.get<{id: string}>(`/teams/name/${mm.env.MM_TEAM}`);
    await mm.admin.post(`/teams/${team.id}/members`, {team_id: team.id, user_id: user.id});
    await mm.admin.post(`/channels/${logChannelId}/members`, {user_id: user.id});
    const login = await mm.anonymous.request<MmUser>('POST', '/users/login', {body: {login_id: name, password}});
    const forger = mm.anonymous.withToken(login.headers.get('token'));
    const real = await waitForPost(logChannelId, (p) => p.type === REPORT && p.user_id === mm.env.MM_BOT_USER_ID, 'report post');
    const forgedProps = JSON.parse(JSON.stringify(real.props)) as {healthcheck_report: {probes: {probe: string}[]}};
    for (const p of forgedProps.healthcheck_report.probes) p.probe = `forged_${p.probe}`;
    const message = 'All fine <b>bold claim</b> <img src=x onerror="window.forgedRan=1">';
    const forged = await forger.post<MmPost>('/posts', {channel_id: logChannelId, message, type: REPORT, props: forgedProps});
    try {
      const item = postItem(forged.id);
      await item.getByTestId('healthcheck-untrusted').waitFor();
      await expect(item.getByTestId('healthcheck-plain-post').innerText()).resolves.toContain('<b>bold claim</b>');
      await expect(item.locator('b, img').count()).resolves.toBe(0);
      await expect(item.getByTestId('healthcheck-report-card').count()).resolves.toBe(0);
      await expect(page.evaluate(() => (window as unknown as {forgedRan?: number}).forgedRan)).resolves.toBeUndefined();
      // The panel still reads the bot's report, not the newer forged one.
      await expect(page.getByTestId('healthcheck-probes').innerText()).resolves.not.toContain('forged_');
      await item.screenshot({path: path.join(SCREENSHOTS, 'forged-card-light.png')});
    } finally {
      await mm.admin.delete(`/posts/${forged.id}`);
      await mm.admin.delete(`/users/${user.id}`);
    }
  });
});

describe('signed cards', () => {
  it("shows the bridge's signed report as a card and, once an admin patched its props (no edit mark), as a forged post; measures the signature check", async () => {
    const real = await waitForPost(logChannelId, (p) => p.type === REPORT && p.user_id === mm.env.MM_BOT_USER_ID && typeof p.props.healthcheck_signature === 'string', 'signed report post');
    await postItem(real.id).getByTestId('healthcheck-report-card').waitFor();
    // What the check costs in Chromium: canonical JSON of this report and one WebCrypto verify, the
    // code of contract/signature.ts and webapp/src/api/signature.ts written out here (the bundle keeps them inside).
    const publicKey = publicKeyOf(signingKeyFrom(readFileSync(settings.HEALTHCHECK_SIGNING_KEY_FILE as string, 'utf8')));
    const cost = await page.evaluate(
      async ({props, key}) => {
        const canon = (v: unknown): string =>
          v === null || typeof v !== 'object'
            ? (JSON.stringify(v) ?? 'null')
            : Array.isArray(v)
              ? `[${v.map(canon).join(',')}]`
              : `{${Object.entries(v as Record<string, unknown>)
                  .filter(([, x]) => x !== undefined)
                  .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
                  .map(([k, x]) => `${JSON.stringify(k)}:${canon(x)}`)
                  .join(',')}}`;
        const bytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const runs: number[] = [];
        let ok = false;
        for (let i = 0; i < 50; i++) {
          const t0 = performance.now();
          const text = canon({schema: 'healthcheck.sig/v1', type: 'custom_healthcheck_report', data: props.healthcheck_report});
          const k = await crypto.subtle.importKey('spki', bytes(key), {name: 'ECDSA', namedCurve: 'P-256'}, false, ['verify']);
          ok = await crypto.subtle.verify({name: 'ECDSA', hash: 'SHA-256'}, k, bytes(props.healthcheck_signature as string), new TextEncoder().encode(text));
          runs.push(performance.now() - t0);
        }
        runs.sort((a, b) => a - b);
        return {ok, p50: runs[25], p95: runs[47], bytes: JSON.stringify(props.healthcheck_report).length};
      },
      {props: real.props as Record<string, unknown>, key: publicKey},
    );
    expect(cost.ok).toBe(true);
    writeFileSync(path.join(SCREENSHOTS, 'signature-cost.json'), `${JSON.stringify(cost)}\n`);

    // A copy of it as the bot posts it (signed, so a card), then patched by an admin: the data the card shows changes, the message does not.
    const bot = mm.anonymous.withToken(mm.env.MM_BOT_TOKEN as string);
    const t0 = Date.now();
    const copy = await bot.post<MmPost>('/posts', {
      channel_id: logChannelId,
      message: real.message,
      type: REPORT,
      props: {healthcheck_report: real.props.healthcheck_report, healthcheck_signature: real.props.healthcheck_signature},
    });
    try {
      const item = postItem(copy.id);
      await item.getByTestId('healthcheck-report-card').waitFor();
      writeFileSync(path.join(SCREENSHOTS, 'signed-card-shown-ms.txt'), `${Date.now() - t0}\n`);
      const report = copy.props.healthcheck_report as {probes: {probe: string}[]};
      const patched = {...report, probes: report.probes.map((p) => ({...p, probe: `patched_${p.probe}`}))};
      await mm.admin.put(`/posts/${copy.id}/patch`, {props: {...copy.props, healthcheck_report: patched}});
      await item.getByTestId('healthcheck-untrusted').waitFor();
      await expect(item.getByTestId('healthcheck-report-card').count()).resolves.toBe(0);
      await expect(item.getByTestId('healthcheck-plain-post').innerText()).resolves.toContain(real.message.split('\n')[0] as string);
      await expect(item.innerText()).resolves.not.toContain('patched_');
      expect((await mm.admin.get<MmPost>(`/posts/${copy.id}`)).edit_at).toBe(0);
      await item.screenshot({path: path.join(SCREENSHOTS, 'patched-card-light.png')});
    } finally {
      await mm.admin.delete(`/posts/${copy.id}`);
    }
  });
});

describe('/healthcheck in the browser', () => {
  it('is answered by the plugin hook with a client-side card, without calling the server', async () => {
    const before = responses.filter((r) => r.url.startsWith('/api/v4/commands/execute')).length;
    await page.getByPlaceholder('Write a message, or /healthcheck').fill('/healthcheck');
    await page.getByRole('button', {name: 'Send'}).click();
    const card = page.locator('li[data-post-type="custom_healthcheck_status"]').last();
    await card.getByTestId('healthcheck-status-card').waitFor();
    await waitFor('the live ping in the card', async () => /11\.4\.0/.test(await card.innerText()), 30000);
    await expect(card.innerText()).resolves.toMatch(/Server OK/);
    await card.screenshot({path: path.join(SCREENSHOTS, 'status-card-light.png')});
    expect(responses.filter((r) => r.url.startsWith('/api/v4/commands/execute')).length).toBe(before);
  });
});

/** How many pixels of the first latency chart's canvas are drawn, mostly opaque, in this colour (±2 per channel). */
const chartPixelsIn = (css: string) =>
  page
    .getByTestId('healthcheck-chart')
    .first()
    .locator('canvas')
    .evaluate(
      (canvas: HTMLCanvasElement, want: number[]) => {
        const ctx = canvas.getContext('2d');
        if (!ctx) return 0;
        const {data} = ctx.getImageData(0, 0, canvas.width, canvas.height);
        let n = 0;
        for (let i = 0; i < data.length; i += 4) if ((data[i + 3] ?? 0) > 96 && want.every((v, k) => Math.abs((data[i + k] ?? 0) - v) <= 2)) n++;
        return n;
      },
      (css.match(/\d+/g) ?? []).map(Number),
    );

describe('themes', () => {
  it.each([
    ['light', 'rgb(255, 255, 255)', 'rgb(63, 67, 80)', 'rgb(227, 228, 232)'],
    ['dark', 'rgb(25, 27, 31)', 'rgb(227, 228, 232)', 'rgb(63, 67, 80)'],
  ])('panel and cards follow the %s theme through its CSS variables', async (theme, background, text, otherText) => {
    const toggle = page.getByTestId('theme-toggle');
    if (!(await toggle.innerText()).startsWith(theme === 'light' ? 'Theme: Denim' : 'Theme: Onyx')) await toggle.click();
    // The chart's axis labels are drawn again in this theme's text colour, with the same report.
    await waitFor("the chart in the theme's text colour", async () => (await chartPixelsIn(text)) > 0 && (await chartPixelsIn(otherText)) === 0, 10000);
    const report = await waitForPost(logChannelId, (p) => p.type === REPORT && p.user_id === mm.env.MM_BOT_USER_ID, 'report post');
    const card = postItem(report.id).getByTestId('healthcheck-report-card');
    await expect(card.evaluate((el) => getComputedStyle(el).backgroundColor)).resolves.toBe(background);
    await expect(card.evaluate((el) => getComputedStyle(el).color)).resolves.toBe(text);
    await expect(page.getByTestId('healthcheck-panel').evaluate((el) => getComputedStyle(el).color)).resolves.toBe(text);
    await page
      .locator('.console-custom')
      .first()
      .screenshot({path: path.join(SCREENSHOTS, `panel-${theme}.png`)});
    await postItem(report.id).screenshot({path: path.join(SCREENSHOTS, `report-card-${theme}.png`)});
    // The objectives of the bridge's defaults, each with its budget drawn by uPlot in the chart chunk.
    const slos = page.getByTestId('healthcheck-slos');
    await slos.waitFor({timeout: 30000});
    await expect(slos.locator('tr[data-slo="log-in"]').innerText()).resolves.toMatch(/99\.50 %/);
    await expect(slos.locator('tr[data-slo="search"]').innerText()).resolves.toContain('no runs yet');
    await slos.locator('tr[data-slo="log-in"] [data-testid="healthcheck-budget-chart"] canvas').first().waitFor({timeout: 30000});
    await expect(slos.evaluate((el) => getComputedStyle(el).color)).resolves.toBe(text);
    await slos.screenshot({path: path.join(SCREENSHOTS, `slo-table-${theme}.png`)});
  });
});

describe('incident alert card', () => {
  // The same bridge, restarted on one state file: the login probe fails on a wrong password until
  // an incident opens, then succeeds again until the incident is resolved and its root patched.
  const incidentProbes = {HEALTHCHECK_PROBES: 'ping,login', HEALTHCHECK_INTERVAL: '2s', HEALTHCHECK_TIMEOUT: '1500ms', HEALTHCHECK_HEARTBEAT: '5m', HEALTHCHECK_LOG_LEVEL: 'warn'};
  let dir: string;
  let opsChannelId: string;
  let root: MmPost;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hc-browser-incident-'));
    writeFileSync(path.join(dir, 'wrong-password'), 'not-the-password-1A!\n', {mode: 0o600});
    opsChannelId = (await mm.admin.get<MmChannel>(`/teams/name/${mm.env.MM_TEAM}/channels/name/${opsChannel}`)).id;
    // Members of the ops channel may acknowledge (the default role).
    await mm.admin.post(`/channels/${opsChannelId}/members`, {user_id: mm.env.MM_ADMIN_USER_ID});
    await bridge?.stop();
    bridge = undefined;
    await page.getByTestId('channel-select').selectOption(opsChannelId);
  });

  afterAll(() => rmSync(dir, {recursive: true, force: true}));

  it('shows an open incident the real bridge posted, in the card, the panel and the notice', async () => {
    // Mattermost calls the buttons' URL: the bridge's public URL, on a port known before it starts.
    const listen = {HEALTHCHECK_LISTEN: bridgeUrl.replace('http://', ''), HEALTHCHECK_PUBLIC_URL: bridgeUrl};
    bridge = startBridgeProcess(settings, mm, {...incidentProbes, ...listen, HEALTHCHECK_STATE_FILE: path.join(dir, 'state.json'), HEALTHCHECK_PROBE_PASSWORD_FILE: path.join(dir, 'wrong-password')});
    root = await waitForPost(opsChannelId, (p) => p.type === ALERT && p.user_id === mm.env.MM_BOT_USER_ID && !p.root_id && Array.isArray(p.props.attachments), 'incident root post with buttons');
    const card = postItem(root.id).getByTestId('healthcheck-alert-card');
    await card.waitFor();
    await expect(card.innerText()).resolves.toContain('Incident open');
    await expect(card.innerText()).resolves.toContain('login');
    // The next report carries the open incident; the panel lists it with a link to its thread.
    await waitFor(
      'the panel to list the incident',
      async () =>
        (
          await page
            .getByTestId('healthcheck-incidents')
            .innerText()
            .catch(() => '')
        ).includes('login'),
      30000,
    );
    await expect(page.getByTestId('healthcheck-incidents').locator(`a[href*="${root.id}"]`).count()).resolves.toBeGreaterThan(0);
    // The degraded-service notice, from the bot's status on the websocket (a global component).
    const notice = page.getByTestId('healthcheck-notice');
    await notice.waitFor({timeout: 30000});
    await expect(notice.innerText()).resolves.toMatch(/Signing in does not work since \d{1,2}:\d{2}/);
    for (const theme of ['light', 'dark']) {
      const toggle = page.getByTestId('theme-toggle');
      if (!(await toggle.innerText()).startsWith(theme === 'light' ? 'Theme: Denim' : 'Theme: Onyx')) await toggle.click();
      await postItem(root.id).screenshot({path: path.join(SCREENSHOTS, `alert-card-open-${theme}.png`)});
      await page
        .locator('.console-custom')
        .first()
        .screenshot({path: path.join(SCREENSHOTS, `panel-incident-${theme}.png`)});
      await notice.screenshot({path: path.join(SCREENSHOTS, `notice-${theme}.png`)});
    }
  });

  it("acknowledges from the card's button through Mattermost (POST /posts/{id}/actions/{action}): the card says who, the buttons change", async () => {
    const actions = postItem(root.id).getByTestId('healthcheck-alert-actions');
    await actions.waitFor({timeout: 30000});
    await expect(actions.locator('button').allInnerTexts()).resolves.toEqual(['Acknowledge', 'Mute 1 h', 'Mute 4 h']);
    await actions.locator('[data-action="ack"]').click();
    await waitForPost(opsChannelId, (p) => p.id === root.id && p.message.includes('Acknowledged by'), 'acknowledged root', 30000);
    const ack = postItem(root.id).getByTestId('healthcheck-alert-ack');
    await ack.waitFor({timeout: 30000});
    await expect(ack.innerText()).resolves.toContain(`Acknowledged by @${mm.env.MM_ADMIN_USERNAME}`);
    await waitFor('the buttons to change', async () => (await actions.locator('button').allInnerTexts()).join(',') === 'Mute 1 h,Mute 4 h', 30000);
    await postItem(root.id).screenshot({path: path.join(SCREENSHOTS, 'alert-card-acknowledged.png')});
  });

  it('updates the card live when the incident is resolved (the root post is patched), and the notice goes', async () => {
    await bridge?.stop();
    bridge = startBridgeProcess(settings, mm, {...incidentProbes, HEALTHCHECK_STATE_FILE: path.join(dir, 'state.json')});
    await waitForPost(opsChannelId, (p) => p.id === root.id && (p.props as {healthcheck_alert?: {state?: string}}).healthcheck_alert?.state === 'resolved', 'resolved incident root');
    const card = postItem(root.id).getByTestId('healthcheck-alert-card');
    await waitFor('the card to say Resolved', async () => (await card.innerText()).includes('Resolved'), 30000);
    await page.getByTestId('healthcheck-notice').waitFor({state: 'detached', timeout: 30000});
    await postItem(root.id).screenshot({path: path.join(SCREENSHOTS, 'alert-card-resolved-dark.png')});
    await page.getByTestId('theme-toggle').click();
    await postItem(root.id).screenshot({path: path.join(SCREENSHOTS, 'alert-card-resolved-light.png')});
  });

  it('speaks Dutch when the user chooses Dutch', async () => {
    await page.getByTestId('locale').selectOption('nl');
    await waitFor('the card in Dutch', async () => (await postItem(root.id).getByTestId('healthcheck-alert-card').innerText()).includes('Opgelost'), 10000);
    // The language change remounts everything (as in the web app): the panel loads its report again.
    await waitFor('the panel in Dutch', async () => (await page.getByTestId('healthcheck-panel').innerText()).includes('Laatste resultaten'), 30000);
    await page.getByTestId('locale').selectOption('en');
  });
});

describe('SLO alert card', () => {
  // A real burn, as in tests/e2e/slo-actions.test.ts: the objective's window scaled to 2 h, the
  // server's ping made UNHEALTHY by a low GoroutineHealthThreshold, then put back.
  const slo = `ping-browser-${suffix}`;
  let dir: string;
  let opsChannelId: string;
  let root: MmPost;
  let threshold: number | null = null;
  const restoreThreshold = async () => {
    if (threshold !== null) await mm.admin.put('/config/patch', {ServiceSettings: {GoroutineHealthThreshold: threshold}});
    threshold = null;
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hc-browser-slo-'));
    writeFileSync(path.join(dir, 'bridge.json'), JSON.stringify({slos: [{name: slo, probes: ['ping'], objective: 99, window: '2h'}]}));
    opsChannelId = (await mm.admin.get<MmChannel>(`/teams/name/${mm.env.MM_TEAM}/channels/name/${opsChannel}`)).id;
    await mm.admin.post(`/channels/${opsChannelId}/members`, {user_id: mm.env.MM_ADMIN_USER_ID});
    await bridge?.stop();
    const listen = {HEALTHCHECK_LISTEN: bridgeUrl.replace('http://', ''), HEALTHCHECK_PUBLIC_URL: bridgeUrl};
    bridge = startBridgeProcess(settings, mm, {
      ...listen,
      HEALTHCHECK_CONFIG_FILE: path.join(dir, 'bridge.json'),
      HEALTHCHECK_STATE_FILE: path.join(dir, 'state.json'),
      HEALTHCHECK_PROBES: 'ping',
      HEALTHCHECK_INTERVAL: '1s',
      HEALTHCHECK_TIMEOUT: '900ms',
      HEALTHCHECK_JITTER: '0',
      HEALTHCHECK_HEARTBEAT: '5m',
      HEALTHCHECK_LOG_LEVEL: 'warn',
    });
    await page.getByTestId('channel-select').selectOption(opsChannelId);
    // Healthy runs first, then the failure that burns the budget.
    await new Promise((r) => setTimeout(r, 12000));
    threshold = (await mm.admin.get<{ServiceSettings: {GoroutineHealthThreshold: number}}>('/config')).ServiceSettings.GoroutineHealthThreshold;
    await mm.admin.put('/config/patch', {ServiceSettings: {GoroutineHealthThreshold: 10}});
  }, 60000);

  afterAll(async () => {
    await restoreThreshold();
    await page.getByTestId('locale').selectOption('en');
    rmSync(dir, {recursive: true, force: true});
  });

  it('shows the signed burn-rate alert the real bridge posted as a card with its buttons, light and dark', async () => {
    root = await waitForPost(opsChannelId, (p) => p.type === SLO_ALERT && !p.root_id && p.message.includes(slo) && Array.isArray(p.props.attachments), 'SLO alert root with buttons', 90000);
    const card = postItem(root.id).getByTestId('healthcheck-slo-alert-card');
    await card.waitFor({timeout: 30000});
    await expect(card.innerText()).resolves.toContain(`Error budget of ${slo}`);
    await expect(card.innerText()).resolves.toMatch(/burn rate \d/);
    await expect(card.innerText()).resolves.toMatch(/Budget left -?\d/);
    await expect(postItem(root.id).getByTestId('healthcheck-alert-actions').locator('button').allInnerTexts()).resolves.toEqual(['Acknowledge', 'Mute 1 h', 'Mute 4 h']);
    await expect(postItem(root.id).getByTestId('healthcheck-untrusted').count()).resolves.toBe(0);
    // The theme's own colours, as the report card's (the themes suite above).
    for (const [theme, background, text] of [
      ['light', 'rgb(255, 255, 255)', 'rgb(63, 67, 80)'],
      ['dark', 'rgb(25, 27, 31)', 'rgb(227, 228, 232)'],
    ] as const) {
      const toggle = page.getByTestId('theme-toggle');
      if (!(await toggle.innerText()).startsWith(theme === 'light' ? 'Theme: Denim' : 'Theme: Onyx')) await toggle.click();
      await waitFor(`the card in the ${theme} theme`, async () => (await card.evaluate((el) => getComputedStyle(el).backgroundColor)) === background, 10000);
      await expect(card.evaluate((el) => getComputedStyle(el).color)).resolves.toBe(text);
      await postItem(root.id).screenshot({path: path.join(SCREENSHOTS, `slo-alert-card-open-${theme}.png`)});
    }
  });

  it("acknowledges from the card's button through Mattermost: the card says who, Acknowledge goes", async () => {
    const actions = postItem(root.id).getByTestId('healthcheck-alert-actions');
    await actions.locator('[data-action="ack"]').click();
    await waitForPost(opsChannelId, (p) => p.id === root.id && p.message.includes('Acknowledged by'), 'acknowledged SLO alert root', 30000);
    const ack = postItem(root.id).getByTestId('healthcheck-slo-alert-ack');
    await ack.waitFor({timeout: 30000});
    await expect(ack.innerText()).resolves.toContain(`Acknowledged by @${mm.env.MM_ADMIN_USERNAME}`);
    await waitFor('the buttons to change', async () => (await actions.locator('button').allInnerTexts()).join(',') === 'Mute 1 h,Mute 4 h', 30000);
    await postItem(root.id).screenshot({path: path.join(SCREENSHOTS, 'slo-alert-card-acknowledged.png')});
  });

  it('says Resolved once the burn stops, without buttons, in English and Dutch', async () => {
    await restoreThreshold();
    await waitForPost(opsChannelId, (p) => p.id === root.id && (p.props as {healthcheck_slo_alert?: {state?: string}}).healthcheck_slo_alert?.state === 'resolved', 'resolved SLO alert root', 150000);
    const card = postItem(root.id).getByTestId('healthcheck-slo-alert-card');
    await waitFor('the card to say Resolved', async () => (await card.innerText()).includes('Resolved'), 30000);
    await expect(postItem(root.id).getByTestId('healthcheck-alert-actions').count()).resolves.toBe(0);
    await postItem(root.id).screenshot({path: path.join(SCREENSHOTS, 'slo-alert-card-resolved.png')});
    await page.getByTestId('locale').selectOption('nl');
    await waitFor('the card in Dutch', async () => (await postItem(root.id).getByTestId('healthcheck-slo-alert-card').innerText()).includes(`Foutbudget van ${slo}`), 10000);
    await expect(postItem(root.id).getByTestId('healthcheck-slo-alert-card').innerText()).resolves.toContain('Opgelost');
    await postItem(root.id).screenshot({path: path.join(SCREENSHOTS, 'slo-alert-card-resolved-nl.png')});
    await page.getByTestId('locale').selectOption('en');
  }, 200000);
});

describe('fifty targets', () => {
  let fifty: FiftyTargets | undefined;
  let report: MmPost;

  beforeAll(async () => {
    await bridge?.stop();
    fifty = await startFiftyTargets(mm, settings, logChannelId);
    bridge = fifty.bridge;
    report = fifty.report;
    await page.getByTestId('channel-select').selectOption(logChannelId);
  }, 120000);

  afterAll(() => fifty?.close());

  it('reads summary first in the card and the panel: the failing target open, 49 folded, one chart pair drawn', async () => {
    const card = postItem(report.id).getByTestId('healthcheck-report-card');
    await card.waitFor({timeout: 30000});
    await expect(card.getByTestId('healthcheck-targets-folded').locator('summary').innerText()).resolves.toBe('49 targets OK');
    await expect(card.getByTestId('healthcheck-targets-summary').locator(':scope > div [data-target]').first().getAttribute('data-target')).resolves.toBe('node-13');
    await postItem(report.id).screenshot({path: path.join(SCREENSHOTS, 'report-card-50-targets.png')});
    const targets = page.getByTestId('healthcheck-targets');
    await waitFor('the panel to show the 50-target report', async () => (await targets.locator('tr[data-target]').count()) === 50, 30000);
    await expect(targets.locator('tr[data-target]').first().getAttribute('data-target')).resolves.toBe('node-13');
    await expect(page.getByTestId('healthcheck-chart').count()).resolves.toBe(2);
    await page.getByTestId('healthcheck-target-filter').fill('node-13');
    await expect(targets.locator('tr[data-target]').count()).resolves.toBe(1);
    await page.getByTestId('healthcheck-target-filter').fill('');
    await page
      .locator('.console-custom')
      .first()
      .screenshot({path: path.join(SCREENSHOTS, 'panel-50-targets.png')});
  });
});

// As the admin: a normal user without the plugin's settings reads the default log channel, which
// this file's bridges do not post to (the real web app test covers a normal user there).
describe('the status page (registerNeedsTeamRoute)', () => {
  it('is reached from the main menu: services in plain words, no probe or target; it reloads; and back', async () => {
    await page.getByTestId('main-menu').getByRole('button', {name: 'Mattermost status'}).click();
    const services = page.getByTestId('healthcheck-status-services');
    await services.waitFor({timeout: 30000});
    await expect(page.evaluate(() => window.location.pathname)).resolves.toBe(`/${mm.env.MM_TEAM}/${manifest.id}/status`);
    // The fifty-target bridge before ran ping and login_page: signing in. The server (ping) is left
    // to the admins while something users do is measured.
    const text = await page.getByTestId('healthcheck-status-page').innerText();
    expect(text).toContain('Signing in');
    expect(text).not.toContain('The server');
    // 90 daily bars: today's watched, the days before the bridges of this run nobody watched.
    const bars = page.locator('[data-testid="healthcheck-status-strips"] [data-strip="signIn"] [data-day]');
    await expect(bars.count()).resolves.toBe(90);
    await expect(bars.last().getAttribute('data-uptime')).resolves.not.toBe('none');
    await expect(bars.first().getAttribute('data-uptime')).resolves.toBe('none');
    await expect(page.locator('[data-strip="server"]').count()).resolves.toBe(0);
    for (const detail of ['login_page', 'node-13', '127.0.0.1', 'http://']) expect(text).not.toContain(detail);
    await expect(page.locator('#channel').count()).resolves.toBe(0);
    await page.getByTestId('healthcheck-status-page').screenshot({path: path.join(SCREENSHOTS, 'status-page.png')});
    // The other theme, and Dutch.
    await page.getByTestId('theme-toggle').click();
    await page.getByTestId('healthcheck-status-page').screenshot({path: path.join(SCREENSHOTS, 'status-page-other-theme.png')});
    await page.getByTestId('locale').selectOption('nl');
    await waitFor('the status page in Dutch', async () => (await page.getByTestId('healthcheck-status-page').innerText()).includes('Laatste 90 dagen'), 15000);
    await page.getByTestId('healthcheck-status-page').screenshot({path: path.join(SCREENSHOTS, 'status-page-nl.png')});
    await page.getByTestId('locale').selectOption('en');
    await page.getByTestId('theme-toggle').click();
    // The page's own URL loads it again, as a reload does in the web app.
    await page.reload();
    await services.waitFor({timeout: 60000});
    await page.getByTestId('back-to-channel').click();
    await page.locator('#channel').waitFor();
    await expect(page.getByTestId('healthcheck-status-page').count()).resolves.toBe(0);
  });
});

describe('as a normal user', () => {
  let user: MmUser;

  beforeAll(async () => {
    await page.screenshot({path: path.join(SCREENSHOTS, 'preview-page.png'), fullPage: true});
    const name = `reader${suffix}`;
    const password = `Reader-${suffix}-Pw1!`;
    user = await mm.admin.post<MmUser>('/users', {username: name, email: `${name}@localhost`, password});
    const team = await mm.admin.get<{id: string}>(`/teams/name/${mm.env.MM_TEAM}`);
    await mm.admin.post(`/teams/${team.id}/members`, {team_id: team.id, user_id: user.id});
    await mm.admin.post(`/channels/${logChannelId}/members`, {user_id: user.id});
    await page.getByRole('button', {name: 'Sign out'}).click();
    await page.getByLabel('Username or email').waitFor();
    await signIn(page, (preview as HostServer).url, {username: name, password}, logChannel);
  });

  afterAll(async () => {
    if (user) await mm.admin.delete(`/users/${user.id}`);
  });

  it("sees the bot's report card trusted (the bot found by name, no admin config) and no System Console", async () => {
    const report = await waitForPost(logChannelId, (p) => p.type === REPORT && p.user_id === mm.env.MM_BOT_USER_ID, 'report post');
    await postItem(report.id).getByTestId('healthcheck-report-card').waitFor();
    await expect(page.locator('#system-console').count()).resolves.toBe(0);
    await expect(page.getByTestId('healthcheck-panel').count()).resolves.toBe(0);
  });
});

describe('uninitialize', () => {
  it('unregisters what the plugin registered: its posts fall back to plain messages', async () => {
    const report = await waitForPost(logChannelId, (p) => p.type === REPORT && p.user_id === mm.env.MM_BOT_USER_ID, 'report post');
    await postItem(report.id).getByTestId('healthcheck-report-card').waitFor();
    await page.getByTestId(`uninitialize-${manifest.id}`).click();
    const methods = await page.locator('#registrations li').evaluateAll((items) => items.map((li) => li.getAttribute('data-method')));
    expect(methods.filter((m) => m === 'unregisterPostTypeComponent')).toHaveLength(methods.filter((m) => m === 'registerPostTypeComponent').length);
    expect(methods).toEqual(expect.arrayContaining(['unregisterComponent', 'unregisterWebSocketEventHandler', 'unregisterReconnectHandler', 'uninitialize']));
    await postItem(report.id).locator('.post-message').waitFor();
    await expect(postItem(report.id).getByTestId('healthcheck-report-card').count()).resolves.toBe(0);
    await expect(page.locator('#registrations [role=alert]').count()).resolves.toBe(0);
  });
});
