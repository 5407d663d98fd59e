// `mattermost-healthcheck-bridge slo-rules`: the rules made from the SLO settings pass promtool's
// check, and promtool's unit tests show the burn-rate alerts firing on a real burn and quiet on a
// healthy series and on a blip.
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {ROOT, loadYaml, run} from './tools';

const MAIN = path.join(ROOT, 'server-bridge/dist/main.js');
const dir = mkdtempSync(path.join(tmpdir(), 'hc-slo-rules-'));
const env = (extra: Record<string, string>) => ({
  PATH: process.env.PATH,
  HEALTHCHECK_MM_URL: 'http://127.0.0.1:8065',
  HEALTHCHECK_TARGET_NAME: 'mm',
  HEALTHCHECK_TEAMS: 'healthcheck',
  HEALTHCHECK_BOT_TOKEN: 'bottoken123456',
  ...extra,
});

type Rules = {groups: {name: string; rules: {record?: string; alert?: string; labels?: Record<string, string>; annotations?: Record<string, string>}[]}[]};

describe('slo-rules', () => {
  const configFile = path.join(dir, 'bridge.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      slos: [
        {name: 'log-in', service: 'login', objective: 99.5},
        {name: 'post-latency', service: 'post', kind: 'latency', objective: 99, threshold: '1s'},
      ],
    }),
  );
  const rulesFile = path.join(dir, 'slo-rules.yml');

  it('prints rules that promtool checks: six recorded ratios and three alerts per SLO', () => {
    const r = run(process.execPath, [MAIN, 'slo-rules'], {env: env({HEALTHCHECK_CONFIG_FILE: configFile})});
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    writeFileSync(rulesFile, r.stdout);
    const check = run('promtool', ['check', 'rules', rulesFile]);
    expect(check.stdout + check.stderr).toContain('SUCCESS: 18 rules found');
    const [rules] = loadYaml(rulesFile) as Rules[];
    expect(rules?.groups.map((g) => g.rules.filter((x) => x.alert).map((x) => [x.labels?.burn, x.labels?.severity]))).toEqual([
      [
        ['fast', 'critical'],
        ['slow', 'critical'],
        ['ticket', 'warning'],
      ],
      [
        ['fast', 'critical'],
        ['slow', 'critical'],
        ['ticket', 'warning'],
      ],
    ]);
  });

  it('fires on a burn and stays quiet when healthy or on a blip (promtool test rules)', () => {
    const [rules] = loadYaml(rulesFile) as Rules[];
    const alerts = rules?.groups[0]?.rules.filter((x) => x.alert) ?? [];
    const expected = (burn: string) => {
      const rule = alerts.find((a) => a.labels?.burn === burn);
      return {exp_labels: {...rule?.labels, slo: 'log-in', objective: '0.995'}, exp_annotations: rule?.annotations};
    };
    const series = (result: string, values: string, probe = 'login') => ({series: `healthcheck_probe_runs_total{probe="${probe}",target="mm",result="${result}"}`, values});
    const tests = {
      rule_files: [rulesFile],
      evaluation_interval: '1m',
      tests: [
        {
          // One run a minute: an hour healthy, then every run fails.
          interval: '1m',
          input_series: [series('ok', '0+1x60 60+0x60'), series('failed', '0+0x60 0+1x60')],
          alert_rule_test: [
            {eval_time: '50m', alertname: 'HealthcheckErrorBudgetBurn', exp_alerts: []},
            {eval_time: '70m', alertname: 'HealthcheckErrorBudgetBurn', exp_alerts: [expected('fast'), expected('slow'), expected('ticket')]},
          ],
        },
        {
          // A single failed run after 400 healthy minutes: 5 min burns, 1 h does not reach 14.4, 6 h not 1.
          interval: '1m',
          input_series: [series('ok', '0+1x400 400 401+1x10'), series('failed', '0+0x400 1+0x10')],
          alert_rule_test: [{eval_time: '403m', alertname: 'HealthcheckErrorBudgetBurn', exp_alerts: []}],
        },
      ],
    };
    const testsFile = path.join(dir, 'slo-rules.test.yml');
    writeFileSync(testsFile, JSON.stringify(tests, null, 1));
    const r = run('promtool', ['test', 'rules', testsFile]);
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });

  it('exits 2 with every problem of the SLO settings listed', () => {
    writeFileSync(configFile, JSON.stringify({slos: [{name: 'Bad Name', objective: 101}]}));
    const r = run(process.execPath, [MAIN, 'slo-rules'], {env: env({HEALTHCHECK_CONFIG_FILE: configFile})});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/slos\.0\.name/);
    expect(r.stderr).toMatch(/slos\.0\.objective/);
    expect(r.stdout).toBe('');
  });
});
