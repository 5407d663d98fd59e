// The tools tools.sh installs, and a way to run them that keeps exit code, stdout and stderr.
import {spawnSync, type SpawnSyncOptions} from 'node:child_process';
import {homedir} from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const TOOLS_DIR = process.env.HEALTHCHECK_TOOLS_DIR ?? path.join(homedir(), '.cache/mattermost-healthcheck/tools');
export const venv = (bin: string) => path.join(TOOLS_DIR, 'venv/bin', bin);

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: readonly string[], options: SpawnSyncOptions = {}): Ran {
  const r = spawnSync(cmd, args, {encoding: 'utf8', cwd: ROOT, timeout: 110_000, ...options});
  if (r.error) throw r.error;
  return {code: r.status, stdout: String(r.stdout), stderr: String(r.stderr)};
}

/** Every document of a YAML file, parsed by PyYAML (kubernetes-validate's own parser). */
export function loadYaml(file: string): unknown[] {
  const r = run(venv('python'), ['-c', 'import json, sys, yaml; print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))', file]);
  if (r.code !== 0) throw new Error(`cannot parse ${file}: ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown[];
}

/** helm and kustomize, built from their Go modules by tools.sh. */
export const HELM = path.join(TOOLS_DIR, 'bin/helm-v4.3.2');
export const KUSTOMIZE = path.join(TOOLS_DIR, 'bin/kustomize-v5.8.0');

/** Manifests split into the kinds kubernetes-validate has schemas for and the Prometheus Operator's. */
export function byApiGroup<T extends {apiVersion: string}>(docs: T[]): {core: T[]; operator: T[]} {
  const operator = docs.filter((d) => d.apiVersion.startsWith('monitoring.coreos.com/'));
  return {core: docs.filter((d) => !operator.includes(d)), operator};
}
