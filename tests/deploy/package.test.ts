// The bridge package as an admin gets it: `make dist`'s tarball unpacked into an empty folder and
// installed there with `npm ci` from its npm-shrinkwrap.json (as the README and the image do), its
// bin run from there.
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {spawn} from 'node:child_process';
import {createServer, type Server} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {ROOT, run} from './tools';

const {version} = JSON.parse(readFileSync(path.join(ROOT, 'plugin.json'), 'utf8')) as {version: string};
const tarball = path.join(ROOT, `dist/mattermost-healthcheck-bridge-${version}.tgz`);
let prefix = '';
let bin = '';
let server: Server;
let connections = 0;
let mmUrl = '';

beforeAll(async () => {
  if (!existsSync(tarball)) throw new Error(`${tarball} is missing: run make dist`);
  prefix = mkdtempSync(path.join(tmpdir(), 'hc-package-'));
  run('tar', ['-xzf', tarball, '-C', prefix, '--strip-components=1']);
  const r = run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], {cwd: prefix});
  if (r.code !== 0) throw new Error(`npm ci failed: ${r.stderr}`);
  bin = path.join(prefix, 'dist/main.js');
  // Stands where Mattermost would be, to prove check-config never connects.
  server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as {port: number};
  mmUrl = `http://127.0.0.1:${address.port}`;
}, 110_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  if (prefix) rmSync(prefix, {recursive: true, force: true});
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const {port} = probe.address() as {port: number};
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

// Only the variables given: nothing of the developer's HEALTHCHECK_* leaks in.
const bridge = (args: string[], env: Record<string, string> = {}) => run(bin, args, {cwd: prefix, env: {PATH: process.env.PATH ?? '', ...env}});

