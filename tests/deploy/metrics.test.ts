// The bridge's live /metrics (the built bridge, probing a closed port on 127.0.0.1) against
// promtool's linter, the Grafana dashboard and the alert rules: every metric they read exists.
import {spawn, type ChildProcess} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {createServer} from 'node:net';
import path from 'node:path';
import {exposedNames, metricNames} from './promql';
import {ROOT, loadYaml, run} from './tools';

// Made by Prometheus itself for every scrape target.
const PROMETHEUS_OWN = new Set(['up']);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as {port: number};
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let child: ChildProcess;
let exposition = '';

beforeAll(async () => {
  const [listen, closed] = [await freePort(), await freePort()];
  child = spawn(process.execPath, [path.join(ROOT, 'server-bridge/dist/main.js'), 'run'], {
    env: {
      PATH: process.env.PATH ?? '',
      HEALTHCHECK_MM_URL: `http://127.0.0.1:${closed}`,
      HEALTHCHECK_TEAMS: 'ops',
      HEALTHCHECK_BOT_TOKEN: 'metrics-test-bot-token',
      HEALTHCHECK_LISTEN: `127.0.0.1:${listen}`,
      HEALTHCHECK_LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${listen}`;
  for (let i = 0; i < 100; i++) {
    const ready = await fetch(`${base}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  exposition = await (await fetch(`${base}/metrics`)).text();
}, 60_000);

afterAll(async () => {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
});

describe('the live /metrics', () => {
  it('exports the probe results of the first cycle', () => {
    expect(exposition).toMatch(/^healthcheck_probe_success\{probe="ping",target="127\.0\.0\.1"\} 0$/m);
    expect(exposition).toMatch(/^healthcheck_outbox_pending\{lane="alert"\} \d+$/m);
    expect(exposition).toMatch(/^healthcheck_outbox_oldest_pending_age_seconds \d+$/m);
  });

  it("the bridge's own metrics pass promtool check metrics (names, help texts, units)", () => {
    const own = exposition.split('\n').filter((line) => /^(# (HELP|TYPE) )?healthcheck_/.test(line));
    expect(own.length).toBeGreaterThan(20);
    const r = run('promtool', ['check', 'metrics'], {input: `${own.join('\n')}\n`});
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('no two metrics make one OpenMetrics family (a counter is named without its _total there)', () => {
    const types = [...exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => ({name: m[1] as string, type: m[2] as string}));
    const family = (t: {name: string; type: string}) => (t.type === 'counter' ? t.name.replace(/_total$/, '') : t.name);
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const t of types) {
      const other = seen.get(family(t));
      if (other) clashes.push(`${t.name} and ${other}`);
      seen.set(family(t), t.name);
    }
    expect(types.length).toBeGreaterThan(20);
    expect(clashes).toEqual([]);
  });

  it("on the whole page promtool finds fault only with prom-client's Node.js defaults (nodejs_*_total gauges)", () => {
    const r = run('promtool', ['check', 'metrics'], {input: exposition});
    const complaints = (r.stdout + r.stderr).trim().split('\n').filter(Boolean);
    expect(complaints.filter((line) => !/^nodejs_\w+_total non-counter metrics should not have "_total" suffix$/.test(line))).toEqual([]);
  });

  it('has every metric the Grafana dashboard queries', () => {
    const dashboard = JSON.parse(readFileSync(path.join(ROOT, 'deploy/grafana/mattermost-healthcheck.json'), 'utf8')) as {
      panels: {title: string; targets: {expr: string}[]}[];
      templating: {list: {query?: string | {query: string}}[]};
    };
    const exposed = exposedNames(exposition);
    const exprs = dashboard.panels.flatMap((p) => {
      expect({panel: p.title, queries: p.targets.length > 0}).toEqual({panel: p.title, queries: true});
      return p.targets.map((t) => t.expr);
    });
    const read = new Set(exprs.flatMap(metricNames));
    for (const v of dashboard.templating.list) {
      const query = typeof v.query === 'string' ? v.query : v.query?.query;
      const m = /^label_values\((\w+),/.exec(query ?? '');
      if (m) read.add(m[1] as string);
    }
    expect(read.size).toBeGreaterThan(5);
    expect([...read].filter((name) => !exposed.has(name) && !PROMETHEUS_OWN.has(name))).toEqual([]);
  });

  it('has every metric the alert rules read', () => {
    const [rules] = loadYaml(path.join(ROOT, 'deploy/prometheus/alerts.yml')) as {groups: {rules: {expr: string}[]}[]}[];
    const exposed = exposedNames(exposition);
    const read = rules?.groups.flatMap((g) => g.rules.flatMap((r) => metricNames(r.expr))) ?? [];
    expect(read.length).toBeGreaterThan(4);
    expect(read.filter((name) => !exposed.has(name) && !PROMETHEUS_OWN.has(name))).toEqual([]);
  });
});
