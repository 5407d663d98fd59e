// The README as an admin reads it: how to install comes first, with the commands an admin has
// (the System Console or mmctl for the plugin; package, image, Helm, kustomize or systemd for the bridge).
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {ROOT} from './tools';

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const sections = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1] as string);

describe('README.md', () => {
  it('puts Install first, before what the probes do, and the demo and development last', () => {
    expect(sections[0]).toBe('Install');
    const at = (title: string) => sections.findIndex((s) => s.startsWith(title));
    for (const later of ['Probes', 'Bridge settings', 'Monitoring with Prometheus']) expect(at(later)).toBeGreaterThan(at('Install'));
    for (const dev of ['Try it: the demo', 'Tests', 'Benchmarks', 'Fault rounds', 'Make targets']) expect(at(dev)).toBeGreaterThan(at('Upgrading'));
  });

  it('installs the plugin with mmctl too, and the bridge each way it ships', () => {
    const install = readme.split(/^## Install$/m)[1]?.split(/^## /m)[0] ?? '';
    expect(install).toContain('mmctl plugin add mattermost-healthcheck-<version>.tar.gz');
    expect(install).toContain('mmctl plugin enable mattermost-healthcheck');
    for (const way of ['npm install --global', 'npm ci --omit=dev', 'podman load -i', 'helm install', 'kubectl apply -k deploy/kubernetes', 'deploy/systemd/install.sh'])
      expect(install).toContain(way);
  });

  it('speaks of the project and of Mattermost, not of "a registry here"', () => {
    expect(readme).not.toMatch(/registry here/i);
  });
});
