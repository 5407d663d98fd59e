// Writes the kustomize component's PrometheusRule from deploy/prometheus/alerts.yml, the one source
// of the alert rules (its groups, indented under spec:). `--check` exits 1 when the committed file
// differs from what this would write.
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const source = readFileSync(path.join(root, 'deploy/prometheus/alerts.yml'), 'utf8');
const target = path.join(root, 'deploy/kubernetes/components/prometheus-operator/prometheusrule.yaml');
const groups = source.slice(source.indexOf('\ngroups:') + 1);
const text = `# Made from deploy/prometheus/alerts.yml by tests/tools/prometheusrule.mjs: edit that file, then run
# \`node tests/tools/prometheusrule.mjs\`. kube-prometheus-stack picks only PrometheusRules labelled
# with its Helm release's name: set \`release\` to yours.
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: mattermost-healthcheck-bridge
  labels:
    app.kubernetes.io/name: mattermost-healthcheck-bridge
    release: kube-prometheus-stack
spec:
${groups.replace(/^(?=.)/gm, '  ')}`;

if (process.argv.includes('--check')) {
  if (readFileSync(target, 'utf8') !== text) {
    console.error(`${path.relative(root, target)} differs from deploy/prometheus/alerts.yml: run node tests/tools/prometheusrule.mjs`);
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
}
