// The systemd unit, verified by systemd-analyze in a scratch root that holds the system's units and
// a stand-in for the installed bin (verify checks that ExecStart exists).
import {chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {ROOT, run} from './tools';

const UNIT = 'mattermost-healthcheck-bridge.service';
const source = readFileSync(path.join(ROOT, 'deploy/systemd', UNIT), 'utf8');

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, {recursive: true, force: true})));

function scratchRoot(unitText: string): string {
  const root = mkdtempSync(path.join(tmpdir(), 'hc-systemd-'));
  roots.push(root);
  mkdirSync(path.join(root, 'lib/systemd'), {recursive: true});
  cpSync('/lib/systemd/system', path.join(root, 'lib/systemd/system'), {recursive: true, verbatimSymlinks: true});
  mkdirSync(path.join(root, 'etc/systemd/system'), {recursive: true});
  writeFileSync(path.join(root, 'etc/systemd/system', UNIT), unitText);
  const exec = /^ExecStart=(\S+)/m.exec(unitText)?.[1] ?? '';
  mkdirSync(path.join(root, path.dirname(exec)), {recursive: true});
  writeFileSync(path.join(root, exec), '#!/bin/sh\n');
  chmodSync(path.join(root, exec), 0o755);
  return root;
}

const verify = (root: string) => run('systemd-analyze', ['verify', `--root=${root}`, `/etc/systemd/system/${UNIT}`]);

/** Every value of a key in the [Service] section. */
function values(key: string): string[] {
  const service = source.split(/^\[Service\]$/m)[1]?.split(/^\[/m)[0] ?? '';
  return [...service.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => m[1] as string);
}

describe(`deploy/systemd/${UNIT}`, () => {
  it('passes systemd-analyze verify without a single warning', () => {
    const r = verify(scratchRoot(source));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('is hardened: dynamic user, read-only system, no new privileges, a state directory, secrets as credentials', () => {
    expect(values('DynamicUser')).toEqual(['yes']);
    expect(values('ProtectSystem')).toEqual(['strict']);
    expect(values('NoNewPrivileges')).toEqual(['yes']);
    expect(values('StateDirectory')).toEqual(['mattermost-healthcheck']);
    expect(values('Environment')).toContain('HEALTHCHECK_STATE_FILE=%S/mattermost-healthcheck/state.json');
    expect(values('LoadCredential').map((v) => v.split(':')[0])).toEqual(['bot-token', 'probe-password']);
    expect(values('Environment')).toEqual(expect.arrayContaining(['HEALTHCHECK_BOT_TOKEN_FILE=%d/bot-token', 'HEALTHCHECK_PROBE_PASSWORD_FILE=%d/probe-password']));
    expect(values('ExecStart')).toEqual(['/usr/local/bin/mattermost-healthcheck-bridge run']);
    expect(values('RestartPreventExitStatus')).toEqual(['2']);
    expect(values('Environment')).toContain('NODE_OPTIONS=--max-semi-space-size=2');
  });

  it('has a low exposure in systemd-analyze security', () => {
    const root = scratchRoot(source);
    const r = run('systemd-analyze', ['security', '--offline=true', `--root=${root}`, `/etc/systemd/system/${UNIT}`]);
    const level = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(r.stdout)?.[1]);
    expect(level).toBeLessThanOrEqual(2);
  });

  it('reports a misspelt directive (the check can fail)', () => {
    const r = verify(scratchRoot(source.replace('ProtectSystem=strict', 'ProtectSytem=strict')));
    expect(r.stderr).toContain("Unknown key 'ProtectSytem'");
  });
});
