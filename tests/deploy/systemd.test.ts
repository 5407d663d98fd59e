// The systemd unit, verified by systemd-analyze in a scratch root that holds the system's units and
// a stand-in for the installed bin (verify checks that ExecStart exists).
import {chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
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
    expect(values('LoadCredential').map((v) => v.split(':')[0])).toEqual(['bot-token', 'probe-password', 'signing-key']);
    expect(values('Environment')).toEqual(
      expect.arrayContaining(['HEALTHCHECK_BOT_TOKEN_FILE=%d/bot-token', 'HEALTHCHECK_PROBE_PASSWORD_FILE=%d/probe-password', 'HEALTHCHECK_SIGNING_KEY_FILE=%d/signing-key']),
    );
    expect(values('ExecStart')).toEqual(['/usr/local/bin/mattermost-healthcheck-bridge run']);
    expect(values('RestartPreventExitStatus')).toEqual(['2']);
    expect(values('Environment')).toContain('"NODE_OPTIONS=--max-semi-space-size=2 --max-old-space-size=128"');
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

describe('deploy/systemd/install.sh, run on a fresh folder (HC_ROOT)', () => {
  const script = path.join(ROOT, 'deploy/systemd/install.sh');
  const fresh = () => {
    const root = mkdtempSync(path.join(tmpdir(), 'hc-install-'));
    roots.push(root);
    return root;
  };
  /** Stands in for setup's success only (a real one needs a Mattermost server): prints what setup prints and writes the secrets. */
  function setupStandIn(root: string): string {
    const bin = path.join(root, 'bridge-stand-in');
    writeFileSync(
      bin,
      `#!/bin/sh
[ "$1" = setup ] && [ "$2" = --secrets-dir ] || exit 9
printf 'secret-token' > "$3/bot-token"; printf 'secret-password' > "$3/probe-password"
printf 'HEALTHCHECK_MM_URL=https://chat.example.com\\nHEALTHCHECK_TEAMS=myteam\\nHEALTHCHECK_BOT_TOKEN_FILE=%s/bot-token\\nHEALTHCHECK_PROBE_PASSWORD_FILE=%s/probe-password\\n' "$3" "$3"
`,
    );
    chmodSync(bin, 0o755);
    return bin;
  }
  const install = (root: string, bin: string, systemd: string, args: string[] = ['--url', 'https://chat.example.com', '--team', 'myteam']) =>
    run('bash', [script, ...args], {env: {PATH: process.env.PATH ?? '', HC_ROOT: root, HC_BRIDGE_BIN: bin, HC_SYSTEMD_VERSION: systemd}});

  it('makes the 0700 folder first, writes bridge.env without the *_FILE lines, listening on loopback, and installs the unit', () => {
    const root = fresh();
    const r = install(root, setupStandIn(root), '252');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const etc = path.join(root, 'etc/mattermost-healthcheck');
    expect(statSync(etc).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(etc, 'secrets')).mode & 0o777).toBe(0o700);
    expect(readFileSync(path.join(etc, 'secrets/bot-token'), 'utf8')).toBe('secret-token');
    expect(statSync(path.join(etc, 'bridge.env')).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(etc, 'bridge.env'), 'utf8')).toBe('HEALTHCHECK_MM_URL=https://chat.example.com\nHEALTHCHECK_TEAMS=myteam\nHEALTHCHECK_LISTEN=127.0.0.1:8075\n');
    expect(readFileSync(path.join(root, 'etc/systemd/system', UNIT), 'utf8')).toBe(source);
    expect(existsSync(path.join(root, 'etc/systemd/system', `${UNIT}.d`))).toBe(false);
  });

  it("stops with setup's own exit status when setup fails, and writes no bridge.env (the real setup, Mattermost unreachable)", async () => {
    const root = fresh();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const {port} = closed.address() as {port: number};
    await new Promise((resolve) => closed.close(resolve));
    const bin = path.join(root, 'bridge');
    writeFileSync(bin, `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, 'server-bridge/dist/main.js')}" "$@"\n`);
    chmodSync(bin, 0o755);
    writeFileSync(path.join(root, 'admin-token'), 'not-a-real-admin-token\n');
    const r = install(root, bin, '252', ['--url', `http://127.0.0.1:${port}`, '--admin-token-file', path.join(root, 'admin-token'), '--team', 'myteam']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('install: setup failed (exit 1); nothing installed');
    expect(existsSync(path.join(root, 'etc/mattermost-healthcheck/bridge.env'))).toBe(false);
    expect(existsSync(path.join(root, 'etc/systemd/system', UNIT))).toBe(false);
  });

  it('on systemd older than 247 adds the drop-in: a static user reads the *_FILE paths in the 0700 folder, and systemd-analyze verify accepts both', () => {
    const root = fresh();
    expect(install(root, setupStandIn(root), '239').code).toBe(0);
    const dropIn = readFileSync(path.join(root, 'etc/systemd/system', `${UNIT}.d/pre-247.conf`), 'utf8');
    // Only directives systemd 239 knows, and no %d.
    const keys = [...dropIn.matchAll(/^(\w+)=/gm)].map((m) => m[1]);
    expect(new Set(keys)).toEqual(new Set(['DynamicUser', 'User', 'Group', 'Environment']));
    expect(dropIn.split('\n').filter((line) => !line.startsWith('#') && line.includes('%'))).toEqual([]);
    expect(dropIn).toContain('HEALTHCHECK_BOT_TOKEN_FILE=/etc/mattermost-healthcheck/secrets/bot-token');
    const scratch = scratchRoot(source);
    mkdirSync(path.join(scratch, 'etc/systemd/system', `${UNIT}.d`));
    writeFileSync(path.join(scratch, 'etc/systemd/system', `${UNIT}.d/pre-247.conf`), dropIn);
    const r = verify(scratch);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('the unit says which systemd it needs, and the README installs with install.sh: no pipe that hides setup, no public address', () => {
    expect(source).toMatch(/systemd 247 or later/);
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const block = /\*\*systemd\*\*[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(block).toContain('deploy/systemd/install.sh');
    expect(block).not.toMatch(/setup[^\n]*\|/);
    expect(block).not.toContain('0.0.0.0');
    expect(readme).toMatch(/systemd 247/);
  });
});
