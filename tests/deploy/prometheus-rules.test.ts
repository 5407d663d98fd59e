// The alert rules, checked and unit-tested by promtool (Debian's prometheus package).
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {ROOT, loadYaml, run} from './tools';

const dir = path.join(ROOT, 'deploy/prometheus');
// HealthcheckProbeFailing twice: critical for what users feel, warning for push, search and cluster.
const RULES = ['HealthcheckBridgeDown', 'HealthcheckProbeFailing', 'HealthcheckProbeFailing', 'HealthcheckDeliveryLatencyHigh', 'HealthcheckOutboxBackingUp', 'HealthcheckReportStale'];
const ALERTS = [...new Set(RULES)];
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'plugin.json'), 'utf8')) as {homepage_url: string};
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
/** GitHub's anchor of a README heading. */
const anchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-');

type RulesFile = {groups: {name: string; rules: {alert?: string; expr: string; labels?: Record<string, string>; annotations?: Record<string, string>}[]}[]};
type TestsFile = {tests: {alert_rule_test: {alertname: string; exp_alerts: unknown[]}[]}[]};

describe('deploy/prometheus/alerts.yml', () => {
  it('passes promtool check rules and holds the five alerts', () => {
    const r = run('promtool', ['check', 'rules', path.join(dir, 'alerts.yml')]);
    expect(r.stdout + r.stderr).toContain('SUCCESS: 6 rules found');
    expect(r.code).toBe(0);
    const [rules] = loadYaml(path.join(dir, 'alerts.yml')) as RulesFile[];
    expect(rules?.groups.flatMap((g) => g.rules.map((rule) => rule.alert))).toEqual(RULES);
  });

  it("every alert has a runbook_url to a section of the project's README", () => {
    const [rules] = loadYaml(path.join(dir, 'alerts.yml')) as RulesFile[];
    const anchors = new Set([...readme.matchAll(/^#{2,4} (.+)$/gm)].map((m) => anchor(m[1] as string)));
    for (const rule of rules?.groups.flatMap((g) => g.rules) ?? []) {
      const url = rule.annotations?.runbook_url ?? '';
      expect({alert: rule.alert, url}).toEqual({alert: rule.alert, url: `${manifest.homepage_url}/blob/main/README.md#${(rule.alert ?? '').toLowerCase()}`});
      expect({alert: rule.alert, section: anchors.has(url.split('#')[1] ?? '')}).toEqual({alert: rule.alert, section: true});
    }
  });

  it("a probe's alert is critical on users' paths and a warning for push, search and cluster, every probe covered once", () => {
    const [rules] = loadYaml(path.join(dir, 'alerts.yml')) as RulesFile[];
    const failing = rules?.groups.flatMap((g) => g.rules).filter((rule) => rule.alert === 'HealthcheckProbeFailing') ?? [];
    expect(failing.map((rule) => [rule.labels?.severity, rule.expr])).toEqual([
      ['critical', 'healthcheck_probe_success{probe!~"push|search_users|search_channels|cluster"} == 0'],
      ['warning', 'healthcheck_probe_success{probe=~"push|search_users|search_channels|cluster"} == 0'],
    ]);
  });

  it('passes promtool test rules, with every alert shown firing and not firing', () => {
    const r = run('promtool', ['test', 'rules', 'alerts.test.yml'], {cwd: dir});
    expect(r.stdout).toContain('SUCCESS');
    expect(r.code).toBe(0);
    const [tests] = loadYaml(path.join(dir, 'alerts.test.yml')) as TestsFile[];
    const cases = tests?.tests.flatMap((t) => t.alert_rule_test) ?? [];
    for (const alert of ALERTS) {
      expect({alert, fires: cases.some((c) => c.alertname === alert && c.exp_alerts.length > 0)}).toEqual({alert, fires: true});
      expect({alert, quiet: cases.some((c) => c.alertname === alert && c.exp_alerts.length === 0)}).toEqual({alert, quiet: true});
    }
  });

  it('fails the unit tests when a threshold is changed (the tests can fail)', () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'hc-rules-'));
    cpSync(dir, tmp, {recursive: true});
    const file = path.join(tmp, 'alerts.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('healthcheck_outbox_oldest_pending_age_seconds > 600', 'healthcheck_outbox_oldest_pending_age_seconds > 6000'));
    const r = run('promtool', ['test', 'rules', 'alerts.test.yml'], {cwd: tmp});
    expect(r.code).not.toBe(0);
    rmSync(tmp, {recursive: true, force: true});
    expect(r.stdout + r.stderr).toContain('HealthcheckOutboxBackingUp');
  });
});
