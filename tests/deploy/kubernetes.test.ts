// The kustomize deployment as `kubectl apply -k` renders it (kustomize v5.8.0, built from its Go
// module by tools.sh), in a copy with setup's two secret files: every object through
// kubernetes-validate --strict (the Prometheus Operator kinds, which it has no schema for, by clear
// checks and promtool), and the traps of the issue checked one by one.
import {cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {KUSTOMIZE, ROOT, byApiGroup, loadYaml, run, venv} from './tools';

const source = path.join(ROOT, 'deploy/kubernetes');
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests are checked field by field below
type Doc = {apiVersion: string; kind: string; metadata: {name: string; namespace?: string; labels?: Record<string, string>}; spec?: any; data?: any};
const tmp = mkdtempSync(path.join(tmpdir(), 'hc-kustomize-'));
afterAll(() => rmSync(tmp, {recursive: true, force: true}));

/** A copy of deploy/kubernetes with setup's secret files, edited by `edit`, built by kustomize. */
function build(name: string, edit: (dir: string) => void = () => undefined, secrets = true): {code: number | null; stderr: string; docs: Doc[]; file: string} {
  const dir = path.join(tmp, name);
  cpSync(source, dir, {recursive: true});
  if (secrets) {
    mkdirSync(path.join(dir, 'secrets'), {recursive: true});
    writeFileSync(path.join(dir, 'secrets/bot-token'), 'kustomize-test-bot-token\n');
    writeFileSync(path.join(dir, 'secrets/probe-password'), 'kustomize-test-password\n');
    writeFileSync(path.join(dir, 'secrets/signing-key'), 'kustomize-test-signing-key\n');
  }
  edit(dir);
  const r = run(KUSTOMIZE, ['build', dir]);
  const file = path.join(tmp, `${name}.yaml`);
  writeFileSync(file, r.stdout);
  return {code: r.code, stderr: r.stderr, docs: r.code === 0 ? (loadYaml(file) as Doc[]) : [], file};
}

const withOperator = (dir: string) => {
  const file = path.join(dir, 'kustomization.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('  # - components/prometheus-operator', '  - components/prometheus-operator'));
};
const validate = (file: string) => run(venv('kubernetes-validate'), ['--strict', file]);
const find = (docs: Doc[], kind: string) => docs.find((d) => d.kind === kind) as Doc;

describe('deploy/kubernetes (kustomize build)', () => {
  const plain = build('plain');
  const full = build('full', withOperator);

  it('builds, and every core object passes kubernetes-validate --strict', () => {
    expect(plain.stderr).toBe('');
    expect(plain.code).toBe(0);
    const {core} = byApiGroup(full.docs);
    expect(core.map((d) => d.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'NetworkPolicy', 'PersistentVolumeClaim', 'Secret', 'Service']);
    const file = path.join(tmp, 'core.json');
    writeFileSync(file, core.map((d) => JSON.stringify(d)).join('\n---\n'));
    const r = validate(file);
    expect(r.stdout + r.stderr).not.toMatch(/WARN|ERROR|failed/);
    expect((r.stdout.match(/ passed for resource /g) ?? []).length).toBe(core.length);
    expect(r.code).toBe(0);
  });

  it('kubernetes-validate rejects a field the schema does not know (the check can fail)', () => {
    const bad = build('bad', (dir) => {
      const file = path.join(dir, 'deployment.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('readinessProbe:', 'readynessProbe:'));
    });
    const r = validate(bad.file);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('readynessProbe');
  });

  it("makes the Secret from setup's files under a name of its own: never a placeholder, never over a Secret made by hand", () => {
    const secret = find(plain.docs, 'Secret');
    expect(secret.metadata.name).toMatch(/^mattermost-healthcheck-bridge-[a-z0-9]{10}$/);
    expect(Buffer.from(secret.data['bot-token'], 'base64').toString()).toBe('kustomize-test-bot-token\n');
    const volumes = find(plain.docs, 'Deployment').spec.template.spec.volumes as {name: string; secret?: {secretName: string}}[];
    expect(volumes.find((v) => v.name === 'secrets')?.secret?.secretName).toBe(secret.metadata.name);
    const missing = build('no-secrets', undefined, false);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('secrets/bot-token');
  });

  it('names the namespace in one place: every object and HEALTHCHECK_PUBLIC_URL follow it', () => {
    expect(new Set(full.docs.map((d) => d.metadata.namespace))).toEqual(new Set(['mattermost-healthcheck']));
    const moved = build('moved', (dir) => {
      const file = path.join(dir, 'kustomization.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('namespace: mattermost-healthcheck', 'namespace: chat-ops'));
    });
    expect(new Set(moved.docs.map((d) => d.metadata.namespace))).toEqual(new Set(['chat-ops']));
    const service = find(moved.docs, 'Service');
    const url = find(moved.docs, 'ConfigMap').data.HEALTHCHECK_PUBLIC_URL;
    expect(url).toBe(`http://${service.metadata.name}.chat-ops.svc:${service.spec.ports.find((p: {name: string}) => p.name === 'http').port}`);
  });

  it('leaves the Prometheus Operator kinds out unless its component is named (clusters without its CRDs)', () => {
    expect(byApiGroup(plain.docs).operator).toEqual([]);
    expect(
      byApiGroup(full.docs)
        .operator.map((d) => d.kind)
        .sort(),
    ).toEqual(['PrometheusRule', 'ServiceMonitor']);
  });

  it('the Deployment: liveness on /healthz, readiness on /readyz, non-root, secrets as files, /metrics on a port of its own', () => {
    const pod = find(plain.docs, 'Deployment').spec.template.spec;
    const container = pod.containers[0];
    expect(find(plain.docs, 'Deployment').spec.replicas).toBe(1);
    expect(container.livenessProbe.httpGet).toEqual({path: '/healthz', port: 'http'});
    expect(container.readinessProbe.httpGet).toEqual({path: '/readyz', port: 'http'});
    expect(container.ports).toEqual([
      {name: 'http', containerPort: 8075},
      {name: 'metrics', containerPort: 9075},
    ]);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext).toMatchObject({allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: ['ALL']}});
    const env = Object.fromEntries(container.env.map((e: {name: string; value: string}) => [e.name, e.value]));
    expect([env.HEALTHCHECK_LISTEN, env.HEALTHCHECK_METRICS_LISTEN]).toEqual(['0.0.0.0:8075', '0.0.0.0:9075']);
    const mount = container.volumeMounts.find((m: {name: string}) => m.name === 'secrets');
    for (const key of Object.keys(find(plain.docs, 'Secret').data)) expect(Object.values(env)).toContain(`${mount.mountPath}/${key}`);
    expect(Object.keys(env).filter((k) => /TOKEN$|PASSWORD$/.test(k))).toEqual([]);
    expect(Object.keys(find(plain.docs, 'ConfigMap').data).filter((k) => /TOKEN|PASSWORD/.test(k))).toEqual([]);
  });

  it('the NetworkPolicy lets Mattermost reach the slash and button port and Prometheus the metrics port, nothing else', () => {
    const policy = find(plain.docs, 'NetworkPolicy');
    expect(policy.spec.podSelector.matchLabels).toEqual(find(plain.docs, 'Deployment').spec.selector.matchLabels);
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(
      policy.spec.ingress.map((rule: {from: {namespaceSelector: {matchLabels: Record<string, string>}}[]; ports: {port: string}[]}) => [
        rule.from[0]?.namespaceSelector.matchLabels['kubernetes.io/metadata.name'],
        rule.ports.map((p) => p.port),
      ]),
    ).toEqual([
      ['mattermost', ['http']],
      ['monitoring', ['metrics']],
    ]);
  });

  it('the ServiceMonitor scrapes the metrics port on /metrics, labelled for kube-prometheus-stack', () => {
    const monitor = find(full.docs, 'ServiceMonitor');
    const service = find(full.docs, 'Service');
    expect(Object.keys(monitor.spec).sort()).toEqual(['endpoints', 'selector']);
    expect(service.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    expect(monitor.spec.endpoints).toEqual([{port: 'metrics', path: '/metrics', interval: '30s'}]);
    expect(service.spec.ports.map((p: {name: string}) => p.name)).toContain('metrics');
    expect(monitor.metadata.labels?.release).toBe('kube-prometheus-stack');
    // The alert rules select job="<Service name>", the job name the operator gives this endpoint.
    expect(readFileSync(path.join(ROOT, 'deploy/prometheus/alerts.yml'), 'utf8')).toContain(`job="${service.metadata.name}"`);
  });

  it('the PrometheusRule is made from deploy/prometheus/alerts.yml, the one source, and promtool accepts it', () => {
    expect(run(process.execPath, [path.join(ROOT, 'tests/tools/prometheusrule.mjs'), '--check']).code).toBe(0);
    const rule = find(full.docs, 'PrometheusRule');
    expect(rule.metadata.labels?.release).toBe('kube-prometheus-stack');
    expect(rule.spec).toEqual(loadYaml(path.join(ROOT, 'deploy/prometheus/alerts.yml'))[0]);
    const file = path.join(tmp, 'rules.json');
    writeFileSync(file, JSON.stringify(rule.spec));
    expect(run('promtool', ['check', 'rules', file]).stdout).toContain('SUCCESS: 6 rules found');
  });
});