describe('the bridge package', () => {
  it('holds only built JavaScript with source maps, its README and its shrinkwrap (no tests, no test helpers)', () => {
    const listing = run('tar', ['-tzf', tarball]).stdout.trim().split('\n');
    const other = listing.filter((f) => !/^package\/dist\/.+\.js(\.map)?$/.test(f) && !['package/package.json', 'package/README.md', 'package/npm-shrinkwrap.json'].includes(f));
    expect(other).toEqual([]);
    expect(listing).toEqual(expect.arrayContaining(['package/README.md', 'package/npm-shrinkwrap.json']));
    expect(listing.filter((f) => /\.test\.|\/testing\/|\.ts$/.test(f))).toEqual([]);
    expect(listing).toContain('package/dist/main.js');
    expect(listing).toContain('package/dist/main.js.map');
    const map = JSON.parse(readFileSync(path.join(prefix, 'dist/main.js.map'), 'utf8')) as {sourcesContent?: string[]};
    expect(map.sourcesContent?.[0]).toContain('Entry point');
  });

  it("declares the Node versions it runs on, and `--version` prints plugin.json's version", () => {
    const pkg = JSON.parse(readFileSync(path.join(prefix, 'package.json'), 'utf8')) as {engines: {node: string}; version: string};
    expect(pkg.engines.node).toBe('>=20.9');
    expect(pkg.version).toBe(version);
    const r = bridge(['--version']);
    expect(r.stdout.trim()).toBe(version);
    expect(r.code).toBe(0);
  });

  it('is publishable: not private, with exports, its repository and a README, and no build scripts or devDependencies', () => {
    const pkg = JSON.parse(readFileSync(path.join(prefix, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg.private).toBeUndefined();
    expect(pkg.exports).toEqual({'.': './dist/main.js', './package.json': './package.json'});
    expect(pkg.repository).toMatchObject({directory: 'server-bridge'});
    expect([pkg.scripts, pkg.devDependencies]).toEqual([undefined, undefined]);
    expect(readFileSync(path.join(prefix, 'README.md'), 'utf8')).toContain('mattermost-healthcheck-bridge setup');
  });

  it("installs exactly the versions of the repository's package-lock.json (npm-shrinkwrap.json), every one of them", () => {
    type Lock = {packages: Record<string, {version?: string; dev?: boolean}>};
    const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as Lock;
    const shrinkwrap = JSON.parse(readFileSync(path.join(prefix, 'npm-shrinkwrap.json'), 'utf8')) as Lock;
    const entries = Object.entries(shrinkwrap.packages).filter(([at]) => at !== '');
    expect(entries.length).toBeGreaterThan(30);
    const differing = entries.filter(([at, entry]) => {
      const locked = lock.packages[`server-bridge/${at}`] ?? lock.packages[at];
      const installed = (JSON.parse(readFileSync(path.join(prefix, at, 'package.json'), 'utf8')) as {version: string}).version;
      return locked?.version !== entry.version || installed !== entry.version || locked?.dev === true;
    });
    expect(differing.map(([at]) => at)).toEqual([]);
    for (const dep of ['fastify', 'pino', 'prom-client', 'ws', 'zod']) expect(shrinkwrap.packages[`node_modules/${dep}`]).toBeDefined();
  });

  it('--help names every command', () => {
    const r = bridge(['--help']);
    expect(r.code).toBe(0);
    for (const command of ['run', 'setup', 'check-config', '--version']) expect(r.stdout).toContain(`mattermost-healthcheck-bridge ${command}`);
  });

  it('check-config accepts valid settings and exits 0 without contacting the server', () => {
    const secret = path.join(prefix, 'bot-token');
    writeFileSync(secret, 'abcdefghijklmnopqrstuvwxyz\n', {mode: 0o600});
    const r = bridge(['check-config'], {HEALTHCHECK_MM_URL: mmUrl, HEALTHCHECK_TEAMS: 'ops', HEALTHCHECK_BOT_TOKEN_FILE: secret});
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('configuration OK');
    expect(r.code).toBe(0);
    expect(connections).toBe(0);
  });

  it('check-config lists every problem and exits 2, contacting nothing', () => {
    const r = bridge(['check-config'], {HEALTHCHECK_MM_URL: 'ftp://127.0.0.1', HEALTHCHECK_BOT_TOKEN_FILE: path.join(prefix, 'missing'), HEALTHCHECK_INTERVAL: 'soon', HEALTHCHECK_LISTEN: 'nowhere'});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid configuration:');
    for (const variable of ['HEALTHCHECK_MM_URL', 'HEALTHCHECK_TEAMS', 'HEALTHCHECK_BOT_TOKEN_FILE', 'HEALTHCHECK_INTERVAL', 'HEALTHCHECK_LISTEN']) expect(r.stderr).toContain(variable);
    expect(connections).toBe(0);
  });

  it('run serves /metrics on HEALTHCHECK_METRICS_LISTEN alone, and the slash port answers without it', async () => {
    const [main, metrics] = [await freePort(), await freePort()];
    const secret = path.join(prefix, 'bot-token');
    writeFileSync(secret, 'abcdefghijklmnopqrstuvwxyz\n', {mode: 0o600});
    const env = {
      PATH: process.env.PATH ?? '',
      HEALTHCHECK_MM_URL: mmUrl,
      HEALTHCHECK_TEAMS: 'ops',
      HEALTHCHECK_BOT_TOKEN_FILE: secret,
      HEALTHCHECK_LISTEN: `127.0.0.1:${main}`,
      HEALTHCHECK_METRICS_LISTEN: `127.0.0.1:${metrics}`,
    };
    const child = spawn(bin, ['run'], {cwd: prefix, env, stdio: 'ignore'});
    try {
      const get = async (port: number, route: string) => {
        for (let i = 0; i < 100; i++) {
          const r = await fetch(`http://127.0.0.1:${port}${route}`).catch(() => null);
          if (r) return {status: r.status, body: await r.text()};
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        throw new Error(`nothing answers on port ${port}`);
      };
      const scraped = await get(metrics, '/metrics');
      expect(scraped.status).toBe(200);
      expect(scraped.body).toContain('healthcheck_bridge_build_info');
      expect((await get(metrics, '/healthz')).status).toBe(200);
      expect((await get(main, '/metrics')).status).toBe(404);
      expect((await get(main, '/healthz')).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });

  it('an unknown command exits 2 with the usage', () => {
    const r = bridge(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "frobnicate"');
  });
});
