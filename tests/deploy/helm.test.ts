// The Helm chart through a real helm (v4.3.2, built from its Go module by tools.sh): helm lint,
// helm template with the default values and with ci/full-values.yaml, every rendered object through
// kubernetes-validate --strict (the Prometheus Operator kinds by clear checks), the rules through promtool.
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {HELM, ROOT, byApiGroup, loadYaml, run, venv} from './tools';

const chart = path.join(ROOT, 'deploy/helm/mattermost-healthcheck');
const full = path.join(chart, 'ci/full-values.yaml');
const ha = path.join(chart, 'ci/ha-values.yaml');
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests are checked field by field below
type Doc = {apiVersion: string; kind: string; metadata: {name: string; labels?: Record<string, string>}; spec?: any; data?: any};
const tmp = mkdtempSync(path.join(tmpdir(), 'hc-helm-'));
afterAll(() => rmSync(tmp, {recursive: true, force: true}));

const helm = (args: string[]) => run(HELM, args);
function template(name: string, args: string[]): {code: number | null; stderr: string; docs: Doc[]} {
  const r = helm(['template', 'hc', chart, '--namespace', 'ops', ...args]);
  const file = path.join(tmp, `${name}.yaml`);
  writeFileSync(file, r.stdout);
  return {code: r.code, stderr: r.stderr, docs: r.code === 0 ? (loadYaml(file) as Doc[]).filter(Boolean) : []};
}
const find = (docs: Doc[], kind: string) => docs.find((d) => d.kind === kind) as Doc;
const env = (docs: Doc[]) => Object.fromEntries(find(docs, 'Deployment').spec.template.spec.containers[0].env.map((e: {name: string; value: string}) => [e.name, e.value]));

function validates(name: string, docs: Doc[]) {
  const {core} = byApiGroup(docs);
  const file = path.join(tmp, `${name}-core.json`);
  writeFileSync(file, core.map((d) => JSON.stringify(d)).join('\n---\n'));
  const r = run(venv('kubernetes-validate'), ['--strict', file]);
  expect(r.stdout + r.stderr).not.toMatch(/WARN|ERROR|failed/);
  expect((r.stdout.match(/ passed for resource /g) ?? []).length).toBe(core.length);
  expect(r.code).toBe(0);
}

