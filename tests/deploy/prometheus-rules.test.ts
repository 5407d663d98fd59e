// The alert rules, checked and unit-tested by promtool (Debian's prometheus package).
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {ROOT, loadYaml, run} from './tools';

const dir = path.join(ROOT, 'deploy/prometheus');
const ALERTS = ['HealthcheckBridgeDown', 'HealthcheckProbeFailing', 'HealthcheckDeliveryLatencyHigh', 'HealthcheckOutboxBackingUp', 'HealthcheckReportStale'];

type RulesFile = {groups: {name: string; rules: {alert?: string; expr: string}[]}[]};
type TestsFile = {tests: {alert_rule_test: {alertname: string; exp_alerts: unknown[]}[]}[]};

describe('deploy/prometheus/alerts.yml', () => {
  it('passes promtool check rules and holds the five alerts', () => {
    const r = run('promtool', ['check', 'rules', path.join(dir, 'alerts.yml')]);
    expect(r.stdout + r.stderr).toContain('SUCCESS: 5 rules found');
    expect(r.code).toBe(0);
    const [rules] = loadYaml(path.join(dir, 'alerts.yml')) as RulesFile[];
    expect(rules?.groups.flatMap((g) => g.rules.map((rule) => rule.alert))).toEqual(ALERTS);
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
