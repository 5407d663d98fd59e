// The Dockerfile, parsed by the official Dockerfile parser (Go's buildkit parser, wrapped by the
// PyPI package `dockerfile`) and checked for what the image promises.
import path from 'node:path';
import {ROOT, run, venv} from './tools';

interface Instruction {
  cmd: string;
  flags: string[];
  value: string[];
}

function parse(file: string): Instruction[] {
  const r = run(venv('python'), [
    '-c',
    'import dockerfile, json, sys; print(json.dumps([{"cmd": c.cmd, "flags": list(c.flags), "value": list(c.value)} for c in dockerfile.parse_file(sys.argv[1])]))',
    file,
  ]);
  if (r.code !== 0) throw new Error(`the Dockerfile parser refused ${file}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Instruction[];
}

const all = parse(path.join(ROOT, 'Dockerfile'));
const stages = all.reduce<Instruction[][]>((acc, i) => (i.cmd === 'FROM' ? [...acc, [i]] : (acc.at(-1)?.push(i), acc)), []);
const final = stages.at(-1) ?? [];
const args = Object.fromEntries(all.filter((i) => i.cmd === 'ARG').map((i) => (i.value[0] ?? '').split('=')));
const image = (from: Instruction) => (from.value[0] ?? '').replace(/\$\{(\w+)\}/g, (_m, name: string) => args[name] ?? '');
// Docker takes the quotes off a value (the parser keeps them).
const unquote = (v: string | undefined) => v?.replace(/^"(.*)"$/, '$1');
const env = Object.fromEntries(final.filter((i) => i.cmd === 'ENV').flatMap((i) => i.value.flatMap((v, n) => (n % 2 === 0 ? [[v, unquote(i.value[n + 1])]] : []))));

describe('Dockerfile', () => {
  it('is multi-stage, on Node 24 slim, and the final stage takes only the build stage output', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(image(stage[0] as Instruction)).toMatch(/(^|\/)node:24[\w.-]*-slim$/);
    const build = (stages[0] as Instruction[])[0]?.value;
    expect(build?.slice(1)).toEqual(['AS', 'build']);
    expect(final.filter((i) => i.cmd === 'COPY').map((i) => i.flags)).toEqual([['--from=build']]);
  });

  it('runs as a non-root user', () => {
    const users = final.filter((i) => i.cmd === 'USER').map((i) => i.value[0] ?? '');
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
  });

  it('has a HEALTHCHECK on /healthz', () => {
    const health = final.filter((i) => i.cmd === 'HEALTHCHECK');
    expect(health).toHaveLength(1);
    expect(health[0]?.value[0]).toBe('CMD');
    expect(health[0]?.value.join(' ')).toContain('/healthz');
  });

  it('reads secrets from files, never from the image environment', () => {
    expect(env.HEALTHCHECK_BOT_TOKEN_FILE).toMatch(/^\/run\/secrets\//);
    expect(env.HEALTHCHECK_PROBE_PASSWORD_FILE).toMatch(/^\/run\/secrets\//);
    const secretNames = /^HEALTHCHECK_(BOT_TOKEN|PROBE_PASSWORD|ADMIN_TOKEN|SLASH_TOKENS)$/;
    expect(Object.keys(env).filter((k) => secretNames.test(k))).toEqual([]);
    expect(Object.keys(args).filter((k) => secretNames.test(k))).toEqual([]);
  });

  it('starts the packaged bin, listens beyond loopback, keeps its state in a volume', () => {
    expect(final.find((i) => i.cmd === 'ENTRYPOINT')?.value).toEqual(['mattermost-healthcheck-bridge']);
    expect(final.find((i) => i.cmd === 'CMD')?.value).toEqual(['run']);
    expect(env.HEALTHCHECK_LISTEN).toBe('0.0.0.0:8075');
    expect(env.NODE_OPTIONS).toBe('--max-semi-space-size=2 --max-old-space-size=128');
    expect(final.find((i) => i.cmd === 'VOLUME')?.value).toEqual([path.dirname(env.HEALTHCHECK_STATE_FILE ?? '')]);
  });
});