describe('deploy/helm/mattermost-healthcheck', () => {
  const defaults = template('default', []);
  const all = template('full', ['-f', full]);

  it("carries plugin.json's version, as chart and app", () => {
    const {version} = JSON.parse(readFileSync(path.join(ROOT, 'plugin.json'), 'utf8')) as {version: string};
    const [meta] = loadYaml(path.join(chart, 'Chart.yaml')) as {version: string; appVersion: string; apiVersion: string}[];
    expect([meta?.apiVersion, meta?.version, meta?.appVersion]).toEqual(['v2', version, version]);
  });

  it('passes helm lint --strict with the default values and with every switch on', () => {
    for (const args of [[], ['-f', full]]) {
      const r = helm(['lint', '--strict', chart, ...args]);
      expect(r.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
      expect(r.code).toBe(0);
    }
  });

  it('with the default values: a Deployment reading a Secret made beforehand, no Prometheus Operator kinds, every object valid', () => {
    expect(defaults.code).toBe(0);
    expect(defaults.docs.map((d) => d.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'NetworkPolicy', 'PersistentVolumeClaim', 'Service']);
    const volumes = find(defaults.docs, 'Deployment').spec.template.spec.volumes as {name: string; secret?: {secretName: string}; persistentVolumeClaim?: {claimName: string}}[];
    expect(volumes.find((v) => v.name === 'secrets')?.secret?.secretName).toBe('mattermost-healthcheck-bridge');
    expect(volumes.find((v) => v.name === 'state')?.persistentVolumeClaim?.claimName).toBe(find(defaults.docs, 'PersistentVolumeClaim').metadata.name);
    expect(find(defaults.docs, 'ConfigMap').data.HEALTHCHECK_PUBLIC_URL).toBe(`http://${find(defaults.docs, 'Service').metadata.name}.ops.svc:8075`);
    validates('default', defaults.docs);
  });

  it('with every switch on: its own Secret, the ServiceMonitor and PrometheusRule with extra labels, every object valid', () => {
    expect(all.code).toBe(0);
    const secret = find(all.docs, 'Secret');
    expect(secret.metadata.name).toBe('hc-mattermost-healthcheck-secrets');
    expect(Buffer.from(secret.data['bot-token'], 'base64').toString()).toBe('helm-full-values-bot-token');
    const spec = find(all.docs, 'Deployment').spec.template.spec;
    expect(spec.volumes.find((v: {name: string}) => v.name === 'secrets').secret.secretName).toBe(secret.metadata.name);
    expect(spec.volumes.find((v: {name: string}) => v.name === 'state').persistentVolumeClaim.claimName).toBe('healthcheck-state');
    expect(all.docs.filter((d) => d.kind === 'PersistentVolumeClaim')).toEqual([]);
    for (const kind of ['ServiceMonitor', 'PrometheusRule']) expect(find(all.docs, kind).metadata.labels?.release).toBe('kube-prometheus-stack');
    validates('full', all.docs);
  });

  it('the Deployment (one replica by default): Recreate, probes, non-root, secrets as files, /metrics on its own port', () => {
    const deployment = find(all.docs, 'Deployment');
    const container = deployment.spec.template.spec.containers[0];
    expect([deployment.spec.replicas, deployment.spec.strategy.type]).toEqual([1, 'Recreate']);
    expect(container.livenessProbe.httpGet).toEqual({path: '/healthz', port: 'http'});
    expect(container.readinessProbe.httpGet).toEqual({path: '/readyz', port: 'http'});
    expect(container.ports).toEqual([
      {name: 'http', containerPort: 8075},
      {name: 'metrics', containerPort: 9075},
    ]);
    expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext).toMatchObject({allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: ['ALL']}});
    expect([env(all.docs).HEALTHCHECK_LISTEN, env(all.docs).HEALTHCHECK_METRICS_LISTEN]).toEqual(['0.0.0.0:8075', '0.0.0.0:9075']);
    expect(Object.keys(find(all.docs, 'ConfigMap').data).filter((k) => /TOKEN|PASSWORD/.test(k))).toEqual([]);
  });

  it('with replicas 3: the shared store switched on from the Secret, each pod its own vantage, a PodDisruptionBudget, no claim, every object valid', () => {
    const three = template('ha', ['-f', ha]);
    expect(three.code).toBe(0);
    expect(three.docs.map((d) => d.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'NetworkPolicy', 'PodDisruptionBudget', 'Service']);
    const deployment = find(three.docs, 'Deployment');
    expect([deployment.spec.replicas, deployment.spec.strategy.type]).toEqual([3, 'RollingUpdate']);
    const vars = deployment.spec.template.spec.containers[0].env as {name: string; value?: string; valueFrom?: {fieldRef: {fieldPath: string}}}[];
    const byName = Object.fromEntries(vars.map((v) => [v.name, v]));
    expect(byName.HEALTHCHECK_STORE_FILE?.value).toBe('/run/secrets/healthcheck/store-url');
    expect(byName.HEALTHCHECK_ACTION_SECRET_FILE?.value).toBe('/run/secrets/healthcheck/action-secret');
    expect(byName.HEALTHCHECK_INSTANCE?.valueFrom?.fieldRef.fieldPath).toBe('metadata.name');
    expect([byName.HEALTHCHECK_QUORUM?.value, byName.HEALTHCHECK_LEASE?.value]).toEqual(['2', '20s']);
    expect(deployment.spec.template.spec.volumes.find((v: {name: string}) => v.name === 'state')).toEqual({name: 'state', emptyDir: {}});
    expect(deployment.spec.template.spec.affinity.podAntiAffinity).toBeDefined();
    expect(find(three.docs, 'PodDisruptionBudget').spec).toMatchObject({maxUnavailable: 1, selector: {matchLabels: deployment.spec.selector.matchLabels}});
    validates('ha', three.docs);
    const r = helm(['lint', '--strict', chart, '-f', ha]);
    expect(r.code).toBe(0);
  });

  it('refuses a secret given as a setting (it would land in the ConfigMap), and says so', () => {
    const r = template('secret-in-settings', ['--set', 'settings.HEALTHCHECK_ADMIN_TOKEN=oops']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('settings.HEALTHCHECK_ADMIN_TOKEN is a secret');
  });

  it('the NetworkPolicy lets in only Mattermost on http and Prometheus on metrics', () => {
    const policy = find(all.docs, 'NetworkPolicy');
    expect(policy.spec.podSelector.matchLabels).toEqual(find(all.docs, 'Deployment').spec.selector.matchLabels);
    expect(
      policy.spec.ingress.map((r: {from: {namespaceSelector: {matchLabels: Record<string, string>}}[]; ports: {port: string}[]}) => [
        r.from[0]?.namespaceSelector.matchLabels['kubernetes.io/metadata.name'],
        r.ports.map((p) => p.port),
      ]),
    ).toEqual([
      ['chat', ['http']],
      ['monitoring', ['metrics']],
    ]);
  });

  it('the ServiceMonitor scrapes the metrics port as job mattermost-healthcheck-bridge, the job the alert rules select', () => {
    const monitor = find(all.docs, 'ServiceMonitor');
    const service = find(all.docs, 'Service');
    expect(monitor.spec.endpoints).toEqual([{port: 'metrics', path: '/metrics', interval: '30s'}]);
    expect(service.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    const job = service.metadata.labels?.[monitor.spec.jobLabel];
    expect(job).toBe('mattermost-healthcheck-bridge');
    expect(readFileSync(path.join(ROOT, 'deploy/prometheus/alerts.yml'), 'utf8')).toContain(`job="${job}"`);
  });

  it('the PrometheusRule holds deploy/prometheus/alerts.yml (files/alerts.yml links to it), which promtool accepts', () => {
    const rule = find(all.docs, 'PrometheusRule');
    expect(rule.spec).toEqual(loadYaml(path.join(ROOT, 'deploy/prometheus/alerts.yml'))[0]);
    const file = path.join(tmp, 'rules.json');
    writeFileSync(file, JSON.stringify(rule.spec));
    const r = run('promtool', ['check', 'rules', file]);
    expect(r.stdout).toContain('SUCCESS: 6 rules found');
  });
});
