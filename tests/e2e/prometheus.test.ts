// A real Prometheus (Debian's package) on 127.0.0.1 scrapes a bridge probing the real server, with
// the alert rules of deploy/prometheus loaded: the metrics are scrapeable by the real thing, every
// probe's healthcheck_probe_success is queryable, and the rules evaluate without error.
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {randomBytes} from 'node:crypto';
import {freePort} from '../lib/bridge-process';
import {testServer} from '../lib/mattermost';
import {waitFor} from '../lib/incident-bridge';
import {probeRegistry} from '../../server-bridge/src/probes/registry';
import type {MmChannel} from '../../server-bridge/src/mm/types';

const mm = testServer();
const root = path.resolve(__dirname, '../..');
const id = randomBytes(3).toString('hex');
const dir = mkdtempSync(path.join(os.tmpdir(), 'hc-prometheus-'));
const children: {name: string; child: ChildProcess; output: string}[] = [];
let promUrl = '';

function start(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv): void {
  const entry = {name, child: spawn(cmd, args, {env, stdio: ['ignore', 'pipe', 'pipe']}), output: ''};
  entry.child.stdout?.on('data', (c: Buffer) => (entry.output += c.toString()));
  entry.child.stderr?.on('data', (c: Buffer) => (entry.output += c.toString()));
  children.push(entry);
}

const logs = () => children.map((c) => `--- ${c.name}\n${c.output.slice(-3000)}`).join('\n');

type Sample = {metric: Record<string, string>; value: [number, string]};
async function query(promql: string): Promise<Sample[]> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await res.json()) as {status: string; data: {result: Sample[]}};
  if (body.status !== 'success') throw new Error(`query ${promql}: ${JSON.stringify(body)}`);
  return body.data.result;
}

beforeAll(async () => {
  // Channels of its own, so its report posts stay out of the other tests' channels.
  const channels: Record<string, string> = {};
  const team = await mm.admin.get<{id: string}>(`/teams/name/${mm.env.MM_TEAM}`);
  for (const kind of ['log', 'ops']) {
    const channel = await mm.admin.post<MmChannel>('/channels', {team_id: team.id, name: `prom-${kind}-${id}`, display_name: `Prometheus ${kind} ${id}`, type: 'O'});
    await mm.admin.post(`/channels/${channel.id}/members`, {user_id: mm.env.MM_BOT_USER_ID});
    channels[kind] = channel.name;
  }
  const [bridgePort, promPort] = [await freePort(), await freePort()];
  start('bridge', process.execPath, [path.join(root, 'server-bridge/dist/main.js'), 'run'], {
    PATH: process.env.PATH,
    HEALTHCHECK_MM_URL: mm.url,
    HEALTHCHECK_TEAMS: mm.env.MM_TEAM,
    HEALTHCHECK_BOT_TOKEN: mm.env.MM_BOT_TOKEN,
    // The admin token lets `cluster` run (Team Edition answers [], reported as not applicable, OK).
    HEALTHCHECK_ADMIN_TOKEN: mm.env.MM_ADMIN_TOKEN,
    HEALTHCHECK_PROBE_USERNAME: mm.env.MM_PROBE_USERNAME,
    HEALTHCHECK_PROBE_PASSWORD: mm.env.MM_PROBE_PASSWORD,
    HEALTHCHECK_PROBE_CHANNEL: mm.env.MM_PROBE_CHANNEL,
    HEALTHCHECK_LOG_CHANNEL: channels.log,
    HEALTHCHECK_OPS_CHANNEL: channels.ops,
    HEALTHCHECK_LISTEN: `127.0.0.1:${bridgePort}`,
    HEALTHCHECK_INTERVAL: '5s',
    HEALTHCHECK_TIMEOUT: '4s',
    HEALTHCHECK_HEARTBEAT: '1h',
    HEALTHCHECK_LOG_LEVEL: 'warn',
  });
  const config = path.join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    JSON.stringify({
      global: {scrape_interval: '1s', evaluation_interval: '1s'},
      rule_files: [path.join(root, 'deploy/prometheus/alerts.yml')],
      scrape_configs: [{job_name: 'mattermost-healthcheck-bridge', static_configs: [{targets: [`127.0.0.1:${bridgePort}`]}]}],
    }),
  );
  start('prometheus', 'prometheus', [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`, '--log.level=warn'], {
    PATH: process.env.PATH,
  });
  promUrl = `http://127.0.0.1:${promPort}`;
}, 60_000);

afterAll(async () => {
  for (const {child} of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, {recursive: true, force: true});
});

describe('a real Prometheus scraping the bridge', () => {
  it('scrapes it: up is 1 for the job the alert rules name', async () => {
    await waitFor('the first scrape', async () => (await query('up{job="mattermost-healthcheck-bridge"}').catch(() => []))[0]?.value[1] === '1', 60_000).catch((e: unknown) => {
      throw new Error(`${String(e)}\n${logs()}`);
    });
  });

  it('answers healthcheck_probe_success for every probe, each 1 against the healthy server', async () => {
    // Every probe but `push`, which needs a device id and a push proxy: here it is not configured, and
    // a probe that is not configured has no success series.
    const probes = Object.keys(probeRegistry)
      .filter((p) => p !== 'push')
      .sort();
    const successes = await waitFor(
      'a result of every probe',
      async () => {
        const result = await query('healthcheck_probe_success{job="mattermost-healthcheck-bridge"}');
        return result.length === probes.length ? result : null;
      },
      60_000,
    ).catch((e: unknown) => {
      throw new Error(`${String(e)}\n${logs()}`);
    });
    expect(successes.map((s) => s.metric.probe).sort()).toEqual(probes);
    expect(Object.fromEntries(successes.map((s) => [s.metric.probe, s.value[1]]))).toEqual(Object.fromEntries(probes.map((p) => [p, '1'])));
  });

  it('evaluates every alert rule of alerts.yml without error, none firing for the healthy server', async () => {
    const res = (await (await fetch(`${promUrl}/api/v1/rules`)).json()) as {data: {groups: {rules: {name: string; health: string; state: string; lastError?: string}[]}[]}};
    const rules = res.data.groups.flatMap((g) => g.rules);
    // Every rule the file holds is loaded, in order (HealthcheckProbeFailing twice: critical for users' paths, warning for the rest).
    const inFile = [...readFileSync(path.join(__dirname, '../../deploy/prometheus/alerts.yml'), 'utf8').matchAll(/^\s*- alert: (\S+)$/gm)].map((m) => m[1]);
    expect(inFile).toEqual(['HealthcheckBridgeDown', 'HealthcheckProbeFailing', 'HealthcheckProbeFailing', 'HealthcheckDeliveryLatencyHigh', 'HealthcheckOutboxBackingUp', 'HealthcheckReportStale']);
    expect(rules.map((r) => r.name)).toEqual(inFile);
    await waitFor(
      'every rule evaluated',
      async () => {
        const now = (await (await fetch(`${promUrl}/api/v1/rules`)).json()) as typeof res;
        return now.data.groups.flatMap((g) => g.rules).every((r) => r.health === 'ok');
      },
      30_000,
    );
    expect(await query('ALERTS{alertstate="firing"}')).toEqual([]);
  });
});
