// The image built from the Dockerfile by Debian's podman (container.sh) and run: the bridge starts
// as uid 1000, reads its secrets from /run/secrets, answers /healthz, passes its own HEALTHCHECK,
// keeps its state in the volume and stops cleanly on SIGTERM. Skipped, saying why, where podman
// cannot run containers.
import {randomBytes} from 'node:crypto';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {ROOT, run} from './tools';

const prepared = run('bash', [path.join(ROOT, 'tests/deploy/container.sh')], {timeout: 20 * 60_000});
const last = prepared.stdout.trim().split('\n').at(-1) ?? '';
const image = last.startsWith('IMAGE ') ? last.slice(6) : '';
if (last.startsWith('SKIP ')) process.stderr.write(`container tests skipped: ${last.slice(5)}\n`);
const podman = (args: string[], timeout = 60_000) => run('podman', ['--runtime', 'runc', ...args], {timeout});
const RUN_OPTS = ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024', '--network', 'host'];
const id = randomBytes(3).toString('hex');
const names = {container: `hc-test-${id}`, volume: `hc-test-state-${id}`, bot: `hc-test-bot-${id}`, probe: `hc-test-probe-${id}`};
const dir = mkdtempSync(path.join(tmpdir(), 'hc-container-'));
const maybe = image || !last.startsWith('SKIP ') ? describe : describe.skip;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as {port: number};
  await new Promise((resolve) => server.close(resolve));
  return port;
}

afterAll(() => {
  if (image) {
    podman(['rm', '-f', names.container]);
    podman(['volume', 'rm', '-f', names.volume]);
    podman(['secret', 'rm', names.bot, names.probe]);
  }
  rmSync(dir, {recursive: true, force: true});
});

maybe('the container image (podman)', () => {
  let port = 0;
  const env = () => ['-e', `HEALTHCHECK_MM_URL=http://127.0.0.1:${port + 1}`, '-e', 'HEALTHCHECK_TEAMS=ops', '-e', 'HEALTHCHECK_PROBE_USERNAME=probe', '-e', `HEALTHCHECK_LISTEN=127.0.0.1:${port}`];
  const secrets = () => ['--secret', `${names.bot},target=bot-token`, '--secret', `${names.probe},target=probe-password`];

  beforeAll(async () => {
    expect(last).toMatch(/^IMAGE /);
    port = await freePort();
    writeFileSync(path.join(dir, 'bot-token'), 'container-bot-token-0123456789\n');
    writeFileSync(path.join(dir, 'probe-password'), 'container-probe-password\n');
    expect(podman(['secret', 'create', names.bot, path.join(dir, 'bot-token')]).code).toBe(0);
    expect(podman(['secret', 'create', names.probe, path.join(dir, 'probe-password')]).code).toBe(0);
  });

  it('is built with a non-root user and the HEALTHCHECK on /healthz', () => {
    const r = podman(['image', 'inspect', image, '--format', '{{.Config.User}}\n{{json .Config.Healthcheck.Test}}']);
    const [user, test] = r.stdout.trim().split('\n');
    expect(user).toBe('1000:1000');
    expect(test).toContain('/healthz');
  });

  it("carries the OCI labels with plugin.json's version", () => {
    const {version} = JSON.parse(readFileSync(path.join(ROOT, 'plugin.json'), 'utf8')) as {version: string};
    const labels = JSON.parse(podman(['image', 'inspect', image, '--format', '{{json .Config.Labels}}']).stdout) as Record<string, string>;
    expect(labels).toMatchObject({'org.opencontainers.image.title': 'mattermost-healthcheck-bridge', 'org.opencontainers.image.version': version, 'org.opencontainers.image.licenses': 'Apache-2.0'});
    expect(labels['org.opencontainers.image.source']).toMatch(/^https:\/\//);
  });

  it("holds the dependencies at the versions of package-lock.json (the package's shrinkwrap, npm ci)", () => {
    const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {packages: Record<string, {version?: string}>};
    const names = ['fastify', 'pino', 'prom-client', 'ws', 'zod', '@fastify/error', 'find-my-way'];
    const script = `for (const n of ${JSON.stringify(names)}) console.log(n, require('/opt/mattermost-healthcheck-bridge/node_modules/' + n + '/package.json').version)`;
    const r = podman(['run', '--rm', ...RUN_OPTS, '--entrypoint', 'node', image, '-e', script]);
    expect(r.code).toBe(0);
    const want = names.map((n) => `${n} ${(lock.packages[`server-bridge/node_modules/${n}`] ?? lock.packages[`node_modules/${n}`])?.version}`);
    expect(r.stdout.trim().split('\n')).toEqual(want);
  });

  it('check-config inside it reads the secrets from /run/secrets and passes', () => {
    const r = podman(['run', '--rm', ...RUN_OPTS, ...secrets(), ...env(), image, 'check-config']);
    expect(r.stdout).toContain('configuration OK');
    expect(r.stdout).toContain('state file: /var/lib/mattermost-healthcheck/state.json');
    expect(r.code).toBe(0);
  });

  it('runs as uid 1000, answers /healthz, passes its HEALTHCHECK, keeps state in the volume, stops on SIGTERM with 0', async () => {
    const started = podman(['run', '-d', '--name', names.container, ...RUN_OPTS, ...secrets(), ...env(), '-v', `${names.volume}:/var/lib/mattermost-healthcheck`, image]);
    expect(started.code).toBe(0);
    let healthz = '';
    for (let i = 0; i < 100 && !healthz; i++) {
      healthz = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.text(),
        () => '',
      );
      if (!healthz) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(healthz).toBe('{"status":"ok"}');
    expect(podman(['healthcheck', 'run', names.container]).code).toBe(0);
    expect(podman(['exec', names.container, 'id', '-u']).stdout.trim()).toBe('1000');
    let state = '';
    for (let i = 0; i < 50 && !state.includes('state.json'); i++) {
      state = podman(['exec', names.container, 'ls', '-ln', '/var/lib/mattermost-healthcheck']).stdout;
      if (!state.includes('state.json')) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(state).toMatch(/-rw-------\s+1 1000 1000 .* state\.json/);
    expect(podman(['stop', '-t', '20', names.container]).code).toBe(0);
    expect(podman(['inspect', names.container, '--format', '{{.State.ExitCode}}']).stdout.trim()).toBe('0');
    expect(podman(['logs', names.container]).stdout + podman(['logs', names.container]).stderr).toContain('"msg":"stopped"');
  });
});
