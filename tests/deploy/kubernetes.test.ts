// The Kubernetes manifests: core kinds validated offline by kubernetes-validate (strict: unknown
// fields are errors); the Prometheus Operator kinds, which it has no schema for, by clear checks.
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {ROOT, loadYaml, run, venv} from './tools';

const dir = path.join(ROOT, 'deploy/kubernetes');
const CRD_FILES = ['servicemonitor.yaml', 'prometheusrule.yaml'];
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
const core = files.filter((f) => !CRD_FILES.includes(f));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests are checked field by field below
type Doc = {apiVersion: string; kind: string; metadata: {name: string; labels?: Record<string, string>}; spec?: any; data?: any; stringData?: any; resources?: string[]};
const doc = (file: string) => loadYaml(path.join(dir, file))[0] as Doc;
const validate = (paths: string[]) => run(venv('kubernetes-validate'), ['--strict', ...paths]);

describe('deploy/kubernetes', () => {
  it('lists every manifest in kustomization.yaml', () => {
    expect([...(doc('kustomization.yaml').resources ?? [])].sort()).toEqual([...files].sort());
  });

  it('core manifests pass kubernetes-validate --strict', () => {
    expect(core.sort()).toEqual(['configmap.yaml', 'deployment.yaml', 'pvc.yaml', 'secret.yaml', 'service.yaml']);
    const r = validate(core.map((f) => path.join(dir, f)));
    expect(r.stdout + r.stderr).not.toMatch(/WARN|ERROR|failed/);
    expect((r.stdout.match(/ passed for resource /g) ?? []).length).toBe(core.length);
    expect(r.code).toBe(0);
  });

  it('kubernetes-validate rejects a field the schema does not know (the check can fail)', () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'hc-k8s-'));
    const file = path.join(tmp, 'deployment.yaml');
    writeFileSync(file, readFileSync(path.join(dir, 'deployment.yaml'), 'utf8').replace('readinessProbe:', 'readynessProbe:'));
    const r = validate([file]);
    rmSync(tmp, {recursive: true, force: true});
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('readynessProbe');
  });

  it('the Deployment: liveness on /healthz, readiness on /readyz, non-root, secrets as files from the Secret', () => {
    const deployment = doc('deployment.yaml');
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    expect(deployment.spec.replicas).toBe(1);
    expect(container.livenessProbe.httpGet).toEqual({path: '/healthz', port: 'http'});
    expect(container.readinessProbe.httpGet).toEqual({path: '/readyz', port: 'http'});
    expect(container.ports).toEqual([{name: 'http', containerPort: 8075}]);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext).toMatchObject({allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: ['ALL']}});
    const env = Object.fromEntries(container.env.map((e: {name: string; value: string}) => [e.name, e.value]));
    expect(env.HEALTHCHECK_LISTEN).toBe('0.0.0.0:8075');
    const mount = container.volumeMounts.find((m: {name: string}) => m.name === 'secrets');
    const secretVolume = pod.volumes.find((v: {name: string}) => v.name === 'secrets');
    const secret = doc('secret.yaml');
    expect(secretVolume.secret.secretName).toBe(secret.metadata.name);
    for (const key of Object.keys(secret.stringData)) expect(Object.values(env)).toContain(`${mount.mountPath}/${key}`);
    expect(Object.keys(env).filter((k) => /TOKEN$|PASSWORD$/.test(k))).toEqual([]);
    expect(Object.keys(doc('configmap.yaml').data).filter((k) => /TOKEN|PASSWORD/.test(k))).toEqual([]);
  });

  it('the ServiceMonitor scrapes the Service by its labels and port name, on /metrics', () => {
    const monitor = doc('servicemonitor.yaml');
    const service = doc('service.yaml');
    expect([monitor.apiVersion, monitor.kind]).toEqual(['monitoring.coreos.com/v1', 'ServiceMonitor']);
    expect(Object.keys(monitor.spec).sort()).toEqual(['endpoints', 'selector']);
    expect(service.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    expect(monitor.spec.endpoints).toEqual([{port: service.spec.ports[0].name, path: '/metrics', interval: '30s'}]);
    // The alert rules select job="<Service name>", the job name the operator gives this endpoint.
    expect(readFileSync(path.join(ROOT, 'deploy/prometheus/alerts.yml'), 'utf8')).toContain(`job="${service.metadata.name}"`);
  });

  it('the PrometheusRule holds exactly the rules of deploy/prometheus/alerts.yml, which promtool accepts', () => {
    const rule = doc('prometheusrule.yaml');
    expect([rule.apiVersion, rule.kind]).toEqual(['monitoring.coreos.com/v1', 'PrometheusRule']);
    expect(Object.keys(rule.spec)).toEqual(['groups']);
    expect(rule.spec).toEqual(loadYaml(path.join(ROOT, 'deploy/prometheus/alerts.yml'))[0]);
    const tmp = mkdtempSync(path.join(tmpdir(), 'hc-rule-'));
    writeFileSync(path.join(tmp, 'rules.json'), JSON.stringify(rule.spec));
    const r = run('promtool', ['check', 'rules', path.join(tmp, 'rules.json')]);
    rmSync(tmp, {recursive: true, force: true});
    expect(r.stdout).toContain('SUCCESS: 5 rules found');
  });
});
